"""The freshness figures (histogram, per-folder table) and how the pretty report draws them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kbcheck.formats import RenderOptions, render
from kbcheck.freshness import TOP_LEVEL, age_bucket, freshness
from kbcheck.report import ArticleEntry, Report
from tests.conftest import run_kb, write_tree

TODAY = date(2026, 6, 1)


def entry(path: str, reviewed: date | None, state: str, due: date | None = None) -> ArticleEntry:
    return ArticleEntry(path, path, (), reviewed, "frontmatter", state, due, 0.0)


@pytest.mark.parametrize(
    ("reviewed", "bucket"),
    [
        (date(2026, 3, 2), "< 3m"),
        (date(2026, 3, 1), "3-6m"),  # exactly three calendar months ago
        (date(2025, 12, 2), "3-6m"),
        (date(2025, 12, 1), "6-12m"),
        (date(2025, 6, 2), "6-12m"),
        (date(2025, 6, 1), "1-2y"),
        (date(2024, 6, 1), "> 2y"),
        (date(2027, 1, 1), "< 3m"),  # a future date counts as recent; age/future-date flags it
        (None, "never"),
    ],
)
def test_age_buckets_use_calendar_months(reviewed: date | None, bucket: str) -> None:
    assert age_bucket(reviewed, TODAY) == bucket


def test_figures_from_a_report() -> None:
    report = Report(
        root="kb",
        today=TODAY,
        articles=(
            entry("index.md", date(2026, 5, 1), "fresh", date(2026, 10, 28)),
            entry("billing/a.md", date(2026, 5, 1), "fresh", date(2026, 7, 30)),
            entry("billing/b.md", date(2025, 1, 1), "overdue", date(2025, 4, 1)),
            entry("billing/c.md", None, "missing"),
            entry("security/d.md", date(2025, 9, 1), "expired", date(2025, 12, 1)),
        ),
        findings=(),
    )

    data = freshness(report)

    assert data.fresh_percent == 40.0
    assert {bucket.label: bucket.count for bucket in data.buckets} == {
        "< 3m": 2,
        "3-6m": 0,
        "6-12m": 1,
        "1-2y": 1,
        "> 2y": 0,
        "never": 1,
    }
    assert [b.percent for b in data.buckets] == [40.0, 0.0, 20.0, 20.0, 0.0, 20.0]
    rows = {row.folder: row for row in data.folders}
    assert [row.folder for row in data.folders] == [TOP_LEVEL, "billing", "security"]
    billing = rows["billing"]
    assert (billing.articles, billing.fresh, billing.stale, billing.never) == (3, 1, 1, 1)
    assert billing.oldest == date(2025, 1, 1)
    assert round(billing.fresh_percent) == 33
    # Expired and past due: it counts as stale too.
    assert rows["security"].stale == 1


@pytest.fixture
def report_of_many_folders(tmp_path: Path) -> Report:
    files: dict[str, str | bytes] = {}
    for index in range(20):
        reviewed = date(2022 + index % 5, 1 + index % 12, 1 + index % 27)
        files[f"folder-with-a-fairly-long-name-{index:02}/article-{index}.md"] = (
            f"---\ntitle: Article {index}\nowner: team\nlast_reviewed: {reviewed}\n---\n# A\n"
        )
    files["no-date.md"] = "---\ntitle: Undated\nowner: team\n---\n"
    write_tree(tmp_path / "kb", files)
    return run_kb(tmp_path / "kb").report


@pytest.mark.parametrize("width", [80, 160])
def test_pretty_report_shows_freshness_within_the_width(
    report_of_many_folders: Report, width: int
) -> None:
    text = render(report_of_many_folders, "pretty", RenderOptions(width=width))

    lines = text.splitlines()
    # a `kbcheck verify` command is never cut, so that it pastes whole: it may run past the edge
    assert all(len(line) <= width or line.lstrip().startswith("kbcheck verify ") for line in lines)
    start = next(i for i, line in enumerate(lines) if line.startswith("Freshness"))
    section = "\n".join(lines[start:])
    for label in ("< 3m", "3-6m", "6-12m", "1-2y", "> 2y", "never"):
        assert label in section
    assert "folder" in section and "oldest review" in section
    assert "6 more folders not shown" in section  # 21 folders: only the 15 least fresh
    assert "█" in section


def test_quiet_report_has_no_freshness_section(report_of_many_folders: Report) -> None:
    text = render(report_of_many_folders, "pretty", RenderOptions(width=100, quiet=True))

    assert "Freshness" not in text
