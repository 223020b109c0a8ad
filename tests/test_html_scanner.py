"""The linear HTML scanner: the same anchors, links, images and comments as the standard
library's `html.parser` on well-formed HTML, and linear time on the inputs that make
`html.parser` quadratic."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbcheck.html_scanner import scan_html


class _Reference(HTMLParser):
    """What kbcheck collected with `html.parser` before the scanner replaced it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.found.append(("anchor", value, line - 1, column))
            elif (tag == "a" and name == "href") or (tag in ("img", "source") and name == "src"):
                self.found.append(("link" if tag == "a" else "image", value, line - 1, column))

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        line, column = self.getpos()
        self.found.append(("comment", data, line - 1, column))


def reference(text: str) -> list[tuple[str, str, int, int]]:
    parser = _Reference()
    parser.feed(text)
    parser.close()
    return parser.found


_names = st.sampled_from(["a", "img", "div", "span", "source", "A", "IMG", "p"])
_attribute_names = st.sampled_from(["id", "name", "href", "src", "class", "ID", "data-x"])
_values = st.text(
    st.characters(codec="utf-8", exclude_characters="\"'<>&\r\x00"), max_size=12
) | st.sampled_from(["a&amp;b", "x&lt;y", "caf&eacute;", "1&#x41;"])
_space = st.sampled_from([" ", "  ", "\n", "\t", " \n "])


@st.composite
def _tag(draw: st.DrawFn) -> str:
    name = draw(_names)
    attributes = draw(st.lists(_attribute_names, unique_by=str.lower, max_size=4))
    parts = [f"<{name}"]
    for attribute in attributes:
        value = draw(_values)
        quote = draw(st.sampled_from(['"', "'"]))
        parts.append(f"{draw(_space)}{attribute}={quote}{value}{quote}")
    parts.append(draw(st.sampled_from([">", " />", "/>", "\n>"])))
    return "".join(parts)


_comment = st.builds(
    lambda text: f"<!--{text}-->",
    st.text(st.characters(codec="utf-8", exclude_characters="-<>\r\x00"), max_size=20),
)
_text = st.text(st.characters(codec="utf-8", exclude_characters="<&\r\x00"), max_size=20)
_closing = st.builds(lambda name: f"</{name}>", _names)
_document = st.lists(st.one_of(_tag(), _comment, _text, _closing), max_size=12).map("".join)


@given(_document)
@settings(max_examples=300, deadline=None)
def test_same_items_as_the_standard_parser_on_well_formed_html(document: str) -> None:
    assert scan_html(document) == reference(document)


def test_first_of_duplicate_attributes_wins_as_in_a_browser() -> None:
    assert scan_html('<a href="first.md" HREF="second.md">') == [("link", "first.md", 0, 0)]


def test_unclosed_constructs() -> None:
    assert scan_html('<a href="x.md"') == []  # cut off by the end: dropped
    assert scan_html("text <!-- kbcheck-disable\nmore") == [
        ("comment", " kbcheck-disable\nmore", 0, 5)
    ]
    assert scan_html('<script>"<a href=x.md>"</script><img src="i.png">') == [
        ("image", "i.png", 0, 32)
    ]


@pytest.mark.parametrize(
    "unit", ["<!--", "<a ", "<a", "</", "<!", "<?", '<a b="', "<a b='x' ", "<a\n", "<!DOCTYPE"]
)
def test_a_megabyte_of_unfinished_constructs_ends(unit: str) -> None:
    """html.parser needs 74 s for 60 KB of `<a ` and four times that for twice the input; a
    linear scan does a megabyte in well under a second. The bound is generous on purpose: it
    tells a hang from a slow machine, it is not a benchmark."""
    text = unit * (1_000_000 // len(unit))
    started = time.perf_counter()
    scan_html(text)
    assert time.perf_counter() - started < 10.0
