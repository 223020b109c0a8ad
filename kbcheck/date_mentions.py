"""Calendar dates written in prose ("March 31, 2024", "31 March 2024", "2024-03-31",
"March 2024", "Q1 2024", "2024") as the period of days they name.

A mention is a period, not a day: "until March 2024" runs to the last day of March, so a rule
can ask whether the whole period is over. Pure functions over a string; rules decide which
mentions matter (content/expired-mention) and claims use the spans to keep dates from being
read as quantities ("31 March" is not 31 of something).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBREVIATIONS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_ALL_MONTHS = {**MONTHS, **_MONTH_ABBREVIATIONS}

# Month names must be capitalised: "may" and "march" are also ordinary words.
_MONTH = (
    "(?:"
    + "|".join(sorted((name.capitalize() for name in _ALL_MONTHS), key=len, reverse=True))
    + r")\.?"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20|21)\d{2}"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "iso",
        re.compile(rf"(?<![\w-])(?P<year>{_YEAR})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\w-])"),
    ),
    (
        "month-day-year",
        re.compile(rf"(?<!\w)(?P<month>{_MONTH})\s+(?P<day>{_DAY}),?\s+(?P<year>{_YEAR})(?!\w)"),
    ),
    (
        "day-month-year",
        re.compile(
            rf"(?<!\w)(?P<day>{_DAY})(?:\s+of)?\s+(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})(?!\w)"
        ),
    ),
    ("month-year", re.compile(rf"(?<!\w)(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})(?!\w)")),
    (
        "quarter",
        re.compile(rf"(?<!\w)(?P<part>[QH][1-4])(?:\s+|/|\s*-\s*)(?P<year>{_YEAR})(?!\w)"),
    ),
    ("year", re.compile(rf"(?<![\w.,:/-])(?P<year>{_YEAR})(?![\w%]|[.,:/-]\d)")),
)


_HAS_YEAR = re.compile(_YEAR)


@dataclass(frozen=True)
class DateMention:
    """A date or period named in text: `start`/`end` are offsets in that text, `first` and
    `last` the first and last day of the period it names."""

    start: int
    end: int
    text: str
    first: date
    last: date
    precision: str  # "day", "month", "quarter", "half" or "year"


def may_hold_date(text: str) -> bool:
    """False when `text` certainly names no date: it has no year. Cheap, and exact for every
    part of `text` too (a sentence of a paragraph without a year has none either), so a caller
    can skip splitting a paragraph that cannot hold a date."""
    return _HAS_YEAR.search(text) is not None


#: An inline code span as kept in an article's prose (see kbcheck.markdown).
CODE_SPAN = re.compile(r"`[^`\n]*`")


def mask_code(text: str) -> str:
    """`text` with each inline code span (kept in backticks in an article's prose) blanked:
    `--retries 5` or `2019-01-01` in code is a command or a sample, not a statement."""
    if "`" not in text:
        return text
    return CODE_SPAN.sub(lambda match: " " * len(match.group(0)), text)


def find_dates(text: str) -> list[DateMention]:
    """Every date in `text` outside inline code, longest form first, never overlapping, in
    text order."""
    if not may_hold_date(text):
        return []
    text = mask_code(text)
    found: list[DateMention] = []
    taken = bytearray(len(text))  # 1 where an earlier, longer form already matched
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            mention = _mention(kind, match)
            if mention is not None:
                found.append(mention)
                taken[start:end] = b"\x01" * (end - start)
    return sorted(found, key=lambda mention: mention.start)


def _mention(kind: str, match: re.Match[str]) -> DateMention | None:
    year = int(match.group("year"))
    try:
        if kind == "year":
            first, last, precision = date(year, 1, 1), date(year, 12, 31), "year"
        elif kind == "quarter":
            part = match.group("part").upper()
            number = int(part[1])
            if part[0] == "H":
                if number > 2:
                    return None
                first_month, months, precision = 6 * (number - 1) + 1, 6, "half"
            else:
                first_month, months, precision = 3 * (number - 1) + 1, 3, "quarter"
            last_month = first_month + months - 1
            first = date(year, first_month, 1)
            last = date(year, last_month, calendar.monthrange(year, last_month)[1])
        else:
            month = _month_number(match.group("month"))
            if kind == "month-year":
                first = date(year, month, 1)
                last = date(year, month, calendar.monthrange(year, month)[1])
                precision = "month"
            else:
                day = int(re.sub(r"\D", "", match.group("day")))
                first = last = date(year, month, day)
                precision = "day"
    except ValueError:  # 30 February and the like: not a date
        return None
    return DateMention(match.start(), match.end(), match.group(0), first, last, precision)


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    return _ALL_MONTHS[text.rstrip(".").lower()]
