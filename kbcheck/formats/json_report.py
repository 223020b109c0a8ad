"""`--format json`, schema version 1 (see SPEC): stable key order, byte-identical reruns."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import orjson

from kbcheck.model import Finding
from kbcheck.report import Report

if TYPE_CHECKING:
    from kbcheck.formats import RenderOptions

SCHEMA_VERSION = 1


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "hint": finding.hint,
        "related": [{"path": loc.path, "line": loc.line} for loc in finding.related],
    }


def as_data(report: Report, version: str) -> dict[str, Any]:
    data = {
        "schema": SCHEMA_VERSION,
        "tool": {"name": "kbcheck", "version": version},
        "root": report.root,
        "today": report.today.isoformat(),
        "summary": {
            "articles": len(report.articles),
            "findings": len(report.findings),
            "by_severity": report.by_severity,
            "fresh_percent": report.fresh_percent,
        },
        "articles": [
            {
                "path": entry.path,
                "title": entry.title,
                "owners": list(entry.owners),
                "owner_source": entry.owner_source,
                "owner_key": entry.owner_key,
                "last_reviewed": entry.last_reviewed.isoformat() if entry.last_reviewed else None,
                "review_source": entry.review_source,
                "review_key": entry.review_key,
                "risk": entry.risk,
            }
            for entry in report.articles
        ],
        "findings": [_finding(finding) for finding in report.findings],
    }
    # only with --show-suppressed, so that an ordinary report keeps schema 1's keys
    if report.suppressed_findings:
        data["suppressed_findings"] = [_finding(f) for f in report.suppressed_findings]
    if report.unused_suppressions:
        data["unused_suppressions"] = [_finding(f) for f in report.unused_suppressions]
    return data


def dumps(data: Any) -> str:
    """Indented JSON, exactly as `json.dumps(indent=2, ensure_ascii=False)` writes it, by
    orjson when it can: the standard library's indenting encoder is pure Python and took
    seconds on a report with tens of thousands of findings. orjson refuses what the standard
    library would write (a lone surrogate, a huge integer); those take the slow path."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
    except (TypeError, ValueError):
        return json.dumps(data, indent=2, ensure_ascii=False)


def render(report: Report, options: RenderOptions) -> str:
    return dumps(as_data(report, options.version)) + "\n"
