"""`--format pretty`: the report a person reads in a terminal, worst articles first.

Built from Rich `Text` objects only (never markup strings), so nothing an article says can be
taken for styling, and control characters are removed before anything is shown.
"""

from __future__ import annotations

import io
import re

from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from kbcheck.formats import RenderOptions
from kbcheck.freshness import FolderFreshness, Freshness, freshness
from kbcheck.model import Finding, Severity
from kbcheck.overview import GroupSection, group_sections
from kbcheck.report import ArticleEntry, Report

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
}
SEVERITY_MARK = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "●"}


def clean(text: str) -> str:
    """Drop control and bidi-override characters: an article must not be able to move the
    cursor, retitle the terminal or reorder what the reader sees."""
    return _CONTROL.sub("", text.replace("\t", " ").replace("\n", " "))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_text(report: Report) -> Text:
    counts = report.by_severity
    text = Text()
    text.append(_plural(len(report.articles), "article"), style="bold")
    text.append("  ")
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = counts[severity.value]
        label = {"error": "error", "warning": "warning", "info": "info"}[severity.value]
        word = _plural(count, label) if severity is not Severity.INFO else f"{count} info"
        text.append(
            f"{SEVERITY_MARK[severity]} {word}", style=SEVERITY_STYLE[severity] if count else "dim"
        )
        text.append("  ")
    fresh = report.fresh_percent
    fresh_style = "green" if fresh >= 90 else "yellow" if fresh >= 70 else "red"
    text.append("fresh ", style="dim")
    text.append(f"{fresh:.1f}%", style=f"bold {fresh_style}")
    if report.suppressed:
        text.append(f"  ({report.suppressed} suppressed)", style="dim")
    if report.baselined:
        text.append(f"  ({report.baselined} hidden by baseline)", style="dim")
    return text


def _article_header(entry: ArticleEntry, findings: list[Finding]) -> Table:
    header = Table.grid(expand=True, padding=(0, 1))
    header.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    header.add_column(justify="right", no_wrap=True)
    left = Text()
    left.append(clean(entry.path), style="bold")
    if entry.title:
        left.append("  ")
        left.append(clean(entry.title), style="dim")
    right = Text()
    if entry.owners:
        right.append(clean(", ".join(entry.owners)), style="magenta")
        right.append("  ")
    else:
        right.append("no owner  ", style="dim")
    worst = max(finding.severity for finding in findings)
    right.append(f"risk {entry.risk:g}", style=SEVERITY_STYLE[worst])
    header.add_row(left, right)
    return header


def _location(finding: Finding) -> str:
    return f"{finding.line or 1}:{finding.column}" if finding.column else f"{finding.line or 1}"


def _findings_table(findings: list[Finding], wide: bool, widths: tuple[int, int]) -> Table:
    """One article's findings; `widths` (location, rule) are shared by every article so the
    columns line up down the whole report."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(justify="right", no_wrap=True, style="dim", min_width=widths[0])
    table.add_column(no_wrap=True, min_width=9)
    if wide:
        table.add_column(no_wrap=True, style="cyan", min_width=widths[1])
    table.add_column(ratio=1, overflow="fold")
    for finding in findings:
        location = _location(finding)
        severity = Text(
            f"{SEVERITY_MARK[finding.severity]} {finding.severity.value}",
            style=SEVERITY_STYLE[finding.severity],
        )
        body = Text()
        if not wide:
            body.append(finding.rule, style="cyan")
            body.append("\n")
        body.append(clean(finding.message))
        if finding.hint:
            body.append("\n")
            body.append("→ " + clean(finding.hint), style="dim italic")
        row = [Text(location), severity]
        if wide:
            row.append(Text(finding.rule))
        row.append(body)
        table.add_row(*row)
    return table


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    wide = options.width >= 110
    grouped = report.findings_by_path()
    flagged = [entry for entry in report.worst_first() if entry.path in grouped]
    total_flagged = len(flagged)
    if options.top is not None:
        flagged = flagged[: options.top]
    if not options.quiet:
        _print_heading(console, report, options)
    widths = (
        max((len(_location(finding)) for finding in report.findings), default=1),
        max((len(finding.rule) for finding in report.findings), default=1),
    )
    if options.group_by:
        for group in group_sections(report, options.group_by):
            _print_group(console, group, grouped, options, wide, widths)
        if not options.quiet:
            _print_footer(console, report, total_flagged, total_flagged)
        return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
    for entry in flagged:
        findings = grouped[entry.path]
        if not options.quiet or entry is not flagged[0]:
            console.print()
        table = Padding(_findings_table(findings, wide, widths), (0, 0, 0, 2))
        console.print(Group(_article_header(entry, findings), table))
    if not options.quiet:
        if report.articles:
            _print_freshness(console, freshness(report), options.width)
        _print_footer(console, report, total_flagged, len(flagged))
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _group_summary(group: GroupSection) -> Text:
    """The counts a section leads with (articles, past due, never reviewed, findings) and, on
    a line of its own, the oldest review."""
    text = Text()
    text.append(_plural(group.articles, "article"), style="bold")
    parts = [
        (f"{group.stale} stale", "yellow" if group.stale else "dim"),
        (f"{group.never_reviewed} never reviewed", "yellow" if group.never_reviewed else "dim"),
    ]
    for severity, count in (
        (Severity.ERROR, group.errors),
        (Severity.WARNING, group.warnings),
        (Severity.INFO, group.infos),
    ):
        word = _plural(count, severity.value) if severity is not Severity.INFO else f"{count} info"
        parts.append(
            (f"{SEVERITY_MARK[severity]} {word}", SEVERITY_STYLE[severity] if count else "dim")
        )
    for part, style in parts:
        text.append(" · ", style="dim")
        text.append(part, style=style)
    if group.oldest_review is not None and group.oldest_path is not None:
        text.append("\noldest review ", style="dim")
        text.append(group.oldest_review.isoformat())
        text.append(f" ({clean(group.oldest_path)})", style="dim")
    return text


def _print_group(
    console: Console,
    group: GroupSection,
    grouped: dict[str, list[Finding]],
    options: RenderOptions,
    wide: bool,
    widths: tuple[int, int],
) -> None:
    """One owner's or folder's section: its counts, then its flagged articles, worst first."""
    console.print()
    title = Text(clean(group.name), style="bold magenta")
    if group.risk:
        title.append(f"  risk {group.risk:g}", style="dim")
    console.print(Rule(title, align="left", style="dim"))
    console.print(_group_summary(group))
    if not group.to_fix:
        console.print(Text("✔ nothing to fix", style="green"))
        return
    shown = group.to_fix if options.top is None else group.to_fix[: options.top]
    for entry in shown:
        findings = grouped[entry.path]
        console.print()
        table = Padding(_findings_table(findings, wide, widths), (0, 0, 0, 2))
        console.print(Group(_article_header(entry, findings), table))
    if len(shown) < len(group.to_fix):
        hidden = len(group.to_fix) - len(shown)
        console.print(Text(f"  … {_plural(hidden, 'more article')} to fix", style="dim"))


def _print_heading(console: Console, report: Report, options: RenderOptions) -> None:
    title = Text()
    title.append("kbcheck", style="bold")
    if options.version:
        title.append(f" {options.version}", style="dim")
    title.append("  ")
    title.append(clean(report.root), style="bold cyan")
    title.append(f"  today {report.today.isoformat()}", style="dim")
    if report.changed_since:
        title.append("  changed since ", style="dim")
        title.append(clean(report.changed_since), style="bold")
    console.print(title)
    console.print(summary_text(report))


#: More folders than this and the table keeps only the least fresh ones.
MAX_FOLDER_ROWS = 15


def _fresh_style(percent: float) -> str:
    return "green" if percent >= 90 else "yellow" if percent >= 70 else "red"


def _print_freshness(console: Console, data: Freshness, width: int) -> None:
    """The age histogram and the per-folder table (figures from kbcheck.freshness)."""
    console.print()
    title = Text()
    title.append("Freshness", style="bold")
    title.append("  ")
    title.append(f"{data.fresh_percent:.1f}%", style=f"bold {_fresh_style(data.fresh_percent)}")
    title.append(" of articles reviewed within their interval", style="dim")
    console.print(title)

    histogram = Table.grid(padding=(0, 1))
    histogram.add_column(justify="right", no_wrap=True, style="dim")
    histogram.add_column(no_wrap=True)
    histogram.add_column(justify="right", no_wrap=True)
    histogram.add_column(justify="right", no_wrap=True, style="dim")
    bar_width = max(10, min(40, width - 30))
    largest = max((bucket.count for bucket in data.buckets), default=0) or 1
    for index, bucket in enumerate(data.buckets):
        cells = round(bar_width * bucket.count / largest)
        if bucket.count and not cells:
            cells = 1
        style = "green" if index < 2 else "red" if bucket.label == "never" else "yellow"
        if index >= 4 and bucket.label != "never":
            style = "red"
        bar = Text("█" * cells, style=style)
        bar.append(" " * (bar_width - cells))
        histogram.add_row(bucket.label, bar, str(bucket.count), f"{bucket.percent:.0f}%")
    console.print(Padding(histogram, (0, 0, 0, 2)))

    console.print()
    rows = list(data.folders)
    hidden = 0
    if len(rows) > MAX_FOLDER_ROWS:
        rows.sort(key=lambda row: (row.fresh_percent, -row.articles, row.folder))
        hidden = len(rows) - MAX_FOLDER_ROWS
        rows = rows[:MAX_FOLDER_ROWS]
    console.print(Padding(_folder_table(rows, width - 2), (0, 0, 0, 2)))
    if hidden:
        console.print(
            Text(
                f"  … {_plural(hidden, 'more folder')} not shown: "
                f"these are the {MAX_FOLDER_ROWS} least fresh",
                style="dim",
            )
        )


def _folder_table(rows: list[FolderFreshness], width: int) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold", padding=(0, 1))
    numbers = ("articles", "fresh", "stale", "no date", "oldest review")
    # Every figure keeps its full width; a long folder name is cut with an ellipsis instead.
    room = width - sum(len(header) + 2 for header in numbers)
    table.add_column("folder", overflow="ellipsis", no_wrap=True, max_width=max(12, room))
    for header in numbers:
        justify = "left" if header == "oldest review" else "right"
        table.add_column(header, justify=justify, no_wrap=True, min_width=len(header))
    for row in rows:
        table.add_row(
            Text(clean(row.folder)),
            str(row.articles),
            Text(f"{row.fresh_percent:.0f}%", style=_fresh_style(row.fresh_percent)),
            Text(str(row.stale), style="yellow" if row.stale else "dim"),
            Text(str(row.never), style="yellow" if row.never else "dim"),
            Text(row.oldest.isoformat() if row.oldest else "—", style="dim"),
        )
    return table


def _print_footer(console: Console, report: Report, flagged: int, shown: int) -> None:
    console.print()
    if not flagged:
        console.print(Text("✔ no findings", style="bold green"))
        return
    console.print(Rule(style="dim"))
    footer = Text()
    footer.append(f"{_plural(len(report.findings), 'finding')} in ", style="bold")
    footer.append(_plural(flagged, "article"), style="bold")
    if shown < flagged:
        footer.append(f" (the {shown} riskiest shown: --top {shown})", style="dim")
    footer.append("  ·  kbcheck explain RULE for why and how to fix", style="dim")
    console.print(footer)
