"""Claims: the values an article states, and the subjects they are about."""

from __future__ import annotations

from fractions import Fraction

from kbcheck.article import ParseSettings, parse_article
from kbcheck.claims import extract_claims
from kbcheck.values import NUMBER, Value

# --- subjects ----------------------------------------------------------------------------------


def article(body: str):
    return parse_article(body.encode(), "a.md", ParseSettings())


def test_subject_ignores_case_plurals_and_stop_words() -> None:
    first = extract_claims(article("Refunds are accepted within 30 days.\n"))[0]
    second = extract_claims(article("We accept a refund within 14 days.\n"))[0]
    third = extract_claims(article("REFUND ACCEPTED WITHIN 30 DAYS\n"))[0]
    assert first.subject == third.subject == frozenset({"refund", "accept"})
    assert second.subject == frozenset({"accept", "refund"})


def test_claim_position_subject_window_and_phrase() -> None:
    body = "# Title\n\nIntro line.\nThe reset link works once and expires after 60 minutes.\n"
    (claim,) = extract_claims(article(body))
    assert (claim.line, claim.column) == (4, 45)
    assert claim.text == "60 minutes"
    assert claim.subject == frozenset({"reset", "link", "work", "expir"})
    assert claim.phrase == "reset link works once and expires after 60 minutes"


def test_each_value_in_a_sentence_gets_its_own_subject() -> None:
    claims = extract_claims(article("The monthly price is $12 and the annual price is $120.\n"))
    assert [sorted(claim.subject) for claim in claims] == [["monthly", "pric"], ["annual", "pric"]]


def test_table_cells_take_their_subject_from_the_row_and_column() -> None:
    body = "| | Starter | Growth |\n|---|---|---|\n| Users | 1 | 5 |\n| Price | $12 | $29 |\n"
    claims = {(claim.line, claim.text): claim for claim in extract_claims(article(body))}
    assert claims[(3, "5")].subject == frozenset({"user", "growth"})
    assert claims[(3, "5")].value == Value(NUMBER, "", (Fraction(5),))
    assert claims[(4, "$29")].phrase == "Price / Growth: $29"


def test_negation_and_names_are_recorded() -> None:
    (negative,) = extract_claims(article("Refunds are not accepted after 30 days.\n"))
    assert negative.negated
    (named,) = extract_claims(article("Upgrade and the Growth plan gives you 5 seats.\n"))
    assert "growth" in named.proper and "plan" in named.plain


def test_code_and_front_matter_are_not_prose() -> None:
    body = "---\ntitle: 30 days\n---\nUse `30 days` here.\n\n```\nexpires after 24 hours\n```\n"
    assert extract_claims(article(body)) == []
