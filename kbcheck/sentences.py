"""The sentences of an article's prose and their words, as rules and claim extraction read them.

A sentence knows where it sits in the file and, in a table cell, what the cell is about (the
cell's own text rarely says). Its words carry their normalised form and what they can tell
about a value next to them: whether they can be part of its subject, negate it or name a
product. Words are normalised with `kbcheck.values.normalise_word`, as a count's noun is, so
both sides of every comparison agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kbcheck.model import TextBlock
from kbcheck.values import STOP_WORDS, is_unit_or_number_word, normalise_word, word_set

_NEGATIONS = word_set(
    "not no never cannot can't won't don't doesn't isn't aren't without except unless neither "
    "nor none"
)
#: Words that change what a number means: a monthly and an annual price are different claims,
#: so two subjects must agree on these to be the same subject.
_QUALIFIER_WORDS = (
    "monthly annual annually yearly weekly daily hourly first last minimum maximum max min "
    "free paid trial initial extra additional total new old"
)
QUALIFIERS = frozenset(normalise_word(word) for word in _QUALIFIER_WORDS.split())
_WORD = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*")
#: Where a clause ends: the next word's capital says nothing, and a subject never reaches back
#: past it.
CLAUSE_BREAK = re.compile(r"[;:()\[\]{}—]|\s[-–]\s")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "no.", "min.", "max.")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; "e.g." and decimals do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start() + 1]
        if before.lower().endswith(_ABBREVIATIONS):
            continue
        spans.append((start, match.start() + 1))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


@dataclass(frozen=True)
class Sentence:
    """One sentence of a block's prose. `context` is what a table cell is about (its row's
    first cell and its column header), empty elsewhere."""

    block: TextBlock
    start: int  # offset of the sentence in block.text
    text: str
    context: str = ""

    def position(self, offset: int) -> tuple[int, int]:
        """File line and column of an offset in this sentence."""
        return self.block.position(self.start + offset)


def table_context(block: TextBlock) -> str:
    """What a table cell is about, "row label / column header"; empty for other blocks."""
    if block.kind != "table-cell":
        return ""
    header, row_label = (*block.context, "", "")[:2]
    return " / ".join(part for part in (row_label, header) if part)


def block_sentences(block: TextBlock) -> Iterator[Sentence]:
    """A block's sentences; a table cell's carry its row and column, which say what a bare
    number in it counts."""
    context = table_context(block)
    for start, end in split_sentences(block.text):
        yield Sentence(block, start, block.text[start:end], context)


@dataclass(slots=True)
class Token:
    """A word of a sentence, with what it can tell about a value next to it."""

    start: int
    end: int
    raw: str
    word: str
    content: bool  # a word that can be part of a subject
    negation: bool
    initial: bool  # first word of its sentence or clause: its capital says nothing


def tokenise(text: str, start: int, end: int, heading_like: bool = False) -> list[Token]:
    """Words with their normalised form. In headings and table cells every word may be
    capitalised, so there a capital never marks a name."""
    tokens = []
    initial = True
    position = start
    for match in _WORD.finditer(text, start, end):
        word_start, word_end = match.span()
        if word_start - position > 1 or text[position:word_start] not in ("", " "):
            between = text[position:word_start]
            if CLAUSE_BREAK.search(between) or "*" in between or '"' in between:
                initial = True
        raw = match.group(0)
        word, content, negation = _traits(raw)
        tokens.append(
            Token(word_start, word_end, raw, word, content, negation, initial or heading_like)
        )
        initial = False
        position = word_end
    return tokens


@lru_cache(maxsize=65536)
def _traits(raw: str) -> tuple[str, bool, bool]:
    """A word's normalised form, whether it can be part of a subject (not a stop word, a unit
    or a number word) and whether it negates; cached, as a knowledge base reuses its words."""
    word = normalise_word(raw)
    lowered = raw.lower().replace("’", "'")
    content = not (
        lowered in STOP_WORDS
        or word in STOP_WORDS
        or len(word) < 2
        or is_unit_or_number_word(lowered)
    )
    return word, content, lowered in _NEGATIONS or lowered.endswith("n't")
