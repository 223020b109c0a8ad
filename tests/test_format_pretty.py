"""The pretty report lays out each flagged article itself (kbcheck.formats.text_layout) instead
of building Rich tables, for speed. These tests hold it to the lines Rich's own grids give for
the same article, at any width and with any text, so the report looks exactly as it did."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console, Group
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from kbcheck.formats import RenderOptions, render
from kbcheck.formats.pretty import SEVERITY_MARK, SEVERITY_STYLE, clean
from kbcheck.formats.text_layout import Painter, cells, fit, measure, wrap
from kbcheck.model import Finding, Severity
from kbcheck.report import ArticleEntry, Report

#: Words a report really holds, plus what breaks naive layouts: a word longer than any line,
#: wide (CJK, emoji) and zero-width (combining, joiner) characters, runs of spaces, U+2028.
_WORDS = st.sampled_from(
    [
        "link",
        "to",
        "'../billing/plans.md#annual-billing'",
        "but",
        "heading",
        "→",
        "x" * 40,
        "y" * 130,
        "設定を変更",
        "🙂",
        "e\u0301",
        "👩\u200d💻",
        "a\u2028b",
        "",
        " ",
        "—",
        "\u202e",
    ]
)
_TEXT = st.lists(_WORDS, max_size=20).map(" ".join)
_PLAIN = st.lists(st.sampled_from(["billing", "team", "ops", "x" * 50, "é"]), min_size=1).map(
    "-".join
)


@st.composite
def articles(draw: st.DrawFn) -> Report:
    path = draw(_PLAIN) + ".md"
    findings = tuple(
        sorted(
            (
                Finding(
                    rule=draw(st.sampled_from(["links/broken-file", "age/stale", "x/y"])),
                    severity=draw(st.sampled_from(list(Severity))),
                    path=path,
                    line=draw(st.sampled_from([None, 1, 34, 12345])),
                    column=draw(st.sampled_from([None, 1, 19, 100])),
                    message=draw(_TEXT),
                    hint=draw(st.one_of(st.none(), _TEXT)),
                )
                for _ in range(draw(st.integers(1, 3)))
            ),
            key=lambda finding: finding.sort_key,
        )
    )
    owners = tuple(draw(st.lists(st.one_of(_PLAIN, _TEXT), max_size=3)))
    entry = ArticleEntry(
        path, draw(_TEXT), owners, None, "none", "missing", None, draw(st.floats(0, 99))
    )
    return Report(root="kb", today=date(2026, 6, 1), articles=(entry,), findings=findings)


def rich_grids(report: Report, width: int, color: bool) -> str:
    """The article as the pretty report drew it with Rich grids (kbcheck 0.1): a header grid
    (path and title cut with an ellipsis, owners and risk on the right) over a grid of
    findings (location, severity, rule when wide, wrapped message and hint)."""
    entry, findings = report.articles[0], list(report.findings)
    header = Table.grid(expand=True, padding=(0, 1))
    header.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    header.add_column(justify="right", no_wrap=True)
    left = Text()
    left.append(clean(report.shown(entry.path)), style="bold")  # as it opens from the cwd
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

    wide = width >= 110
    locations = [f"{f.line or 1}:{f.column}" if f.column else f"{f.line or 1}" for f in findings]
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(justify="right", no_wrap=True, style="dim", min_width=max(map(len, locations)))
    table.add_column(no_wrap=True, min_width=9)
    if wide:
        rule_width = max(len(finding.rule) for finding in findings)
        table.add_column(no_wrap=True, style="cyan", min_width=rule_width)
    table.add_column(ratio=1, overflow="fold")
    for finding, location in zip(findings, locations, strict=True):
        severity = Text(
            f"{SEVERITY_MARK[finding.severity]} {finding.severity.value}",
            style=SEVERITY_STYLE[finding.severity],
        )
        body = Text()
        if not wide:
            body.append(finding.rule, style="cyan")
            body.append("\n")
        body.append(clean(finding.message))
        hint = report.shown_hint(finding)
        if hint:
            body.append("\n")
            body.append("→ " + clean(hint), style="dim italic")
        table.add_row(Text(location), severity, *([Text(finding.rule)] if wide else []), body)

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(Group(header, Padding(table, (0, 0, 0, 2))))
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


_ESCAPE = re.compile(r"\x1b\[([0-9;]*)m")


def seen(text: str) -> list[list[tuple[str, str | None]]]:
    """What a reader sees: each character with its style; white space has no visible style,
    so Rich's styled padding and plain padding look the same."""
    lines = []
    for line in text.split("\n"):
        style, shown, position = None, [], 0
        for match in [*_ESCAPE.finditer(line), None]:
            end = match.start() if match else len(line)
            shown += [(c, None if c.isspace() else style) for c in line[position:end]]
            if match:
                style = None if match.group(1) in ("", "0") else match.group(1)
                position = match.end()
        while shown and shown[-1][0].isspace():
            shown.pop()
        lines.append(shown)
    return lines


@given(report=articles(), width=st.integers(1, 140))
@settings(max_examples=150, deadline=None)
def test_article_lines_are_the_lines_rich_grids_gave(report: Report, width: int) -> None:
    drawn = render(report, "pretty", RenderOptions(width=width, quiet=True))
    assert drawn == rich_grids(report, width, color=False)


@given(report=articles(), width=st.sampled_from([40, 80, 100, 120]))
@settings(max_examples=40, deadline=None)
def test_colours_are_those_rich_grids_gave(report: Report, width: int) -> None:
    drawn = render(report, "pretty", RenderOptions(width=width, quiet=True, color=True))
    assert seen(drawn) == seen(rich_grids(report, width, color=True))


@given(report=articles(), width=st.integers(1, 140))
@settings(max_examples=60, deadline=None)
def test_no_line_is_wider_than_the_terminal(report: Report, width: int) -> None:
    for line in render(report, "pretty", RenderOptions(width=width, quiet=True)).split("\n"):
        # a `kbcheck verify` command is never cut, so that it pastes whole
        assert cell_len(line) <= width or line.lstrip().startswith("kbcheck verify "), line


def test_no_colour_means_no_escape_codes_and_colour_means_rich_codes() -> None:
    finding = Finding("links/broken-file", Severity.ERROR, "a.md", 3, None, "gone")
    entry = ArticleEntry("a.md", "A", ("ops",), None, "none", "missing", None, 3.0)
    report = Report("kb", date(2026, 6, 1), (entry,), (finding,))
    plain = render(report, "pretty", RenderOptions(width=80, quiet=True))
    coloured = render(report, "pretty", RenderOptions(width=80, quiet=True, color=True))
    assert "\x1b" not in plain
    assert plain.split("\n")[1] == "  3 ✖ error   links/broken-file"
    assert "\x1b[1;31m✖ error\x1b[0m" in coloured and "\x1b[35mops\x1b[0m" in coloured


# --- the layout functions, against Rich's own Text ----------------------------------------------

_CONSOLE = Console(width=200)
_ANY = st.text(st.sampled_from(list("ab cd  →…設🙂\u0301\u200d-/.\u00a0\u2028")), max_size=60)
_ONE_CELL = st.lists(st.sampled_from([*"abc   →…-/.'", "x" * 12, "  "]), max_size=40).map("".join)


@given(text=st.one_of(_ANY, _ONE_CELL), width=st.integers(1, 30))
@settings(max_examples=400, deadline=None)
def test_wrap_folds_as_rich_does(text: str, width: int) -> None:
    expected = Text(text).wrap(_CONSOLE, width, overflow="fold")
    assert wrap(text, width) == [line.plain for line in expected]


@given(text=st.one_of(_ANY, _ONE_CELL), width=st.integers(1, 30))
@settings(max_examples=200, deadline=None)
def test_fit_cuts_as_rich_does(text: str, width: int) -> None:
    expected = Text(text).wrap(_CONSOLE, width, overflow="ellipsis", no_wrap=True)
    assert [fit(text, width)] == [line.plain for line in expected]


@given(text=st.one_of(_ANY, _ONE_CELL))
@settings(max_examples=200, deadline=None)
def test_cells_and_measure_count_as_rich_does(text: str) -> None:
    assert cells(text) == cell_len(text)
    assert measure(text) == Text(text).__rich_measure__(_CONSOLE, _CONSOLE.options).maximum


def test_painter_writes_rich_codes_or_nothing() -> None:
    assert Painter(color=False)("risk 3", "bold red") == "risk 3"
    expected = Style.parse("bold red").render("risk 3", color_system=ColorSystem.STANDARD)
    assert Painter(color=True)("risk 3", "bold red") == expected == "\x1b[1;31mrisk 3\x1b[0m"
    assert Painter(color=True)("  ", "") == "  "


def test_a_long_report_is_capped_with_a_way_to_see_the_rest(tmp_path: Path) -> None:
    from kbcheck.formats import RenderOptions, render
    from kbcheck.formats.pretty import DEFAULT_CAP
    from tests.conftest import run_kb, write_tree

    files = {
        f"kb/article-{index:03d}.md": f"---\ntitle: Article {index}\n---\n# Article {index}\n"
        for index in range(DEFAULT_CAP + 5)
    }
    report = run_kb(write_tree(tmp_path, files) / "kb", select=("owner/missing",)).report
    text = render(report, "pretty", RenderOptions(width=200))
    assert text.count("owner/missing") == DEFAULT_CAP
    assert f"in {DEFAULT_CAP + 5} articles (showing the {DEFAULT_CAP} riskiest: --top N" in text
    everything = render(report, "pretty", RenderOptions(width=200, top=DEFAULT_CAP + 5))
    assert everything.count("owner/missing") == DEFAULT_CAP + 5
