"""The result of a run: what every formatter renders and nothing else computes again."""

from __future__ import annotations

import posixpath
import shlex
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from kbcheck.model import Finding, Severity

#: The command hints suggest with the article's path after it.
_VERIFY = "kbcheck verify "


@dataclass(frozen=True)
class ArticleEntry:
    path: str
    title: str
    owners: tuple[str, ...]
    last_reviewed: date | None
    review_source: str
    review_state: str
    due: date | None
    risk: float  # see kbcheck/risk.py
    views: int | None = None  # from --traffic, None without it
    #: Where `owners` came from: "frontmatter", "codeowners", "policy" or "none".
    owner_source: str = "none"
    #: The front-matter keys the review date and the owners were read from (`ms.date`,
    #: `author`), when they came from the front matter.
    review_key: str | None = None
    owner_key: str | None = None


@dataclass(frozen=True)
class RuleInfo:
    """A rule that ran, as the machine formats (SARIF) describe it: id, class name, its
    documentation and the severity in force after configuration."""

    id: str
    name: str
    summary: str
    why: str
    fix: str
    severity: Severity


@dataclass(frozen=True)
class Report:
    root: str
    today: date
    articles: tuple[ArticleEntry, ...]
    findings: tuple[Finding, ...]
    suppressed: int = 0
    notices: tuple[str, ...] = ()
    baselined: int = 0  # findings hidden because the --baseline file lists them
    rules: tuple[RuleInfo, ...] = ()  # every rule that ran, sorted by id
    changed_since: str | None = None  # the --changed-since ref, when given
    #: The root relative to its git work tree's top ("" at the top), None outside a
    #: repository: annotations and SARIF name files as the repository does.
    root_in_repo: str | None = None
    #: Owner as written → the name reports group it under (the same person or team written
    #: two ways is one group). Spellings missing here group as written.
    owner_names: Mapping[str, str] = field(default_factory=dict, hash=False)
    #: With `--show-suppressed`: the findings suppressions hid, and the suppressions that hid
    #: nothing (as info findings of `kbcheck/unused-suppression`); neither is counted.
    suppressed_findings: tuple[Finding, ...] = ()
    unused_suppressions: tuple[Finding, ...] = ()

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

    def site_file_findings(self) -> dict[str, list[Finding]]:
        """Findings on files that are not articles (a navigation file's entries), by path."""
        known = {entry.path for entry in self.articles}
        grouped = self.findings_by_path()
        return {path: grouped[path] for path in sorted(grouped) if path not in known}

    def worst_first(self) -> list[ArticleEntry]:
        return sorted(self.articles, key=lambda entry: (-entry.risk, entry.path))

    def worst_severity(self) -> Severity | None:
        return max((finding.severity for finding in self.findings), default=None)

    def shown(self, path: str) -> str:
        """`path` (relative to the root) as it opens from where kbcheck ran: the terminal,
        editor and Markdown reports print this, so a path can be pasted as printed."""
        if self.root in ("", "."):
            return path
        return posixpath.join(self.root, path)

    def verify_command(self, finding: Finding) -> str:
        """The `kbcheck verify` command for the finding's article, as hints print it."""
        return _VERIFY + shlex.quote(self.shown(finding.path))

    def shown_hint(self, finding: Finding) -> str | None:
        """The finding's hint with the command it suggests (`kbcheck verify PATH`) made to run
        from where kbcheck ran, the path quoted for the shell when it needs to be."""
        hint = finding.hint
        if not hint or _VERIFY not in hint:
            return hint
        return hint.replace(f"{_VERIFY}{finding.path}", self.verify_command(finding))

    def repository_path(self, path: str) -> str:
        """`path` (relative to the root) as the repository names it, else as the working
        directory does: what CI annotations and code scanning need to find the file."""
        base = self.root_in_repo if self.root_in_repo is not None else self.root
        if base in ("", "."):
            return path
        return f"{base.rstrip('/')}/{path}"
