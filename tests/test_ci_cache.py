"""A cache kept between CI runs: restored on a new runner (another machine secret), it is used
only from a folder the command line vouches for outside the repository; anywhere else it is
ignored with one line saying what to do. `--debug` says what the run took from the cache."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kbcheck.incremental import replay
from kbcheck.incremental.folder import CACHE_FOLDER_NAME
from kbcheck.report import Report
from tests.git_repo import GitRepo

FINDINGS_FIELD = [field.name for field in dataclasses.fields(Report)].index("findings")
KBCHECK = str(Path(sys.executable).parent / "kbcheck")
WARNING = (
    "was written on another machine and was not used (only this machine's documents are "
    "trusted there); restore a CI cache outside the repository and pass --cache-dir DIR or "
    "set KBCHECK_CACHE_DIR (see SECURITY.md)"
)


def page(title: str, body: str = "") -> str:
    return (
        f"---\ntitle: {title}\nowner: billing-team\nlast_reviewed: 2026-03-01\n---\n"
        f"# {title}\n\nOpen **Settings > Billing** to see your invoices.\n{body}"
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A knowledge base in a real git repository, with one broken link."""
    git = GitRepo(tmp_path / "repo")
    git.commit(
        date(2026, 3, 1),
        {
            "kb/billing/invoices.md": page("Invoices", "\nSee [plans](plans.md#prices).\n"),
            "kb/billing/plans.md": page("Plans", "\n## Prices\n"),
            "kb/billing/refunds.md": page("Refunds", "\nSee [taxes](taxes.md).\n"),
        },
    )
    return git.path


def run(
    repo: Path, machine: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`kbcheck check kb` as a runner with its own home folder (so its own machine secret)."""
    home = repo.parent / "homes" / machine
    variables = {**os.environ, "XDG_CACHE_HOME": str(home), "KBCHECK_TODAY": "2026-06-01"}
    variables.pop("KBCHECK_CACHE_DIR", None)
    command = [KBCHECK, "check", "kb", "-f", "json", "--fail-on", "never", *args]
    return subprocess.run(
        command, cwd=repo, env={**variables, **(env or {})}, capture_output=True, text=True
    )


def debug_line(result: subprocess.CompletedProcess[str]) -> str:
    return next(line for line in result.stderr.splitlines() if line.startswith("kbcheck: cache:"))


def findings(result: subprocess.CompletedProcess[str]) -> list[object]:
    return json.loads(result.stdout)["findings"]


def test_a_vouched_cache_restored_on_a_new_runner_is_used(repo: Path, tmp_path: Path) -> None:
    saved = tmp_path / "runner-1-temp" / "kbcheck-cache"
    cold = run(repo, "runner-1", "--cache-dir", str(saved), "--debug")
    assert cold.returncode == 0, cold.stderr
    assert re.fullmatch(
        rf"kbcheck: cache: {re.escape(str(saved))} \(vouched for\); report not replayed; "
        r"articles: 3 parsed, 0 reused, 3 hashed; rules: \d+ run again, 0 reused; "
        r"article checks: \d+ run, 0 reused",
        debug_line(cold),
    )
    assert len(findings(cold)) == 1  # the broken link to taxes.md
    # What actions/cache does: the folder is packed on one runner, unpacked on another.
    restored = tmp_path / "runner-2-temp" / "kbcheck-cache"
    shutil.copytree(saved, restored)
    warm = run(repo, "runner-2", "--debug", env={"KBCHECK_CACHE_DIR": str(restored)})
    assert debug_line(warm) == (
        f"kbcheck: cache: {restored} (vouched for); report replayed (nothing it depends on changed)"
    )
    assert warm.stdout == cold.stdout
    assert WARNING not in warm.stderr
    # A pull request edits one article: only that one is parsed again.
    (repo / "kb/billing/refunds.md").write_text(page("Refunds"), encoding="utf-8")
    edited = run(repo, "runner-3", "--debug", "--cache-dir", str(restored))
    line = debug_line(edited)
    assert "report not replayed; articles: 1 parsed, 2 reused" in line
    assert ", 0 reused; article checks" not in line  # rules' findings came from the cache
    assert findings(edited) == []


def test_a_cache_written_elsewhere_inside_the_repository_is_ignored_in_one_line(
    repo: Path,
) -> None:
    first = run(repo, "runner-1")
    assert (repo / "kb" / CACHE_FOLDER_NAME / replay.DOCUMENT).is_file()
    # Restored into the knowledge base on a new runner (or committed by a pull request).
    second = run(repo, "runner-2", "--debug")
    assert second.stdout == first.stdout
    where = repo / "kb" / CACHE_FOLDER_NAME
    assert second.stderr.count(WARNING) == 1
    assert f"kbcheck: warning: the cache in {where} {WARNING}\n" in second.stderr
    assert "(this machine's documents only); report not replayed; articles: 3 parsed" in (
        debug_line(second)
    )
    assert "documents from another machine ignored" in debug_line(second)
    # That run re-tagged the cache for this machine: the next one is warm and says nothing.
    third = run(repo, "runner-2", "--debug")
    assert "report replayed" in debug_line(third)
    assert "warning" not in third.stderr


def test_a_cache_dir_inside_the_repository_is_never_vouched_for(repo: Path) -> None:
    """A pull request could commit it, made to order: a report without its findings."""
    inside = repo / "ci-cache"
    expected = run(repo, "runner-1", "--cache-dir", str(inside))
    stored = inside / replay.DOCUMENT
    document = json.loads(stored.read_text("utf-8"))
    document["report"][FINDINGS_FIELD] = []
    stored.write_text(json.dumps(document), encoding="utf-8")
    forged = run(repo, "runner-2", "--cache-dir", str(inside), "--debug")
    assert forged.stdout == expected.stdout
    assert "(this machine's documents only); report not replayed" in debug_line(forged)
    assert f"kbcheck: warning: the cache in {inside} {WARNING}\n" in forged.stderr


def test_the_configured_cache_dir_is_never_vouched_for(repo: Path, tmp_path: Path) -> None:
    """kbcheck.toml is in the pull request's hands: its `cache_dir` can point outside the
    repository, at a folder it does not own; only the command line vouches."""
    outside = tmp_path / "outside"
    (repo / "kb" / "kbcheck.toml").write_text(f'cache_dir = "{outside}"\n', encoding="utf-8")
    run(repo, "runner-1")
    assert (outside / replay.DOCUMENT).is_file()
    again = run(repo, "runner-2", "--debug")
    assert f"kbcheck: cache: {outside} (this machine's documents only)" in debug_line(again)
    assert WARNING in again.stderr


def test_debug_says_when_the_cache_is_off(repo: Path) -> None:
    result = run(repo, "runner-1", "--no-cache", "--debug")
    assert debug_line(result) == "kbcheck: cache: off"
    assert not (repo / "kb" / CACHE_FOLDER_NAME).exists()
