"""The result of a run: what every formatter renders and nothing else computes again."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from kbcheck.model import Finding, Severity

#: How much one finding of each severity adds to an article's risk (see README, "Risk").
SEVERITY_WEIGHT = {Severity.ERROR: 3.0, Severity.WARNING: 1.0, Severity.INFO: 0.25}


@dataclass(frozen=True)
class ArticleEntry:
    path: str
    title: str
    owners: tuple[str, ...]
    last_reviewed: date | None
    review_source: str
    review_state: str
    due: date | None
    risk: float


@dataclass(frozen=True)
class Report:
    root: str
    today: date
    articles: tuple[ArticleEntry, ...]
    findings: tuple[Finding, ...]
    suppressed: int = 0
    notices: tuple[str, ...] = ()

    @property
    def by_severity(self) -> dict[str, int]:
        counts = Counter(finding.severity for finding in self.findings)
        return {severity.value: counts.get(severity, 0) for severity in reversed(Severity)}

    @property
    def fresh_percent(self) -> float:
        if not self.articles:
            return 100.0
        fresh = sum(1 for entry in self.articles if entry.review_state == "fresh")
        return round(100.0 * fresh / len(self.articles), 1)

    def findings_by_path(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.path, []).append(finding)
        return grouped

    def worst_first(self) -> list[ArticleEntry]:
        return sorted(self.articles, key=lambda entry: (-entry.risk, entry.path))

    def worst_severity(self) -> Severity | None:
        return max((finding.severity for finding in self.findings), default=None)


def risk_of(findings: list[Finding]) -> float:
    return round(sum(SEVERITY_WEIGHT[finding.severity] for finding in findings), 2)
