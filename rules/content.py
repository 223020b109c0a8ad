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

from kbcheck.date_mentions import DateMention, find_dates, mask_code, may_hold_date
from kbcheck.model import Article, Finding, Severity
from kbcheck.registry import ArticleRule, RuleContext
from kbcheck.sentences import block_sentences
from kbcheck.values import word_set

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
#: A sentence with one of these tells history, which stays true after its date, in any tense.
_TELLS_HISTORY = re.compile(
    r"(?<![\w'])(?:was|were|had|did|ago|previously|formerly|used\s+to|has\s+been|have\s+been|"
    r"has\s+reached|have\s+reached|(?<!be\s)announced)(?![\w'])",
    re.IGNORECASE,
)
#: Past participles that tell history too, but not after "will be" / "is scheduled to be":
#: "X will be retired on July 31, 2021" is a promise that has expired.
_HISTORY_WORDS = re.compile(
    r"(?<![\w'])(?:ended|expired|released|launched|introduced|added|removed|retired|changed|"
    r"became|began|started|founded|moved|replaced|renamed|deprecated|discontinued)(?![\w'])",
    re.IGNORECASE,
)
#: A state that, once reached, stays so: "no longer supported as of 2020" is still true.
_STAYS_TRUE = re.compile(
    r"(?<![\w'])(?:no\s+longer|not\s+supported|unsupported|out\s+of\s+support|"
    r"end\s+of\s+(?:support|life|sale)|end-of-(?:support|life)|eol|since|"
    r"support\s+(?:for\s+(?:\S+\s+){1,12})?ends?)(?![\w'])",
    re.IGNORECASE,
)
#: Words that start a change on a date: after it the text describes what is so from then on,
#: which stays true, unless it is still worded as a promise ("will", "scheduled").
_STARTS = frozenset(("effective", "starting", "beginning", "from"))
#: "by the end of this month (November 2020)": the date in brackets is the deadline.
_RELATIVE_PERIOD = re.compile(
    r"(?<![\w'])(?P<trigger>by|until|before|in|during)\s+(?:the\s+)?(?:(?:end|start|middle)\s+"
    r"of\s+)?(?:this|next|the\s+coming)\s+(?:week|month|quarter|year)\s*[(,]\s*$",
    re.IGNORECASE,
)
#: A sentence that gives an example or a scenario (its dates are made up or illustrative), or
#: a copyright line (its year is the work's, not news).
_ILLUSTRATION = re.compile(
    r"(?<![\w@./-])(?:examples?|e\.g\.|for\s+instance|suppose|imagine|let'?s\s+say|"
    r"hypothetical(?:ly)?|scenarios?|copyright)(?![\w-]|\.\w)|©",
    re.IGNORECASE,
)
#: A year that is part of a name: "on the 2007 server", "new in the 2013 version".
_NAMED_YEAR = re.compile(r"\bthe\s+$", re.IGNORECASE)
#: "All versions of Project through 2010": a year near "version" names a release.
_VERSIONS = re.compile(r"\b(?:versions?|editions?|releases?|builds?)\b", re.IGNORECASE)
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
    # Sections (by heading) that set out an example or a scenario: what follows in them
    # illustrates, whatever dates it uses.
    illustrated: set[tuple[str, ...]] = set()
    for block in article.blocks:
        if block.context in illustrated:
            continue
        if any(_ILLUSTRATION.search(part) or _SAMPLE.search(part) for part in block.context):
            continue  # a section of examples
        if block.kind == "paragraph" and _SETS_OUT.search(block.text):
            illustrated.add(block.context)
        # Most paragraphs name no year: splitting them into sentences was most of this
        # summary's cost, and a sentence without a year holds no date.
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
    word starts; whether the date has passed is the rule's business. Future tense ("will be
    retired on", "is scheduled to") makes any dated change current talk; history, examples
    and states that stay true once reached ("no longer supported as of") are not."""
    mentions = find_dates(text)
    if not mentions or _TELLS_HISTORY.search(text) or _ILLUSTRATION.search(text):
        return
    looks_ahead = _LOOKS_AHEAD.search(text) is not None
    if not looks_ahead and (_HISTORY_WORDS.search(text) or _STAYS_TRUE.search(text)):
        return
    for mention in mentions:
        before = text[: mention.start]
        trigger = _TRIGGER.search(before, max(0, mention.start - _TRIGGER_REACH))
        if trigger is None:
            trigger = _RELATIVE_PERIOD.search(before, max(0, mention.start - _TRIGGER_REACH))
        if trigger is None or _EXAMPLE.search(before[: trigger.start()]):
            continue
        word = " ".join(trigger.group("trigger").lower().split())
        if mention.precision == "year" and (
            word == "by"  # "by 2020 standards" and the like
            or _NAMED_YEAR.search(trigger.group(0))
            or _VERSIONS.search(text, max(0, mention.start - 40), mention.end + 20)
        ):
            continue
        if (word in _AHEAD or word in _STARTS) and not looks_ahead:
            continue
        yield mention, trigger.start()


#: "Consider the following scenario:", "for example:": the section goes on to illustrate.
_SETS_OUT = re.compile(
    r"(?:\bconsider\s+the\s+following|\b(?:examples?|scenarios?)|\bfor\s+example)\s*:?\s*$",
    re.IGNORECASE,
)
_SAMPLE = re.compile(r"(?<![\w-])samples?(?![\w-])", re.IGNORECASE)
_DATED_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-")
#: Folders of pages kept as they were: examples, samples, archives.
_KEPT_AS_WRITTEN = word_set(
    """example examples sample samples archive archived archives legacy blog blogs news posts
    _posts announcements"""
)


def _dated_by_design(path: str) -> bool:
    """A dated post (`2024-08-12-release.md`, or any page of a blog or news folder: true as of
    its date, as its readers know) or a page in an examples or archive folder."""
    *folders, name = path.lower().split("/")
    return bool(_DATED_NAME.match(name)) or any(
        folder in _KEPT_AS_WRITTEN or "deprecated" in folder for folder in folders
    )


class ExpiredMention(ArticleRule):
    """The text speaks of a date that has passed as if it were still current.

    Why it matters:
        "Save 20% until March 31" or "starting January 2024 we will charge VAT" is true when
        written and wrong, or at least confusing, ever after. Such sentences hide in articles
        whose review dates look fine, because nobody rereads the promotion in paragraph four.

        Reported, when the whole period the date names (a day, a month, a quarter, a year) is
        before `today`: deadlines ("until", "through", "ends", "expires", "by", "by the end
        of this month (November 2020)"), snapshots ("as of 2023", "new in Q1 2024"), and
        changes still worded as promises: a date after "starting", "effective", "in", "on" or
        "from" in a sentence that looks ahead ("will be retired on", "is scheduled to",
        "coming", "planned", "soon"). Not reported: future dates; history ("was", "has been",
        "ended", "released", "ago", ...; in the future tense "will be retired" is a promise,
        not history); states that stay true once reached ("no longer supported as of",
        "out of support since", "starting May 3, you can't ...", "support ends"); years that
        name a product or release ("the 2019 server", "versions through 2010"); examples
        and scenarios ("e.g.", "such as", "for example", "suppose", a section headed
        Example); dates in code; dated posts (`2024-08-12-release.md`, true as of their date)
        and pages in `examples/`, `samples/`, `archive/`, `legacy/` or deprecated folders.

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
        if not article.readable or _dated_by_design(article.path):
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
            # an identifier in code (`ProPlan` in an API call) is not the product's name
            for match in pattern.finditer(mask_code(block.text)):
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
