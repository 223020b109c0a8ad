"""Contradiction rules: articles that state something other than the truth, or other than each
other, even when their review dates look fine.

All three are corpus rules: a canonical fact is checked in every selected article, and
conflicting values and near-duplicates are found by grouping (never by comparing every pair of
articles), with the unselected articles still counted as evidence.
"""

from __future__ import annotations

import math
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from kbcheck.claims import Claim, extract_claims
from kbcheck.config import Fact
from kbcheck.minhash import (
    Shingler,
    candidate_pairs,
    jaccard,
    pack,
    signature,
    words,
)
from kbcheck.model import Article, Finding, Location, Severity, TextBlock
from kbcheck.registry import ArticleRule, CorpusRule, Option, RuleContext
from kbcheck.sentences import block_sentences, table_context
from kbcheck.similarity import similar_subjects
from kbcheck.values import (
    COUNT,
    DURATION,
    EMAIL,
    MONEY,
    NUMBER,
    PHONE,
    SIZE,
    TIME,
    TIME_RANGE,
    Found,
    Value,
    find_values,
    normalise_word,
    word_set,
)

#: At most this many other articles are listed in `related`.
MAX_RELATED = 10


def _fraction_between_zero_and_one(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number between 0 and 1, got {value!r}")
    if not 0 < value <= 1:
        raise ValueError(f"expected a number between 0 and 1, got {value!r}")
    return float(value)


def _positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a positive whole number, got {value!r}")
    return value


def _describe(found_text: str, value: Value) -> str:
    """The value as written, with its canonical form when that reads differently."""
    canonical = value.describe()
    if canonical.replace(" ", "").lower() == found_text.replace(" ", "").lower():
        return f"'{found_text}'"
    return f"'{found_text}' ({canonical})"


# --- contradiction/fact-mismatch ---------------------------------------------------------------


class FactMismatch(ArticleRule):
    """The text states a configured canonical fact with another value.

    Why it matters:
        Prices, limits and time windows are the facts customers act on. When the refund window
        changes from 30 to 14 days, every article that still says 30 is now a promise the
        company will not keep. A `[facts.NAME]` entry says what is true once, and every article
        is held to it.

        The fact's `match` is a case-insensitive regular expression searched in each sentence
        (for a table cell: its row's first cell, its column header and the cell). A sentence
        that matches and states a value of the same kind as the fact's `value` (a duration, an
        amount in the same currency, a size, a count of the same noun, a time, an address) is
        checked. Equal values in other units are equal: "2 weeks" is "14 days", "24 hours" is
        "1 day", "5 GB" is "5120 MB", "$29 a month" is "$29"; months and years are not
        converted to days. A sentence that also states the canonical value is left alone.

    Example:
        ==> kbcheck.toml <==
        [facts.refund_window]
        value = "30 days"
        match = "refund (window|period)|refunds? (are|is) accepted"
        ==> billing/refunds.md <==
        # Refund policy

        Refunds are accepted within 14 days of the charge.

    Fix:
        Correct the article to the canonical value. If the fact itself changed, change its
        `value` in the configuration and let kbcheck list every article to update.
    """

    id = "contradiction/fact-mismatch"
    severity = Severity.ERROR

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        facts = ctx.config.facts
        if facts and article.readable:
            yield from self._check_article(article, facts, ctx)

    def _check_article(
        self, article: Article, facts: Sequence[Fact], ctx: RuleContext
    ) -> Iterator[Finding]:
        for block in article.blocks:
            # Most blocks mention no fact: test the whole block once before its sentences.
            block_text = f"{table_context(block)} {block.text}"
            present = [fact for fact in facts if fact.pattern.search(block_text)]
            if present:
                yield from self._check_sentences(article, block, present, ctx)

    def _check_sentences(
        self, article: Article, block: TextBlock, facts: Sequence[Fact], ctx: RuleContext
    ) -> Iterator[Finding]:
        for sentence in block_sentences(block):
            searched = f"{sentence.context} {sentence.text}" if sentence.context else sentence.text
            matches = [(fact, fact.pattern.search(searched)) for fact in facts]
            matched = [(fact, match) for fact, match in matches if match is not None]
            if not matched:
                continue
            values = find_values(sentence.text)
            offset = len(sentence.context) + 1 if sentence.context else 0
            for fact, match in matched:
                same_kind = [item for item in values if _comparable_to_fact(fact.value, item.value)]
                if not same_kind or any(_agrees(fact.value, item.value) for item in same_kind):
                    continue
                stated = _nearest(same_kind, match.start() - offset)
                line, column = sentence.position(stated.start)
                yield ctx.report(
                    article,
                    f"states {fact.name} as {_describe(stated.text(sentence.text), stated.value)}"
                    f", but the configured value is '{fact.value_text}'",
                    line=line,
                    column=column,
                    hint=f"change it to {fact.value_text}, or update [facts.{fact.name}] in the "
                    "configuration if the fact itself changed",
                )


def _comparable_to_fact(fact: Value, stated: Value) -> bool:
    """Same kind and unit; for money the same currency, and a price without a period ("$29")
    compares with one that has it ("$29 a month")."""
    if fact.dimension == stated.dimension:
        return True
    if fact.kind != MONEY or stated.kind != MONEY:
        return False
    fact_currency, _, fact_period = fact.unit.partition("/")
    stated_currency, _, stated_period = stated.unit.partition("/")
    return fact_currency == stated_currency and not (fact_period and stated_period)


def _agrees(fact: Value, stated: Value) -> bool:
    return fact == stated or (_comparable_to_fact(fact, stated) and fact.amount == stated.amount)


def _nearest(values: Sequence[Found], position: int) -> Found:
    """The value the matched words are about: the first one after them, else the last before."""
    after = [item for item in values if item.start >= position]
    return after[0] if after else values[-1]


# --- contradiction/conflicting-values ----------------------------------------------------------

#: A subject that takes more distinct values than this across the knowledge base is a phrase
#: used for many things ("costs $X"), not one fact stated inconsistently.
MAX_DISTINCT_VALUES = 3
#: "passed two arguments" and "passed three arguments" say little about what is counted, so
#: counts and bare table numbers need subjects that are nearly the same words.
COUNT_SIMILARITY = 0.8
#: A one-word subject ("Refunds within 30 days") is specific enough only with a unit that is
#: itself specific; "151% faster" and "13-22% faster" are not one fact.
_ONE_WORD_KINDS = frozenset((DURATION, MONEY, SIZE, TIME, TIME_RANGE))


#: Words that say what kind of quantity a number is, not what it belongs to: "the default
#: value is 30 seconds" names no setting, "called if the time lasts longer than 500 ms" no
#: event.
_GENERIC = frozenset(
    map(
        normalise_word,
        word_set(
            """default value example time size number amount total set setting parameter
            option call last long longer short shorter use take least most more less about
            around approximately only just each every get make need allow give go see find
            typically usually normally currently wait process command effect fully may might
            can could should will increase decrease reduce exceed change complete finish run
            start happen occur apply up"""
        ),
    )
)


def _worth_comparing(claim: Claim) -> bool:
    """A claim about a concrete thing: two words that name it, its name in inline code, or
    one word for a unit that is itself specific ("Refunds within 30 days"); never a subject
    of mostly words like "default" and "size" (the thing it is about is not in the
    sentence)."""
    if claim.value.kind in (EMAIL, PHONE) or not claim.subject:
        return False
    specific = claim.subject - _GENERIC
    if len(specific) > 1 or claim.code:
        return True  # two words that say what it is, or the setting's own name in code
    return len(claim.subject) == 1 and len(specific) == 1 and claim.value.kind in _ONE_WORD_KINDS


_DIGITS = re.compile(
    r"\d+|(?<![a-z])(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|q[1-4])(?![a-z])"
)
_DATED_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Words that make two pages one per platform ("install-windows", "install-linux").
_PLATFORMS = word_set(
    """windows linux mac macos osx ios android web desktop mobile iphone ipad chrome firefox
    safari edge"""
)
_NAME_PARTS = re.compile(r"[-_./ ]+")
_POST_FOLDERS = word_set("blog blogs news posts _posts announcements")
_OLD_FOLDERS = word_set("deprecated deprecated_images archive archived archives legacy retired")


def _by_design(first: str, second: str) -> bool:
    """Two pages that differ by design, whose values may differ too: one of a series (per
    year or per version: `2022-updates.md`, `2023-updates.md`), two dated posts (each true as
    of its date), a page in an archive (`deprecated/`, `legacy/`), or one page per platform
    (`install-windows.md`, `install-linux.md`)."""
    if _DIGITS.sub("#", first.lower()) == _DIGITS.sub("#", second.lower()):
        return True
    folders = {*first.lower().split("/")[:-1], *second.lower().split("/")[:-1]}
    if folders & _OLD_FOLDERS:
        return True  # a page kept for the record says what was true then
    if _POST_FOLDERS & set(first.lower().split("/")[:-1]) & set(second.lower().split("/")[:-1]):
        return True  # two posts of a blog: each true as of its date
    first_name, second_name = posixpath.basename(first), posixpath.basename(second)
    if _DATED_NAME.match(first_name) and _DATED_NAME.match(second_name):
        return True
    first_parts = [part for part in _NAME_PARTS.split(first.lower()) if part not in _PLATFORMS]
    second_parts = [part for part in _NAME_PARTS.split(second.lower()) if part not in _PLATFORMS]
    return first_parts == second_parts


def _other_values(around: Sequence[_Stated]) -> dict[Value, list[_Stated]]:
    """For claims about one subject: for each value, where the other values are stated (the
    first place in each article, by path). Empty unless they look like one fact stated
    differently: two or three values in all, and no article giving two values itself (then
    the subject varies by design: versions, plans, examples)."""
    first_in_article: dict[str, _Stated] = {}
    for item in sorted(around, key=lambda item: (item.path, item.claim.line)):
        known = first_in_article.setdefault(item.path, item)
        if known.claim.value != item.claim.value:
            return {}
    values = {item.claim.value for item in first_in_article.values()}
    if not 2 <= len(values) <= MAX_DISTINCT_VALUES:
        return {}
    return {
        value: [item for item in first_in_article.values() if item.claim.value != value]
        for value in values
    }


@dataclass(frozen=True, slots=True)
class _Stated:
    path: str
    claim: Claim


def _position(item: _Stated) -> tuple[int, int]:
    return (item.claim.line, item.claim.column)


class ConflictingValues(CorpusRule[list[Claim]]):
    """Two or more articles give different values for the same thing.

    Why it matters:
        When one article says refunds are accepted within 30 days and another says 14, at
        least one of them is wrong, and customers and agents quote whichever they found first.
        No configuration is needed: kbcheck compares what the articles say with each other.

        What it catches: the same subject stated with different values of the same kind in
        different articles: durations ("24 hours" vs "1 hour"), money in the same currency and
        period, percentages, sizes, counts of the same noun, times of day and opening hours,
        and numbers in tables (a cell's subject is its row's first cell and column header).
        The subject is the content words around the number in the same clause (up to eight
        before and three after; case, plurals and stop words ignored). Two subjects are the
        same when their words are alike enough (see `similarity`), they name the same
        products or plans (words the knowledge base writes capitalised mid-sentence), share
        the same qualifiers (monthly/annual, first/last, minimum/maximum, free/paid, trial,
        new) and are both negative or both positive. Each article involved gets one finding
        pointing at the others.

        What it does not catch, on purpose (precision matters more than recall here): equal
        values in other units ("24 hours" and "1 day" agree; "1 month" and "30 days" are not
        compared), the same number for different subjects (30 days of refunds and 30 days of
        trial), values within one article, subjects phrased with different words, one-word
        subjects of percentages and counts ("151% faster"), subjects for which an article
        itself gives two values or which take more than three values across the knowledge
        base (a phrase like "costs $X" used for many products), and pages in two versions of
        the docs (see `[site] variants`), which may differ by design. Email addresses and phone
        numbers are only checked against `[facts]`: teams legitimately publish different
        contacts.

    Example:
        ==> account/password.md <==
        # Resetting your password

        The reset link works once and expires after 60 minutes.
        ==> troubleshooting/login.md <==
        # Cannot sign in

        Password reset links expire after 24 hours, so request a new one if needed.

    Fix:
        Find out which value is right, correct the other articles, then add a `[facts.NAME]`
        entry so kbcheck holds every article to that value from now on.

    Options:
        `similarity` (0 to 1, default 0.6) is the Jaccard similarity two subjects' word sets
        need to be the same subject: {password, reset, link, expire} and {reset, link, work,
        expire} share 3 of 5 words, 0.6. Counts and bare table numbers always need 0.8.
    """

    id = "contradiction/conflicting-values"
    severity = Severity.WARNING
    options = (
        Option(
            "similarity",
            0.6,
            "how alike two subjects' words must be (Jaccard, 0-1) to be the same subject",
            _fraction_between_zero_and_one,
        ),
    )

    def extract(self, article: Article) -> list[Claim]:
        return extract_claims(article)

    def check(self, extracts: Mapping[str, list[Claim]], ctx: RuleContext) -> Iterable[Finding]:
        stated = [
            _Stated(path, claim)
            for path, claims in extracts.items()
            for claim in claims
            if _worth_comparing(claim)
        ]
        names = _names(stated)
        variant_of = ctx.corpus.variant_of
        Group = tuple[tuple[str, str], bool, frozenset[str], frozenset[str], str | None]
        groups: dict[Group, dict[tuple[str, ...], list[_Stated]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for item in stated:
            claim = item.claim
            # A setting named in code is the subject, whatever words surround it.
            subject = tuple(sorted(claim.code)) if claim.code else claim.words
            # Versions of the docs may differ by design: compared within one version only.
            key = (
                claim.value.dimension,
                claim.negated,
                claim.qualifiers,
                claim.code or claim.subject & names,
                variant_of(item.path),
            )
            groups[key][subject].append(item)

        # One finding per article and conflict: an article that repeats the claim is told once,
        # at its first statement.
        chosen: dict[tuple[str, frozenset[_Stated]], tuple[_Stated, list[_Stated]]] = {}
        for (dimension, *_), by_subject in groups.items():
            subjects = sorted(by_subject)
            threshold = ctx.options["similarity"]
            if dimension[0] in (COUNT, NUMBER) and dimension != (COUNT, "retry"):
                threshold = max(threshold, COUNT_SIMILARITY)
            neighbours = similar_subjects(subjects, threshold)
            for position, subject in enumerate(subjects):
                around = [
                    item for other in neighbours[position] for item in by_subject[subjects[other]]
                ]
                elsewhere = _other_values(around)
                for item in by_subject[subject] if elsewhere else ():
                    others = [
                        other
                        for other in elsewhere[item.claim.value]
                        if not _by_design(item.path, other.path)
                    ]
                    if not others:
                        continue
                    conflict = (item.path, frozenset(others))
                    known = chosen.get(conflict)
                    if known is None or _position(item) < _position(known[0]):
                        chosen[conflict] = (item, others)
        return [self._finding(item, others, ctx) for item, others in chosen.values()]

    def _finding(self, item: _Stated, others: list[_Stated], ctx: RuleContext) -> Finding:
        claim = item.claim
        if len(others) == 1:
            elsewhere = f'{others[0].path} says "{others[0].claim.phrase}"'
        else:
            quoted = ", ".join(f'"{other.claim.phrase}" ({other.path})' for other in others[:3])
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            elsewhere = f"{len(others)} other articles say otherwise: {quoted}{more}"
        return ctx.report(
            item.path,
            f'"{claim.phrase}" here, but {elsewhere}',
            line=claim.line,
            column=claim.column,
            hint="find out which value is right and correct the others; a [facts.NAME] entry "
            "in the configuration then keeps every article to it",
            related=[Location(other.path, other.claim.line) for other in others[:MAX_RELATED]],
        )


def _names(stated: Iterable[_Stated]) -> frozenset[str]:
    """Words the knowledge base writes capitalised mid-sentence more often than in lower case:
    product, plan and feature names, which must match for two subjects to be the same."""
    proper: Counter[str] = Counter()
    plain: Counter[str] = Counter()
    for item in stated:
        proper.update(item.claim.proper)
        plain.update(item.claim.plain)
    return frozenset(word for word, count in proper.items() if count > plain[word])


# --- contradiction/near-duplicate --------------------------------------------------------------


def _prose_words(article: Article) -> list[str]:
    return words(" ".join(block.text for block in article.blocks))


_SHINGLER = Shingler()


class ProseSignature(NamedTuple):
    """How many words of prose an article has, and the packed MinHash signature of its
    shingles (empty when it has too few words for one shingle)."""

    words: int
    signature: bytes


class NearDuplicate(CorpusRule[ProseSignature]):
    """Two articles are nearly the same text: two sources of truth for one answer.

    Why it matters:
        Copies drift. The day one of them is corrected, the other becomes wrong, and nobody
        knows it exists. Near-duplicates are also a sign that a topic has no clear home.

        Versions of the docs (Docusaurus `versioned_docs`, docfx folders built as one moniker,
        `[site] variants`) hold a copy of each page by design: pages are compared within
        their own version only.

    Example:
        ==> billing/refunds.md <==
        # Refund policy

        We refund any subscription charge if you ask within 30 days of the charge date. We
        refund the full amount, whatever the reason. Charges made in error, such as a double
        charge or a charge after you cancelled, are refunded at any time. Refunds go back to
        the payment method that was charged and usually appear within a few working days,
        depending on your bank. You also get a credit note for every refund we make.
        ==> billing/getting-a-refund.md <==
        # Getting a refund

        We refund any subscription charge if you ask within 30 days of the charge date. We
        refund the full amount, whatever the reason. Charges made in error, such as a double
        charge or a charge after you cancelled, are refunded at any time. Refunds go back to
        the payment method that was charged and usually appear within a few working days,
        depending on your bank. You also get a credit note for every refund.

    Fix:
        Merge the two into one article, and make the other a short pointer to it (or delete
        it and redirect its URL), so there is one place to keep correct. Two files of the
        same name in two folders are usually copies kept on purpose (one per product or
        audience): reconcile them, bringing each correction to both, or publish both from one
        shared include.

    Options:
        `threshold` (default 0.7) is the Jaccard similarity of the two articles' sets of
        five-word sequences from which they are reported; prose only, so code, front
        matter and link targets do not count. An article nearly like more than `max_copies`
        (default 4) others is one of a family made from a template and is not reported.
        Pages of one series (per year or per date), dated posts, blog posts, pages in archive
        folders, one page per platform, sibling pages named alike with one word swapped
        (`install-debian`, `install-ubuntu`) and reference pages named as code identifiers
        (`Ref`, `RelRef`) are never compared.
        `min_words` (default 50) skips articles too short to
        judge. Each article of a pair gets one finding naming the other, so either owner sees
        it whatever paths are checked; an article with several near-duplicates gets one
        finding listing them all, most similar first. Candidate pairs come from MinHash
        signatures with locality-sensitive hashing, so articles are never compared all
        against all; every candidate is then measured exactly.
    """

    id = "contradiction/near-duplicate"
    severity = Severity.INFO
    options = (
        Option(
            "threshold",
            0.7,
            "the Jaccard similarity (0-1) of five-word sequences from which two articles are "
            "near-duplicates",
            _fraction_between_zero_and_one,
        ),
        Option(
            "max_copies",
            4,
            "an article nearly like more than this many others is one of a family made from a "
            "template (a page per product), and is not reported",
            _positive_int,
        ),
        Option(
            "min_words",
            50,
            "articles with fewer words of prose are too short to judge and are skipped",
            _positive_int,
        ),
    )

    def extract(self, article: Article) -> ProseSignature:
        prose = _prose_words(article)
        shingles = _SHINGLER.shingles(prose)
        return ProseSignature(len(prose), pack(signature(shingles)) if shingles else b"")

    def check(self, extracts: Mapping[str, ProseSignature], ctx: RuleContext) -> Iterable[Finding]:
        # Versions of one page (a `versioned_docs` copy) are copies by design: each version
        # is compared within itself only, so no cross-version pair is ever a candidate.
        versions: dict[str | None, dict[str, bytes]] = defaultdict(dict)
        variant_of = ctx.corpus.variant_of
        for path, (count, values) in extracts.items():
            if count >= ctx.options["min_words"] and values:
                versions[variant_of(path)][path] = values
        shingler = Shingler()
        shingles: dict[str, set[int]] = {}

        def shingles_of(path: str) -> set[int]:
            # Only candidates are measured exactly, so only they are shingled again.
            if path not in shingles:
                article = ctx.corpus.get(path)
                assert article is not None  # every extract is an article's
                shingles[path] = shingler.shingles(_prose_words(article))
            return shingles[path]

        similar: dict[str, list[tuple[float, str]]] = defaultdict(list)
        alike: Counter[str] = Counter()  # how many pages each is nearly like, any reason
        threshold = ctx.options["threshold"]
        family = ctx.options["max_copies"]
        for signatures in versions.values():
            pairs = candidate_pairs(signatures)
            # Sentences a template puts on many pages ("This image is built for x86-64") say
            # nothing about whether two pages answer the same question: five-word sequences
            # found on more than `max_copies` candidates are left out of the measure.
            seen_on: Counter[int] = Counter()
            for path in sorted({path for pair in pairs for path in pair}):
                seen_on.update(shingles_of(path))
            boilerplate = {shingle for shingle, count in seen_on.items() if count > family}
            del seen_on
            # each page's own sequences, computed once per page rather than once per pair
            distinct: dict[str, set[int]] = {}
            for first, second in pairs:
                if jaccard(shingles_of(first), shingles_of(second)) < threshold:
                    continue
                alike[first] += 1
                alike[second] += 1
                if _by_design(first, second) or _siblings(first, second):
                    continue
                for path in (first, second):
                    if path not in distinct:
                        distinct[path] = shingles_of(path) - boilerplate
                similarity = jaccard(distinct[first], distinct[second])
                if similarity >= threshold:
                    similar[first].append((similarity, second))
                    similar[second].append((similarity, first))
        selected = ctx.corpus.selected
        for path in sorted(similar):
            # Pages made from one template (one per product or container) are each nearly
            # like many others: a family, not two sources of truth for one answer.
            if path not in selected or alike[path] > family:
                continue
            ranked = sorted(similar[path], key=lambda pair: (-pair[0], pair[1]))
            best_similarity, best = ranked[0]
            more = f" (and {len(ranked) - 1} more)" if len(ranked) > 1 else ""
            yield ctx.report(
                path,
                f"nearly the same text as {best} ({math.floor(best_similarity * 100)}% similar)"
                f"{more}",
                line=1,
                hint=_duplicate_hint(path, best),
                related=[Location(other) for _, other in ranked[:MAX_RELATED]],
            )


_NAME_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


_IDENTIFIER = re.compile(r"(?=[^-\s.]*[A-Z_])[A-Za-z][\w]*")


def _siblings(path: str, other: str) -> bool:
    """Pages for two related things: named alike with one word swapped in place
    (`IsAncestor` and `IsDescendant`, `install-debian` and `install-ubuntu`), or reference
    pages named after two code identifiers (`Ref` and `RelRef`, `hugo_new` and
    `hugo_new_content`). Their text is alike because the things are, and each is the one
    source for its own thing."""
    first_stem = posixpath.splitext(posixpath.basename(path))[0]
    second_stem = posixpath.splitext(posixpath.basename(other))[0]
    if _IDENTIFIER.fullmatch(first_stem) and _IDENTIFIER.fullmatch(second_stem):
        return True
    first = _NAME_WORDS.findall(first_stem)
    second = _NAME_WORDS.findall(second_stem)
    if len(first) != len(second) or len(first) < 2:
        return False
    swapped = sum(a.lower() != b.lower() for a, b in zip(first, second, strict=True))
    return swapped == 1


def _same_name(path: str, other: str) -> bool:
    return posixpath.basename(path).lower() == posixpath.basename(other).lower()


def _duplicate_hint(path: str, other: str) -> str:
    """Two files of one name in two folders are usually copies kept on purpose (one per
    product or audience) that have drifted; two names are one answer written twice."""
    if _same_name(path, other):
        return (
            "reconcile the two copies: bring each correction to both (or publish one from a "
            "shared include), so neither answer is out of date"
        )
    return "merge them into one article and point the other to it, so there is one source of truth"


RULES = [FactMismatch, ConflictingValues, NearDuplicate]
