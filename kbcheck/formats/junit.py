"""`--format junit`: JUnit XML, the test report Jenkins (`junit`), Azure DevOps
(`PublishTestResults`) and GitLab (`artifacts: reports: junit:`) all read.

One test case per article, not per rule: a test report is read as "what fails", and what a
reader fixes is an article. Per article, the CI's history tracks each page from build to
build (GitLab marks a page that newly fails, Jenkins shows how long one has failed), the
count of tests is the size of the knowledge base and the pass rate reads as its health;
per rule, a few dozen cases would each hold thousands of unrelated pages. An article
without findings is a passing case; one with findings has one `<failure>` (the common
schema allows one) whose `type` is the worst severity, whose `message` is the worst
finding, and whose text lists every finding, one `path:line:col: rule [severity] message`
line each. Files that are not articles (a navigation file) with findings are cases too.

The shape is the common one: `<testsuites>` holding one `<testsuite>` with `tests`,
`failures`, `errors`, `skipped` and `time`, and `<testcase classname name file time>`.
Paths are relative to the repository's top when the knowledge base is in a git work tree,
as the CI knows files, else to the working directory. Nothing varies between two runs on
the same input (no timestamp, no host), so reports can be compared.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from kbcheck.formats import CONTROL_CHARACTERS
from kbcheck.model import Finding
from kbcheck.report import Report

if TYPE_CHECKING:
    from kbcheck.formats import RenderOptions

#: Characters XML 1.0 cannot hold at all (control characters are removed with
#: CONTROL_CHARACTERS, which keeps tab and line feed).
_NOT_XML = re.compile("[\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", CONTROL_CHARACTERS.sub("", value.replace("\r", "")))


def _line(report: Report, finding: Finding, hint: str | None) -> str:
    where = f"{report.repository_path(finding.path)}:{finding.line or 1}:{finding.column or 1}"
    text = f"{where}: {finding.rule} [{finding.severity.value}] {finding.message}"
    return _text(text + (f" ({hint})" if hint else "")).replace("\n", " ")


def _case(report: Report, path: str, findings: list[Finding], options: RenderOptions) -> ET.Element:
    shown = report.repository_path(path)
    folder = posixpath.dirname(shown)
    case = ET.Element(
        "testcase", classname=folder or "kbcheck", name=_text(shown), file=_text(shown), time="0"
    )
    if findings:
        worst = max(findings, key=lambda finding: finding.severity)
        more = len(findings) - 1
        message = f"{worst.rule}: {worst.message}" + (f" (and {more} more)" if more else "")
        failure = ET.SubElement(
            case, "failure", message=_text(message).replace("\n", " "), type=worst.severity.value
        )
        failure.text = "\n".join(
            _line(report, finding, report.shown_hint(finding)) for finding in findings
        )
    return case


def render(report: Report, options: RenderOptions) -> str:
    grouped = report.findings_by_path()
    paths = sorted({entry.path for entry in report.articles} | set(grouped))
    cases = [_case(report, path, grouped.get(path, []), options) for path in paths]
    failures = sum(1 for path in paths if path in grouped)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "time": "0"}
    suites = ET.Element("testsuites", {"name": "kbcheck", **counts})
    suite = ET.SubElement(
        suites, "testsuite", {"name": _text(f"kbcheck {report.root}"), "skipped": "0", **counts}
    )
    suite.extend(cases)
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
