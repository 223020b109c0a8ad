"""content/expired-mention and content/retired-term: what counts, relative to `--today`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_kb

MakeKb = Callable[[dict[str, str | bytes]], Path]


def expired(kb: MakeKb, sentence: str, today: date = date(2026, 6, 1)) -> list[str]:
    root = kb({"a.md": f"# A\n\n{sentence}\n"})
    findings = run_kb(root, select=("content/expired-mention",), today=today).report.findings
    return [finding.message for finding in findings]


@pytest.mark.parametrize(
    "sentence",
    [
        "Save 20% until March 31, 2024.",
        "The bundle is on sale through 31 March 2024.",
        "This offer ends 2024-03-31.",
        "As of 2023, exports include PDFs.",
        "New in Q1 2024: bulk resend.",
        "Starting January 2024 we will charge VAT.",
        "From March 2024, invoices will show your logo.",
        "Xero sync is coming in Q3 2025.",
        "Register by May 1, 2026 to keep your discount.",
        "Effective April 2026, prices will be in euros.",
        # the future tense with a past date, whatever verb it promises
        "The classic editor will be retired on July 31, 2025.",
        "The old importer is scheduled to be replaced on June 1, 2025.",
        "A fix is scheduled by the end of this month (November 2025).",
        "This list is current as of August 2025.",
    ],
)
def test_past_dates_spoken_of_as_current_are_reported(kb: MakeKb, sentence: str) -> None:
    assert len(expired(kb, sentence)) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "Save 20% until December 31, 2026.",  # in the future
        "As of 2026, exports include PDFs.",  # the year has not ended
        "Version 5 was released in 2019.",  # history
        "The spring offer ended on March 31, 2024.",
        "Until 2023, invoices were limited to 50 a month.",
        "In 2023 we processed a million invoices.",  # a plain date, nothing current
        "Enter a date such as March 3, 2024.",  # an example
        "We have shipped a release every quarter since 2019.",
        "Set `until: 2020-01-01` in the file.",  # code
        "Prices went up by 2020 standards.",
        # states that stay true once reached
        "Effective April 2026, prices are in euros.",
        "The legacy API is out of support as of February 28, 2025.",
        "As of March 2025, the desktop app is no longer supported.",
        "Starting on May 3, 2025, you can't sign in with a PIN.",
        "Support for the 2013 version ends February 28, 2025.",
        # product years, examples and scenarios
        "Install the plug-in on the 2019 server.",
        "These steps work for all versions of the app through 2023.",
        "For example, the trial ends on November 6, 2025.",
        "Suppose the offer runs until March 31, 2025.",
    ],
)
def test_future_historic_and_plain_dates_are_not_reported(kb: MakeKb, sentence: str) -> None:
    assert expired(kb, sentence) == []


def test_dated_posts_and_example_sections_are_not_reported(kb: MakeKb) -> None:
    stale = "Save 20% until March 31, 2024.\n"
    root = kb(
        {
            "blog/2024-01-15-spring-sale.md": f"# Spring sale\n\n{stale}",
            "examples/offers.md": f"# Offers\n\n{stale}",
            "billing/offers.md": f"# Offers\n\n## Example\n\n{stale}\n## Now\n\n{stale}",
        }
    )
    findings = run_kb(root, select=("content/expired-mention",)).report.findings
    assert [(finding.path, finding.line) for finding in findings] == [("billing/offers.md", 9)]


def test_the_verdict_follows_today(kb: MakeKb) -> None:
    sentence = "Save 20% until March 31, 2026."
    assert expired(kb, sentence, today=date(2026, 3, 31)) == []
    assert expired(kb, sentence, today=date(2026, 4, 1)) == [
        "'until March 31, 2026' ended 1 days before 2026-04-01, but the text speaks of it as "
        "current"
    ]


def test_expired_mention_position_points_at_the_trigger(kb: MakeKb) -> None:
    root = kb({"a.md": "# A\n\nIntro.\n\nAnnual plans are 20% off\nuntil March 31, 2024.\n"})
    (finding,) = run_kb(root, select=("content",)).report.findings
    assert (finding.line, finding.column) == (6, 1)


def retired(kb: MakeKb, body: str, terms: str) -> list[tuple[int, int, str, str | None]]:
    root = kb({"kbcheck.toml": f"[retired_terms]\n{terms}", "a.md": body})
    findings = run_kb(root, select=("content/retired-term",)).report.findings
    return [(f.line, f.column or 0, f.message, f.hint) for f in findings]


def test_retired_terms_match_whole_words_plurals_and_case(kb: MakeKb) -> None:
    terms = '"Pro plan" = "renamed to Growth in 2025"\n"Company" = ""\n'
    body = "# A\n\nThe pro plans and the PRO PLAN; companies and a Company.\n"
    assert retired(kb, body, terms) == [
        (3, 5, "'pro plans' is the retired term 'Pro plan'", "renamed to Growth in 2025"),
        (3, 23, "'PRO PLAN' is the retired term 'Pro plan'", "renamed to Growth in 2025"),
        (
            3,
            33,
            "'companies' is the retired term 'Company'",
            "replace 'Company' with the current name",
        ),
        (3, 49, "'Company' is retired", "replace 'Company' with the current name"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "# A\n\nUse `Pro plan` in the API.\n",
        "# A\n\n```\nPro plan\n```\n",
        "# A\n\nSee [plans](pro-plan.md) and [the Growth page](../pro%20plan/x.md).\n",
        "# A\n\nProfessional plans and pro-plan-like bundles, or a proplan.\n",
    ],
)
def test_retired_terms_in_code_links_and_longer_words_are_not_reported(
    kb: MakeKb, body: str
) -> None:
    assert retired(kb, body, '"Pro plan" = "renamed"\n') == []
