"""Per-owner and per-folder roll-ups of a report: the tables of the Markdown and HTML digests,
and the sections of `--group-by owner|folder`.

A support lead asks "which team's pages are worst?" and "which section of the help center
rots fastest?"; an owner asks "what do I have to fix?". All are the same aggregation over a
different key, computed here once so every format shows the same numbers. An owner written two
ways (`Ana@Example.com`, `ana@example.com`, or a name and an e-mail the configuration ties
together) is one group: `Report.owner_names` says which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kbcheck.freshness import is_stale
from kbcheck.model import Severity
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


def owners_of(entry: ArticleEntry, names: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The groups an article counts in: each owner under its report name (see
    `Report.owner_names`), or "(no owner)"."""
    if not entry.owners:
        return (NO_OWNER,)
    names = names or {}
    return tuple(dict.fromkeys(names.get(owner, owner) for owner in entry.owners))


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
    return _rows(report, lambda entry: owners_of(entry, report.owner_names))


def by_folder(report: Report) -> list[GroupRow]:
    """One row per top-level folder, worst first."""
    return _rows(report, folder_of)


#: What `--group-by` accepts.
GROUP_BY = ("owner", "folder")


@dataclass(frozen=True)
class GroupSection:
    """One owner's or one folder's section of `--group-by`: how many articles, how many past
    due or never reviewed, the findings by severity, the oldest review, and the flagged
    articles to fix, worst first."""

    name: str
    articles: int
    stale: int
    never_reviewed: int
    errors: int
    warnings: int
    infos: int
    oldest_review: date | None
    oldest_path: str | None
    risk: float
    to_fix: tuple[ArticleEntry, ...]


def group_sections(report: Report, by: str) -> list[GroupSection]:
    """The sections of `--group-by owner` or `--group-by folder`, worst (riskiest) first; an
    article with two owners is in both owners' sections."""
    if by not in GROUP_BY:
        raise ValueError(f"cannot group by {by!r} (expected one of: {', '.join(GROUP_BY)})")
    keys: Callable[[ArticleEntry], Iterable[str]] = (
        (lambda entry: owners_of(entry, report.owner_names)) if by == "owner" else folder_of
    )
    members: dict[str, list[ArticleEntry]] = {}
    for entry in report.worst_first():
        for key in dict.fromkeys(keys(entry)):
            members.setdefault(key, []).append(entry)
    findings = report.findings_by_path()
    result = []
    for name, entries in members.items():
        severities = [f.severity for entry in entries for f in findings.get(entry.path, [])]
        reviewed = [entry for entry in entries if entry.last_reviewed is not None]
        oldest = min(reviewed, key=lambda entry: (entry.last_reviewed, entry.path), default=None)
        result.append(
            GroupSection(
                name=name,
                articles=len(entries),
                stale=sum(1 for entry in entries if is_stale(entry, report.today)),
                never_reviewed=len(entries) - len(reviewed),
                errors=severities.count(Severity.ERROR),
                warnings=severities.count(Severity.WARNING),
                infos=severities.count(Severity.INFO),
                oldest_review=oldest.last_reviewed if oldest else None,
                oldest_path=oldest.path if oldest else None,
                risk=round(sum(entry.risk for entry in entries), 2),
                to_fix=tuple(entry for entry in entries if entry.path in findings),
            )
        )
    result.sort(key=lambda group: (-group.risk, -len(group.to_fix), group.name))
    return result
