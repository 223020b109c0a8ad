"""Discovery: which files under the root are articles, which are only link targets, and
which are left out (git's ignore files, `exclude`, folders that are never content)."""

from __future__ import annotations

from pathlib import Path

from kbcheck.corpus import discover
from tests.conftest import write_tree
from tests.git_repo import GitRepo


def test_ignore_files_exclude_globs_and_skipped_folders(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    GitRepo(root)  # a repository whose top is the root: .git/info/exclude applies
    write_tree(
        root,
        {
            ".git/info/exclude": "# comments only in git's template\n*.local.md\n",
            ".gitignore": "# nothing but a comment\n\n",
            "a.md": "# A\n",
            "notes.local.md": "# mine\n",
            "images/logo.png": "PNG",
            "drafts/.gitignore": "*.md\n!keep.md\n",
            "drafts/skip.md": "# skip\n",
            "drafts/keep.md": "# keep\n",
            "drafts/deeper/also.md": "# ignored below the .gitignore too\n",
            "archive/old.md": "# old\n",
            "node_modules/pkg/readme.md": "# never content\n",
            ".kbcheck-cache/x.md": "# never content\n",
        },
    )
    found = discover(root, exclude=["archive/"])
    assert found.articles == ("a.md", "drafts/keep.md")
    assert "images/logo.png" in found.files
    assert not any(name.startswith((".git/", "node_modules/", "archive/")) for name in found.files)


def test_installed_packages_and_build_output_are_never_articles(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "billing/refunds.md": "# Refunds\n",
            "venv/lib/python3.12/site-packages/pkg/README.md": "# a package\n",
            ".venv/README.md": "# a package\n",
            "vendor/bundle/ruby/3.3.0/gems/theme/README.md": "# a gem\n",
            "_site/billing/refunds.md": "# build output\n",
            ".docusaurus/client-modules.md": "# generated\n",
            # below the root, a folder called vendor is the help center's own
            "billing/vendor/paying-suppliers.md": "# Paying suppliers\n",
        },
    )
    assert discover(root).articles == ("billing/refunds.md", "billing/vendor/paying-suppliers.md")


def test_a_gitignore_pattern_for_a_folder_prunes_it(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {".gitignore": "build/\n", "build/page.md": "# built\n", "docs/build.md": "# kept\n"},
    )
    assert discover(root).articles == ("docs/build.md",)
