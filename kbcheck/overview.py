"""Per-owner and per-folder roll-ups of a report, for the Markdown and HTML digests.

A support lead asks "which team's pages are worst?" and "which section of the help center
rots fastest?"; both are the same aggregation over a different key, computed here once so
every format shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kbcheck.report import ArticleEntry, Report

NO_OWNER = "(no owner)"
TOP_LEVEL = "(top level)"


@dataclass(frozen=True)
class GroupRow:
    name: str
    articles: int
    fresh: int
    flagged: int  # articles with at least one finding
    errors: int
    warnings: int
    infos: int
    risk: float

    @property
    def fresh_percent(self) -> float:
        return round(100.0 * self.fresh / self.articles, 1) if self.articles else 100.0

    @property
    def findings(self) -> int:
        return self.errors + self.warnings + self.infos


def owners_of(entry: ArticleEntry) -> tuple[str, ...]:
    return entry.owners or (NO_OWNER,)


def folder_of(entry: ArticleEntry) -> tuple[str, ...]:
    """The top-level folder: the section of the help center an article belongs to."""
    return (entry.path.split("/", 1)[0] if "/" in entry.path else TOP_LEVEL,)


def _rows(report: Report, keys: Callable[[ArticleEntry], Iterable[str]]) -> list[GroupRow]:
    grouped = report.findings_by_path()
    totals: dict[str, list[float]] = {}
    for entry in report.articles:
        findings = grouped.get(entry.path, [])
        severities = [finding.severity.value for finding in findings]
        for key in dict.fromkeys(keys(entry)):
            row = totals.setdefault(key, [0, 0, 0, 0, 0, 0, 0.0])
            row[0] += 1
            row[1] += entry.review_state == "fresh"
            row[2] += bool(findings)
            row[3] += severities.count("error")
            row[4] += severities.count("warning")
            row[5] += severities.count("info")
            row[6] += entry.risk
    rows = [
        GroupRow(name, int(a), int(f), int(fl), int(e), int(w), int(i), round(r, 2))
        for name, (a, f, fl, e, w, i, r) in totals.items()
    ]
    rows.sort(key=lambda row: (-row.risk, -row.findings, row.name))
    return rows


def by_owner(report: Report) -> list[GroupRow]:
    """One row per owner (an article with two owners counts for both), worst first."""
    return _rows(report, owners_of)


def by_folder(report: Report) -> list[GroupRow]:
    """One row per top-level folder, worst first."""
    return _rows(report, folder_of)
