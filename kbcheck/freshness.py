"""How fresh the knowledge base is at a glance: the numbers behind the report's freshness
section (an age histogram and a per-folder table), computed from a `Report` alone so every
formatter (terminal, HTML, Markdown) draws the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kbcheck.dates import add_interval
from kbcheck.model import Interval
from kbcheck.report import ArticleEntry, Report

#: Upper bounds of the age buckets, youngest first; older than the last is "> 2y".
_BUCKET_LIMITS = (
    ("< 3m", Interval(3, "m")),
    ("3-6m", Interval(6, "m")),
    ("6-12m", Interval(12, "m")),
    ("1-2y", Interval(2, "y")),
)
OLDEST_BUCKET = "> 2y"
NEVER_BUCKET = "never"
BUCKET_LABELS = (*(label for label, _ in _BUCKET_LIMITS), OLDEST_BUCKET, NEVER_BUCKET)
#: How the articles at the top of the knowledge base are named in the folder table.
TOP_LEVEL = "(top level)"


@dataclass(frozen=True)
class AgeBucket:
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class FolderFreshness:
    """One top-level folder: how many articles, how many fresh, past due (stale) and without
    any review date, and its oldest review date."""

    folder: str
    articles: int
    fresh: int
    stale: int
    never: int
    oldest: date | None

    @property
    def fresh_percent(self) -> float:
        return round(100.0 * self.fresh / self.articles, 1) if self.articles else 100.0


@dataclass(frozen=True)
class Freshness:
    fresh_percent: float
    buckets: tuple[AgeBucket, ...]
    folders: tuple[FolderFreshness, ...]


def age_bucket(reviewed: date | None, today: date) -> str:
    """The histogram bucket of a review date; months are calendar months, and a date in the
    future counts as recent."""
    if reviewed is None:
        return NEVER_BUCKET
    for label, limit in _BUCKET_LIMITS:
        if today < add_interval(reviewed, limit):
            return label
    return OLDEST_BUCKET


def is_stale(entry: ArticleEntry, today: date) -> bool:
    """Past its due date (stale or overdue), whatever else is wrong with it."""
    return entry.due is not None and entry.due < today


def folder_of(path: str) -> str:
    return path.split("/", 1)[0] if "/" in path else TOP_LEVEL


def freshness(report: Report) -> Freshness:
    entries = report.articles
    counts = dict.fromkeys(BUCKET_LABELS, 0)
    for entry in entries:
        counts[age_bucket(entry.last_reviewed, report.today)] += 1
    total = len(entries)
    buckets = tuple(
        AgeBucket(label, count, round(100.0 * count / total, 1) if total else 0.0)
        for label, count in counts.items()
    )
    return Freshness(report.fresh_percent, buckets, _folders(entries, report.today))


def _folders(entries: Iterable[ArticleEntry], today: date) -> tuple[FolderFreshness, ...]:
    grouped: dict[str, list[ArticleEntry]] = {}
    for entry in entries:
        grouped.setdefault(folder_of(entry.path), []).append(entry)
    rows = []
    for folder, members in grouped.items():
        dates = [entry.last_reviewed for entry in members if entry.last_reviewed is not None]
        rows.append(
            FolderFreshness(
                folder=folder,
                articles=len(members),
                fresh=sum(1 for entry in members if entry.review_state == "fresh"),
                stale=sum(1 for entry in members if is_stale(entry, today)),
                never=sum(1 for entry in members if entry.last_reviewed is None),
                oldest=min(dates, default=None),
            )
        )
    rows.sort(key=lambda row: (row.folder != TOP_LEVEL, row.folder))
    return tuple(rows)
