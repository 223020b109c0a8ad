"""The reports people read (pretty, concise, Markdown) print paths that open from where kbcheck
ran, and the command a hint suggests runs as printed; JSON keeps root-relative paths."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_tree

STALE = "---\ntitle: Taxes\nowner: billing-team\nlast_reviewed: 2024-01-10\n---\n# Taxes\n\nText.\n"


def _kbcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbcheck", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"KBCHECK_TODAY": "2026-06-01", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    write_tree(
        tmp_path / "docs" / "kb",
        {
            "kbcheck.toml": "select = ['age']\n",
            "billing/taxes.md": STALE,
            "billing/tax rates.md": STALE.replace("Taxes", "Tax rates"),
        },
    )
    return tmp_path


def _verify_commands(output: str) -> list[str]:
    return re.findall(r"run: (kbcheck verify .+?)(?:\)|$)", output, flags=re.MULTILINE)


def test_the_printed_verify_command_runs_as_printed(workspace: Path) -> None:
    result = _kbcheck("check", "docs/kb", "--format", "concise", "--no-cache", cwd=workspace)
    assert "docs/kb/billing/taxes.md:" in result.stdout
    commands = _verify_commands(result.stdout)
    assert "kbcheck verify docs/kb/billing/taxes.md" in commands
    assert "kbcheck verify 'docs/kb/billing/tax rates.md'" in commands  # quoted for the shell
    for command in commands:
        words = shlex.split(command)
        ran = _kbcheck(*words[1:], "--by", "Ana", "--date", "2026-05-30", cwd=workspace)
        assert ran.returncode == 0, ran.stderr
    assert "last_reviewed: 2026-05-30" in (workspace / "docs/kb/billing/tax rates.md").read_text()


def test_pretty_and_markdown_paths_open_from_the_working_directory(workspace: Path) -> None:
    pretty = _kbcheck("check", "docs/kb", "--no-cache", cwd=workspace).stdout
    assert "docs/kb/billing/taxes.md" in pretty
    assert "kbcheck verify docs/kb/billing/taxes.md" in " ".join(pretty.split())
    markdown = _kbcheck("check", "docs/kb", "--format", "markdown", "--no-cache", cwd=workspace)
    assert "docs/kb/billing/taxes.md" in markdown.stdout
    # from inside the knowledge base, the same paths are short
    inside = _kbcheck("check", ".", "--format", "concise", "--no-cache", cwd=workspace / "docs/kb")
    assert inside.stdout.startswith("billing/")


def test_json_keeps_root_relative_paths_and_the_root(workspace: Path) -> None:
    result = _kbcheck("check", "docs/kb", "--format", "json", "--no-cache", cwd=workspace)
    report = json.loads(result.stdout)
    assert report["root"] == "docs/kb"
    assert {finding["path"] for finding in report["findings"]} == {
        "billing/taxes.md",
        "billing/tax rates.md",
    }
    assert "kbcheck verify billing/taxes.md" in " ".join(f["hint"] for f in report["findings"])


def test_a_long_verify_command_is_never_cut_across_lines(workspace: Path) -> None:
    deep = workspace / "docs/kb/billing/regional/european-union"
    deep.mkdir(parents=True)
    (deep / "value-added-tax-on-annual-subscriptions.md").write_text(STALE)
    env_columns = {"COLUMNS": "60"}
    result = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", "docs/kb", "--no-cache"],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=False,
        env={"KBCHECK_TODAY": "2026-06-01", "PATH": "/usr/bin:/bin", **env_columns},
    )
    command = (
        "kbcheck verify "
        "docs/kb/billing/regional/european-union/value-added-tax-on-annual-subscriptions.md"
    )
    assert any(line.strip() == command for line in result.stdout.splitlines()), result.stdout
