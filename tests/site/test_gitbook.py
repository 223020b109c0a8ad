"""The GitBook preset: root and summary from `.gitbook.yaml`, one space per folder in a
monorepo, and a broken `.gitbook.yaml` is one notice."""

from __future__ import annotations

from pathlib import Path

from kbcheck.site.detect import site_spec
from tests.conftest import run_kb, write_tree


def test_root_summary_and_redirects(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            ".gitbook.yaml": "root: ./docs/\nstructure:\n  summary: toc.md\n"
            "redirects:\n  old/page: new/page.md\n",
            "docs/toc.md": "# Contents\n\n* [Home](README.md)\n* [Gone](gone.md)\n",
            "docs/README.md": "# Home\n",
        },
    )
    spec = site_spec(root, None)
    assert spec.paths == (("/", "docs/"),)
    assert spec.not_articles == ("/docs/toc.md", ".gitbook/")  # and uploads are no pages
    assert spec.redirects == (("/old/page", "docs/new/page.md"),)
    assert [(entry.line, entry.path) for entry in spec.nav] == [
        (3, "docs/README.md"),
        (4, "docs/gone.md"),
    ]


def test_a_monorepo_reads_one_summary_per_space(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            ".gitbook.yaml": "",
            "guides/SUMMARY.md": "* [Start](start.md)\n",
            "guides/start.md": "# Start\n",
            "api/SUMMARY.md": "* [Keys](keys.md)\n",
        },
    )
    result = run_kb(root, select=("links",))
    findings = sorted(f"{f.path}:{f.line}:{f.rule}" for f in result.report.findings)
    assert findings == ["api/SUMMARY.md:1:links/broken-nav"]


def test_a_broken_gitbook_yaml_is_one_notice(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            ".gitbook.yaml": "root: [unclosed\n",
            "SUMMARY.md": "* [Home](README.md)\n",
            "README.md": "# Home\n",
        },
    )
    result = run_kb(root, select=("links",))
    assert [n for n in result.report.notices if ".gitbook.yaml" in n and "not valid YAML" in n]
    assert not result.report.findings


def test_gitbook_heading_ids_of_both_editor_ages() -> None:
    from kbcheck.anchors import gitbook_ids

    assert "user-feedback" in gitbook_ids("💬 User Feedback")
    assert "c-api-bugsplatc.h" in gitbook_ids("C API (BugSplatC.h)")
    assert "id-1.-create-an-app-in-azure-a-d" in gitbook_ids("1. Create an app in Azure AD")
    assert gitbook_ids("🎉") == ()
