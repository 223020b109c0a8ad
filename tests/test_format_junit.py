"""`--format junit`: JUnit XML that parses, has the shape Jenkins, Azure DevOps and GitLab
read (testsuites > testsuite > testcase, at most one failure per case), one case per
article, and failures that carry every finding."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from kbcheck.formats import RenderOptions, render
from kbcheck.model import Finding, Severity
from kbcheck.report import ArticleEntry, Report
from tests.conftest import run_kb, write_tree
from tests.git_repo import GitRepo

FRESH = "---\nowner: billing-team\nlast_reviewed: 2026-05-20\n---\n# {title}\n\nText.\n"
SUITE_ATTRIBUTES = {"name", "tests", "failures", "errors", "skipped", "time"}
CASE_ATTRIBUTES = {"classname", "name", "file", "time"}


def check_shape(text: str) -> ET.Element:
    """What the common JUnit schemas (Ant's, and Jenkins' which extends it) require of the
    elements kbcheck writes, and that the counts add up."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = list(root)
    assert suites and all(suite.tag == "testsuite" for suite in suites)
    for suite in suites:
        assert set(suite.attrib) == SUITE_ATTRIBUTES
        cases = list(suite)
        assert all(case.tag == "testcase" for case in cases)
        assert int(suite.get("tests", "")) == len(cases)
        failed = [case for case in cases if case.find("failure") is not None]
        assert int(suite.get("failures", "")) == len(failed)
        assert suite.get("errors") == suite.get("skipped") == "0"
        float(suite.get("time", ""))
        for case in cases:
            assert set(case.attrib) == CASE_ATTRIBUTES and case.get("name")
            children = list(case)
            assert len(children) <= 1 and all(child.tag == "failure" for child in children)
            for failure in children:
                assert failure.get("message") and failure.get("type") in {
                    "error",
                    "warning",
                    "info",
                }
    assert root.get("tests") == str(sum(int(suite.get("tests", "")) for suite in suites))
    return root


def _cases(root: ET.Element) -> dict[str, ET.Element]:
    return {case.get("name", ""): case for case in root.iter("testcase")}


def test_one_case_per_article_and_failures_carry_every_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    kb = write_tree(
        tmp_path / "kb",
        {
            "billing/plans.md": FRESH.format(title="Plans"),
            "billing/refunds.md": FRESH.format(title="Refunds")
            + "\nSee [plans](plans.md#annual) and [taxes](taxes.md).\n",
            "account/old.md": "---\nowner: support\nlast_reviewed: 2020-01-01\n---\n# Old\n",
        },
    )
    root = check_shape(render(run_kb(kb).report, "junit", RenderOptions()))
    cases = _cases(root)
    assert sorted(cases) == ["kb/account/old.md", "kb/billing/plans.md", "kb/billing/refunds.md"]
    assert cases["kb/billing/plans.md"].find("failure") is None  # a clean article passes
    assert cases["kb/billing/refunds.md"].get("classname") == "kb/billing"
    failure = cases["kb/billing/refunds.md"].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.get("message", "").endswith("(and 1 more)")
    lines = (failure.text or "").splitlines()
    assert [line.split(" ", 3)[:3] for line in lines] == [
        ["kb/billing/refunds.md:9:5:", "links/broken-anchor", "[error]"],
        ["kb/billing/refunds.md:9:34:", "links/broken-file", "[error]"],
    ]
    old = cases["kb/account/old.md"].find("failure")
    assert old is not None and "kbcheck verify kb/account/old.md" in (old.text or "")


def test_article_text_cannot_break_the_xml() -> None:
    nasty = "a ]]> b <tag> & \"q\" 'a' \x00\x1b[31m\x0b \ufffe\u202e end"
    report = Report(
        root="kb",
        today=date(2026, 6, 1),
        articles=(ArticleEntry("x&<y>.md", nasty, (), None, "none", "missing", None, 1.0),),
        findings=(Finding("links/broken-file", Severity.WARNING, "x&<y>.md", 2, 3, nasty, nasty),),
    )
    root = check_shape(render(report, "junit", RenderOptions()))
    failure = _cases(root)["kb/x&<y>.md"].find("failure")
    assert failure is not None
    assert "a ]]> b <tag> & \"q\" 'a' [31m  end" in failure.get("message", "")
    assert "\x1b" not in (failure.text or "") and "\u202e" not in (failure.text or "")


def test_paths_are_repository_relative_and_reruns_are_identical(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit(
        date(2026, 5, 20),
        {"docs/help/billing/refunds.md": FRESH.format(title="Refunds") + "[x](gone.md)\n"},
    )

    def run() -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "kbcheck", "check", "help", "-f", "junit", "--no-cache"],
            cwd=repo.path / "docs",
            capture_output=True,
            text=True,
            env={"KBCHECK_TODAY": "2026-06-01", "PATH": "/usr/bin:/bin"},
        )
        assert completed.returncode == 1, completed.stderr
        return completed.stdout

    text = run()
    assert run() == text
    [case] = check_shape(text).iter("testcase")
    assert case.get("file") == "docs/help/billing/refunds.md"
    assert (repo.path / case.get("file", "")).is_file()
