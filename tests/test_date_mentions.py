"""Dates in prose, read as the period of days they name."""

from __future__ import annotations

from datetime import date

import pytest

from kbcheck.date_mentions import find_dates


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("until March 31, 2024", date(2024, 3, 31), date(2024, 3, 31), "day"),
        ("through 31 March 2024", date(2024, 3, 31), date(2024, 3, 31), "day"),
        ("on the 1st of Feb. 2025", date(2025, 2, 1), date(2025, 2, 1), "day"),
        ("offer ends 2024-03-31", date(2024, 3, 31), date(2024, 3, 31), "day"),
        ("starting January 2024", date(2024, 1, 1), date(2024, 1, 31), "month"),
        ("until Feb 2024", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("new in Q1 2024", date(2024, 1, 1), date(2024, 3, 31), "quarter"),
        ("in H2 2025", date(2025, 7, 1), date(2025, 12, 31), "half"),
        ("as of 2023", date(2023, 1, 1), date(2023, 12, 31), "year"),
    ],
)
def test_date_forms(text: str, first: date, last: date, precision: str) -> None:
    (mention,) = find_dates(text)
    assert (mention.first, mention.last, mention.precision) == (first, last, precision)
    assert text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize(
    "text",
    [
        "February 30, 2024",  # no such day
        "you may 2024",  # "may" is a verb unless capitalised
    ],
)
def test_only_the_year_of_a_non_date_is_read(text: str) -> None:
    assert [mention.text for mention in find_dates(text)] == ["2024"]


def test_numbers_that_are_not_years() -> None:
    text = "version 2024.1, the 1990s, 20245 rows, 2024-08, 2024-13-01, 31/03/2024 and 1800"
    assert find_dates(text) == []  # 31/03/2024 is ambiguous (day or month first): not read


def test_longest_form_wins_and_order_is_kept() -> None:
    mentions = find_dates("From March 2024 until 31 December 2024, and in 2025.")
    assert [mention.text for mention in mentions] == ["March 2024", "31 December 2024", "2025"]
