"""`--format sarif`: SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps).

Every rule that ran is described in `tool.driver.rules` from its own docstring. Files are
named relative to the repository's top (`%SRCROOT%`) when the knowledge base is in a git work
tree, which is what code scanning needs to put alerts on the diff, else relative to the
knowledge-base root (`KBROOT`). Each result carries a line-independent fingerprint (the
baseline's), numbered when a file has several identical findings, so an alert survives edits
above it. Output is deterministic: no timestamps, no absolute paths.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kbcheck.baseline import fingerprint
from kbcheck.formats.json_report import dumps
from kbcheck.model import Finding, Location, Severity
from kbcheck.report import Report, RuleInfo

if TYPE_CHECKING:
    from kbcheck.formats import RenderOptions

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
REPOSITORY_BASE = "%SRCROOT%"
ROOT_BASE = "KBROOT"
FINGERPRINT_KEY = "kbcheckFingerprint/v1"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _artifact(report: Report, path: str) -> dict[str, Any]:
    if report.root_in_repo is not None:
        return {"uri": quote(report.repository_path(path)), "uriBaseId": REPOSITORY_BASE}
    return {"uri": quote(path), "uriBaseId": ROOT_BASE}


def _physical(report: Report, path: str, line: int | None, column: int | None) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": _artifact(report, path)}
    if line is not None:
        region: dict[str, int] = {"startLine": max(line, 1)}
        if column is not None:
            region["startColumn"] = max(column, 1)
        location["region"] = region
    return location


def unwrap(text: str) -> str:
    """Docstring prose re-flowed: lines of a paragraph joined, so viewers wrap it themselves.
    Paragraphs with indented, list or code lines keep their line breaks."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        keep = any(line[:1] in (" ", "-", "*", "`", "|") for line in lines[1:])
        paragraphs.append(paragraph if keep else " ".join(line.strip() for line in lines))
    return "\n\n".join(paragraphs)


def _rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    why, fix_text = unwrap(rule.why), unwrap(rule.fix)
    fix = f"Fix: {fix_text}" if fix_text else ""
    help_text = "\n\n".join(part for part in (why, fix) if part)
    help_markdown = "\n\n".join(
        part
        for part in (
            f"**Why it matters.** {why}" if why else "",
            f"**Fix.** {fix_text}" if fix_text else "",
            f"`kbcheck explain {rule.id}` prints an example.",
        )
        if part
    )
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.id},
        "fullDescription": {"text": why or rule.summary or rule.id},
        "help": {"text": help_text or rule.summary or rule.id, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [rule.id.split("/", 1)[0]]},
    }
    return descriptor


def _related(report: Report, related: tuple[Location, ...]) -> list[dict[str, Any]]:
    return [
        {
            "id": index,
            "physicalLocation": _physical(report, location.path, location.line, None),
            "message": {"text": location.path},
        }
        for index, location in enumerate(related)
    ]


def _result(
    report: Report, finding: Finding, rule_index: dict[str, int], occurrence: int
) -> dict[str, Any]:
    text = finding.message if not finding.hint else f"{finding.message}\n{finding.hint}"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [
            {"physicalLocation": _physical(report, finding.path, finding.line or 1, finding.column)}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: f"{fingerprint(finding)}:{occurrence}"},
    }
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    if finding.related:
        result["relatedLocations"] = _related(report, finding.related)
    return result


def as_data(report: Report, version: str) -> dict[str, Any]:
    rules = sorted(report.rules, key=lambda rule: rule.id)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    seen: Counter[str] = Counter()
    results = []
    for finding in report.findings:
        key = fingerprint(finding)
        seen[key] += 1
        results.append(_result(report, finding, rule_index, seen[key]))
    if report.root_in_repo is not None:
        base = {
            REPOSITORY_BASE: {"description": {"text": "the top of the git work tree"}},
        }
    else:
        base = {ROOT_BASE: {"description": {"text": f"the knowledge-base root ({report.root})"}}}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "kbcheck",
                "version": version or "0",
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": base,
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"message": {"text": notice}, "level": "warning"} for notice in report.notices
                ],
            }
        ],
        "results": results,
        "properties": {
            "today": report.today.isoformat(),
            "articles": len(report.articles),
            "freshPercent": report.fresh_percent,
            "suppressed": report.suppressed,
            "baselined": report.baselined,
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(report: Report, options: RenderOptions) -> str:
    return dumps(as_data(report, options.version)) + "\n"
