"""Quantitative claims in an article's prose: a value with its unit, and the words it is about.

"Password reset links expire after 24 hours" is a claim whose value is a duration of 86,400
seconds and whose subject is {password, reset, link, expire}. Values are normalised so that
equal things compare equal ("24 hours" = "1 day", "$29" = "USD 29" = "29 dollars",
"5 GB" = "5120 MB", "9am-5pm" = "09:00–17:00"); subjects are normalised for case, simple
plurals and verb endings, and stop words. Only `Article.blocks` is read, so code, front matter
and URLs are never claims.

Everything here is a pure function of text: the contradiction rules decide what to compare.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kbcheck.model import Article, TextBlock
from kbcheck.summaries import Summary
from kbcheck.values import (
    STOP_WORDS,
    Found,
    Value,
    decode_amount,
    encode_amount,
    find_bare_number,
    find_values,
    is_unit_or_number_word,
    may_hold_value,
    normalise_word,
    word_set,
)

# --- words -------------------------------------------------------------------------------------


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
_CONJUNCTIONS = word_set("and or but so then because while which where when if unless")
_WORD = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*")
_CLAUSE_BREAK = re.compile(r"[;:()\[\]{}—]|\s[-–]\s")
_AFTER_BREAK = re.compile(r"[,;:()\[\]{}—]|\s[-–]\s")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "no.", "min.", "max.")

_BEFORE_WORDS = 8
_AFTER_WORDS = 3


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


QUALIFIERS = frozenset(normalise_word(word) for word in _QUALIFIER_WORDS.split())

# --- claims ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A value stated in an article, and the words it is about.

    `subject` holds the normalised content words around the value (up to eight before it in
    the same clause and three after it) and `words` the same in reading order; `proper` the
    ones written with a capital letter in the middle of a sentence (product and plan names),
    `plain` the ones written in lower case; `negated` says whether the clause before the value
    is negative ("not within 30 days")."""

    value: Value
    text: str
    words: tuple[str, ...]  # the subject in reading order, each word once
    subject: frozenset[str]
    proper: frozenset[str]
    plain: frozenset[str]
    negated: bool
    phrase: str
    line: int
    column: int

    @property
    def qualifiers(self) -> frozenset[str]:
        return self.subject & QUALIFIERS


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    raw: str
    word: str
    content: bool  # a word that can be part of a subject
    negation: bool
    initial: bool  # first word of its sentence or clause: its capital says nothing


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
    context = table_context(block)
    for start, end in split_sentences(block.text):
        yield Sentence(block, start, block.text[start:end], context)


def extract_claims(article: Article, counts: bool = True) -> list[Claim]:
    """Every claim in an article's prose, in reading order."""
    claims: list[Claim] = []
    for block in article.blocks:
        if may_hold_value(block.text):
            for sentence in block_sentences(block):
                claims.extend(sentence_claims(sentence, counts))
    return claims


def sentence_claims(sentence: Sentence, counts: bool = True) -> Iterator[Claim]:
    text = sentence.text
    found = find_values(text, counts)
    if not found and sentence.context:
        bare = find_bare_number(text)
        if bare:
            found = [bare]
    if not found:
        return
    context_tokens = [
        token
        for token in _tokens(sentence.context, 0, len(sentence.context), heading_like=True)
        if token.content
    ]
    tokens = _tokens(text, 0, len(text), heading_like=sentence.block.kind != "paragraph")
    starts = [token.start for token in tokens]
    for index, item in enumerate(found):
        previous_end = found[index - 1].end if index else 0
        next_start = found[index + 1].start if index + 1 < len(found) else len(text)
        yield _claim(sentence, item, tokens, starts, previous_end, next_start, context_tokens)


def _tokens(text: str, start: int, end: int, heading_like: bool = False) -> list[_Token]:
    """Words with their normalised form. In headings and table cells every word may be
    capitalised, so there a capital never marks a name."""
    tokens = []
    initial = True
    position = start
    for match in _WORD.finditer(text, start, end):
        word_start, word_end = match.span()
        if word_start - position > 1 or text[position:word_start] not in ("", " "):
            between = text[position:word_start]
            if _CLAUSE_BREAK.search(between) or "*" in between or '"' in between:
                initial = True
        raw = match.group(0)
        word, content, negation = _traits(raw)
        tokens.append(
            _Token(word_start, word_end, raw, word, content, negation, initial or heading_like)
        )
        initial = False
        position = word_end
    return tokens


def _claim(
    sentence_info: Sentence,
    item: Found,
    tokens: list[_Token],
    starts: list[int],
    previous_end: int,
    next_start: int,
    context_tokens: list[_Token],
) -> Claim:
    sentence = sentence_info.text
    clause_start = previous_end
    for match in _CLAUSE_BREAK.finditer(sentence, previous_end, item.start):
        clause_start = match.end()
    before = tokens[bisect_left(starts, clause_start) : bisect_left(starts, item.start)]
    negated = any(token.negation for token in before)
    chosen = [token for token in before if token.content][-_BEFORE_WORDS:]

    after_end = next_start
    breaker = _AFTER_BREAK.search(sentence, item.end, next_start)
    if breaker:
        after_end = breaker.start()
    after: list[_Token] = []
    for token in tokens[bisect_left(starts, item.end) :]:
        if token.end > after_end or token.raw.lower() in _CONJUNCTIONS:
            break
        if token.content:
            after.append(token)
            if len(after) == _AFTER_WORDS:
                break

    subject_tokens = [*context_tokens, *chosen, *after]
    phrase_start = chosen[0].start if chosen else item.start
    phrase_end = after[-1].end if after else item.end
    phrase = " ".join(sentence[phrase_start:phrase_end].split())
    if sentence_info.context:
        phrase = f"{sentence_info.context}: {phrase}"
    proper = {t.word for t in subject_tokens if not t.initial and _is_capitalised(t.raw)}
    plain = {t.word for t in subject_tokens if t.raw.islower()}
    line, column = sentence_info.position(item.start)
    return Claim(
        value=item.value,
        text=item.text(sentence),
        words=tuple(dict.fromkeys(token.word for token in subject_tokens)),
        subject=frozenset(token.word for token in subject_tokens),
        proper=frozenset(proper),
        plain=frozenset(plain),
        negated=negated,
        phrase=phrase,
        line=line,
        column=column,
    )


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


def _is_capitalised(raw: str) -> bool:
    return raw[:1].isupper()


# --- the per-article summary -------------------------------------------------------------------


def encode_claims(claims: list[Claim]) -> list[list[object]]:
    """Claims as JSON lists for the parse cache; `subject` is the set of `words`."""
    return [
        [
            claim.value.kind,
            claim.value.unit,
            [encode_amount(amount) for amount in claim.value.amount],
            claim.text,
            list(claim.words),
            sorted(claim.proper),
            sorted(claim.plain),
            claim.negated,
            claim.phrase,
            claim.line,
            claim.column,
        ]
        for claim in claims
    ]


def decode_claims(data: list[list[object]]) -> list[Claim]:
    claims = []
    for (
        kind,
        unit,
        amounts,
        text,
        claim_words,
        proper,
        plain,
        negated,
        phrase,
        line,
        column,
    ) in data:
        value = Value(str(kind), str(unit), tuple(decode_amount(item) for item in amounts))  # type: ignore[union-attr]
        subject_words = tuple(str(word) for word in claim_words)  # type: ignore[union-attr]
        claims.append(
            Claim(
                value=value,
                text=str(text),
                words=subject_words,
                subject=frozenset(subject_words),
                proper=frozenset(proper),  # type: ignore[arg-type]
                plain=frozenset(plain),  # type: ignore[arg-type]
                negated=bool(negated),
                phrase=str(phrase),
                line=int(line),  # type: ignore[call-overload]
                column=int(column),  # type: ignore[call-overload]
            )
        )
    return claims


def _all_claims(article: Article) -> list[Claim]:
    return extract_claims(article)


#: Every claim of an article, for the rules that compare articles with each other.
CLAIMS: Summary[list[Claim]] = Summary("claims", 1, _all_claims, encode_claims, decode_claims)
