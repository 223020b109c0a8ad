"""Values in prose: an amount with its unit, normalised so that equal things compare equal.

"24 hours" = "1 day", "$29" = "USD 29" = "29 dollars", "5 GB" = "5120 MB", "9am-5pm" =
"09:00–17:00". This is the bottom layer of claim extraction and all the configuration needs to
read a `[facts.NAME] value`, so it knows nothing of sentences, subjects or articles.

`normalise_word` and the stop words live here although the layers above use them most: a count's
unit is a normalised noun ("3 seats" counts "seat") and a stop word is never one, and this module
must not import the layers above it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from kbcheck.date_mentions import find_dates, mask_code

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
_names: tuple[str, ...]
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


# --- the words the grammar needs ------------------------------------------------------------------


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string: long lists read better as prose."""
    return frozenset(text.split())


STOP_WORDS = word_set(
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
    elif len(word) > 4 and word.endswith("ied"):
        word = word[:-3] + "y"  # "retried" is "retry", as "retries" is
    elif len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


_NOT_COUNT_NOUNS = (
    STOP_WORDS
    | word_set(
        """january february march april may june july august september october november december
        jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
        saturday sunday percent per times x"""
    )
    | frozenset(NUMBER_WORDS)
    | frozenset(name for name in _UNITS if " " not in name)
)

# --- finding values -------------------------------------------------------------------------------


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
    start = match.start()
    if noun.lower() == "times" and _RETRIED.search(match.string, max(0, start - 70), start):
        return Value(COUNT, "retry", (_amount(low),))  # "retried 5 times", "try 3 times"
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
#: "N times" after a retry verb counts retries; elsewhere ("3 times faster") it is no count.
_RETRIED = re.compile(
    r"\b(?:re-?tr(?:y|ies|ied|ying)|(?:re)?attempt(?:s|ed)?|tr(?:y|ies|ied))\b[^.;:]{0,50}$",
    re.IGNORECASE,
)
_YEAR_PREPOSITIONS = word_set(
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


_CLOCK_CLUE = re.compile(r"\d\s?[ap]\.?m|\d:\d\d", re.IGNORECASE)
_FINDERS: tuple[_Finder, ...] = (
    _Finder(_EMAIL, _email, lambda clues: "@" in clues.text, reach=None),
    _Finder(_PHONE, _phone, lambda clues: clues.digits >= 7, reach=2),
    _Finder(
        _TIMES, _times, lambda clues: clues.digits > 0 and bool(_CLOCK_CLUE.search(clues.text))
    ),
    _Finder(_MONEY_PREFIX, _money, lambda clues: clues.digits > 0 and clues.currency, 4),
    _Finder(_MONEY_SUFFIX, _money, lambda clues: clues.digits > 0 and clues.currency),
    _Finder(_QUANTITY, _quantity, lambda clues: clues.amounts, word_numbers=True),
    _Finder(_ATTACHED, _quantity, lambda clues: clues.digits > 0),
    _Finder(_ARTICLE_DURATION, _article_duration, lambda clues: clues.article_unit, reach=None),
)
_COUNT_FINDER = _Finder(_COUNT, _count, lambda clues: clues.amounts, word_numbers=True)
_DIGIT_START = re.compile(r"(?<!\d)\d")
_ARITHMETIC_BEFORE = re.compile(r"[*×/+=^]\s*$")


def find_values(text: str, counts: bool = True) -> list[Found]:
    """Every value in `text`, in order. Each finder runs on the text with earlier matches
    blanked out, so "$12" is money and never also a count, and a date is never a quantity.
    Finders tied to digits only try to match at the few places where a number starts."""
    clues = _Clues(text)
    if not (clues.amounts or clues.article_unit or "@" in text):
        return []
    masked = mask_code(text)
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


_BARE_NUMBER = re.compile(rf"\s*({_DIGITS})\s*")


def find_bare_number(text: str) -> Found | None:
    """The number `text` consists of, if it is nothing else. `find_values` leaves a bare number
    alone: it says what it counts only where a table's row and column say so."""
    match = _BARE_NUMBER.fullmatch(text)
    if match is None:
        return None
    return Found(match.start(1), match.end(1), Value(NUMBER, "", (_amount(match.group(1)),)))


def parse_value(text: str) -> Value | None:
    """The single value a configuration string names ("30 days", "$29", "9am-5pm", "42"), or
    None when it names none or several."""
    found = find_values(text.strip())
    if len(found) == 1:
        return found[0].value
    bare = find_bare_number(text)
    return bare.value if bare else None


def may_hold_value(text: str) -> bool:
    """False when `text` certainly holds no value: no digit, no number word, no "@".

    The test `find_values` starts with, spelled out without building its `_Clues`: it runs
    on every paragraph of every article, and most have no digit."""
    if "@" in text or _ascii_digit_count(text):
        return True
    words = _words_of(text)
    return _has_number_word(words) or _has_article_unit(words)


def is_unit_or_number_word(word: str) -> bool:
    """Whether a lower-case word names a unit or a number ("hours", "gb", "two"): it belongs to
    a value, never to what the value is about."""
    return word in _UNITS or word in _UNIT_NUMBER_WORDS


# --- amounts as JSON ------------------------------------------------------------------------------


def encode_amount(amount: Number | str) -> int | str | list[int]:
    """JSON has no exact fractions: a Fraction is written as [numerator, denominator]."""
    if isinstance(amount, Fraction):
        return [amount.numerator, amount.denominator]
    return amount


def decode_amount(data: object) -> Number | str:
    """The inverse of `encode_amount`. TypeError on what is not an amount: the cache then
    treats the entry as damaged."""
    if isinstance(data, list):
        numerator, denominator = data
        return _whole(Fraction(int(numerator), int(denominator)))
    if isinstance(data, bool) or not isinstance(data, (int, str)):
        raise TypeError(f"not an amount: {data!r}")
    return data
