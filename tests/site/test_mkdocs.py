"""The MkDocs preset: what mkdocs.yml says, read as data."""

from __future__ import annotations

from pathlib import Path

from kbcheck.site.detect import site_spec
from kbcheck.site.model import NavEntry
from tests.conftest import run_kb, write_tree


def test_nav_entries_are_read_with_their_lines(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": (
                "site_name: Help\nnav:\n  - Home: index.md\n  - Billing:\n"
                "      - billing/refunds.md\n      - Plans: https://example.com/plans\n"
                "  - Section: billing/\n"
            )
        },
    )
    spec = site_spec(tmp_path.resolve(), None)
    assert spec.nav == (
        NavEntry("mkdocs.yml", 3, "index.md", "docs/index.md"),
        NavEntry("mkdocs.yml", 5, "billing/refunds.md", "docs/billing/refunds.md"),
    )


def test_redirect_maps_and_snippet_base_are_root_relative(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": (
                "site_name: Help\ndocs_dir: content\nuse_directory_urls: false\n"
                "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: shared\n"
                "plugins:\n  - search\n  - redirects:\n      redirect_maps:\n"
                "        old.md: new.md\n        gone.md: https://example.com/x\n"
            )
        },
    )
    spec = site_spec(tmp_path.resolve(), None)
    assert spec.redirects == (
        ("content/old.md", "content/new.md"),
        ("content/gone.md", "https://example.com/x"),
    )
    assert spec.include_base == "shared/"
    assert spec.page_urls == "html" and spec.paths == (("/", "content/"),)
    assert spec.content == ("/content/**",)


def test_a_url_link_to_a_missing_page_names_the_closest_page_by_its_url(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "mkdocs.yml": "site_name: Help\nsite_url: https://help.example.com/kb/\n",
            "docs/index.md": "# Help\n\n[Refunds](/kb/billing/refund/)\n",
            "docs/billing/refunds.md": "# Refunds\n",
        },
    )
    result = run_kb(root, select=("links",))
    (finding,) = result.report.findings
    assert finding.message == (
        "link to '/kb/billing/refund/' but the site publishes nothing at '/kb/billing/refund/'"
    )
    assert finding.hint == "did you mean /kb/billing/refunds/?"


def test_traffic_by_published_url_is_counted_on_the_page(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "mkdocs.yml": (
                "site_name: Help\nsite_url: https://help.example.com/\nplugins:\n"
                "  - redirects:\n      redirect_maps:\n        old-refunds.md: billing/refunds.md\n"
            ),
            "docs/index.md": "# Help\n",
            "docs/billing/refunds.md": "# Refunds\n",
            "views.csv": (
                "page,views\n/billing/refunds/,40\nhttps://help.example.com/old-refunds/,2\n/,7\n"
            ),
        },
    )
    result = run_kb(root, select=("links",), traffic=root / "views.csv")
    views = {entry.path: entry.views for entry in result.report.articles}
    assert views == {"docs/billing/refunds.md": 42, "docs/index.md": 7}
