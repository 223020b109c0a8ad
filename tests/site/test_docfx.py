"""The docfx / Microsoft Learn preset: docsets, base paths, redirects, toc.yml and links."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kbcheck.anchors import Slugger, slugify
from kbcheck.markdown import parse_markdown
from kbcheck.site.detect import site_spec
from kbcheck.site.model import (
    FOREIGN,
    FOUND,
    MISSING,
    REDIRECTED,
    NavEntry,
    Rewritten,
    Site,
    variant_of,
    variant_patterns,
)
from tests.conftest import run_kb, write_tree

PUBLISH = ".openpublishing.publish.config.json"


def _docfx(content: list[dict], metadata: dict | None = None) -> str:
    return json.dumps({"build": {"content": content, "globalMetadata": metadata or {}}})


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    base = {
        PUBLISH: json.dumps({"docsets_to_publish": [{"build_source_folder": "help"}]}),
        "help/docfx.json": _docfx(
            [
                {"files": ["**/*.md", "**/*.yml"], "src": "articles", "dest": "."},
                {"files": ["**.yml"], "src": "bread", "dest": "bread"},
            ],
            {"breadcrumb_path": "/contoso/help/bread/toc.json"},
        ),
        "help/bread/toc.yml": "- name: Help\n  tocHref: /contoso/help/\n",
        "help/articles/billing/refunds.md": "# Refunds\n",
        "help/articles/billing/index.md": "# Billing\n",
    }
    return write_tree(tmp_path, {**base, **files}).resolve()


def _site(root: Path) -> Site:
    spec = site_spec(root, None)
    files = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return Site(spec, files, {})


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        # docfx's own test of its default (AutoIdentifierTest_DocfxDefault)
        ("This - is a &@! heading _ with . and ! -", "this---is-a--heading-_-with--and---"),
        ("1. Sign in", "1-sign-in"),
        ("C# and .NET 8", "c-and-net-8"),
        ("Error 0x80070005 (access denied)", "error-0x80070005-access-denied"),
        ("Café résumé", "café-résumé"),
        ("Step 2 🎉 done", "step-2--done"),  # a surrogate pair is no letter to .NET
        ("x²", "x"),  # superscript two is No, not a decimal digit
    ],
)
def test_markdig_ids(heading: str, anchor: str) -> None:
    assert slugify(heading, "markdig") == anchor


def test_markdig_empty_ids_are_section_and_repeats_are_numbered() -> None:
    slugger = Slugger("markdig")
    ids = [slugger.slug(text) for text in ("!!!", "Section", "???", "FAQ", "FAQ", "FAQ-1")]
    assert ids == ["section", "section-1", "section-2", "faq", "faq-1", "faq-1-1"]


def test_triple_colon_images_and_includes_are_read_with_positions() -> None:
    body = (
        "# Fix it\n\n"
        'Some text.\n:::image type="content" source="media/a.png" alt-text="A" '
        'lightbox="media/a-big.png":::\n\n'
        ':::zone pivot="web"\n\n[!INCLUDE [note](includes/note.md)]\n\n:::zone-end\n'
    )
    summary = parse_markdown(body, 2, "markdig", dialect="docfx")
    found = [(link.kind, link.target, link.line, link.column) for link in summary.links]
    assert found == [
        ("image", "media/a.png", 6, 33),
        ("image", "media/a-big.png", 6, 69),
        ("include", "includes/note.md", 10, 11),
    ]
    assert "Some text." in [block.text for block in summary.blocks]


def test_triple_colon_is_plain_text_outside_docfx() -> None:
    body = ':::image source="media/a.png" alt-text="A":::\n'
    assert parse_markdown(body, 0, "github").links == []


def test_docset_base_comes_from_the_breadcrumb(tmp_path: Path) -> None:
    root = _repo(tmp_path, {})
    spec = site_spec(root, None)
    assert spec.generator == "docfx" and spec.source == PUBLISH
    assert ("/contoso/help", "help/articles/") in spec.paths
    assert "/help/articles/**/*.md" in spec.content
    site = _site(root)
    assert site.lookup("/contoso/help/billing/refunds").status == FOUND
    assert site.lookup("/contoso/help/billing/").status == FOUND  # index.md
    assert site.lookup("/Contoso/Help/Billing/Refunds").status == FOUND  # any letter case
    assert site.lookup("/contoso/help/billing/refund").status == MISSING
    # another docset, or a folder this one does not have: another repository's page
    assert site.lookup("/powershell/module/pki/new-selfsignedcertificate").status == FOREIGN
    assert site.lookup("/contoso/help/partners/apply").status == FOREIGN


def test_docset_base_voted_by_redirects_when_no_breadcrumb(tmp_path: Path) -> None:
    moves = [
        {"source_path": f"help/articles/billing/old-{n}.md", "redirect_url": target}
        for n, target in enumerate(
            ["/en-us/kb/help/billing/refunds", "/kb/help/billing/", "/kb/help/billing/refunds"]
        )
    ]
    root = _repo(
        tmp_path,
        {
            "help/docfx.json": _docfx([{"files": ["**/*.md"], "src": "articles"}]),
            ".openpublishing.redirection.json": json.dumps({"redirections": moves}),
        },
    )
    site = _site(root)
    assert site.lookup("/kb/help/billing/refunds").status == FOUND
    assert site.lookup("/kb/help/billing/old-0").status == REDIRECTED
    assert site.redirect_for_file("help/articles/billing/old-1.md") == "/kb/help/billing/"


def test_no_base_known_leaves_root_relative_links_foreign(tmp_path: Path) -> None:
    root = _repo(tmp_path, {"help/docfx.json": _docfx([{"files": ["**/*.md"]}])})
    spec = site_spec(root, None)
    assert spec.paths == ()
    assert _site(root).lookup("/contoso/help/billing/nothing").status == FOREIGN


def test_named_file_mappings_publish_only_those_files(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {
            "help/docfx.json": _docfx(
                [
                    {"files": ["index.yml"], "dest": ""},
                    {"files": ["**/*.md"], "src": "articles", "dest": "articles"},
                ],
                {"breadcrumb_path": "/contoso/help/articles/billing/refunds"},
            ),
            "help/index.yml": "title: Help\n",
        },
    )
    spec = site_spec(root, None)
    assert spec.paths == (("/contoso/help/articles", "help/articles/"),)
    assert spec.provided == ("/contoso/help/",)


def test_redirect_source_paths_are_relative_to_their_file(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {
            PUBLISH: json.dumps(
                {
                    "docsets_to_publish": [{"build_source_folder": "help"}],
                    "redirection_files": ["redir/.openpublishing.redirection.help.json"],
                }
            ),
            "redir/.openpublishing.redirection.help.json": json.dumps(
                {
                    "redirections": [
                        {"source_path": "../help/articles/a.md", "redirect_url": "/x/a"},
                        {
                            "source_path_from_root": "/help/articles/b.md",
                            "redirect_url": "https://learn.microsoft.com/en-us/contoso/help/b",
                        },
                    ]
                }
            ),
        },
    )
    assert site_spec(root, None).redirects == (
        ("help/articles/a.md", "/x/a"),
        ("help/articles/b.md", "/contoso/help/b"),
    )


def test_toc_entries_name_markdown_pages_only(tmp_path: Path) -> None:
    toc = (
        "items:\n- name: Refunds\n  href: billing/refunds.md#steps\n"
        "- name: Folder\n  href: billing/\n- name: Nested\n  href: billing/toc.yml\n"
        "- name: Web\n  href: https://example.com/a.md\n- name: API\n  uid: Contoso.Api\n"
        "- name: Root\n  href: ~/articles/billing/gone.md\n"
        "- name: Group\n  items:\n  - name: Gone\n    topicHref: billing/gone%20page.md\n"
    )
    root = _repo(tmp_path, {"help/articles/toc.yml": toc})
    nav = site_spec(root, None).nav
    assert nav == (
        NavEntry(
            "help/articles/toc.yml",
            3,
            "billing/refunds.md#steps",
            "help/articles/billing/refunds.md",
        ),
        NavEntry(
            "help/articles/toc.yml",
            13,
            "~/articles/billing/gone.md",
            "help/articles/billing/gone.md",
        ),
        NavEntry(
            "help/articles/toc.yml",
            17,
            "billing/gone%20page.md",
            "help/articles/billing/gone page.md",
        ),
    )


def test_links_are_rewritten_as_docfx_reads_them(tmp_path: Path) -> None:
    spec = site_spec(_repo(tmp_path, {}), None)
    assert spec.rewrite is not None
    article = "help/articles/billing/refunds.md"
    assert spec.rewrite(spec, "~/articles/a.md?tabs=x#part", article) == Rewritten(
        "file", "help/articles/a.md#part"
    )
    assert spec.rewrite(spec, "xref:Contoso.Billing", article) == Rewritten("skip")
    assert spec.rewrite(spec, "/en-us/contoso/help/a", article) == Rewritten(
        "url", "/contoso/help/a"
    )
    assert spec.rewrite(spec, "media\\a.png", article) == Rewritten("url", "media/a.png")
    assert spec.rewrite(spec, "../a.md", article) is None


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (PUBLISH, "{not json", f"{PUBLISH}: not valid JSON"),
        ("help/docfx.json", "[1, 2]", "help/docfx.json: no `build` section"),
        ("help/docfx.json", '{"build": {"content": [', "help/docfx.json: not valid JSON"),
        (
            ".openpublishing.redirection.json",
            '{"redirections": 3}',
            ".openpublishing.redirection.json: no `redirections` list",
        ),
        ("help/articles/toc.yml", "- name: [unclosed\n", "help/articles/toc.yml: not valid YAML"),
    ],
)
def test_bad_files_are_one_notice(tmp_path: Path, name: str, text: str, problem: str) -> None:
    root = _repo(tmp_path, {name: text})
    spec = site_spec(root, None)
    assert spec.generator == "docfx"
    assert len(spec.notices) == 1 and spec.notices[0].startswith(problem), spec.notices


def test_a_folder_built_as_one_moniker_is_a_variant(tmp_path: Path) -> None:
    docfx = json.dumps(
        {
            "build": {
                "content": [
                    {"files": ["**/*.md"], "src": "conceptual", "group": "all"},
                    {"files": ["**/*.md"], "src": "2.0", "dest": "ref", "group": "v2"},
                    {"files": ["**/*.md"], "src": "3.0", "dest": "ref", "group": "v3"},
                ],
                "groups": {
                    "all": {"moniker_range": ">=contoso-2.0"},
                    "v2": {"moniker_range": "contoso-2.0"},
                    "v3": {"moniker_range": "contoso-3.0"},
                },
            }
        }
    )
    root = write_tree(
        tmp_path,
        {
            PUBLISH: json.dumps({"docsets_to_publish": [{"build_source_folder": "help"}]}),
            "help/docfx.json": docfx,
            "help/2.0/limits.md": "# Limits\n",
            "help/3.0/limits.md": "# Limits\n",
            "help/conceptual/overview.md": "# Overview\n",
        },
    ).resolve()
    spec = site_spec(root, None)
    assert spec.variants == ("help/2.0/", "help/3.0/")
    patterns = variant_patterns(spec.variants)
    assert variant_of("help/3.0/limits.md", patterns) == "help/3.0/"
    # a page shared by every version (a moniker range) is in no one version
    assert variant_of("help/conceptual/overview.md", patterns) is None


def test_owners_and_review_cycles_come_from_docfx_metadata_unless_the_article_sets_them(
    tmp_path: Path,
) -> None:
    docfx = {
        "build": {
            "content": [{"files": ["**/*.md"], "src": "articles"}],
            "globalMetadata": {"author": "help-writers", "ms.update-cycle": "180-days"},
            "fileMetadata": {
                "author": {"articles/billing/**/*.md": "billing-writers"},
                "ms.update-cycle": {"articles/billing/refunds.md": "90-days"},
            },
        }
    }
    page = "---\ntitle: {title}\nms.date: 01/15/2026\n{extra}---\n# {title}\n"
    root = write_tree(
        tmp_path,
        {
            PUBLISH: json.dumps({"docsets_to_publish": [{"build_source_folder": "help"}]}),
            "help/docfx.json": json.dumps(docfx),
            "help/articles/start.md": page.format(title="Start", extra=""),
            "help/articles/billing/refunds.md": page.format(title="Refunds", extra=""),
            "help/articles/billing/plans.md": page.format(title="Plans", extra="author: ana\n"),
        },
    ).resolve()
    result = run_kb(root, select=("owner/missing", "age"), today=date(2026, 6, 1))
    entries = {entry.path: entry for entry in result.report.articles}
    assert entries["help/articles/start.md"].owners == ("help-writers",)
    assert entries["help/articles/start.md"].owner_key == "author (docfx.json)"
    assert entries["help/articles/billing/refunds.md"].owners == ("billing-writers",)
    assert entries["help/articles/billing/plans.md"].owners == ("ana",)  # its own wins
    assert entries["help/articles/billing/plans.md"].owner_key == "author"
    # 90 days for refunds (its fileMetadata) have passed since January 15; 180 days have not
    stale = {finding.path for finding in result.report.findings if finding.rule == "age/stale"}
    assert stale == {"help/articles/billing/refunds.md"}
