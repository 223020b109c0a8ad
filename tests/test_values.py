"""Values: amounts with units normalised so that equal things compare equal, and the word
normalisation a count's noun shares with subjects."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kbcheck.values import (
    COUNT,
    DURATION,
    EMAIL,
    MONEY,
    NUMBER,
    PERCENT,
    PHONE,
    SIZE,
    TIME,
    TIME_RANGE,
    Value,
    find_values,
    normalise_word,
    parse_value,
)


def value_of(text: str) -> Value:
    found = find_values(text)
    assert len(found) == 1, f"{text!r} gave {found}"
    return found[0].value


def texts_of(text: str) -> list[str]:
    return [item.text(text) for item in find_values(text)]


# --- one test per kind of value ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("24 hours", "1 day"),
        ("2 weeks", "14 days"),
        ("a 14-day trial", "a two-week trial"),
        ("within an hour", "within 60 minutes"),
        ("90 seconds", "1.5 minutes"),
        ("24h", "one day"),
        ("1 year", "12 months"),
        ("5–10 working days", "5 to 10 business days"),
    ],
)
def test_durations_in_other_units_are_equal(first: str, second: str) -> None:
    assert value_of(first) == value_of(second)
    assert value_of(first).kind == DURATION


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("30 days", "1 month"),  # calendar units are not converted to days
        ("5 working days", "5 days"),  # a working day is not a day
        ("4 working hours", "4 hours"),
    ],
)
def test_durations_of_other_kinds_are_not_comparable(first: str, second: str) -> None:
    assert value_of(first).dimension != value_of(second).dimension


def test_duration_ranges_and_descriptions() -> None:
    assert value_of("5–10 working days").amount == (Fraction(5), Fraction(10))
    assert value_of("2 weeks").describe() == "14 days"
    assert value_of("36 hours").describe() == "36 hours"
    assert value_of("18 months").describe() == "18 months"
    assert value_of("24 months").describe() == "2 years"


@pytest.mark.parametrize(
    "text", ["$29", "USD 29", "29 dollars", "29 USD", "29 US dollars", "US$29", "$29.00"]
)
def test_money_in_other_forms_is_equal(text: str) -> None:
    assert value_of(text) == Value(MONEY, "USD", (Fraction(29),))


def test_money_keeps_currency_and_period_apart() -> None:
    assert value_of("€29") == value_of("29 euros") == value_of("EUR 29")
    assert value_of("€29") != value_of("$29")
    assert value_of("£10") == value_of("10 pounds sterling")
    assert value_of("$29 per month").unit == "USD/month"
    assert value_of("$29/month") == value_of("$29 a month") == value_of("29 USD per month")
    assert value_of("€25/user/month").unit == "EUR/user/month"
    assert value_of("$1,200.50").amount == (Fraction("1200.50"),)


def test_percentages() -> None:
    assert value_of("50%") == value_of("50 percent") == value_of("50 per cent")
    assert value_of("20%").kind == PERCENT


def test_sizes_use_1024_multiples() -> None:
    assert value_of("5 GB") == value_of("5120 MB") == value_of("5 gigabytes")
    assert value_of("10MB") == value_of("10240 KB")
    assert value_of("1 TB").kind == SIZE
    assert value_of("5120 MB").describe() == "5 GB"


def test_counts_with_a_noun() -> None:
    assert value_of("3 seats") == Value(COUNT, "seat", (Fraction(3),))
    assert value_of("10 users") == value_of("ten users")
    assert value_of("120 requests per minute").unit == "request/minute"
    assert value_of("1,000 invoices") == Value(COUNT, "invoic", (Fraction(1000),))


@pytest.mark.parametrize(
    "text",
    [
        "one of the users",  # "one" is a pronoun here
        "Version 5 adds webhooks",  # a version
        "ICU 58 bump",  # a name and a number
        "refloat 7 Node.js patches",  # the noun is a name
        "since 2019 customers",  # a year
        "TLS 1.2 or newer",  # a decimal is not a count
        "2FA codes",  # not a number on its own
        "Net 30",  # nothing counted
    ],
)
def test_not_counts(text: str) -> None:
    assert [item.value for item in find_values(text) if item.value.kind == COUNT] == []


def test_times_of_day_and_ranges() -> None:
    assert value_of("9am-5pm") == value_of("09:00–17:00") == value_of("9 a.m. to 5 p.m.")
    assert value_of("9-5pm") == value_of("9am-5pm")
    assert value_of("9am-5pm").kind == TIME_RANGE
    assert value_of("08:00–18:00 UTC").unit == "UTC"
    assert value_of("08:00–18:00 UTC") != value_of("08:00–18:00")
    assert value_of("at 9:30 am") == Value(TIME, "", (Fraction(570),))
    assert value_of("12pm") == value_of("12:00")
    assert value_of("12am") == value_of("00:00")
    assert value_of("9am-5pm").describe() == "09:00–17:00"


def test_phone_numbers() -> None:
    assert value_of("+44 20 7946 0000") == Value(PHONE, "", ("+442079460000",))
    assert value_of("(555) 010-0199") == value_of("555-010-0199") == value_of("555.010.0199")
    assert value_of("+1 555 010 0199").kind == PHONE


def test_email_addresses_ignore_case() -> None:
    assert value_of("Support@Example.com.") == Value(EMAIL, "", ("support@example.com",))


@pytest.mark.parametrize(
    "text",
    [
        "until March 31, 2024",  # a date is not 31 of something
        "on 31 March 2024",
        "see https://example.com/a/10-days and www.example.com/5-gb",
        "the default is 512 * 1024 bytes",  # arithmetic, not 1024 bytes
        "commit 716875d",
        "chapter 3 of the guide",
    ],
)
def test_no_values(text: str) -> None:
    assert find_values(text) == []


def test_values_are_found_in_order_with_their_spans() -> None:
    text = "Refunds within 30 days cost $0; email billing@example.com by 5pm."
    assert texts_of(text) == ["30 days", "$0", "billing@example.com", "5pm"]


def test_parse_value_reads_one_value() -> None:
    assert parse_value(" 30 days ") == value_of("30 days")
    assert parse_value("42") == Value(NUMBER, "", (Fraction(42),))
    assert parse_value("soon") is None
    assert parse_value("30 days or 2 weeks") is None


# --- properties --------------------------------------------------------------------------------

amounts = st.integers(min_value=1, max_value=5000)


@given(amounts)
def test_duration_normalisation_is_consistent(count: int) -> None:
    days = value_of(f"{count} days")
    assert days == value_of(f"{count * 24} hours") == value_of(f"{count * 1440} minutes")
    assert value_of(f"{count} weeks") == value_of(f"{count * 7} days")
    assert parse_value(days.describe()) == days


@given(amounts)
def test_size_normalisation_is_consistent(count: int) -> None:
    gigabytes = value_of(f"{count} GB")
    assert gigabytes == value_of(f"{count * 1024} MB") == value_of(f"{count * 1024 * 1024} KB")
    assert parse_value(gigabytes.describe()) == gigabytes


@given(amounts, st.sampled_from(["$", "USD ", "US$"]), st.sampled_from(["", " per month"]))
def test_money_normalisation_is_consistent(count: int, prefix: str, period: str) -> None:
    value = value_of(f"{prefix}{count}{period}")
    assert value == value_of(f"{count} dollars{period}") == value_of(f"{count} USD{period}")
    assert parse_value(value.describe()) == value


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_time_normalisation_is_consistent(hour: int, minute: int) -> None:
    clock = value_of(f"{hour:02d}:{minute:02d}")
    half = "am" if hour < 12 else "pm"
    twelve = hour % 12 or 12
    assert clock == value_of(f"{twelve}:{minute:02d}{half}")
    assert parse_value(clock.describe()) == clock


@given(amounts)
def test_percent_and_count_normalisation_is_consistent(count: int) -> None:
    assert value_of(f"{count}%") == value_of(f"{count} percent")
    assert value_of(f"{count} users") == value_of(f"{count} user")


@given(st.from_regex(r"[a-z]{2,10}[bdfgklmnprt]", fullmatch=True))
def test_word_normalisation_ignores_case_plurals_and_possessives(word: str) -> None:
    expected = normalise_word(word)
    assert normalise_word(word.upper()) == expected
    assert normalise_word(word + "s") == expected
    assert normalise_word(word + "'s") == expected


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_values_are_found_in_any_text_without_overlap(text: str) -> None:
    found = find_values(text)
    ends = 0
    for item in found:
        assert ends <= item.start < item.end <= len(text)
        ends = item.end
