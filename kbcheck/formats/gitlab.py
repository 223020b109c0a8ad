"""`--format gitlab`: a GitLab Code Quality report (`artifacts: reports: codequality:`).

A JSON array with one object per finding holding exactly the fields GitLab documents for
the report: `description`, `check_name` (the rule id), `fingerprint`, `severity` (one of
info, minor, major, critical, blocker) and `location` (`path`, `lines.begin`).

Paths are relative to the repository's top when the knowledge base is in a git work tree,
as GitLab needs to place findings on the merge request's diff, else to the working
directory. GitLab compares a merge request's report with its target branch's by
fingerprint, so the fingerprint is the baseline's (rule, file and message, never the line:
a finding stays the same finding when lines move) with the count of identical findings in
that file before it, so that two identical findings are two issues, not one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import TYPE_CHECKING, Any

from kbcheck.baseline import fingerprint
from kbcheck.formats.json_report import dumps
from kbcheck.model import Finding, Severity
from kbcheck.report import Report

if TYPE_CHECKING:
    from kbcheck.formats import RenderOptions

#: kbcheck's three severities on GitLab's five. An error (a broken link, an article long
#: past review) makes the answer wrong and is `major`, as linters reporting to GitLab map
#: their errors; `critical` and `blocker` are left for security and crash findings.
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def issue(report: Report, finding: Finding, occurrence: int, hint: str | None) -> dict[str, Any]:
    description = finding.message if not hint else f"{finding.message} ({hint})"
    key = f"{fingerprint(finding)}:{occurrence}"
    return {
        "description": description,
        "check_name": finding.rule,
        "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest()[:32],
        "severity": SEVERITY[finding.severity],
        "location": {
            "path": report.repository_path(finding.path),
            "lines": {"begin": finding.line or 1},
        },
    }


def as_data(report: Report, options: RenderOptions) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    issues = []
    for finding in report.findings:
        key = fingerprint(finding)
        seen[key] += 1
        issues.append(issue(report, finding, seen[key], report.shown_hint(finding)))
    return issues


def render(report: Report, options: RenderOptions) -> str:
    return dumps(as_data(report, options)) + "\n"
