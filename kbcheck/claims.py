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
import string
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from kbcheck.date_mentions import find_dates
from kbcheck.model import Article, TextBlock
from kbcheck.summaries import Summary

# --- values ------------------------------------------------------------------------------------

#: Kinds of value, each compared only with its own kind and unit.
DURATION = "duration"
MONEY = "money"
PERCENT = "percent"
SIZE = "size"
COUNT = "count"
NUMBER = "number"  # a bare number in a table cell; the row and column say what it counts
TIME = "time"
TIME_RANGE = "time-range"
PHONE = "phone"
EMAIL = "email"

#: Amounts are ints when whole and Fractions otherwise; the two compare and hash alike.
Number = int | Fraction


@dataclass(frozen=True)
class Value:
    """A normalised value. `amount` holds one number, or two for a range ("5–10 days"), or
    the canonical text of a phone number or email address. Two values are the same when they
    are equal; they can contradict each other only when their `dimension` is the same."""

    kind: str
    unit: str
    amount: tuple[Number | str, ...]
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Values are hashed over and over when claims are grouped; cache it.
        object.__setattr__(self, "_hash", hash((self.kind, self.unit, self.amount)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[Value], tuple[str, str, tuple[Number | str, ...]]]:
        # Rebuild on unpickling: a string's hash differs between processes.
        return (Value, (self.kind, self.unit, self.amount))

    @property
    def dimension(self) -> tuple[str, str]:
        return (self.kind, self.unit)

    def describe(self) -> str:
        """A canonical rendering, used when the text and the canonical form differ."""
        if self.kind in (PHONE, EMAIL):
            return str(self.amount[0])
        if self.kind in (TIME, TIME_RANGE):
            times = "–".join(_clock(int(minutes)) for minutes in self.amount)
            return f"{times} {self.unit}".strip()
        numbers = [amount for amount in self.amount if not isinstance(amount, str)]
        if self.kind == DURATION:
            return _describe_scaled(numbers, _DURATION_NAMES[self.unit])
        if self.kind == SIZE:
            return _describe_scaled(numbers, _SIZE_NAMES)
        text = "–".join(_number(number) for number in numbers)
        if self.kind == MONEY:
            currency, _, per = self.unit.partition("/")
            return f"{currency} {text}" + (f"/{per}" if per else "")
        if self.kind == PERCENT:
            return f"{text}%"
        if self.kind == COUNT:
            return f"{text} {self.unit}"
        return text


def _number(value: Number) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _describe_scaled(numbers: list[Number], names: tuple[tuple[int, str], ...]) -> str:
    """The largest unit in which every number is whole: 1209600 s is "14 days"."""
    for factor, name in names:
        if all((Fraction(number) / factor).denominator == 1 for number in numbers):
            scaled = [Fraction(number) / factor for number in numbers]
            plural = "" if scaled == [1] or name.isupper() else "s"
            return "–".join(_number(number) for number in scaled) + f" {name}{plural}"
    return "–".join(_number(number) for number in numbers)


_SECOND, _MINUTE, _HOUR, _DAY, _WEEK = 1, 60, 3600, 86400, 604800
_DURATION_NAMES = {
    "s": ((_DAY, "day"), (_HOUR, "hour"), (_MINUTE, "minute"), (1, "second")),
    "month": ((12, "year"), (1, "month")),
    "working-day": ((1, "working day"),),
    "working-hour": ((1, "working hour"),),
}
_SIZE_NAMES = ((1024**4, "TB"), (1024**3, "GB"), (1024**2, "MB"), (1024, "KB"), (1, "byte"))

#: unit word -> (kind, canonical unit, factor). Sizes use 1024 multiples, as help centers mean.
_UNITS: dict[str, tuple[str, str, int]] = {}
for _names, _unit in (
    (("second", "seconds", "sec", "secs"), ("s", _SECOND)),
    (("minute", "minutes", "min", "mins"), ("s", _MINUTE)),
    (("hour", "hours", "hr", "hrs"), ("s", _HOUR)),
    (("day", "days", "calendar day", "calendar days"), ("s", _DAY)),
    (("week", "weeks", "wk", "wks"), ("s", _WEEK)),
    (("month", "months", "mo", "mos"), ("month", 1)),
    (("year", "years", "yr", "yrs"), ("month", 12)),
    (
        ("working day", "working days", "business day", "business days", "workday", "workdays"),
        ("working-day", 1),
    ),
    (("working hour", "working hours", "business hour", "business hours"), ("working-hour", 1)),
):
    for _name in _names:
        _UNITS[_name] = (DURATION, _unit[0], _unit[1])
for _names, _factor in (
    (("byte", "bytes"), 1),
    (("kb", "kib", "kilobyte", "kilobytes"), 1024),
    (("mb", "mib", "megabyte", "megabytes"), 1024**2),
    (("gb", "gib", "gigabyte", "gigabytes"), 1024**3),
    (("tb", "tib", "terabyte", "terabytes"), 1024**4),
):
    for _name in _names:
        _UNITS[_name] = (SIZE, "B", _factor)
for _name in ("%", "percent", "per cent"):
    _UNITS[_name] = (PERCENT, "%", 1)

#: Units that count only when written against the number ("24h", "90d"): alone, "h" and "d"
#: are just letters.
_ATTACHED_ONLY = {"h": (DURATION, "s", _HOUR), "d": (DURATION, "s", _DAY)}

NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
}
#: "one" counts only in front of a unit ("one hour"): elsewhere it is mostly a pronoun.
_UNIT_NUMBER_WORDS = {**NUMBER_WORDS, "one": 1}

_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "c$": "CAD", "a$": "AUD"}
_CURRENCY_CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "NZD", "SEK", "NOK", "DKK")
_CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "us dollar": "USD",
    "us dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "pound sterling": "GBP",
    "pounds sterling": "GBP",
}
_PER_UNITS = {
    "month": "month",
    "mo": "month",
    "year": "year",
    "yr": "year",
    "annum": "year",
    "week": "week",
    "day": "day",
    "user": "user",
    "seat": "seat",
    "person": "user",
    "member": "user",
}


def _alternation(words: Iterable[str], space: str = r"\s+") -> str:
    """A regular expression matching any of `words`, longest first; a space in a word
    matches `space`."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", space) for word in ordered)


_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_AMOUNT = rf"(?:{_DIGITS}|(?:{_alternation(_UNIT_NUMBER_WORDS)})(?![\w]))"
_RANGE_SEPARATOR = r"\s*(?:-|–|—|to)\s*"
_NUMBER_START = r"(?<![\w.,$€£@#/+:-])"
_UNIT_WORDS = _alternation(_UNITS, space=r"[\s-]")

_QUANTITY = re.compile(
    rf"{_NUMBER_START}(?P<low>{_AMOUNT})(?:{_RANGE_SEPARATOR}(?P<high>{_AMOUNT}))?"
    rf"(?:\s?|-)(?P<unit>{_UNIT_WORDS})(?![\w])",
    re.IGNORECASE,
)
_ATTACHED = re.compile(rf"{_NUMBER_START}(?P<low>\d{{1,3}})(?P<unit>h|d)(?![\w])")
_ARTICLE_DURATION = re.compile(
    r"\b(?:within|after|for|in|over|than|every)\s+(?P<low>an?)\s+"
    r"(?P<unit>second|minute|hour|day|week|month|year)\b",
    re.IGNORECASE,
)
_PER = rf"(?P<per>(?:\s*(?:/|\bper\b|\ba\b|\ban\b)\s*(?:{_alternation(_PER_UNITS)})\b)+)?"
_MONEY_PREFIX = re.compile(
    rf"(?<![\w$€£])(?P<currency>US\$|C\$|A\$|\$|€|£|(?-i:{'|'.join(_CURRENCY_CODES)})\b)\s?"
    rf"(?P<low>{_DIGITS})(?:{_RANGE_SEPARATOR}(?:US\$|\$|€|£)?\s?(?P<high>{_DIGITS}))?"
    rf"(?![\w]|[.,]\d){_PER}",
    re.IGNORECASE,
)
_CURRENCY_WORD_PATTERN = _alternation(_CURRENCY_WORDS)
_MONEY_SUFFIX = re.compile(
    rf"{_NUMBER_START}(?P<low>{_DIGITS})(?:{_RANGE_SEPARATOR}(?P<high>{_DIGITS}))?\s?"
    rf"(?P<currency>(?-i:{'|'.join(_CURRENCY_CODES)})|€|"
    rf"{_CURRENCY_WORD_PATTERN})(?![\w]){_PER}",
    re.IGNORECASE,
)
_CLOCK = r"(?P<h{n}>[01]?\d|2[0-3])(?::(?P<m{n}>[0-5]\d))?\s?(?P<ap{n}>[ap](?:\.m\.|m)(?![\w]))?"
_ZONES = "UTC|GMT|CEST|CET|EEST|EET|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|IST|AEST|AEDT|ET|CT|PT"
_TIMES = re.compile(
    rf"(?<![\w.:$€£-]){_CLOCK.format(n=1)}"
    rf"(?:\s*(?:-|–|—|to|until|till)\s*{_CLOCK.format(n=2)})?"
    rf"(?:\s?(?-i:(?P<zone>{_ZONES})(?P<offset>\s?[+-]\d{{1,2}}(?::?\d{{2}})?)?))?(?![\w:])",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}"
    r"|\(\d{3}\)\s?\d{3}[\s.-]\d{4}"
    r"|1[\s.-]\d{3}[\s.-]\d{3}[\s.-]\d{4}"
    r"|\d{3}[.-]\d{3}[.-]\d{4})(?![\w-]|[.,]\d)"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_COUNT = re.compile(
    rf"{_NUMBER_START}(?P<low>\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_alternation(NUMBER_WORDS)}))"
    r"\s+(?P<noun>[^\W\d_][\w'’-]*)"
    r"(?P<per>\s*(?:/|\bper\b)\s*[^\W\d_]+)?",
    re.IGNORECASE,
)


def _amount(text: str) -> Number:
    """An int when the number is whole (fast to build, hash and compare), else a Fraction:
    exact, so "1.5 hours" equals "90 minutes"."""
    lowered = text.lower()
    if lowered in _UNIT_NUMBER_WORDS:
        return _UNIT_NUMBER_WORDS[lowered]
    if lowered in ("a", "an"):
        return 1
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else _whole(Fraction(digits))


def _scaled(number: Number, factor: int) -> Number:
    return number * factor if isinstance(number, int) else _whole(number * factor)


def _whole(number: Fraction) -> Number:
    return number.numerator if number.denominator == 1 else number


def _amounts(match: re.Match[str], factor: int = 1) -> tuple[Number, ...]:
    low = _scaled(_amount(match.group("low")), factor)
    high_text = match.group("high") if "high" in match.groupdict() else None
    if high_text is None:
        return (low,)
    high = _scaled(_amount(high_text), factor)
    return (low,) if high == low else (low, high)


def _per_suffix(text: str | None) -> str:
    if not text:
        return ""
    units = re.findall(rf"(?:/|\bper\b|\ban?\b)\s*({_alternation(_PER_UNITS)})\b", text, re.I)
    return "".join(f"/{_PER_UNITS[unit.lower()]}" for unit in units)


def _quantity(match: re.Match[str]) -> Value | None:
    unit_text = re.sub(r"[\s-]+", " ", match.group("unit").lower())
    kind, unit, factor = _UNITS.get(unit_text) or _ATTACHED_ONLY[unit_text]
    return Value(kind, unit, _amounts(match, factor))


def _money(match: re.Match[str]) -> Value:
    raw = re.sub(r"\s+", " ", match.group("currency").lower())
    currency = _CURRENCY_SYMBOLS.get(raw) or _CURRENCY_WORDS.get(raw) or raw.upper()
    return Value(MONEY, currency + _per_suffix(match.group("per")), _amounts(match))


def _times(match: re.Match[str]) -> Value | None:
    first = _minutes(match.group("h1"), match.group("m1"), match.group("ap1"))
    zone = (match.group("zone") or "") + re.sub(r"\s", "", match.group("offset") or "")
    if match.group("h2") is None:
        if first is None:
            return None
        return Value(TIME, zone, (first,))
    second = _minutes(match.group("h2"), match.group("m2"), match.group("ap2"))
    if second is None:
        return None
    if first is None:
        # "9-5pm": the first time borrows the second's half of the day unless that would put
        # it after the second, as in "11-2pm".
        first = _minutes(match.group("h1"), match.group("m1"), match.group("ap2"))
        if first is None:
            return None
        if first > second:
            first -= 12 * 60
    return Value(TIME_RANGE, zone, (first, second))


def _minutes(hours: str, minutes: str | None, half: str | None) -> int | None:
    """Minutes after midnight, or None for a bare number that is not clearly a time."""
    hour = int(hours)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
    elif minutes is None:
        return None
    return hour * 60 + int(minutes or 0)


def _phone(match: re.Match[str]) -> Value | None:
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if not 7 <= len(digits) <= 15:
        return None
    return Value(PHONE, "", (("+" if text.startswith("+") else "") + digits,))


def _email(match: re.Match[str]) -> Value:
    return Value(EMAIL, "", (match.group(0).lower(),))


# --- words -------------------------------------------------------------------------------------


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = _word_set(
    """
    a about above across after again against all almost along already also although always am
    among an and another any anyone anything approximately are around as at available away back
    be because been before being below between both but by can cannot could did do does doing
    done down during each either else enough etc even ever every everyone everything few for
    from further get gets getting got had has have having he her here hers him his how however i
    if in into is it its itself just least less let like likely lot made many may me might more
    most much must my need needs never no nor not now of off often on once one only onto or other
    others otherwise our ours out over own per perhaps please rather really roughly same see
    shall she should since so some something sometimes still such than that the their theirs
    them then there these they this those though through thus to too toward towards typically
    under unless until up upon us usually very via was we well were what whatever when whenever
    where whether which while who whom whose why will with within without would yet you your
    yours yourself e.g i.e eg ie take takes taken took go goes going went s t don doesn isn
    aren wasn weren won can't won't don't doesn't isn't aren't i'm you're we're it's that's
    there's let's we'll you'll we've you've
    """
)
_NEGATIONS = _word_set(
    "not no never cannot can't won't don't doesn't isn't aren't without except unless neither "
    "nor none"
)
#: Words that change what a number means: a monthly and an annual price are different claims,
#: so two subjects must agree on these to be the same subject.
_QUALIFIER_WORDS = (
    "monthly annual annually yearly weekly daily hourly first last minimum maximum max min "
    "free paid trial initial extra additional total new old"
)
_CONJUNCTIONS = _word_set("and or but so then because while which where when if unless")
_NOT_COUNT_NOUNS = (
    STOP_WORDS
    | _word_set(
        """january february march april may june july august september october november december
        jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
        saturday sunday percent per times x"""
    )
    | frozenset(NUMBER_WORDS)
    | frozenset(name for name in _UNITS if " " not in name)
)
_WORD = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*")
_CLAUSE_BREAK = re.compile(r"[;:()\[\]{}—]|\s[-–]\s")
_AFTER_BREAK = re.compile(r"[,;:()\[\]{}—]|\s[-–]\s")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "no.", "min.", "max.")

_BEFORE_WORDS = 8
_AFTER_WORDS = 3


def normalise_word(word: str) -> str:
    """Lower case, no possessive, simple plural and verb endings removed: "Refunds",
    "refund's", "refunded" and "refunding" all become "refund". Deliberately crude but
    consistent: the same function is applied to both sides of every comparison."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'-")
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


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
class Found:
    """A value found in a piece of text, with its span (offsets in that text)."""

    start: int
    end: int
    value: Value

    def text(self, source: str) -> str:
        return source[self.start : self.end]


class _Clues:
    """Cheap facts about a text that tell which finders can match at all: most sentences
    have no digit, and running a dozen regular expressions over them would be wasted."""

    __slots__ = ("_currency", "_number_words", "_words", "digits", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.digits = _ascii_digit_count(text)
        self._words: frozenset[str] | None = None
        self._number_words: bool | None = None
        self._currency: bool | None = None

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = _words_of(self.text)
        return self._words

    @property
    def number_words(self) -> bool:
        if self._number_words is None:
            self._number_words = _has_number_word(self.words)
        return self._number_words

    @property
    def currency(self) -> bool:
        """A currency symbol, code or word: money can be mentioned."""
        if self._currency is None:
            text = self.text
            self._currency = (
                "$" in text
                or "€" in text
                or "£" in text
                or not self.words.isdisjoint(_CURRENCY_CLUES)
            )
        return self._currency

    @property
    def article_unit(self) -> bool:
        return _has_article_unit(self.words)

    @property
    def amounts(self) -> bool:
        return self.digits > 0 or self.number_words


_NO_DIGITS = str.maketrans("", "", "0123456789")
_PUNCTUATION_TO_SPACE = str.maketrans(dict.fromkeys(string.punctuation + "—–‘’“”…", " "))
# The same two tables for ASCII text (almost all of it), as bytes: bytes.translate is five
# times faster than str.translate, and these run on every paragraph of every article.
_ASCII_DIGITS = b"0123456789"
_ASCII_PUNCTUATION_TO_SPACE = bytes.maketrans(
    string.punctuation.encode("ascii"), b" " * len(string.punctuation)
)


def _ascii_digit_count(text: str) -> int:
    """How many of 0-9 `text` holds (other scripts' digits do not count)."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, _ASCII_DIGITS))
    return len(text) - len(text.translate(_NO_DIGITS))


def _punctuation_to_space(text: str) -> str:
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_PUNCTUATION_TO_SPACE).decode("ascii")
    return text.translate(_PUNCTUATION_TO_SPACE)


def _words_of(text: str) -> frozenset[str]:
    """The lower-case words of `text`, punctuation ignored, for the clue tests below."""
    return frozenset(_punctuation_to_space(text.lower()).split())


def _has_number_word(words: frozenset[str]) -> bool:
    return not words.isdisjoint(_UNIT_NUMBER_WORDS)


def _has_article_unit(words: frozenset[str]) -> bool:
    """An indefinite article and a unit word, as in "within a day"."""
    return not words.isdisjoint(("a", "an")) and not words.isdisjoint(_ARTICLE_UNITS)


_ARTICLE_UNITS = frozenset(("second", "minute", "hour", "day", "week", "month", "year"))
_CURRENCY_CLUES = frozenset(
    [code.lower() for code in _CURRENCY_CODES] + ["dollar", "dollars", "euro", "euros"]
) | {"pound", "pounds"}


def _article_duration(match: re.Match[str]) -> Value:
    kind, unit, factor = _UNITS[match.group("unit").lower()]
    return Value(kind, unit, (factor,))


def _count(match: re.Match[str]) -> Value | None:
    low = match.group("low")
    noun = match.group("noun")
    if low.isdigit() and len(low) > 1 and low.startswith("0"):
        return None  # a code, not a count
    if noun.lower() in _NOT_COUNT_NOUNS or len(noun) < 3 or not noun.islower():
        return None  # not a noun, or a name ("7 Node.js patches")
    before = _WORD_BEFORE.search(match.string, max(0, match.start() - 40), match.start())
    word_before = before.group(1) if before else ""
    if _IDENTIFIER.fullmatch(word_before):
        return None  # a version or a label: "ICU 58", "Node.js 20", "step 3"
    if low.isdigit() and 1900 <= int(low) <= 2199 and word_before.lower() in _YEAR_PREPOSITIONS:
        return None  # "in 2019 customers asked": a year
    unit = normalise_word(noun) + _count_per(match.group("per"))
    return Value(COUNT, unit, (_amount(low),))


_WORD_BEFORE = re.compile(r"(\S+)\s+$")
_YEAR_PREPOSITIONS = _word_set(
    "in since from until till by of before after during around early late"
)
_IDENTIFIER = re.compile(
    r"[A-Z0-9]{2,}|\S*[.\d]\S*|(?i:version|v|release|step|chapter|section|page|figure|table|part"
    r"|level|tier|number|no|id|issue|pr|build|patch|node|item|row|line|column|phase|stage)"
)


def _count_per(text: str | None) -> str:
    if not text:
        return ""
    word = re.sub(r"^\s*(?:/|per)\s*", "", text, flags=re.IGNORECASE).lower()
    unit = _UNITS.get(word)
    if unit is not None and unit[0] == DURATION:
        return "/" + re.sub(r"s$", "", word)
    return "/" + _PER_UNITS.get(word, normalise_word(word))


@dataclass(frozen=True)
class _Finder:
    """One kind of value: its pattern, how a match becomes a value, a cheap test of whether it
    can match at all, and `reach`: how far before a digit its match can start ("$" or "USD "
    before "29"), or None for a pattern not tied to digits, which scans the whole text."""

    pattern: re.Pattern[str]
    convert: Callable[[re.Match[str]], Value | None]
    may_match: Callable[[_Clues], bool]
    reach: int | None = 0
    word_numbers: bool = False  # also matches "two weeks": scan when number words occur


_FINDERS: tuple[_Finder, ...] = (
    _Finder(_EMAIL, _email, lambda clues: "@" in clues.text, reach=None),
    _Finder(_PHONE, _phone, lambda clues: clues.digits >= 7, reach=2),
    _Finder(_TIMES, _times, lambda clues: clues.digits > 0 and _CLOCK_CLUE.search(clues.text)),
    _Finder(_MONEY_PREFIX, _money, lambda clues: clues.digits > 0 and clues.currency, 4),
    _Finder(_MONEY_SUFFIX, _money, lambda clues: clues.digits > 0 and clues.currency),
    _Finder(_QUANTITY, _quantity, lambda clues: clues.amounts, word_numbers=True),
    _Finder(_ATTACHED, _quantity, lambda clues: clues.digits > 0),
    _Finder(_ARTICLE_DURATION, _article_duration, lambda clues: clues.article_unit, reach=None),
)
_COUNT_FINDER = _Finder(_COUNT, _count, lambda clues: clues.amounts, word_numbers=True)
_CLOCK_CLUE = re.compile(r"\d\s?[ap]\.?m|\d:\d\d", re.IGNORECASE)
_DIGIT_START = re.compile(r"(?<!\d)\d")
_ARITHMETIC_BEFORE = re.compile(r"[*×/+=^]\s*$")


def find_values(text: str, counts: bool = True) -> list[Found]:
    """Every value in `text`, in order. Each finder runs on the text with earlier matches
    blanked out, so "$12" is money and never also a count, and a date is never a quantity.
    Finders tied to digits only try to match at the few places where a number starts."""
    clues = _Clues(text)
    if not (clues.amounts or clues.article_unit or "@" in text):
        return []
    masked = text
    if "://" in text or "www." in text:
        masked = _URL.sub(lambda match: " " * len(match.group(0)), text)
    spans = [(item.start, item.end) for item in find_dates(masked) if item.precision != "year"]
    if spans:
        masked = _blank(masked, spans)
    found: list[Found] = []
    for finder in (*_FINDERS, _COUNT_FINDER) if counts else _FINDERS:
        if not finder.may_match(clues):
            continue
        stage: list[Found] = []
        for match in _matches(finder, masked, clues):
            value = finder.convert(match)
            if value is None:
                continue
            start, end = _value_span(match)
            if _ARITHMETIC_BEFORE.search(masked, max(0, start - 8), start):
                continue  # "512 * 1024 bytes" is not 1024 bytes
            stage.append(Found(start, end, value))
        if stage:
            masked = _blank(masked, [(item.start, item.end) for item in stage])
            found.extend(stage)
    return sorted(found, key=lambda item: item.start)


def _matches(finder: _Finder, text: str, clues: _Clues) -> Iterator[re.Match[str]]:
    if finder.reach is None or (finder.word_numbers and clues.number_words):
        yield from finder.pattern.finditer(text)
        return
    covered = 0
    for anchor in _DIGIT_START.finditer(text):
        digit = anchor.start()
        if digit < covered:
            continue
        for position in range(max(covered, digit - finder.reach), digit + 1):
            match = finder.pattern.match(text, position)
            if match is not None and match.end() > digit:
                covered = match.end()
                yield match
                break


def _value_span(match: re.Match[str]) -> tuple[int, int]:
    if match.re is _ARTICLE_DURATION:
        return match.start("low"), match.end()
    if match.re is _COUNT:
        return match.start(), match.end("per") if match.group("per") else match.end("noun")
    return match.span()


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each span replaced by spaces, so offsets stay valid for later finders."""
    pieces = []
    position = 0
    for start, end in sorted(spans):
        pieces += [text[position:start], " " * (end - start)]
        position = end
    return "".join(pieces) + text[position:] if pieces else text


def parse_value(text: str) -> Value | None:
    """The single value a configuration string names ("30 days", "$29", "9am-5pm"), or None
    when it names none or several."""
    found = find_values(text.strip())
    if len(found) != 1:
        bare = text.strip()
        if re.fullmatch(_DIGITS, bare):
            return Value(NUMBER, "", (_amount(bare),))
        return None
    return found[0].value


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


def may_hold_value(text: str) -> bool:
    """False when `text` certainly holds no value: no digit, no number word, no "@".

    The test `find_values` starts with, spelled out without building its `_Clues`: it runs
    on every paragraph of every article, and most have no digit."""
    if "@" in text or _ascii_digit_count(text):
        return True
    words = _words_of(text)
    return _has_number_word(words) or _has_article_unit(words)


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
        bare = re.fullmatch(rf"\s*({_DIGITS})\s*", text)
        if bare:
            number = Value(NUMBER, "", (_amount(bare.group(1)),))
            found = [Found(bare.start(1), bare.end(1), number)]
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
        or lowered in _UNITS
        or lowered in _UNIT_NUMBER_WORDS
    )
    return word, content, lowered in _NEGATIONS or lowered.endswith("n't")


def _is_capitalised(raw: str) -> bool:
    return raw[:1].isupper()


# --- the per-article summary -------------------------------------------------------------------


def _encode_amount(amount: Number | str) -> int | str | list[int]:
    if isinstance(amount, Fraction):
        return [amount.numerator, amount.denominator]
    return amount


def _decode_amount(data: object) -> Number | str:
    if isinstance(data, list):
        numerator, denominator = data
        return _whole(Fraction(int(numerator), int(denominator)))
    if isinstance(data, bool) or not isinstance(data, (int, str)):
        raise TypeError(f"not an amount: {data!r}")
    return data


def encode_claims(claims: list[Claim]) -> list[list[object]]:
    """Claims as JSON lists for the parse cache; `subject` is the set of `words`."""
    return [
        [
            claim.value.kind,
            claim.value.unit,
            [_encode_amount(amount) for amount in claim.value.amount],
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
        value = Value(str(kind), str(unit), tuple(_decode_amount(item) for item in amounts))  # type: ignore[union-attr]
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
