"""The Hugo preset: hugo.toml read as data, page URLs, ref/relref, goldmark ids."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kbcheck.article import INVALID, ParseSettings, parse_article
from kbcheck.markdown import parse_markdown
from kbcheck.site.detect import site_spec
from kbcheck.site.hugo import detect
from kbcheck.site.model import PageUrls, Rewritten, SiteSpec
from kbcheck.verify import VerifyError, record_review
from tests.conftest import run_kb, write_tree


def _spec(root: Path, files: dict[str, str]) -> SiteSpec:
    write_tree(root, files)
    return site_spec(root.resolve(), None)


def _urls(spec: SiteSpec, path: str, meta: dict | None = None) -> PageUrls | None:
    assert spec.pages is not None
    return spec.pages(spec, path, meta or {}, "")


# --- detection ---------------------------------------------------------------------------


def test_hugo_toml_is_hugo_but_a_bare_config_toml_needs_hugo_keys_or_folders(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path / "a", {"hugo.toml": "title = 'Help'\n"})
    write_tree(tmp_path / "b", {"config.toml": "[tool.black]\nline-length = 99\n"})
    write_tree(tmp_path / "c", {"config.toml": "baseURL = 'https://help.example.com/'\n"})
    write_tree(tmp_path / "d", {"config.yaml": "name: x\n", "content/_index.md": "# Home\n"})
    write_tree(tmp_path / "e", {"config/_default/hugo.yaml": "title: Help\n"})
    assert detect(tmp_path / "a") == tmp_path / "a"
    assert detect(tmp_path / "b") is None
    assert detect(tmp_path / "c") == tmp_path / "c"
    assert detect(tmp_path / "d") == tmp_path / "d"
    assert detect(tmp_path / "e") == tmp_path / "e"


def test_a_malformed_configuration_is_one_notice_and_defaults(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"hugo.toml": "baseURL = 'https://x.example.com/\n"})
    assert spec.generator == "hugo"
    assert spec.paths == (("/", "content/"),)
    [notice] = [n for n in spec.notices if "hugo.toml" in n]
    assert "not valid TOML" in notice


def test_config_dir_files_are_merged_under_their_key(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        {
            "config/_default/hugo.toml": "baseURL = 'https://help.example.com/kb/'\n",
            "config/_default/markup.yaml": (
                "goldmark:\n  parser:\n    autoHeadingIDType: blackfriday\n"
            ),
            "config/_default/permalinks.toml": "posts = '/:year/:slug/'\n",
        },
    )
    assert spec.base == "/kb" and spec.url == "https://help.example.com/kb/"
    assert spec.anchor_style == "hugo-blackfriday"
    urls = _urls(spec, "content/posts/launch.md", {"date": date(2026, 3, 4), "title": "We Launch"})
    assert urls == PageUrls(("/2026/we-launch/",))


# --- page URLs ----------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> SiteSpec:
    return _spec(
        tmp_path,
        {
            "hugo.toml": (
                "baseURL = 'https://help.example.com/'\n"
                "[permalinks]\n  news = '/news/:year/:month/:contentbasename/'\n"
                "[permalinks.section]\n  news = '/updates/'\n"
                "[uglyURLs]\n  legal = true\n"
            ),
            "content/Billing/Refund Policy.md": "# Refunds\n",
        },
    )


@pytest.mark.parametrize(
    ("path", "meta", "urls"),
    [
        # sanitised and lowercased (MakePathSanitized)
        ("content/Billing/Refund Policy.md", {}, ("/billing/refund-policy/",)),
        ("content/billing/_index.md", {}, ("/billing/",)),
        ("content/_index.md", {}, ("/",)),
        ("content/billing/invoices/index.md", {}, ("/billing/invoices/",)),
        # slug replaces the last segment of a regular page, not a section's
        ("content/billing/refunds.md", {"slug": "Money Back"}, ("/billing/money-back/",)),
        ("content/billing/_index.md", {"slug": "x"}, ("/billing/",)),
        # url is taken as written
        ("content/billing/refunds.md", {"url": "/Refunds/"}, ("/Refunds/",)),
        ("content/billing/refunds.md", {"url": "refunds.html"}, ("/refunds.html",)),
        (
            "content/news/2026-01-02-plans.md",
            {"date": "2026-01-02T10:00:00Z"},
            ("/news/2026/01/2026-01-02-plans/",),
        ),
        ("content/news/_index.md", {}, ("/updates/",)),
        ("content/legal/terms.md", {}, ("/legal/terms.html",)),
        # a pattern whose date the page lacks: the default URL
        ("content/news/undated.md", {}, ("/news/undated/",)),
        (
            "content/billing/refunds.md",
            {"tags": ["Annual Plans"]},
            ("/billing/refunds/", "/tags/annual-plans/"),
        ),
        ("content/billing/draft.md", {"draft": True}, ()),
        ("content/billing/hidden/index.md", {"headless": True}, ()),
        ("content/billing/later.md", {"build": {"render": "never"}}, ()),
    ],
)
def test_page_urls(site: SiteSpec, path: str, meta: dict, urls: tuple[str, ...]) -> None:
    found = _urls(site, path, meta)
    assert found is not None and found.urls == urls


def test_aliases_are_site_or_page_relative(site: SiteSpec) -> None:
    found = _urls(
        site, "content/billing/refunds.md", {"aliases": ["/old/refunds/", "refund-policy", "../x"]}
    )
    assert found == PageUrls(
        ("/billing/refunds/",), ("/old/refunds/", "/billing/refund-policy", "/x")
    )


def test_languages_have_their_folders_and_prefixes(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        {
            "hugo.yaml": (
                "defaultContentLanguage: en\nlanguages:\n  en:\n    contentDir: content/en\n"
                "  de:\n    contentDir: content/de\n"
            ),
        },
    )
    assert sorted(spec.paths) == [("/", "content/en/"), ("/de/", "content/de/")]
    assert _urls(spec, "content/de/konto.md") == PageUrls(("/de/konto/",))
    assert _urls(spec, "content/en/account.md", {"url": "help"}) == PageUrls(("/help/",))
    shared = _spec(
        tmp_path / "shared",
        {"hugo.toml": "defaultContentLanguageInSubdir = true\n[languages.en]\n[languages.fr]\n"},
    )
    assert _urls(shared, "content/compte.fr.md") == PageUrls(("/fr/compte/",))
    assert _urls(shared, "content/account.md") == PageUrls(("/en/account/",))


def test_module_mounts_replace_the_content_and_static_folders(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        {
            "hugo.toml": (
                "[[module.mounts]]\nsource = 'docs'\ntarget = 'content'\n"
                "[[module.mounts]]\nsource = 'public-files'\ntarget = 'static'\n"
            ),
            "public-files/logo.png": "x",
        },
    )
    assert spec.paths == (("/", "docs/"),)
    assert spec.static == ("public-files/",)
    assert spec.content == ("/docs/**",)
    assert "/public/" in spec.excluded and "/themes/" in spec.excluded


def test_a_cascade_that_stops_the_build_makes_fragments(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        {
            "hugo.toml": "",
            "content/_common/_index.md": "---\ncascade:\n  build:\n    render: never\n---\n",
            "content/_common/note.md": "A shared note.\n",
        },
    )
    assert spec.not_articles == ("/content/_common/**",)


# --- links --------------------------------------------------------------------------------


@pytest.fixture
def refs(tmp_path: Path) -> SiteSpec:
    return _spec(
        tmp_path,
        {
            "hugo.toml": "",
            "content/billing/refunds.md": "# Refunds\n",
            "content/billing/invoices/index.md": "# Invoices\n",
            "content/account/faq.md": "# FAQ\n",
            "content/billing/faq.md": "# FAQ\n",
            "content/account/security/_index.md": "# Security\n",
        },
    )


def _rewrite(spec: SiteSpec, url: str, article: str) -> Rewritten | None:
    assert spec.rewrite is not None
    return spec.rewrite(spec, url, article)


def test_ref_is_relative_to_the_page_then_the_content_root(refs: SiteSpec) -> None:
    found = _rewrite(refs, '{{< ref "refunds.md" >}}', "content/billing/faq.md")
    assert found is not None and found.kind == "file"
    assert found.value == "content/billing/refunds.md"
    absolute = _rewrite(refs, '{{% relref "/billing/invoices" %}}', "content/account/faq.md")
    assert absolute is not None and "content/billing/invoices/index.md" in (
        absolute.value,
        *absolute.alternatives,
    )
    # a leaf bundle looks beside its folder, and a fragment may stand inside or after
    bundle = _rewrite(refs, '{{< ref "refunds#how" >}}', "content/billing/invoices/index.md")
    assert bundle is not None and bundle.value == "content/billing/refunds.md#how"
    after = _rewrite(refs, '{{< ref path="refunds.md" >}}#how', "content/billing/faq.md")
    assert after is not None and after.value == "content/billing/refunds.md#how"


def test_a_bare_name_is_looked_up_unless_several_pages_share_it(refs: SiteSpec) -> None:
    found = _rewrite(refs, '{{< ref "security" >}}', "content/billing/refunds.md")
    assert found is not None and found.alternatives[-1] == "content/account/security/_index.md"
    shared = _rewrite(refs, '{{< ref "faq" >}}', "content/account/security/_index.md")
    assert shared is not None
    assert "content/account/faq.md" not in (shared.value, *shared.alternatives)


def test_other_templates_are_not_checkable(refs: SiteSpec) -> None:
    assert _rewrite(refs, '{{< param "x" >}}', "content/billing/faq.md") == Rewritten("skip")
    assert _rewrite(refs, "{{ .Site.BaseURL }}/a/", "content/billing/faq.md") == Rewritten("skip")
    assert _rewrite(refs, "../faq/", "content/billing/faq.md") is None


def test_a_render_hook_reads_links_as_page_paths_and_its_keywords_as_its_own(
    tmp_path: Path,
) -> None:
    spec = _spec(
        tmp_path,
        {
            "hugo.toml": "",
            "layouts/_markup/render-link.html": '{{ if eq $u.String "g" }}glossary{{ end }}\n',
            "content/methods/Date.md": "# Date\n",
            "content/templates/intro.md": "# Intro\n",
        },
    )
    assert not spec.case_sensitive and spec.link_style == "pretty"
    assert _rewrite(spec, "g", "content/templates/intro.md") == Rewritten("skip")
    found = _rewrite(spec, "methods/date/", "content/templates/intro.md")
    assert found is not None and found.kind == "page"
    assert "content/methods/Date.md" in (found.value, *found.alternatives)


def test_an_include_shortcode_that_renders_a_page_pastes_that_page_in(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        {
            "hugo.toml": "",
            "layouts/_shortcodes/include.html": (
                "{{ with .Get 0 }}{{ with or ($.Page.GetPage .) (site.GetPage .) }}"
                "{{ .RenderShortcodes }}{{ end }}{{ end }}\n"
            ),
            # reads a file's text: not a page, so what it pastes is not known
            "layouts/shortcodes/include-file.html": "{{ readFile (.Get 0) | markdownify }}\n",
            "content/_shared/steps.md": "## Steps\n",
            "content/billing/cards.md": "# Cards\n",
        },
    )
    call = '{{% include "/_shared/steps" %}}'
    found = _rewrite(spec, call, "content/billing/cards.md")
    assert found is not None and found.kind == "file"
    assert "content/_shared/steps.md" in (found.value, *found.alternatives)
    other = _rewrite(spec, '{{% include-file "static/steps.md" %}}', "content/billing/cards.md")
    assert other == Rewritten("skip")
    templated = _rewrite(spec, '{{% include (printf "%s" .x) %}}', "content/billing/cards.md")
    assert templated == Rewritten("skip")


def test_redirects_a_template_writes(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        {
            "hugo.toml": "[outputFormats.redir]\nbaseName = '_redirects'\nisPlainText = true\n",
            "layouts/index.redir": (
                "/faq  /support/faq/  301\n/docs/latest/*  /docs/{{ $v }}/:splat  302\n"
                "/old/*  /new/:splat\n"
            ),
        },
    )
    assert ("/faq", "/support/faq/") in spec.redirects
    assert not spec.unlisted_redirects
    assert _rewrite(spec, "/old/a/", "content/x.md") == Rewritten("url", "/new/a/")
    assert _rewrite(spec, "/docs/latest/b/", "content/x.md") == Rewritten("skip")
    computed = _spec(
        tmp_path / "computed",
        {
            "hugo.toml": "[outputFormats.redir]\nbaseName = '_redirects'\n",
            "layouts/index.redir": "{{ range .Pages }}\n{{ .Path }}  /x/\n{{ end }}\n",
        },
    )
    assert computed.unlisted_redirects
    assert any("computed by the template" in notice for notice in computed.notices)


def test_pages_the_build_imports_are_not_reported(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "hugo.toml": "",
            "content/components/.gitignore": "# imported\ngitrepositories.md\napi/v*.md\n",
            "content/guide.md": (
                "# Guide\n\n[Sources](/components/gitrepositories/), "
                "[API](../content/components/api/v2.md), [missing](/components/nothing/)\n"
            ),
        },
    )
    result = run_kb(root, select=("links",))
    assert [(f.rule, f.line) for f in result.report.findings] == [("links/broken-file", 3)]


# --- front matter and ids -----------------------------------------------------------------


def test_toml_and_json_front_matter() -> None:
    toml = parse_article(
        b'+++\ntitle = "Refunds"\nowner = "billing"\n[params]\nowner = "x"\n+++\n# Hi\n',
        "a.md",
        ParseSettings(),
    )
    assert toml.meta["title"] == "Refunds" and toml.key_lines == {"title": 2, "owner": 3}
    assert toml.headings[0].line == 7
    json = parse_article(b'{\n  "title": "Refunds"\n}\n\n# Hi\n', "a.md", ParseSettings())
    assert json.title == "Refunds" and json.headings[0].line == 5
    bad = parse_article(b'+++\ntitle = "Refunds\n+++\n# Hi\n', "a.md", ParseSettings())
    [problem] = bad.problems
    assert problem.rule == INVALID and problem.line == 2 and "TOML" in problem.message
    assert bad.headings[0].line == 4
    shortcode = parse_article(b"{{< note >}}\nHi\n{{< /note >}}\n", "a.md", ParseSettings())
    assert not shortcode.has_frontmatter and not shortcode.problems


def test_a_review_is_not_recorded_into_toml_front_matter() -> None:
    with pytest.raises(VerifyError, match="TOML or JSON"):
        record_review('+++\ntitle = "x"\n+++\nBody\n', date(2026, 1, 1))


def test_goldmark_ids_in_document_order() -> None:
    body = (
        "## Setup\n\n## Single sign-on {#setup}\n\n## Setup\n\n"
        "## ![icon](i.png) Billing\n\nTwo\nlines\n---\n\n"
        "Timeout\n: How long a session lasts.\n"
    )
    summary = parse_markdown(body, 0, "hugo", dialect="hugo-terms")
    assert [heading.anchor for heading in summary.headings] == [
        "setup",
        "setup",
        "setup-1",
        "icon-billing",
        "lines",
    ]
    assert "timeout" in summary.anchors
    plain = parse_markdown("Timeout\n: How long.\n", 0, "hugo")
    assert "timeout" not in plain.anchors


def test_urls_the_menus_name_are_served(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        {
            "hugo.yaml": (
                "menus:\n  main:\n    - name: Support\n      url: /support\n"
                "    - name: Code\n      url: https://github.com/acme\n"
            )
        },
    )
    assert "/support" in spec.provided
    assert not any("github.com" in url for url in spec.provided)
