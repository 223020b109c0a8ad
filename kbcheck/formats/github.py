"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=docs/billing/refunds.md,line=14,col=5,title=kbcheck links/broken-anchor::…

Paths are relative to the repository's top when the knowledge base is in a git work tree
(so annotations land on the pull request's diff whatever the step's working directory), else
to the working directory. Messages and properties are escaped as the runner decodes them:
`%`, CR and LF everywhere, and `:` and `,` inside properties, so an article can neither break
an annotation nor inject a workflow command of its own.

`step_summary` gives the Markdown that the CLI appends to `$GITHUB_STEP_SUMMARY`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kbcheck.model import Finding, Severity
from kbcheck.report import Report

if TYPE_CHECKING:
    from kbcheck.formats import RenderOptions

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
#: Control characters other than CR and LF (which are escaped), line and paragraph separators
#: and bidi overrides: the runner's log is a terminal of sorts, and an annotation must read
#: as what it says.
_CONTROL = re.compile(
    "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    text = _CONTROL.sub("", text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(report: Report, finding: Finding) -> str:
    properties = [("file", report.repository_path(finding.path))]
    properties.append(("line", str(finding.line or 1)))
    if finding.column:
        properties.append(("col", str(finding.column)))
    properties.append(("title", f"kbcheck {finding.rule}"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = finding.message if not finding.hint else f"{finding.message}\n→ {finding.hint}"
    return f"::{COMMAND[finding.severity]} {rendered}::{escape_data(message)}"


def render(report: Report, options: RenderOptions) -> str:
    lines = [annotation(report, finding) for finding in report.findings]
    for notice in report.notices:
        lines.append(f"::warning title=kbcheck::{escape_data(notice)}")
    return "".join(line + "\n" for line in lines)


def step_summary(report: Report, options: RenderOptions) -> str:
    """The job summary: the same digest as `--format markdown`."""
    from kbcheck.formats import valid_unicode
    from kbcheck.formats.markdown import render as markdown

    return valid_unicode(markdown(report, options))
