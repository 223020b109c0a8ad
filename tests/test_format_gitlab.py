"""`--format gitlab`: a GitLab Code Quality report with only the documented fields, paths
GitLab can place on a merge request, and fingerprints that survive reruns and moved lines."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kbcheck.formats import RenderOptions, render
from tests.conftest import run_kb, write_tree
from tests.git_repo import GitRepo

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "gitlab-code-quality.json").read_text(encoding="utf-8")
)
HEAD = "---\nowner: billing-team\nlast_reviewed: 2026-05-20\n---\n# Refunds\n\n"
# the same broken link twice: two identical findings in one file
BODY = "See [plans](plans.md) for details.\n\nCompare [plans](plans.md) again.\n"


def _validate(data: Any) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA)
    errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(data)]
    assert not errors, "\n".join(errors)


def _report(root: Path) -> list[dict[str, Any]]:
    data = json.loads(render(run_kb(root).report, "gitlab", RenderOptions()))
    _validate(data)
    return data  # type: ignore[no-any-return]


def test_every_issue_has_the_documented_fields_and_a_unique_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # outside git: paths from the working directory
    kb = write_tree(
        tmp_path / "kb",
        {
            "billing/refunds.md": HEAD + BODY,
            "billing/old.md": "---\nowner: billing-team\nlast_reviewed: 2020-01-01\n---\n# Old\n",
        },
    )
    issues = _report(kb)
    broken = [issue for issue in issues if issue["check_name"] == "links/broken-file"]
    assert [issue["location"] for issue in broken] == [
        {"path": "kb/billing/refunds.md", "lines": {"begin": 7}},
        {"path": "kb/billing/refunds.md", "lines": {"begin": 9}},
    ]
    assert {issue["severity"] for issue in broken} == {"major"}  # kbcheck error
    stale = [issue for issue in issues if issue["check_name"] == "age/stale"]
    assert [issue["location"]["path"] for issue in stale] == ["kb/billing/old.md"]
    # identical findings are two issues to GitLab, not one
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_fingerprints_hold_across_reruns_and_moved_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    kb = write_tree(tmp_path / "kb", {"billing/refunds.md": HEAD + BODY})
    first = _report(kb)
    assert _report(kb) == first
    write_tree(kb, {"billing/refunds.md": HEAD + "A new first paragraph.\n\n" + BODY})
    moved = _report(kb)
    assert [issue["location"]["lines"]["begin"] for issue in moved] == [9, 11]
    assert [issue["fingerprint"] for issue in moved] == [issue["fingerprint"] for issue in first]
    # a different problem on the same line is a different issue
    write_tree(kb, {"billing/refunds.md": HEAD + BODY.replace("(plans.md)", "(prices.md)", 1)})
    changed = _report(kb)
    assert changed[0]["fingerprint"] not in {issue["fingerprint"] for issue in first}


def test_paths_are_repository_relative_wherever_kbcheck_runs(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit(date(2026, 5, 20), {"docs/help/billing/refunds.md": HEAD + BODY})
    completed = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", "help", "-f", "gitlab", "--no-cache"],
        cwd=repo.path / "docs",
        capture_output=True,
        text=True,
        env={"KBCHECK_TODAY": "2026-06-01", "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 1, completed.stderr
    issues = json.loads(completed.stdout)
    _validate(issues)
    assert {issue["location"]["path"] for issue in issues} == {"docs/help/billing/refunds.md"}
    assert (repo.path / issues[0]["location"]["path"]).is_file()


def test_a_clean_knowledge_base_is_an_empty_array(tmp_path: Path) -> None:
    kb = write_tree(tmp_path / "kb", {"plans.md": HEAD.replace("Refunds", "Plans")})
    assert render(run_kb(kb).report, "gitlab", RenderOptions()) == "[]\n"
