"""The pre-commit hook passes the staged Markdown files in any order: the knowledge base's
own configuration is used even when a file outside it (the repository's README) comes first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_tree


def _repo(tmp_path: Path) -> Path:
    root = write_tree(
        tmp_path / "repo",
        {
            "README.md": "# Our docs repository\n",
            "kb/kbcheck.toml": '[keys]\nowner = "maintainer"\n',
            "kb/refunds.md": (
                "---\nmaintainer: billing-team\nlast_reviewed: 2026-05-01\n---\n# Refunds\n"
            ),
        },
    )
    git = ["git", "-C", str(root), "-c", "user.name=Ana", "-c", "user.email=ana@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)  # staged, as pre-commit sees them
    return root


def _check(root: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", "--no-cache", "-f", "json", *files],
        cwd=root,
        capture_output=True,
        text=True,
        env={"KBCHECK_TODAY": "2026-06-01", "PATH": "/usr/bin:/bin"},
    )


def test_a_readme_listed_first_does_not_hide_the_knowledge_base_configuration(
    tmp_path: Path,
) -> None:
    root = _repo(tmp_path)
    for order in (("README.md", "kb/refunds.md"), ("kb/refunds.md", "README.md")):
        result = _check(root, *order)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert [a["owners"] for a in report["articles"]] == [["billing-team"]]
        assert report["findings"] == []
        assert "1 path(s) outside the knowledge base" in result.stderr


def test_files_from_two_knowledge_bases_are_refused_in_one_line(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    write_tree(root, {"kb/inner/kbcheck.toml": "", "other/kbcheck.toml": "", "other/a.md": "# A\n"})
    result = _check(root, "kb/refunds.md", "other/a.md")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "two knowledge bases" in result.stderr
