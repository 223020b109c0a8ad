"""Baselines: `--write-baseline` records today's findings, `--baseline` hides exactly those,
by a fingerprint that ignores line numbers, counting duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kbcheck.baseline import fingerprint, normalized_message
from kbcheck.cli import app
from kbcheck.model import Finding, Severity
from tests.conftest import write_tree

runner = CliRunner()
HEAD = "---\ntitle: {title}\nowner: support-team\nlast_reviewed: 2026-05-01\n---\n"


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": 'today = "2026-06-01"\n',
            "guide.md": HEAD.format(title="Guide") + "# Guide\n\nSee [setup](setup.md).\n",
            "twice.md": HEAD.format(title="Twice") + "[a](gone.md)\n\n[b](gone.md)\n",
            "old.md": HEAD.format(title="Old").replace("2026-05-01", "2025-10-01") + "# Old\n",
        },
    )


def findings_json(kb: Path, *extra: str) -> list[tuple[str, int, str]]:
    code, out, _ = invoke("check", str(kb), "-f", "json", *extra)
    assert code in (0, 1), out
    return [(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]]


def test_write_baseline_then_everything_is_hidden(kb: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, _, err = invoke("check", str(kb), "--write-baseline", str(baseline))
    assert code == 0  # recording a baseline accepts what it records
    assert f"wrote 4 findings to baseline {baseline}" in err
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["kbcheck_baseline"] == 1
    assert [(e["path"], e["rule"], e["count"]) for e in data["findings"]] == [
        ("guide.md", "links/broken-file", 1),
        ("old.md", "age/stale", 1),
        ("twice.md", "links/broken-file", 2),
    ]
    code, out, _ = invoke("check", str(kb), "--baseline", str(baseline))
    assert code == 0
    assert "(4 hidden by baseline)" in out
    assert "✔ no findings" in out


def test_baseline_file_is_stable(kb: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    invoke("check", str(kb), "--write-baseline", str(first))
    # Lines move and the date advances: the baseline does not change.
    guide = kb / "guide.md"
    guide.write_text(guide.read_text().replace("# Guide\n", "# Guide\n\nIntro.\n\n"))
    invoke("check", str(kb), "--today", "2026-06-20", "--write-baseline", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_finding_stays_hidden_after_lines_are_inserted_above_it(kb: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    invoke("check", str(kb), "--write-baseline", str(baseline))
    guide = kb / "guide.md"
    before = findings_json(kb)
    guide.write_text(
        guide.read_text().replace("# Guide\n", "# Guide\n\nA new intro.\n\nAnd a second one.\n\n")
    )
    after = findings_json(kb)
    moved = [f for f in after if f[0] == "guide.md"]
    assert moved == [("guide.md", 13, "links/broken-file")]
    assert [f for f in before if f[0] == "guide.md"] == [("guide.md", 8, "links/broken-file")]
    assert findings_json(kb, "--baseline", str(baseline)) == []
    # ... and days passing ("249 days ago" becomes "268 days ago") change nothing either.
    assert findings_json(kb, "--baseline", str(baseline), "--today", "2026-06-20") == []


def test_new_finding_is_still_shown(kb: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    invoke("check", str(kb), "--write-baseline", str(baseline))
    guide = kb / "guide.md"
    guide.write_text(guide.read_text() + "\nAlso [billing](billing.md).\n")
    (kb / "new.md").write_text("---\ntitle: New\nlast_reviewed: 2026-05-01\n---\n# New\n")
    code, out, _ = invoke("check", str(kb), "--baseline", str(baseline), "-f", "json")
    assert code == 1
    shown = [(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]]
    assert shown == [("guide.md", 10, "links/broken-file"), ("new.md", 1, "owner/missing")]
    code, out, _ = invoke("check", str(kb), "--baseline", str(baseline))
    assert "(4 hidden by baseline)" in out


def test_duplicates_are_counted(kb: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    twice = kb / "twice.md"
    original = twice.read_text()
    twice.write_text(original.replace("\n\n[b](gone.md)\n", "\n"))  # only one broken link
    invoke("check", str(kb), "--write-baseline", str(baseline))
    twice.write_text(original)  # the same broken link comes back a second time
    shown = findings_json(kb, "--baseline", str(baseline))
    assert shown == [("twice.md", 8, "links/broken-file")]


def test_fingerprint_keeps_quoted_content_and_drops_numbers() -> None:
    def finding(message: str, line: int) -> Finding:
        return Finding("links/broken-file", Severity.ERROR, "a.md", line, 3, message)

    assert normalized_message("last reviewed 2026-03-18 (249 days ago)") == (
        "last reviewed #-#-# (# days ago)"
    )
    assert fingerprint(finding("link to 'v2/api.md'", 3)) == fingerprint(
        finding("link to 'v2/api.md'", 40)
    )
    assert fingerprint(finding("link to 'v2/api.md'", 3)) != fingerprint(
        finding("link to 'v3/api.md'", 3)
    )
    # An apostrophe inside a word does not open a quote.
    assert normalized_message("doesn't exist after 3 tries, isn't it") == (
        "doesn't exist after # tries, isn't it"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "invalid JSON"),
        ('{"findings": []}', "no 'kbcheck_baseline' version"),
        ('{"kbcheck_baseline": 99, "findings": []}', "version 99 is not supported"),
        ('{"kbcheck_baseline": 1, "findings": [{"count": 1}]}', "findings[0] needs"),
    ],
)
def test_bad_baseline_is_a_one_line_error(
    kb: Path, tmp_path: Path, content: str, problem: str
) -> None:
    baseline = tmp_path / "bad.json"
    baseline.write_text(content, encoding="utf-8")
    code, _, err = invoke("check", str(kb), "--baseline", str(baseline))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"kbcheck: error: {baseline}: ")
    assert problem in err


def test_missing_baseline_file(kb: Path, tmp_path: Path) -> None:
    code, _, err = invoke("check", str(kb), "--baseline", str(tmp_path / "nope.json"))
    assert code == 2 and "baseline file not found" in err
