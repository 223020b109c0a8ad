"""The tags and comments of raw HTML in Markdown, in one linear pass.

kbcheck needs little from HTML: the `id`/`name` anchors, the `href` of links and `src` of
images, and `<!-- kbcheck-... -->` comments, each with its position. The standard library's
`html.parser` would find them, but it rescans unfinished constructs (an unclosed `<!--`,
`<a ` without its `>`) from the start on every call, which is quadratic: a 60 KB HTML block of
`<a ` took over a minute. This scanner follows the HTML tokenizer's states (WHATWG HTML,
"Tokenization") for just these constructs and moves forward only, so its time is linear in
the input whatever the input is. Like a browser, it keeps the first of duplicate attributes,
drops a tag cut off by the end of the input, and lets an unclosed comment run to the end.
"""

from __future__ import annotations

import html
import re

#: (kind, value, line, column): kind is "anchor", "link", "image" or "comment"; line and
#: column are 0-based within the scanned text and point at the `<` that starts the tag.
HtmlItem = tuple[str, str, int, int]

_SPACE = re.compile(r"[\t\n\f\r ]*")
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f\r />=][^\t\n\f\r />=]*|=[^\t\n\f\r />=]*")
_UNQUOTED_VALUE = re.compile(r"[^\t\n\f\r >]*")
#: Elements whose content is raw text, not markup (as `html.parser` treats them).
_RAW_TEXT = frozenset({"script", "style"})


class _Positions:
    """Line and column of increasing offsets, counting each newline once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 0
        self.line_start = 0

    def at(self, offset: int) -> tuple[int, int]:
        newlines = self.text.count("\n", self.offset, offset)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.offset, offset) + 1
        self.offset = offset
        return self.line, offset - self.line_start


def scan_html(text: str) -> list[HtmlItem]:
    """Anchors, links, images and comments in `text`, in document order."""
    found: list[HtmlItem] = []
    positions = _Positions(text)
    end = len(text)
    pos = text.find("<")
    while 0 <= pos < end - 1:
        following = text[pos + 1]
        if text.startswith("<!--", pos):
            pos = _comment(text, pos, positions, found)
        elif following in "!?":
            pos = _bogus_comment(text, pos + 2)
        elif following == "/":
            if pos + 2 < end and text[pos + 2].isascii() and text[pos + 2].isalpha():
                pos = _tag(text, pos + 2, None)[0]  # an end tag: attributes read, not kept
            else:
                pos = _bogus_comment(text, pos + 2)
        elif following.isascii() and following.isalpha():
            line, column = positions.at(pos)
            pos, name, attributes = _tag(text, pos + 1, {})
            if pos < 0:
                break  # the input ends inside the tag: a browser drops it
            _report_tag(name, attributes or {}, line, column, found)
            if name in _RAW_TEXT:
                pos = _end_of_raw_text(text, pos, name)
        else:
            pos += 1
        if pos < 0:
            break
        pos = text.find("<", pos)
    return found


def _comment(text: str, start: int, positions: _Positions, found: list[HtmlItem]) -> int:
    """`<!--` at `start`: record the comment and return where scanning resumes (-1: end)."""
    body_start = start + 4
    if text.startswith(">", body_start) or text.startswith("->", body_start):
        close, after = body_start, text.find(">", body_start) + 1  # `<!-->`, `<!--->`
    else:
        dashes = text.find("-->", body_start)
        bang = text.find("--!>", body_start)
        if bang >= 0 and (dashes < 0 or bang < dashes):
            close, after = bang, bang + 4
        elif dashes >= 0:
            close, after = dashes, dashes + 3
        else:
            close, after = len(text), -1  # unclosed: the comment runs to the end
    line, column = positions.at(start)
    found.append(("comment", text[body_start:close], line, column))
    return after


def _bogus_comment(text: str, start: int) -> int:
    """`<!DOCTYPE ...>`, `<?xml ...?>`, `</ >`: skipped up to the next `>`."""
    close = text.find(">", start)
    return close + 1 if close >= 0 else -1


def _tag(
    text: str, start: int, attributes: dict[str, str | None] | None
) -> tuple[int, str, dict[str, str | None] | None]:
    """Read a tag whose name starts at `start`; return the offset after its `>` (-1 when the
    input ends first), the lower-cased name and, when `attributes` is given, the attributes
    (first of duplicates kept, values unescaped, None for a bare attribute)."""
    end = len(text)
    match = _TAG_NAME.match(text, start)
    assert match is not None  # the pattern accepts the empty string
    name = match.group().lower()
    pos = match.end()
    while pos < end:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            break
        char = text[pos]
        if char == ">":
            return pos + 1, name, attributes
        if char == "/":
            pos += 1
            continue
        match = _ATTRIBUTE_NAME.match(text, pos)
        assert match is not None  # `char` is none of the characters that end a name
        attribute = match.group().lower()
        pos = _SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
        value: str | None = None
        if pos < end and text[pos] == "=":
            pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            if pos < end and text[pos] in "\"'":
                close = text.find(text[pos], pos + 1)
                if close < 0:
                    return -1, name, attributes
                value, pos = text[pos + 1 : close], close + 1
            else:
                match = _UNQUOTED_VALUE.match(text, pos)
                assert match is not None
                value, pos = match.group(), match.end()
            value = html.unescape(value)
        if attributes is not None and attribute not in attributes:
            attributes[attribute] = value
    return -1, name, attributes


def _end_of_raw_text(text: str, pos: int, name: str) -> int:
    """Skip the content of `<script>` / `<style>` up to its end tag (-1: to the end)."""
    match = re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE).search(text, pos)
    return match.start() if match else -1


def _report_tag(
    tag: str, attributes: dict[str, str | None], line: int, column: int, found: list[HtmlItem]
) -> None:
    for name, value in attributes.items():
        if value is None:
            continue
        if name == "id" or (name == "name" and tag == "a"):
            found.append(("anchor", value, line, column))
        elif (tag == "a" and name == "href") or (tag in ("img", "source") and name == "src"):
            found.append(("link" if tag == "a" else "image", value, line, column))
