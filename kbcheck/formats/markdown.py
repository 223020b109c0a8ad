"""`--format markdown`: a digest for a pull-request comment, a ticket or a job summary.

GitHub-flavoured Markdown: the summary line, the worst articles with their findings, and
per-owner and per-folder tables. Everything an article wrote is escaped, so a title cannot
become a link, an image, HTML or a broken table row.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kbcheck.formats import CONTROL_CHARACTERS
from kbcheck.model import Finding, Severity
from kbcheck.overview import GroupRow, GroupSection, by_folder, by_owner, group_sections
from kbcheck.report import ArticleEntry, Report

if TYPE_CHECKING:
    from kbcheck.formats import RenderOptions

MARK = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "●"}
_PUNCTUATION = re.compile(r"[\\`*_\[\]!|~<>&]")


def text(value: str) -> str:
    """Literal text in a paragraph or a table cell: every Markdown and HTML character is
    backslash-escaped (CommonMark allows that for all ASCII punctuation)."""
    one_line = value.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    flat = CONTROL_CHARACTERS.sub("", one_line)
    return _PUNCTUATION.sub(_backslashed, flat)


def _backslashed(match: re.Match[str]) -> str:
    # a function, not the template r"\\\1": a template goes through re's template handling
    # in Python on every call, and a digest escapes tens of thousands of strings
    return "\\" + match.group()


def code(value: str) -> str:
    """An inline code span that holds any text, usable in a table cell."""
    flat = CONTROL_CHARACTERS.sub("", value.replace("\r", " ").replace("\n", " "))
    if "`" not in flat:  # nearly always: the shortest fence, nothing to pad
        return f"`{flat.replace('|', chr(92) + '|')}`"
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {flat} " if flat.startswith("`") or flat.endswith("`") else flat
    return f"{fence}{padded.replace('|', chr(92) + '|')}{fence}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    counts = report.by_severity
    flagged = len(report.findings_by_path())
    parts = [
        f"**{_plural(len(report.findings), 'finding')}** in {flagged} of "
        f"{_plural(len(report.articles), 'article')}",
        f"✖ {_plural(counts['error'], 'error')}",
        f"▲ {_plural(counts['warning'], 'warning')}",
        f"● {counts['info']} info",
        f"fresh **{report.fresh_percent:.1f}%**",
    ]
    if report.suppressed:
        parts.append(f"{report.suppressed} suppressed")
    if report.baselined:
        parts.append(f"{report.baselined} hidden by baseline")
    return " · ".join(parts)


def _owners(entry: ArticleEntry) -> str:
    """Owners as code, so an `@team` owner is shown, not notified, in a PR comment."""
    return ", ".join(code(owner) for owner in entry.owners) if entry.owners else "*no owner*"


def _counts(findings: list[Finding]) -> str:
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = sum(1 for finding in findings if finding.severity is severity)
        if count:
            parts.append(f"{MARK[severity]} {count}")
    return " ".join(parts)


def _finding_line(finding: Finding, report: Report, indent: str = "") -> str:
    where = f"line {finding.line or 1}" + (f":{finding.column}" if finding.column else "")
    line = (
        f"{indent}- {MARK[finding.severity]} **{finding.severity.value}** {code(finding.rule)} "
        f"({where}): {text(finding.message)}"
    )
    hint = report.shown_hint(finding)
    if hint:
        line += f"  \n{indent}  → {text(hint)}"
    return line


def _group_table(title: str, rows: list[GroupRow]) -> list[str]:
    lines = [
        f"| {title} | Articles | Fresh | Flagged | ✖ Errors | ▲ Warnings | ● Info | Risk |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {code(row.name)} | {row.articles} | {row.fresh_percent:.1f}% | {row.flagged} "
            f"| {row.errors} | {row.warnings} | {row.infos} | {row.risk:g} |"
        )
    return lines


def _scope(report: Report) -> str:
    scope = f"Today {report.today.isoformat()}."
    if report.changed_since:
        scope += (
            f" Only articles changed since {code(report.changed_since)}, and the articles "
            "that link to them."
        )
    return scope


def _section_counts(section: GroupSection, report: Report) -> str:
    parts = [
        _plural(section.articles, "article"),
        f"{section.stale} stale",
        f"{section.never_reviewed} never reviewed",
        f"✖ {_plural(section.errors, 'error')}",
        f"▲ {_plural(section.warnings, 'warning')}",
        f"● {section.infos} info",
    ]
    if section.oldest_review is not None and section.oldest_path is not None:
        parts.append(
            f"oldest review {section.oldest_review.isoformat()} "
            f"({code(report.shown(section.oldest_path))})"
        )
    return " · ".join(parts)


def render_grouped(report: Report, options: RenderOptions, by: str) -> str:
    """`--group-by owner|folder`: one section per owner or folder with its counts and a task
    list of the articles to fix, ready to paste into a ticket or a chat."""
    lines = [f"## kbcheck: {text(report.root)}, by {by}", "", summary_line(report), ""]
    lines += [_scope(report), ""]
    grouped = report.findings_by_path()
    for section in group_sections(report, by):
        lines += [f"### {code(section.name)}", "", _section_counts(section, report), ""]
        if not section.to_fix:
            lines += ["✔ Nothing to fix.", ""]
            continue
        shown = section.to_fix if options.top is None else section.to_fix[: options.top]
        lines.append(f"To fix ({len(section.to_fix)}), riskiest first:")
        lines.append("")
        for entry in shown:
            path = code(report.shown(entry.path))
            lines.append(f"- [ ] {path} {text(entry.title)} — risk {entry.risk:g}")
            lines += [_finding_line(finding, report, "  ") for finding in grouped[entry.path]]
        if len(shown) < len(section.to_fix):
            lines.append(f"- … and {_plural(len(section.to_fix) - len(shown), 'more article')}")
        lines.append("")
    lines.append(
        f"<sub>kbcheck {text(options.version)} · `kbcheck explain RULE` says why and how to "
        "fix.</sub>"
    )
    return "\n".join(lines) + "\n"


def render(report: Report, options: RenderOptions) -> str:
    if options.group_by:
        return render_grouped(report, options, options.group_by)
    lines = [f"## kbcheck: {text(report.root)}", "", summary_line(report), ""]
    lines += [_scope(report), ""]

    grouped = report.findings_by_path()
    flagged = [entry for entry in report.worst_first() if entry.path in grouped]
    shown = flagged if options.top is None else flagged[: options.top]
    if not flagged:
        lines += ["✔ No findings.", ""]
    else:
        lines += ["### Worst articles", ""]
        if len(shown) < len(flagged):
            lines += [f"The {len(shown)} riskiest of {len(flagged)} flagged articles.", ""]
        lines += ["| # | Risk | Article | Owners | Findings |", "|---:|---:|---|---|---|"]
        for rank, entry in enumerate(shown, 1):
            lines.append(
                f"| {rank} | {entry.risk:g} | {code(report.shown(entry.path))} {text(entry.title)} "
                f"| {_owners(entry)} | {_counts(grouped[entry.path])} |"
            )
        lines.append("")
        for rank, entry in enumerate(shown, 1):
            lines.append(f"#### {rank}. {code(report.shown(entry.path))} — {text(entry.title)}")
            lines.append("")
            lines.append(f"Risk {entry.risk:g} · {_owners(entry)}")
            lines.append("")
            lines += [_finding_line(finding, report) for finding in grouped[entry.path]]
            lines.append("")
    site_files = report.site_file_findings()
    if site_files:
        lines += ["### Site files", ""]
        for path, findings in site_files.items():
            lines += [f"#### {code(report.shown(path))}", ""]
            lines += [_finding_line(finding, report) for finding in findings]
            lines.append("")
    if report.articles:
        lines += ["### By owner", "", *_group_table("Owner", by_owner(report)), ""]
        lines += ["### By folder", "", *_group_table("Folder", by_folder(report)), ""]
    lines.append(
        f"<sub>kbcheck {text(options.version)} · `kbcheck explain RULE` says why and how to "
        "fix.</sub>"
    )
    return "\n".join(lines) + "\n"
