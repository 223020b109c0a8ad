"""`--format concise`: one `path:line:col: rule [severity] message` line per finding, each
path openable from where kbcheck was run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_tree

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>\S+) \[(\w+)\] .+$")


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", *args, "-f", "concise", "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"KBCHECK_TODAY": "2026-06-01", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def test_each_finding_is_one_line_whose_path_opens_from_the_working_directory(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path / "kb",
        {
            "billing/refunds.md": (
                "---\nowner: billing-team\nlast_reviewed: 2026-05-01\n---\n# Refunds\n\n"
                "See [plans](plans.md#annual) and [taxes](taxes.md).\n"
            ),
            "billing/plans.md": (
                "---\nowner: billing-team\nlast_reviewed: 2026-05-01\n---\n# Plans\n"
            ),
        },
    )
    result = _run(tmp_path, "kb", "--select", "links")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "Found 2 findings in kb."
    parsed = [LINE.match(line) for line in lines[:-1]]
    assert all(parsed), lines
    assert [(m["path"], m["line"], m["col"], m["rule"]) for m in parsed if m] == [
        ("kb/billing/refunds.md", "7", "5", "links/broken-anchor"),
        ("kb/billing/refunds.md", "7", "34", "links/broken-file"),
    ]
    assert all((tmp_path / m["path"]).is_file() for m in parsed if m)


def test_a_clean_run_says_so_in_one_line(tmp_path: Path) -> None:
    write_tree(
        tmp_path / "kb",
        {"a.md": "---\nowner: support\nlast_reviewed: 2026-05-01\n---\n# A\n"},
    )
    result = _run(tmp_path / "kb", ".")
    assert result.returncode == 0
    assert result.stdout == "All checks passed (1 article in .).\n"
