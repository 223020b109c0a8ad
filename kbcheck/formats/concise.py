"""`--format concise`: one `path:line:col: rule message` line per finding, the form ruff,
compilers and grep print, which terminals and editors turn into links to the line.

Paths are relative to the working directory (the report's root joined to the article's
path), so each line can be opened or pasted as printed. A finding on the whole article has
line 1 and column 1. The last line counts the findings, as ruff's does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kbcheck.formats import clean
from kbcheck.report import Report

if TYPE_CHECKING:
    from kbcheck.formats import RenderOptions


def render(report: Report, options: RenderOptions) -> str:
    lines = []
    for finding in report.findings:
        where = f"{report.shown(finding.path)}:{finding.line or 1}:{finding.column or 1}"
        text = f"{where}: {finding.rule} [{finding.severity.value}] {clean(finding.message)}"
        hint = report.shown_hint(finding)
        if hint:
            text += f" ({clean(hint)})"
        lines.append(text)
    for finding in report.suppressed_findings:
        where = f"{report.shown(finding.path)}:{finding.line or 1}:{finding.column or 1}"
        lines.append(f"{where}: {finding.rule} [suppressed] {clean(finding.message)}")
    for finding in report.unused_suppressions:
        where = f"{report.shown(finding.path)}:{finding.line or 1}:1"
        lines.append(f"{where}: {finding.rule} [info] {clean(finding.message)}")
    count = len(report.findings)
    if count:
        lines.append(f"Found {count} finding{'s' if count != 1 else ''} in {report.root}.")
    elif not options.quiet:
        articles = len(report.articles)
        noun = "article" if articles == 1 else "articles"
        lines.append(f"All checks passed ({articles} {noun} in {report.root}).")
    return "\n".join(lines) + ("\n" if lines else "")
