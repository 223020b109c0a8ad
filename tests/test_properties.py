"""Properties that hold for every input hypothesis can think of: link positions point at the
link in the original file, dates parse back to themselves or fail with a reason, heading
anchors are the ones the link check accepts, `verify` and `check` agree, and no bytes make
the parser raise. (Slug properties: tests/test_anchors.py; `verify` changing only the review
lines: tests/test_verify.py.)"""

from __future__ import annotations

import json
import string
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kbcheck.anchors import ANCHOR_STYLES
from kbcheck.article import ParseSettings, parse_article
from kbcheck.dates import parse_date, parse_duration, parse_interval
from kbcheck.formats import json_report
from kbcheck.verify import VerifyError, record_review
from tests.conftest import run_kb, write_tree

SETTINGS = ParseSettings()

# --- link positions ------------------------------------------------------------------------------

#: Inline text that cannot open or close a link by itself, with the constructs that make
#: offsets shift: emphasis, code spans, entities, escapes, non-ASCII and wide characters.
_FILLER = st.lists(
    st.one_of(
        st.text(string.ascii_letters + " éßø日本語😀,.;:-", min_size=1, max_size=8),
        st.sampled_from(
            ["*em*", "**strong**", "_u_", "`code`", "``a ` b``", "&amp;", "&#x41;", "\\*", "~~s~~"]
        ),
    ),
    max_size=4,
).map(" ".join)


@st.composite
def _link(draw: st.DrawFn, number: int) -> tuple[str, str, str]:
    """(markdown, target, the character the link's position must point at)."""
    target = f"page-{number}.md"
    text = draw(st.sampled_from(["x", "see this", "*em* text", "`code`", "日本"]))
    kind = draw(st.sampled_from(["inline", "titled", "angle", "image", "autolink", "html"]))
    if kind == "inline":
        return f"[{text}]({target})", target, "["
    if kind == "titled":
        return f'[{text}]({target} "a title")', target, "["
    if kind == "angle":
        return f"[{text}](<{target}>)", target, "["
    if kind == "image":
        return f"![{text}]({target})", target, "!"
    if kind == "autolink":
        url = f"https://example.com/{target}"
        return f"<{url}>", url, "<"
    return f'<a href="{target}">{text}</a>', target, "<"


@st.composite
def _document(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A Markdown document with links in every kind of container, and the expected
    (target, first character) of each link in document order."""
    expected: list[tuple[str, str]] = []
    blocks: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        pieces = []
        for _ in range(draw(st.integers(1, 3))):
            markdown, target, first = draw(_link(len(expected)))
            expected.append((target, first))
            pieces.append(f"{draw(_FILLER)} {markdown} {draw(_FILLER)}")
        line = " ".join(pieces)
        container = draw(
            st.sampled_from(["paragraph", "heading", "list", "nested", "quote", "table", "wrap"])
        )
        if container == "heading":
            blocks.append(f"## {line}")
        elif container == "list":
            blocks.append(f"- item\n- {line}")
        elif container == "nested":
            blocks.append(f"1. one\n   - two\n     > {line}")
        elif container == "quote":
            blocks.append(f"> quoted\n> {line}")
        elif container == "table":
            blocks.append(f"| a | b |\n|---|---|\n| {draw(_FILLER) or 'x'} | {line} |")
        elif container == "wrap":
            blocks.append(line.replace(" ", "\n", 1))  # a soft break inside the paragraph
        else:
            blocks.append(line)
    return "\n\n".join(blocks) + "\n", expected


@given(
    _document(),
    st.sampled_from(["", "---\ntitle: T\nowner: [a, b]\n---\n"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_link_position_points_at_the_link(
    document: tuple[str, list[tuple[str, str]]], front: str, newline: str, bom: bool
) -> None:
    body, expected = document
    text = (front + body).replace("\n", newline)
    raw = ("\ufeff" if bom else "") + text
    article = parse_article(raw.encode("utf-8"), "a.md", SETTINGS)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = [(link.target, lines[link.line - 1][link.column - 1]) for link in article.links]
    assert found == expected


# --- dates ---------------------------------------------------------------------------------------


@given(st.dates())
def test_iso_dates_parse_back(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"  {day.isoformat()} ") == day


@given(
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    st.sampled_from([" ", "T"]),
)
def test_datetimes_mean_the_day_as_written(moment: datetime, separator: str) -> None:
    assume(moment.year >= 1000)
    written = moment.isoformat(sep=separator)
    assert parse_date(written) == moment.date()
    assert parse_date(moment) == moment.date()


@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(["%d/%m/%Y", "%m/%d/%Y", "%d %B %Y"]))
def test_configured_formats_parse_back(day: date, fmt: str) -> None:
    assert parse_date(day.strftime(fmt), (fmt,)) == day


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.booleans(), st.none()))
def test_anything_else_is_a_value_error_never_a_crash(value: object) -> None:
    for parse in (parse_date, parse_interval, parse_duration):
        try:
            parse(value)
        except ValueError as error:
            assert str(error)  # a reason to show
        except OverflowError:
            pytest.fail(f"{parse.__name__}({value!r}) overflowed")


@given(
    st.one_of(
        st.dates(),
        st.datetimes(timezones=st.just(timezone(timedelta(hours=-11)))),
        st.text(max_size=30),
        st.integers(),
        st.lists(st.integers(), max_size=3),
    )
)
@settings(max_examples=200)
def test_a_review_date_in_front_matter_is_a_date_or_a_finding(value: object) -> None:
    written = value.isoformat() if isinstance(value, (date, datetime)) else json.dumps(value)
    article = parse_article(f"---\nlast_reviewed: {written}\n---\n".encode(), "a.md", SETTINGS)
    if isinstance(value, (date, datetime)):
        expected = value.date() if isinstance(value, datetime) else value
        assert (article.last_reviewed, article.problems) == (expected, ())
    elif article.last_reviewed is None:
        assert [problem.rule for problem in article.problems] == ["frontmatter/invalid"]
        assert article.problems[0].line == 2


# --- anchors -------------------------------------------------------------------------------------

_HEADING = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=30,
)


@given(st.lists(_HEADING, min_size=1, max_size=4), st.sampled_from(ANCHOR_STYLES))
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_anchor_of_every_heading_is_accepted_by_the_link_check(
    tmp_path_factory: pytest.TempPathFactory, headings: list[str], style: str
) -> None:
    """Slug a page's headings through the parser, link to each anchor from another page (as a
    URL would write it: percent-encoded), and the link check finds every one of them."""
    from urllib.parse import quote

    page = "".join(f"# {heading}\n\ntext\n\n" for heading in headings)
    parsed = parse_article(page.encode(), "page.md", ParseSettings(anchor_style=style))
    anchors = [heading.anchor for heading in parsed.headings if heading.anchor]
    assume(anchors)
    links = "".join(f"- [to]({quote('page.md#' + anchor, safe='/#')})\n" for anchor in anchors)
    root = write_tree(
        tmp_path_factory.mktemp("anchors"),
        {
            "kbcheck.toml": f'anchor_style = "{style}"\n',
            "page.md": page,
            "index.md": links,
        },
    )
    found = [f for f in run_kb(root, select=("links/broken-anchor",)).report.findings]
    assert found == []


# --- verify and check agree ----------------------------------------------------------------------


_YAMLISH = st.text(string.ascii_letters + string.digits + " :-_'\"#[]{},&*!|>\n\r\t", max_size=80)
_ANY_ARTICLE = st.one_of(
    st.text(max_size=200),
    st.builds(lambda block, body: f"---\n{block}\n---\n{body}", _YAMLISH, st.text(max_size=40)),
)


@given(_ANY_ARTICLE, st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
@settings(max_examples=400)
def test_verify_either_records_the_review_or_refuses(text: str, reviewed: date) -> None:
    """On any text `verify` gives a result that `check` reads as reviewed that day, with every
    other key unchanged, or refuses with a VerifyError: never another exception. (A NUL byte
    makes a binary file, which `verify` refuses before editing.)"""
    assume("\x00" not in text)
    try:
        result = record_review(text, reviewed, "ana@example.com")
    except VerifyError:
        return
    before = parse_article(text.encode(), "a.md", SETTINGS)
    after = parse_article(result.encode(), "a.md", SETTINGS)
    assert after.last_reviewed == reviewed
    assert after.meta.get("reviewed_by") == "ana@example.com"
    unchanged = {k: v for k, v in after.meta.items() if k not in ("last_reviewed", "reviewed_by")}
    assert unchanged == {
        k: v for k, v in before.meta.items() if k not in ("last_reviewed", "reviewed_by")
    }


# --- no bytes make the parser raise --------------------------------------------------------------


@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")))
@settings(max_examples=300)
def test_the_parser_never_raises(raw: bytes) -> None:
    article = parse_article(raw, "a.md", SETTINGS)
    text = raw.decode("utf-8", "replace")
    line_count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for link in article.links:
        assert 1 <= link.line <= line_count
    for problem in article.problems:
        assert problem.line is None or 1 <= problem.line <= line_count


_JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda value: round(value, 2)),
    st.text(),
)
_JSON_DATA = st.recursive(
    _JSON_LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=30,
)


@given(_JSON_DATA)
def test_report_json_is_written_as_the_standard_library_writes_it(data: object) -> None:
    # The fast path (orjson) must not change a byte of what --format json/sarif printed
    # before it: scores are rounded to hundredths, so no float needs an exponent.
    assert json_report.dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_what_orjson_refuses_is_still_written() -> None:
    for data in ({"text": "lone \ud800 surrogate"}, {"big": 2**70}):
        assert json_report.dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)
