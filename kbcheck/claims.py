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

from kbcheck.date_mentions import CODE_SPAN
from kbcheck.model import Article
from kbcheck.sentences import CLAUSE_BREAK, QUALIFIERS, Sentence, Token, block_sentences, tokenise
from kbcheck.values import (
    COUNT,
    NUMBER,
    Found,
    Value,
    find_bare_number,
    find_values,
    may_hold_value,
    normalise_word,
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
    #: Subject words written as inline code: the setting or parameter's own name.
    code: frozenset[str] = frozenset()

    @property
    def qualifiers(self) -> frozenset[str]:
        return self.subject & QUALIFIERS


#: Words that make a passage an illustration: its numbers are made up, not promises.
_EXAMPLE_WORDS = re.compile(
    r"(?<![\w@./-])(?:examples?|e\.g\.|for\s+instance|samples?|suppose|imagine|"
    r"let'?s\s+say|hypothetical(?:ly)?|illustrat\w*)(?![\w-]|\.\w)",
    re.IGNORECASE,
)
#: Verbs that open a step of a procedure.
_IMPERATIVES = frozenset(
    normalise_word(word)
    for word in word_set(
        """set limit wait use add enter type select choose click change make keep allow enable
        disable configure run increase decrease reduce specify give try restart check ensure
        leave allocate assign reserve expect plan"""
    )
)
#: A number right after one of these is a version, not a quantity ("version 5 clients").
_VERSION_WORDS = frozenset(("version", "v", "release", "build", "update", "edition"))
#: What may stand between a setting's name and the value it is given.
_GIVEN_TO = re.compile(
    r"(?:\s|[:=]|\b(?:is|are|of|to|be|at|defaults?|set|equals?|value|setting|parameter|"
    r"option|property|field|up)\b)*",
    re.IGNORECASE,
)
_LAST_WORD = re.compile(r"([\w+#-]+)\s*$")
#: A bound or a change is not the value itself: "more than 10 minutes" is no duration to
#: compare, "increase the quota by 10 GB" says nothing of the quota.
_BOUND_OR_CHANGE = re.compile(
    r"(?<![\w-])(?:more|less|fewer|longer|shorter|greater|larger|smaller|higher|lower)\s+than"
    r"\s+$|(?<![\w-])(?:by|over|under|exceeds?|exceeding)\s+$",
    re.IGNORECASE,
)


def extract_claims(article: Article, counts: bool = True) -> list[Claim]:
    """Every claim in an article's prose, in reading order. Examples are not claims: an
    article in an `examples`/`samples` folder, a section whose heading says example, and a
    sentence that says so ("for example, set it to 2 GB")."""
    folders = article.path.lower().split("/")[:-1]
    if any(_EXAMPLE_WORDS.fullmatch(folder) for folder in folders):
        return []
    claims: list[Claim] = []
    for block in article.blocks:
        if not may_hold_value(block.text):
            continue
        if any(_EXAMPLE_WORDS.search(part) for part in block.context):
            continue
        for sentence in block_sentences(block):
            if not _EXAMPLE_WORDS.search(sentence.text):
                claims.extend(sentence_claims(sentence, counts))
    return claims


def _names_a_product(sentence: str, item: Found) -> bool:
    """A count that is part of a name: a year or version after a capitalised word ("the
    Office 2016 suite", "Windows 10 devices", "Skype for Business 2015 clients"), a number
    after "version", or a year-like count on its own ("2019 servers")."""
    if item.value.kind not in (COUNT, NUMBER):
        return False
    digits = re.match(r"\d[\d.]*", sentence[item.start : item.end])
    if digits is None:
        return False
    number = digits.group(0)
    if len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2099:
        return True
    before = sentence[: item.start]
    word = _LAST_WORD.search(before, max(0, item.start - 40))
    if word is None:
        return False
    previous = word.group(1)
    if previous.lower() in _VERSION_WORDS:
        return True
    # a capital mid-sentence: the number continues a name ("Office 365 users")
    return previous[:1].isupper() and before[: word.start()].strip() != ""


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
    instruction = bool(tokens) and tokens[0].word in _IMPERATIVES
    for index, item in enumerate(found):
        if _names_a_product(text, item) or _BOUND_OR_CHANGE.search(text, 0, item.start):
            continue
        previous_end = found[index - 1].end if index else 0
        next_start = found[index + 1].start if index + 1 < len(found) else len(text)
        claim = _claim(sentence, item, tokens, starts, previous_end, next_start, context_tokens)
        # A step ("Wait 5 minutes", "Limit lines to 80 characters") is advice for the task at
        # hand; it states a fact to compare only when it names the setting it is about.
        if not instruction or claim.proper or claim.code:
            yield claim


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
    code = _setting_named(sentence, item, tokens, starts)
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
        code=frozenset(code),
    )


def _setting_named(sentence: str, item: Found, tokens: list[Token], starts: list[int]) -> set[str]:
    """The words of the inline code the value is given to: "`session_timeout` of 30 minutes",
    "set `MaxRetries` to 5 times", "`retention` defaults to 30 days". Code further away
    ("each `Page` object provides two methods") is mentioned, not valued."""
    if "`" not in sentence:
        return set()
    closest = None
    for match in CODE_SPAN.finditer(sentence, 0, item.start):
        closest = match
    if closest is None or not _GIVEN_TO.fullmatch(sentence, closest.end(), item.start):
        return set()
    inside = tokens[bisect_left(starts, closest.start()) : bisect_left(starts, closest.end())]
    return {token.word for token in inside}


def _is_capitalised(raw: str) -> bool:
    return raw[:1].isupper()


# --- the per-article summary -------------------------------------------------------------------
