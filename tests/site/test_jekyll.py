"""The Jekyll preset: what _config.yml says, read as data; URLs as Jekyll makes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbcheck.anchors import Slugger, slugify
from kbcheck.markdown import parse_markdown
from kbcheck.site.detect import site_spec
from kbcheck.site.model import PageUrls, Rewritten, Site, SiteSpec
from tests.conftest import run_kb, write_tree


def _spec(tmp_path: Path, config: str, files: dict[str, str] | None = None) -> SiteSpec:
    write_tree(tmp_path, {"_config.yml": config, **(files or {})})
    return site_spec(tmp_path.resolve(), None)


def _url(spec: SiteSpec, path: str, meta: dict | None = None) -> PageUrls | None:
    assert spec.pages is not None
    return spec.pages(spec, path, meta or {}, "")


def test_pages_posts_and_collections_get_jekylls_urls(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "collections:\n  articles:\n    output: true\n    permalink: /article/:name/\n"
        "  guides:\n    output: true\n  notes:\n    output: false\n",
    )
    # `date` style (the default): pages end in .html, the index is its folder
    assert _url(spec, "about.md") == PageUrls(("/about.html",))
    assert _url(spec, "docs/index.md") == PageUrls(("/docs/",))
    assert _url(spec, "_articles/billing/Refund Policy.md") == PageUrls(
        ("/article/refund-policy/",)
    )
    assert _url(spec, "_guides/setup/first-steps.md") == PageUrls(
        ("/guides/setup/first-steps.html",)
    )
    assert _url(spec, "_notes/x.md") == PageUrls(())
    assert _url(spec, "_drafts/soon.md") == PageUrls(())
    # posts: `/:categories/:year/:month/:day/:title:output_ext`, categories from the folders
    assert _url(spec, "_posts/2024-03-05-New Invoices.md") == PageUrls(
        ("/2024/03/05/New-Invoices.html",)
    )
    assert _url(spec, "news/_posts/2024-3-5-launch.md", {"category": "Release"}) == PageUrls(
        ("/news/release/2024/03/05/launch.html",)
    )
    assert _url(spec, "about.md", {"published": False}) == PageUrls(())


@pytest.mark.parametrize(
    ("style", "page", "post"),
    [
        ("pretty", "/about/", "/2024/03/05/launch/"),
        ("none", "/about.html", "/launch.html"),
        ("ordinal", "/about.html", "/2024/065/launch.html"),
        ("/:categories/:title/", "/about/", "/launch/"),
        ("/blog/:year/:title", "/about", "/blog/2024/launch"),
    ],
)
def test_permalink_styles(tmp_path: Path, style: str, page: str, post: str) -> None:
    spec = _spec(tmp_path, f"permalink: {style!r}\n")
    assert _url(spec, "about.md") == PageUrls((page,))
    assert _url(spec, "_posts/2024-03-05-launch.md") == PageUrls((post,))


def test_front_matter_and_defaults_permalinks(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "collections: [faq]\ndefaults:\n"
        "  - scope: {path: '', type: faq}\n    values: {permalink: '/questions/:slug/'}\n"
        "  - scope: {path: 'legal'}\n    values: {permalink: '/terms/'}\n"
        "  - scope: {path: 'legal/privacy.md'}\n    values: {permalink: '/privacy/'}\n",
    )
    # a collection without `output: true` is not written, defaults or not
    assert _url(spec, "_faq/billing.md") == PageUrls(())
    assert _url(spec, "legal/privacy.md") == PageUrls(("/privacy/",))  # the longer scope
    assert _url(spec, "legal/terms.md") == PageUrls(("/terms/",))
    assert _url(spec, "help.md", {"permalink": "/support/:basename/"}) == PageUrls(
        ("/support/help/",)
    )
    found = _url(
        spec, "help.md", {"redirect_from": ["/old-help/", "older"], "redirect_to": "/new/"}
    )
    assert found == PageUrls(("/help.html",), ("/old-help/", "/older"), "/new/")


def test_liquid_links_are_rewritten(tmp_path: Path) -> None:
    spec = _spec(tmp_path / "site", "baseurl: /help\n", {"docs/a.md": "# A\n"})
    assert spec.rewrite is not None

    def rewrite(url: str) -> Rewritten | None:
        assert spec.rewrite is not None
        return spec.rewrite(spec, url, "docs/a.md")

    assert rewrite("{{ site.baseurl }}/article/x/") == Rewritten("url", "/help/article/x/")
    assert rewrite("{{site.baseurl}}/x#part") == Rewritten("url", "/help/x#part")
    assert rewrite("{{ site.url }}{{ site.baseurl }}/x") == Rewritten("url", "/help/x")
    assert rewrite("{{ 'x/' | relative_url }}") == Rewritten("url", "/help/x/")
    assert rewrite('{{ "/x" | absolute_url }}') == Rewritten("url", "/help/x")
    assert rewrite("{% link _docs/b.md %}#c") == Rewritten("file", "_docs/b.md#c")
    assert rewrite("{{ site.baseurl }}{% link /b.md %}") == Rewritten("file", "b.md")
    post = rewrite("{% post_url news/2020-01-02-launch %}")
    assert post is not None and post.value == "_posts/news/2020-01-02-launch.md"
    assert "news/_posts/2020-01-02-launch.markdown" in post.alternatives
    assert rewrite("{% include_relative parts/x.md %}") == Rewritten("file", "docs/parts/x.md")
    assert rewrite("{% include note.md kind=tip %}") == Rewritten("file", "_includes/note.md")
    assert rewrite("{{ page.url }}#top") == Rewritten("skip")
    assert rewrite("{% link {{ page.x }} %}") == Rewritten("skip")
    assert rewrite("/plain/link/") is None


def test_static_files_special_names_and_excludes(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "collections:\n  guides:\n    output: true\n    permalink: /:collection/:path/\n"
        "include: [_pages]\nexclude: [scripts, '*.sh']\n",
    )
    files = [
        "_guides/setup/config.txt",
        "_layouts/x.png",
        "_pages/team.png",
        "scripts/tool.png",
        "build.sh",
        "img/a.png",
        "vendor/bundle/gems/x.md",
        "_site/index.html",
    ]
    site = Site(spec, files, {})
    assert site.lookup("/guides/setup/config.txt").file == "_guides/setup/config.txt"
    assert site.lookup("/img/a.png").file == "img/a.png"
    assert site.lookup("/_pages/team.png").file == "_pages/team.png"
    for url in ("/_layouts/x.png", "/scripts/tool.png", "/build.sh"):
        assert site.lookup(url).status == "missing", url
    assert "/vendor/" in spec.excluded and "/_site/" in spec.excluded


def test_html_pages_are_served_at_their_permalink(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "title: Help\n",
        {
            "index.html": "---\nlayout: home\npermalink: /\n---\n<h1>Help</h1>\n",
            "pages/search.html": "---\npermalink: '/search/'  # the search page\n---\n",
            "_layouts/home.html": "---\npermalink: /layout/\n---\n",
        },
    )
    assert spec.provided == ("/", "/search/")
    assert any(path.endswith("index.html") for path in spec.inputs)


def test_a_broken_config_is_one_notice_and_defaults(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "collections: [a\nbaseurl: /x\n")
    assert spec.generator == "jekyll"
    assert len(spec.notices) == 1 and "_config.yml: not valid YAML" in spec.notices[0]
    assert spec.base == "" and spec.anchor_style == "kramdown-gfm"
    odd = _spec(tmp_path / "odd", "- just\n- a list\n")
    assert len(odd.notices) == 1 and "expected a mapping" in odd.notices[0]
    defaults = _spec(tmp_path / "defaults", "defaults: nope\npermalink: 7\n")
    assert len(defaults.notices) == 1 and "defaults" in defaults.notices[0]


def test_detected_in_docs_and_kramdown_input_picks_the_id_style(tmp_path: Path) -> None:
    write_tree(tmp_path, {"docs/_config.yml": "kramdown:\n  input: kramdown\n"})
    spec = site_spec(tmp_path.resolve(), None)
    assert spec.source == "docs/_config.yml" and spec.paths == (("/", "docs/"),)
    assert spec.anchor_style == "kramdown"
    assert spec.content == ("/docs/**",)


@pytest.mark.parametrize(
    ("text", "gfm", "kramdown"),
    [
        # kramdown's own parser slugs the raw line: Markdown punctuation goes, link URLs stay
        ("[Set up](setup.md) SSO", "set-up-sso", "set-upsetupmd-sso"),
        ("2. Install `npm`", "2-install-npm", "install-npm"),
        ("Q&amp;A", "qampa", "qampa"),
        ("Café déjà vu", "café-déjà-vu", "caf-dj-vu"),
        ("100%", "100", ""),
    ],
)
def test_kramdown_slugs(text: str, gfm: str, kramdown: str) -> None:
    assert slugify(text, "kramdown") == kramdown
    heading = parse_markdown(f"## {text}\n", 0, "kramdown-gfm").headings[0]
    if "[" not in text and "&" not in text and "`" not in text:
        assert heading.anchor == gfm
    raw = parse_markdown(f"## {text}\n", 0, "kramdown").headings[0]
    assert raw.anchor == (kramdown or "section")


def test_kramdown_gfm_ids_drop_dashes_outside_code() -> None:
    body = "## Setup -- the `--force` flag\n\n## Q&amp;A: what's new?\n\n## Step 1\n\n## Step 1\n"
    anchors = [h.anchor for h in parse_markdown(body, 0, "kramdown-gfm").headings]
    assert anchors == ["setup--the---force-flag", "qa-whats-new", "step-1", "step-1-1"]
    slugger = Slugger("kramdown-gfm")
    assert [slugger.slug(t) for t in ("A", "A", "A 1")] == ["a", "a-1", "a-1"]


def test_block_ials_and_raw_html_blocks_give_ids() -> None:
    body = (
        "## Troubleshooting\n{: #trouble}\n\n{: #before}\n## Second\n\n"
        '<div class="tabs">\n  <a href="#one">One</a>\n\n    <section id="one">\n'
        "    Text\n    </section>\n</div>\n"
    )
    summary = parse_markdown(body, 0, "kramdown-gfm")
    assert [h.anchor for h in summary.headings] == ["trouble", "before"]
    assert "one" in summary.anchors
    # GitHub's renderer has no such ids
    assert "trouble" not in parse_markdown(body, 0, "github").anchors


def test_a_help_center_checks_clean(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "_config.yml": (
                "baseurl: /help\ncollections:\n  articles:\n    output: true\n"
                "    permalink: /article/:name/\n"
            ),
            "_articles/a.md": (
                "# A\n\n[B]({{ site.baseurl }}/article/b/#two-words)\n"
                "[Gone]({{ site.baseurl }}/article/c/)\n"
            ),
            "_articles/b.md": "# B\n\n## Two words\n",
        },
    )
    result = run_kb(root, select=("links",))
    found = [(f.path, f.line, f.rule) for f in result.report.findings]
    assert found == [("_articles/a.md", 4, "links/broken-file")]
