"""Quantitative claims in an article's prose: a value with its unit, and the words it is about.

"Password reset links expire after 24 hours" is a claim whose value (`kbcheck.values`) is a
duration of 86,400 seconds and whose subject is {password, reset, link, expire}: the content
words around the value in its clause, normalised for case, simple plurals and verb endings,
stop words left out (`kbcheck.sentences`). Only `Article.blocks` is read, so code, front matter
and URLs are never claims.

Everything here is a pure function of text: the contradiction rules decide what to compare.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from kbcheck.model import Article
from kbcheck.sentences import CLAUSE_BREAK, QUALIFIERS, Sentence, Token, block_sentences, tokenise
from kbcheck.values import (
    Found,
    Value,
    find_bare_number,
    find_values,
    may_hold_value,
    word_set,
)

_CONJUNCTIONS = word_set("and or but so then because while which where when if unless")
_AFTER_BREAK = re.compile(r"[,;:()\[\]{}—]|\s[-–]\s")

_BEFORE_WORDS = 8
_AFTER_WORDS = 3


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
        for token in tokenise(sentence.context, 0, len(sentence.context), heading_like=True)
        if token.content
    ]
    tokens = tokenise(text, 0, len(text), heading_like=sentence.block.kind != "paragraph")
    starts = [token.start for token in tokens]
    for index, item in enumerate(found):
        previous_end = found[index - 1].end if index else 0
        next_start = found[index + 1].start if index + 1 < len(found) else len(text)
        yield _claim(sentence, item, tokens, starts, previous_end, next_start, context_tokens)


def _claim(
    sentence_info: Sentence,
    item: Found,
    tokens: list[Token],
    starts: list[int],
    previous_end: int,
    next_start: int,
    context_tokens: list[Token],
) -> Claim:
    sentence = sentence_info.text
    clause_start = previous_end
    for match in CLAUSE_BREAK.finditer(sentence, previous_end, item.start):
        clause_start = match.end()
    before = tokens[bisect_left(starts, clause_start) : bisect_left(starts, item.start)]
    negated = any(token.negation for token in before)
    chosen = [token for token in before if token.content][-_BEFORE_WORDS:]

    after_end = next_start
    breaker = _AFTER_BREAK.search(sentence, item.end, next_start)
    if breaker:
        after_end = breaker.start()
    after: list[Token] = []
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


def _is_capitalised(raw: str) -> bool:
    return raw[:1].isupper()


# --- the per-article summary -------------------------------------------------------------------
