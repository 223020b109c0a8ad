"""Content rules: prose that has gone out of date whatever the article's review date says.

Both read only the article's prose (`Article.blocks`), so dates and names inside code, front
matter and link targets are never reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from kbcheck.date_mentions import DateMention, find_dates, may_hold_date
from kbcheck.model import Article, Finding, Severity
from kbcheck.registry import ArticleRule, RuleContext
from kbcheck.sentences import block_sentences

# --- content/expired-mention -------------------------------------------------------------------

#: Words right before a date that make it a deadline or a present state of affairs.
_DEADLINE = (
    *("until", "till", "'til", "through", "thru", "by"),
    *("ends", "ending", "expires", "expiring"),
)
_CURRENT = (
    *("as of", "as at", "effective", "starting", "beginning"),
    *("new in", "new since", "new as of", "new for"),
)
#: Plain prepositions: the date is only current talk when the sentence looks ahead.
_AHEAD = ("in", "on", "from", "for", "during", "before")
#: How far before a date its trigger words can start.
_TRIGGER_REACH = 60
_TRIGGER = re.compile(
    r"(?<![\w'])(?P<trigger>"
    + "|".join(
        re.escape(word).replace(r"\ ", r"\s+")
        for word in sorted((*_DEADLINE, *_CURRENT, *_AHEAD), key=len, reverse=True)
    )
    + r")\s+(?:(?:on|in|from)\s+)?(?:the\s+)?(?:(?:end|start|beginning|middle)\s+of\s+)?$",
    re.IGNORECASE,
)
#: A sentence with one of these speaks of the future.
_LOOKS_AHEAD = re.compile(
    r"(?<![\w'])(?:will|shall|going\s+to|coming|upcoming|soon|planned|scheduled|launching|"
    r"expected|arriving|we'll|you'll|it'll|they'll)(?![\w'])",
    re.IGNORECASE,
)
#: A sentence with one of these tells history, which stays true after its date.
_TELLS_HISTORY = re.compile(
    r"(?<![\w'])(?:was|were|had|did|ended|expired|released|launched|introduced|added|removed|"
    r"retired|changed|became|began|started|founded|moved|replaced|renamed|deprecated|"
    r"discontinued|ago|previously|formerly|used\s+to)(?![\w'])",
    re.IGNORECASE,
)
#: A date given as an example is not a claim about time.
_EXAMPLE = re.compile(r"(?:e\.g\.|for\s+example|for\s+instance|such\s+as|like)\s*,?\s*$", re.I)


class DatedPhrase(NamedTuple):
    """A date spoken of as current ("until March 31, 2026"), wherever today is: the rule
    reports those whose period has ended by the run's `today`."""

    last: date
    line: int
    column: int
    text: str


def _dated_phrases(article: Article) -> list[DatedPhrase]:
    found = []
    # Most paragraphs name no year: splitting them into sentences was most of this summary's
    # cost, and a sentence without a year holds no date.
    for block in article.blocks:
        if not may_hold_date(block.text):
            continue
        for sentence in block_sentences(block):
            for mention, trigger_start in _current_talk(sentence.text):
                line, column = sentence.position(trigger_start)
                text = " ".join(sentence.text[trigger_start : mention.end].split())
                found.append(DatedPhrase(mention.last, line, column, text))
    return found


def _current_talk(text: str) -> Iterator[tuple[DateMention, int]]:
    """Each date the sentence speaks of as a deadline or as current, with where its trigger
    word starts; whether the date has passed is the rule's business."""
    mentions = find_dates(text)
    if not mentions or _TELLS_HISTORY.search(text):
        return
    looks_ahead = _LOOKS_AHEAD.search(text) is not None
    for mention in mentions:
        before = text[: mention.start]
        trigger = _TRIGGER.search(before, max(0, mention.start - _TRIGGER_REACH))
        if trigger is None or _EXAMPLE.search(before[: trigger.start()]):
            continue
        word = " ".join(trigger.group("trigger").lower().split())
        if word == "by" and mention.precision == "year":
            continue  # "by 2020 standards" and the like
        if word in _AHEAD and not looks_ahead:
            continue
        yield mention, trigger.start()


class ExpiredMention(ArticleRule):
    """The text speaks of a date that has passed as if it were still current.

    Why it matters:
        "Save 20% until March 31" or "starting January 2024 we will charge VAT" is true when
        written and wrong, or at least confusing, ever after. Such sentences hide in articles
        whose review dates look fine, because nobody rereads the promotion in paragraph four.

        Reported, when the whole period the date names (a day, a month, a quarter, a year) is
        before `today`: deadlines ("until", "through", "ends", "expires", "by"), present-tense
        markers ("as of 2023", "new in Q1 2024", "starting January 2024", "effective") and
        dates after a plain preposition ("in", "on", "from") in a sentence that looks ahead
        ("will", "coming", "planned", "soon"). Not reported: future dates, sentences in the
        past tense ("was", "ended", "released", "ago", ...), dates given as examples ("e.g.",
        "such as"), and dates in code.

    Example:
        ==> kbcheck.toml <==
        today = "2026-06-01"
        ==> billing/plans.md <==
        # Plans

        Annual plans are 20% off until March 31, 2026.

    Fix:
        Rewrite the sentence for what is true now ("Annual plans give you two months free"),
        or remove it if the offer or change is over. A sentence that tells history
        ("was released in 2019") is left alone.
    """

    id = "content/expired-mention"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        if not article.readable:
            return
        for phrase in _dated_phrases(article):
            if phrase.last >= ctx.today:
                continue
            yield ctx.report(
                article,
                f"'{phrase.text}' ended {(ctx.today - phrase.last).days} days before "
                f"{ctx.today.isoformat()}, but the text speaks of it as current",
                line=phrase.line,
                column=phrase.column,
                hint="say what is true now, or remove the sentence if the offer or change is over",
            )


# --- content/retired-term ----------------------------------------------------------------------


class RetiredTerm(ArticleRule):
    """The text uses a retired product name, feature or plan.

    Why it matters:
        After a rename or a retirement, the old name sends customers looking for a menu, a
        plan or a price that no longer exists, and tells them the article is out of date.

        `[retired_terms]` maps each term to its replacement note, which becomes the hint.
        Terms match whole words, case-insensitively, across line breaks, in singular or
        plural form ("Classic Dashboards"; "Companies" for "Company"), in prose only: a term
        inside `code`, a code block or a link target is not reported.

    Example:
        ==> kbcheck.toml <==
        [retired_terms]
        "Classic Dashboard" = "removed in 2025; use the Insights page"
        ==> reports/overview.md <==
        # Reports

        Open the Classic Dashboard and select Reports.

    Fix:
        Replace the term as the hint (the note in `[retired_terms]`) says, and check the
        sentence around it: the instructions usually changed with the name.
    """

    id = "content/retired-term"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        terms = ctx.config.retired_terms
        if not terms or not article.readable:
            return
        pattern, by_key = _term_pattern(tuple(terms))
        for block in article.blocks:
            for match in pattern.finditer(block.text):
                term = by_key[_term_key(match.group(0))]
                line, column = block.position(match.start())
                written = " ".join(match.group(0).split())
                same = written == term
                yield ctx.report(
                    article,
                    f"'{term}' is retired" if same else f"'{written}' is the retired term '{term}'",
                    line=line,
                    column=column,
                    hint=_hint(terms, term),
                )


def _hint(terms: Mapping[str, str], term: str) -> str:
    note = terms[term].strip()
    return note if note else f"replace '{term}' with the current name"


@lru_cache(maxsize=8)
def _term_pattern(terms: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One case-insensitive pattern for every term, longest first, with plural forms; and a
    map from a match's normalised form back to the configured term."""
    alternatives = []
    by_key: dict[str, str] = {}
    for term in sorted(terms, key=len, reverse=True):
        parts = term.split()
        body = r"\s+".join(re.escape(part) for part in parts[:-1])
        last = _plural_pattern(parts[-1])
        alternatives.append(rf"{body}\s+{last}" if body else last)
        for form in _forms(term):
            by_key.setdefault(_term_key(form), term)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)
    return pattern, by_key


def _plural_pattern(word: str) -> str:
    escaped = re.escape(word)
    lowered = word.lower()
    if re.search(r"[^aeiou]y$", lowered):
        return f"(?:{escaped}|{re.escape(word[:-1])}ies)"
    if lowered.endswith(("s", "x", "z", "ch", "sh")):
        return f"{escaped}(?:es)?"
    if not word[-1:].isalnum():
        return escaped
    return f"{escaped}s?"


def _forms(term: str) -> list[str]:
    words = term.split()
    last = words[-1]
    lowered = last.lower()
    if re.search(r"[^aeiou]y$", lowered):
        plurals = [last[:-1] + "ies"]
    elif lowered.endswith(("s", "x", "z", "ch", "sh")):
        plurals = [last + "es"]
    else:
        plurals = [last + "s"]
    return [term] + [" ".join([*words[:-1], plural]) for plural in plurals]


def _term_key(text: str) -> str:
    return " ".join(text.lower().split())


RULES = [ExpiredMention, RetiredTerm]
