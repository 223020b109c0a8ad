"""Risk ranking: the documented formula, traffic weighting from a CSV, and `--top`."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kbcheck.cli import app
from kbcheck.model import Finding, Interval, Severity
from kbcheck.review import Review
from kbcheck.risk import article_risk, rule_weight, staleness, traffic_weight
from tests.conftest import run_kb, write_tree

runner = CliRunner()
TODAY = date(2026, 6, 1)


def finding(rule: str, severity: Severity) -> Finding:
    return Finding(rule, severity, "a.md", 1, None, "x")


def review(last: date | None, days: int = 90, state: str = "fresh") -> Review:
    due = date.fromordinal(last.toordinal() + days) if last else None
    return Review(
        last, "frontmatter" if last else "none", Interval(days, "d"), "default", due, state
    )


def test_formula() -> None:
    fresh = review(date(2026, 5, 1))
    assert article_risk([], fresh, TODAY) == 0.0
    assert article_risk([finding("links/broken-file", Severity.ERROR)], fresh, TODAY) == 3.0
    assert article_risk([finding("owner/missing", Severity.WARNING)], fresh, TODAY) == 1.0
    assert article_risk([finding("links/external-redirect", Severity.INFO)], fresh, TODAY) == 0.25
    # Rule weights: an expired page and a contradicted fact mislead most directly.
    assert rule_weight("age/expired") == 2.0
    assert rule_weight("contradiction/fact-mismatch") == 2.0
    assert rule_weight("contradiction/near-duplicate") == 1.5
    assert rule_weight("owner/missing") == 1.0
    assert article_risk([finding("age/expired", Severity.ERROR)], fresh, TODAY) == 6.0


def test_staleness_grows_with_time_past_due_and_is_capped() -> None:
    # Reviewed 2026-01-01 every 90 days: due 2026-04-01, 61 days past due on 2026-06-01.
    overdue = review(date(2026, 1, 1), state="stale")
    assert staleness(overdue, TODAY) == pytest.approx(1 + 0.5 * 61 / 90)
    assert staleness(review(date(2020, 1, 1), state="overdue"), TODAY) == 2.0
    assert staleness(review(date(2026, 5, 1)), TODAY) == 1.0
    assert staleness(review(None, state="missing"), TODAY) == 1.5
    risk = article_risk([finding("age/stale", Severity.WARNING)], overdue, TODAY)
    assert risk == round(1 + 0.5 * 61 / 90, 2)


def test_traffic_weight() -> None:
    assert traffic_weight(None) == 1.0 and traffic_weight(0) == 1.0
    assert traffic_weight(999) == pytest.approx(4.0)
    fresh = review(date(2026, 5, 1))
    busy = article_risk([finding("owner/missing", Severity.WARNING)], fresh, TODAY, views=9)
    assert busy == 2.0


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    head = "---\ntitle: {t}\nowner: team\nlast_reviewed: 2026-05-01\n---\n# {t}\n"
    return write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": 'today = "2026-06-01"\nsite_url = "https://help.example.com/docs"\n',
            "quiet.md": head.format(t="Quiet") + "[x](gone.md)\n",  # error: 3
            "busy.md": head.format(t="Busy").replace("owner: team\n", ""),  # warning: 1
            "billing/index.md": head.format(t="Billing").replace("owner: team\n", ""),
            "billing/refunds.md": head.format(t="Refunds").replace("owner: team\n", ""),
        },
    )


def ranking(kb: Path, *extra: str) -> list[tuple[str, float]]:
    result = runner.invoke(app, ["check", str(kb), "-f", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    risky = [(a["path"], a["risk"]) for a in data["articles"] if a["risk"]]
    return sorted(risky, key=lambda item: (-item[1], item[0]))


def test_traffic_reorders_the_worst_first(kb: Path, tmp_path: Path) -> None:
    assert ranking(kb)[0] == ("quiet.md", 3.0)
    traffic = tmp_path / "traffic.csv"
    traffic.write_text(
        "url,views,bounce\n"
        "https://help.example.com/docs/busy,99999,0.3\n"  # extension-less URL
        '/billing/,"1,000",0.1\n'  # a folder: its index page; thousands separator
        "billing/refunds.md,10,0.2\n"
        "https://help.example.com/docs/billing/refunds.html,10,0.2\n"  # the same page again
        "/pricing,500,0.5\n",  # not an article: counted in a notice
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", str(kb), "-f", "json", "--traffic", str(traffic)])
    data = json.loads(result.stdout)
    risk = {a["path"]: a["risk"] for a in data["articles"]}
    assert risk["busy.md"] == round(1 + math.log10(100000), 2)
    assert risk["billing/index.md"] == round(1 + math.log10(1001), 2)
    assert risk["billing/refunds.md"] == round(1 + math.log10(21), 2)
    assert risk["quiet.md"] == 3.0  # not in the file: weight 1
    assert "1 row names no article (first on line 6: '/pricing')" in result.stderr
    pretty = runner.invoke(
        app, ["check", str(kb), "--traffic", str(traffic)], env={"COLUMNS": "120"}
    ).stdout
    assert pretty.index("busy.md") < pretty.index("billing/index.md") < pretty.index("quiet.md")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", ":1: expected a header row"),
        ("page_title,count\nx,1\n", ":1: the header needs a 'path' (or 'url') column"),
        ("path,views\nbusy.md,lots\n", ":2: views 'lots' is not a whole number"),
        ("path,views\nbusy.md,1\nquiet.md\n", ":3: expected at least 2 columns, found 1"),
        ("path,views\nbusy.md,-4\n", ":2: views '-4' is not a whole number"),
        ("path,views\n,4\n", ":2: empty page path"),
    ],
)
def test_bad_traffic_file_is_a_one_line_error(
    kb: Path, tmp_path: Path, content: str, problem: str
) -> None:
    traffic = tmp_path / "traffic.csv"
    traffic.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["check", str(kb), "--traffic", str(traffic)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"kbcheck: error: {traffic}{problem}")


def test_urls_need_site_url(tmp_path: Path) -> None:
    kb = write_tree(tmp_path / "kb", {"a.md": "# A\n"})
    traffic = tmp_path / "t.csv"
    traffic.write_text("url;views\nhttps://help.example.com/a;5\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(kb), "--traffic", str(traffic)])
    assert result.exit_code == 2
    assert f"{traffic}:2: 'https://help.example.com/a' is a URL, but no site_url" in result.stderr


def test_top_lists_only_the_riskiest(kb: Path) -> None:
    result = runner.invoke(app, ["check", str(kb), "--top", "1"], env={"COLUMNS": "120"})
    assert "quiet.md" in result.stdout and "busy.md" not in result.stdout
    assert "4 findings in 4 articles (showing the 1 riskiest: --top N to choose, " in result.stdout
    assert runner.invoke(app, ["check", str(kb), "--top", "0"]).exit_code == 2


def test_engine_risk_matches_the_formula_on_a_stale_article(tmp_path: Path) -> None:
    kb = write_tree(
        tmp_path / "kb",
        {"a.md": "---\ntitle: A\nowner: t\nlast_reviewed: 2025-10-01\n---\n# A\n"},
    )
    # Default interval 180 days: due 2026-03-30, 63 days past due on 2026-06-01.
    entry = run_kb(kb).report.articles[0]
    assert entry.risk == round(1.0 * (1 + 0.5 * 63 / 180), 2)
