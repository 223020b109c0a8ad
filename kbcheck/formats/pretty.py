"""`--format pretty`: the report a person reads in a terminal, worst articles first.

Built from Rich `Text` objects and plain (text, style) runs, never markup strings, so nothing
an article says can be taken for styling, and control characters are removed before anything
is shown. The lines of each flagged article (nearly all of a large report) are laid out here
with kbcheck.formats.text_layout rather than as Rich tables: the same lines, at a small
fraction of the cost (benchmarks/pretty_benchmark.py; tests/test_format_pretty.py holds them
to what Rich's grids gave).
"""

from __future__ import annotations

import io
from typing import Literal

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from kbcheck.formats import RenderOptions, clean
from kbcheck.formats.text_layout import Painter, cells, crop, fit, measure, wrap
from kbcheck.freshness import FolderFreshness, Freshness, freshness
from kbcheck.model import Finding, Severity
from kbcheck.overview import GroupSection, group_sections
from kbcheck.report import ArticleEntry, Report

SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
}
SEVERITY_MARK = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "●"}


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


Piece = tuple[str, str]  # (text, style): a run of one style within a line


class _Screen:
    """Where the report is drawn. Rich renders the few decorated parts (headings, rules, the
    freshness tables); the lines of each flagged article, nearly all of a large report, are
    laid out here directly (see kbcheck.formats.text_layout) and styled with the same escape
    codes Rich writes."""

    def __init__(self, options: RenderOptions) -> None:
        self.buffer = io.StringIO()
        self.width = options.width
        self.paint = Painter(options.color)
        self.console = Console(
            file=self.buffer,
            width=options.width,
            force_terminal=options.color,
            no_color=not options.color,
            color_system="standard" if options.color else None,
            highlight=False,
            emoji=False,
            legacy_windows=False,
        )

    def print(self, *renderables: RenderableType) -> None:
        self.console.print(*renderables)

    def blank(self) -> None:
        self.buffer.write("\n")

    def lines(self, rows: list[list[Piece]]) -> None:
        paint = self.paint
        if paint.color:
            text = "\n".join("".join([paint(text, style) for text, style in row]) for row in rows)
        else:
            text = "\n".join("".join([text for text, _ in row]) for row in rows)
        self.buffer.write(text + "\n")

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.buffer.getvalue().split("\n"))


def _cell_text(pieces: list[Piece]) -> str:
    return "".join(text for text, _ in pieces)


def _fit_pieces(pieces: list[Piece], width: int, ellipsis: bool = True) -> list[Piece]:
    """`pieces` cut to `width` cells, with an ellipsis unless told otherwise; each character
    keeps the style of the one it replaces, as when Rich cuts a `Text`."""
    whole = _cell_text(pieces)
    cut = fit(whole, width) if ellipsis else crop(whole, width)
    if cut == whole:
        return pieces
    result: list[Piece] = []
    start = 0
    for index, (text, style) in enumerate(pieces):
        end = len(cut) if index == len(pieces) - 1 else min(start + len(text), len(cut))
        if end > start:
            result.append((cut[start:end], style))
        start = end
    return result


def _header(
    entry: ArticleEntry, findings: list[Finding], width: int, shown: str | None = None
) -> list[Piece]:
    """The article's line: path (`shown`: as it opens from the working directory) and title on
    the left, cut with an ellipsis when they do not fit; owners and risk on the right, whole.
    Rich's grid gave the right part its measured width and the left the rest; when the right
    part fills the line, Rich took a cell back."""
    path = clean(shown if shown is not None else entry.path)
    title = clean(entry.title)
    left: list[Piece] = [(path, "bold")]
    if entry.title:  # the gap stays even when nothing of the title is printable
        left += [("  ", ""), (title, "dim")]
    risk = (f"risk {entry.risk:g}", SEVERITY_STYLE[max(finding.severity for finding in findings)])
    if entry.owners:
        owners = clean(", ".join(entry.owners))
        right: list[Piece] = [(owners, "magenta"), ("  ", ""), risk]
        right_text = f"{owners}  {risk[0]}"
    else:
        right = [("no owner  ", "dim"), risk]
        right_text = f"no owner  {risk[0]}"
    measured = min(measure(right_text), width)
    right_width = measured if measured <= width - 2 else max(0, measured - 1)
    left_cells = cells(f"{path}  {title}" if entry.title else path)
    if left_cells > width - right_width - 1:
        left = _fit_pieces(left, width - right_width - 1)
        left_cells = cells(_cell_text(left))
    right_cells = cells(right_text)
    if right_cells > right_width:
        right = _fit_pieces(right, right_width)
        right_cells = cells(_cell_text(right))
    return [*left, (" " * (width - left_cells - right_cells), ""), *right]


def _location(finding: Finding) -> str:
    return f"{finding.line or 1}:{finding.column}" if finding.column else f"{finding.line or 1}"


SEVERITY_LABEL = {severity: f"{SEVERITY_MARK[severity]} {severity.value}" for severity in Severity}
SEVERITY_WIDTH = max(cells(label) for label in SEVERITY_LABEL.values())
#: The severity column of a finding's first line, padded to its width.
SEVERITY_CELL = {
    severity: [(label, SEVERITY_STYLE[severity]), (" " * (SEVERITY_WIDTH + 1 - cells(label)), "")]
    for severity, label in SEVERITY_LABEL.items()
}


def _finding_rows(
    findings: list[Finding],
    wide: bool,
    widths: tuple[int, int],
    width: int,
    report: Report,
) -> list[list[Piece]]:
    """One article's findings, two spaces in, in columns: location (right-aligned), severity,
    the rule (its own column when `wide`, else above the message), then the message and the
    hint wrapped to the room left. `widths` (location, rule) are shared by every article so
    the columns line up down the whole report."""
    width -= 2
    if width < 1:  # not a cell to the right of the indent: Rich drew nothing
        return []
    columns = [widths[0] + 1, SEVERITY_WIDTH + 1, *([widths[1] + 1] if wide else [])]
    room = width - sum(columns)
    indent = " " * (2 + sum(columns))
    rows: list[list[Piece]] = []
    for finding in findings:
        location = _location(finding)
        cells_of_row = [
            [(" " * (widths[0] - len(location)), ""), (location, "dim"), (" ", "")],
            SEVERITY_CELL[finding.severity],
        ]
        if wide:
            rule = fit(finding.rule, widths[1])
            cells_of_row.append([(rule, "cyan"), (" " * (widths[1] + 1 - cells(rule)), "")])
        if room < 1:  # no cell left for the message: the row is cut at the edge
            rows.append(_squeezed_row(cells_of_row, columns, width))
            continue
        body = [(finding.rule, "cyan")] if not wide else []
        body.append((clean(finding.message), ""))
        lines = [(line, style) for text, style in body for line in wrap(text, room)]
        hint = report.shown_hint(finding)
        if hint:
            lines += _hint_lines("→ " + clean(hint), report.verify_command(finding), room)
        rows.append([("  ", ""), *(piece for cell in cells_of_row for piece in cell), lines[0]])
        rows.extend([(indent, ""), line] for line in lines[1:])
    return rows


def _hint_lines(hint: str, command: str, room: int) -> list[Piece]:
    """The hint wrapped to `room`, except that the `kbcheck verify` command it gives, when the
    hint does not fit on one line, gets a line of its own and is never broken: a command cut
    across two lines cannot be pasted, and one longer than the line is left to the terminal,
    which wraps it for the eye and copies it whole."""
    start = hint.find(command)
    if start < 0 or cells(hint) <= room:
        return [(line, "dim italic") for line in wrap(hint, room)]
    parts = [hint[:start].rstrip(), command, hint[start + len(command) :].strip()]
    lines: list[Piece] = []
    for index, part in enumerate(parts):
        if part:
            lines += [(line, "dim italic") for line in ([part] if index == 1 else wrap(part, room))]
    return lines


def _squeezed_row(cells_of_row: list[list[Piece]], columns: list[int], width: int) -> list[Piece]:
    """A finding's first line on a terminal too narrow to leave the message a single cell,
    as Rich's grid drew it: the columns it kept, cut at the edge."""
    first: list[Piece] = [("  ", "")]
    for cell, keep in zip(cells_of_row, _columns_kept(columns, width), strict=True):
        if keep:
            first += cell
    return _fit_pieces(first, width + 2, ellipsis=False)


def _columns_kept(columns: list[int], width: int) -> list[bool]:
    """Which columns Rich's grid still drew on a terminal too narrow to leave the message a
    single cell: it dropped the message, took the remaining excess from the other columns
    evenly (`ratio_reduce`, with Python's rounding), then gave every column that still had a
    cell its full width back and dropped the ones that had none."""
    excess = sum(columns) - width
    shares = len(columns)
    kept = []
    for column in columns:
        taken = min(column, round(excess / shares))
        excess -= taken
        shares -= 1
        kept.append(column - taken >= 1)
    return kept


def _print_article(
    screen: _Screen,
    entry: ArticleEntry,
    findings: list[Finding],
    wide: bool,
    widths: tuple[int, int],
    report: Report,
) -> None:
    rows = _finding_rows(findings, wide, widths, screen.width, report)
    header = _header(entry, findings, screen.width, report.shown(entry.path))
    screen.lines([header, *rows])


#: Articles the pretty report lists without `--top`.
DEFAULT_CAP = 200


def render(report: Report, options: RenderOptions) -> str:
    screen = _Screen(options)
    wide = options.width >= 110
    grouped = report.findings_by_path()
    flagged = [entry for entry in report.worst_first() if entry.path in grouped]
    total_flagged = len(flagged)
    # a terminal report of thousands of articles is read by nobody: the riskiest first, and
    # the footer says how to see the rest
    flagged = flagged[: options.top if options.top is not None else DEFAULT_CAP]
    if not options.quiet:
        _print_heading(screen, report, options)
    widths = (
        max((cells(_location(finding)) for finding in report.findings), default=1),
        max((cells(finding.rule) for finding in report.findings), default=1),
    )
    if options.group_by:
        for group in group_sections(report, options.group_by):
            _print_group(screen, group, grouped, options, wide, widths, report)
        if not options.quiet:
            _print_footer(screen, report, total_flagged, total_flagged)
        return screen.text()
    for index, entry in enumerate(flagged):
        if not options.quiet or index:
            screen.blank()
        _print_article(screen, entry, grouped[entry.path], wide, widths, report)
    for path, findings in report.site_file_findings().items():
        screen.blank()
        rows = _finding_rows(findings, wide, widths, screen.width, report)
        header = _fit_pieces(
            [(clean(report.shown(path)), "bold"), ("  site file", "dim")], screen.width
        )
        screen.lines([header, *rows])
    _print_suppressions(screen, report)
    if not options.quiet:
        if report.articles:
            _print_freshness(screen, freshness(report), options.width)
        _print_footer(screen, report, total_flagged, len(flagged))
    return screen.text()


def _print_suppressions(screen: _Screen, report: Report) -> None:
    """`--show-suppressed`: what the suppressions hide, and those that hide nothing."""
    sections = (
        ("suppressed findings", report.suppressed_findings),
        ("suppressions that hide nothing", report.unused_suppressions),
    )
    for title, findings in sections:
        if not findings:
            continue
        screen.blank()
        screen.print(Text(f"{title} ({len(findings)})", style="bold dim"))
        for finding in findings:
            where = f"{report.shown(finding.path)}:{finding.line or 1}"
            line = Text(f"  {where}  ", style="dim")
            line.append(finding.rule, style="cyan")
            line.append(f"  {clean(finding.message)}")
            screen.print(line)


def _group_summary(group: GroupSection, report: Report) -> Text:
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
        text.append(f" ({clean(report.shown(group.oldest_path))})", style="dim")
    return text


def _print_group(
    screen: _Screen,
    group: GroupSection,
    grouped: dict[str, list[Finding]],
    options: RenderOptions,
    wide: bool,
    widths: tuple[int, int],
    report: Report,
) -> None:
    """One owner's or folder's section: its counts, then its flagged articles, worst first."""
    screen.print()
    title = Text(clean(group.name), style="bold magenta")
    if group.risk:
        title.append(f"  risk {group.risk:g}", style="dim")
    screen.print(Rule(title, align="left", style="dim"))
    screen.print(_group_summary(group, report))
    if not group.to_fix:
        screen.print(Text("✔ nothing to fix", style="green"))
        return
    shown = group.to_fix if options.top is None else group.to_fix[: options.top]
    for entry in shown:
        screen.blank()
        _print_article(screen, entry, grouped[entry.path], wide, widths, report)
    if len(shown) < len(group.to_fix):
        hidden = len(group.to_fix) - len(shown)
        screen.print(Text(f"  … {_plural(hidden, 'more article')} to fix", style="dim"))


def _print_heading(screen: _Screen, report: Report, options: RenderOptions) -> None:
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
    screen.print(title)
    screen.print(summary_text(report))


#: More folders than this and the table keeps only the least fresh ones.
MAX_FOLDER_ROWS = 15


def _fresh_style(percent: float) -> str:
    return "green" if percent >= 90 else "yellow" if percent >= 70 else "red"


def _print_freshness(screen: _Screen, data: Freshness, width: int) -> None:
    """The age histogram and the per-folder table (figures from kbcheck.freshness)."""
    screen.print()
    title = Text()
    title.append("Freshness", style="bold")
    title.append("  ")
    title.append(f"{data.fresh_percent:.1f}%", style=f"bold {_fresh_style(data.fresh_percent)}")
    title.append(" of articles reviewed within their interval", style="dim")
    screen.print(title)

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
    screen.print(Padding(histogram, (0, 0, 0, 2)))

    screen.print()
    rows = list(data.folders)
    hidden = 0
    if len(rows) > MAX_FOLDER_ROWS:
        rows.sort(key=lambda row: (row.fresh_percent, -row.articles, row.folder))
        hidden = len(rows) - MAX_FOLDER_ROWS
        rows = rows[:MAX_FOLDER_ROWS]
    screen.print(Padding(_folder_table(rows, width - 2), (0, 0, 0, 2)))
    if hidden:
        screen.print(
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
        justify: Literal["left", "right"] = "left" if header == "oldest review" else "right"
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


def _print_footer(screen: _Screen, report: Report, flagged: int, shown: int) -> None:
    screen.print()
    if not flagged:
        screen.print(Text("✔ no findings", style="bold green"))
        return
    screen.print(Rule(style="dim"))
    footer = Text()
    footer.append(f"{_plural(len(report.findings), 'finding')} in ", style="bold")
    footer.append(_plural(flagged, "article"), style="bold")
    if shown < flagged:
        footer.append(
            f" (showing the {shown} riskiest: --top N to choose, --format concise or json for all)",
            style="dim",
        )
    footer.append("  ·  kbcheck explain RULE for why and how to fix", style="dim")
    screen.print(footer)
