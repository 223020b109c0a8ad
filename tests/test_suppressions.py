"""Suppressions can be listed (`--show-suppressed`), a misspelt rule id in one is a warning
naming the file and line, and a suppression that hides nothing is shown, as ruff's RUF100."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kbcheck.cli import app
from tests.conftest import FIXTURE_TODAY, run_kb, write_tree

TODAY = FIXTURE_TODAY.isoformat()

PAGE = "---\ntitle: {title}\nowner: ops\nlast_reviewed: 2026-05-01\n{extra}---\n# {title}\n\n{body}"


def _kb(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "kb",
        {
            # a working suppression: the broken link below it is hidden
            "a.md": PAGE.format(
                title="A",
                extra="",
                body="<!-- kbcheck-disable-next-line links/broken-file -->\n[gone](gone.md)\n",
            ),
            # a suppression that hides nothing: the link works
            "b.md": PAGE.format(
                title="B",
                extra="",
                body="<!-- kbcheck-disable-next-line links/broken-file -->\n[a](a.md)\n",
            ),
            # a misspelt id: it suppresses nothing, and the broken link is reported
            "c.md": PAGE.format(
                title="C",
                extra="",
                body="<!-- kbcheck-disable-next-line links/brokn-file -->\n[gone](gone.md)\n",
            ),
            # a front-matter ignore that hides nothing
            "d.md": PAGE.format(title="D", extra="kbcheck: {ignore: [age/stale]}\n", body="Ok.\n"),
        },
    )


def test_show_suppressed_lists_what_is_hidden_and_what_hides_nothing(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    result = run_kb(root, select=("links", "age"), show_suppressed=True)
    report = result.report
    assert [(f.path, f.rule) for f in report.findings] == [("c.md", "links/broken-file")]
    assert [(f.path, f.line, f.rule) for f in report.suppressed_findings] == [
        ("a.md", 9, "links/broken-file")
    ]
    # (c.md's misspelt id is a warning of its own, below: not listed twice)
    unused = {(f.path, f.line, f.message) for f in report.unused_suppressions}
    assert unused == {
        ("b.md", 8, "the kbcheck-disable comment for links/broken-file suppresses nothing"),
        ("d.md", 5, "the front matter ignore for age/stale suppresses nothing"),
    }
    assert report.suppressed == 1  # counted as before


def test_without_the_flag_nothing_is_listed_and_unselected_rules_are_not_judged(
    tmp_path: Path,
) -> None:
    root = _kb(tmp_path)
    assert run_kb(root, select=("links",)).report.suppressed_findings == ()
    # age rules did not run: d.md's ignore of age/stale cannot be called unused
    report = run_kb(root, select=("links",), show_suppressed=True).report
    assert "d.md" not in {finding.path for finding in report.unused_suppressions}


def test_a_misspelt_rule_id_is_one_warning_with_the_closest_rule(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    notices = run_kb(root, select=("links",)).report.notices
    assert (
        "c.md:8: a suppression names 'links/brokn-file', which is no rule (did you mean "
        "'links/broken-file'?); it suppresses nothing"
    ) in notices


def test_the_formats_show_suppressions(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    runner = CliRunner()
    base = ["check", str(root), "--select", "links,age", "--no-cache", "--today", TODAY]
    base.append("--show-suppressed")
    concise = runner.invoke(app, [*base, "--format", "concise"]).stdout
    assert "/a.md:9:1: links/broken-file [suppressed] link to 'gone.md'" in concise
    assert "/b.md:8:1: kbcheck/unused-suppression [info] the kbcheck-disable comment" in concise
    data = json.loads(runner.invoke(app, [*base, "--format", "json"]).stdout)
    assert [f["path"] for f in data["suppressed_findings"]] == ["a.md"]
    assert len(data["unused_suppressions"]) == 2
    plain = json.loads(runner.invoke(app, [*base[:-1], "--format", "json"]).stdout)
    assert "suppressed_findings" not in plain and "unused_suppressions" not in plain
    pretty = runner.invoke(app, base, env={"COLUMNS": "100"}).stdout
    assert "suppressed findings (1)" in pretty
    assert "suppressions that hide nothing (2)" in pretty
