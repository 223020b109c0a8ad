"""Cutting and wrapping text measured in terminal cells, exactly as Rich does it.

The pretty report used to lay out every flagged article as a pair of Rich tables; with
thousands of articles that took seconds, nearly all of it in Rich measuring and padding cells
that are always the same shape. The report now writes those lines itself with these few
functions, which give the same lines Rich gives (a test compares them with Rich's own `Text`),
so the output does not change. Widths come from `rich.cells`, so wide characters (CJK, emoji)
and zero-width ones count as Rich counts them.
"""

from __future__ import annotations

import re
from itertools import pairwise

from rich.cells import cell_len, chop_cells, set_cell_size
from rich.color import ColorSystem
from rich.style import Style

#: A word and the white space after it: the unit Rich's word wrap moves to the next line.
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
_NON_SPACE = re.compile(r"[^ ]")

#: Characters one cell wide that never combine with their neighbours: printable ASCII and the
#: arrows, marks and punctuation of kbcheck's own messages. Text made only of these (nearly
#: all text in a report) is measured with `len`, without asking Rich character by character.
_ONE_CELL = frozenset(
    character
    for character in [*map(chr, range(0x20, 0x7F)), *"→←…—–‘’“”•·✔✖▲●█─"]
    if cell_len(character) == 1
)


def cells(text: str) -> int:
    """The cells `text` takes on a terminal, as Rich counts them."""
    return len(text) if _ONE_CELL.issuperset(text) else cell_len(text)


def measure(text: str) -> int:
    """The cells the widest line of `text` needs, as Rich measures a `Text` when it sizes a
    table column (it splits lines as `str.splitlines` does, so U+2028 counts as a break)."""
    if _ONE_CELL.issuperset(text):
        return len(text)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells with an ellipsis when it is longer (Rich's
    `overflow="ellipsis"`); nothing at all when there is no room."""
    if width <= 0:
        return ""
    if cells(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"


def crop(text: str, width: int) -> str:
    """`text` cut to `width` cells, as a terminal (and Rich's console) cuts a long line."""
    return text if cells(text) <= width else set_cell_size(text, max(0, width))


def _break_offsets(text: str, width: int) -> list[int]:
    """Where to break `text` so each line fits `width` cells: at word starts, and inside a
    word too long for any line (Rich's `divide_line` with folding)."""
    breaks: list[int] = []
    used = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = cell_len(word.rstrip())
        if width - used >= length:
            used += cell_len(word)
        elif length > width:
            pieces = chop_cells(word, width)
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            used = cell_len(pieces[-1])
        elif used and start:
            breaks.append(start)
            used = cell_len(word)
    return breaks


def _one_cell_break_offsets(text: str, width: int) -> list[int]:
    """`_break_offsets` for text whose every character is one cell and whose only white space
    is the space (all of `_ONE_CELL`): positions are widths, so it jumps from line to line
    instead of walking word by word. A line starting at `start` takes every word that ends
    by `start + width`; the first word that does not is moved to the next line, or folded
    every `width` characters when it is longer than a line."""
    breaks: list[int] = []
    end_of_text = len(text.rstrip(" "))
    first_word = len(text) - len(text.lstrip(" "))
    start = 0
    while start + width < end_of_text:
        # the first word reaching past the line: the one holding its first non-space at or
        # after the edge
        found = _NON_SPACE.search(text, start + width)
        assert found is not None  # the line is longer than the width, so past it is text
        overflow = found.start()
        word = text.rfind(" ", 0, overflow) + 1
        if word <= first_word:
            word = 0  # the first word owns the spaces before it
        word_end = text.find(" ", overflow)
        word_end = len(text) if word_end < 0 else word_end
        if word_end - word > width:  # longer than a line: folded, trailing spaces included
            after = _NON_SPACE.search(text, word_end)
            pieces = range(word, after.start() if after else len(text), width)
            breaks.extend(piece for piece in pieces if piece)
            start = pieces[-1]
        else:
            breaks.append(word)
            start = word
    return breaks


def wrap(text: str, width: int) -> list[str]:
    """One line of text word-wrapped to `width` cells, long words folded (Rich's
    `overflow="fold"`). White space after a word stays at the end of its line, as in Rich,
    unless it would overflow the width."""
    if len(text) <= width and text.isascii():
        return [text]  # the common case: ASCII is at most a cell a character
    if _ONE_CELL.issuperset(text):
        if len(text) <= width:
            return [text]
        offsets = [0, *_one_cell_break_offsets(text, width), len(text)]
        # every line fits but for the spaces after its last word
        return [
            text[start:end][: max(width, len(text[start:end].rstrip(" ")))]
            for start, end in pairwise(offsets)
        ]
    size = cell_len(text)
    if len(text) <= width and size <= width:
        return [text]
    offsets = [0, *(_break_offsets(text, width) if size > width else []), len(text)]
    lines = []
    for start, end in pairwise(offsets):
        line = text[start:end]
        excess = len(line) - width
        if excess > 0:
            trailing = _TRAILING_SPACE.search(line)
            if trailing is not None:
                line = line[: len(line) - min(len(trailing.group()), excess)]
        if cell_len(line) > width:
            line = set_cell_size(line, width)
        lines.append(line)
    return lines


class Painter:
    """Styles text with the escape codes Rich writes for the same style on a standard
    16-colour terminal, or leaves it plain when colour is off."""

    def __init__(self, color: bool) -> None:
        self.color = color
        self._styles: dict[str, Style] = {}

    def __call__(self, text: str, style: str) -> str:
        if not self.color or not style or not text:
            return text
        parsed = self._styles.get(style)
        if parsed is None:
            parsed = self._styles[style] = Style.parse(style)
        return parsed.render(text, color_system=ColorSystem.STANDARD)
