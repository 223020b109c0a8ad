"""Sentences and their words: where a sentence ends, what a table cell is about, and what each
word can tell about a value next to it."""

from __future__ import annotations

from kbcheck.model import TextBlock
from kbcheck.sentences import block_sentences, split_sentences, tokenise


def test_abbreviations_and_decimals_do_not_end_a_sentence() -> None:
    text = "Refunds take 5 days, e.g. by card. Prices are 1.5 times higher!  Done"
    assert [text[start:end] for start, end in split_sentences(text)] == [
        "Refunds take 5 days, e.g. by card.",
        "Prices are 1.5 times higher!",
        "Done",
    ]


def test_a_table_cell_says_what_it_is_about_and_where_it_is() -> None:
    cell = TextBlock("table-cell", "5 seats", (0, 3, 7), ("Growth", "Users"))
    (sentence,) = block_sentences(cell)
    assert (sentence.text, sentence.context) == ("5 seats", "Users / Growth")
    assert sentence.position(2) == (3, 9)


def test_prose_sentences_have_no_context() -> None:
    paragraph = TextBlock("paragraph", "One. Two", (0, 3, 1), ("Intro",))
    assert [(s.start, s.text, s.context) for s in block_sentences(paragraph)] == [
        (0, "One.", ""),
        (5, "Two", ""),
    ]


def test_words_know_whether_they_are_content_negate_or_start_a_clause() -> None:
    text = "Refunds are not accepted; Growth plans take 2 hours"
    tokens = {token.raw: token for token in tokenise(text, 0, len(text))}
    assert tokens["Refunds"].word == "refund" and tokens["plans"].word == "plan"
    content = [raw for raw, token in tokens.items() if token.content]
    assert content == ["Refunds", "accepted", "Growth", "plans"]  # stop words and units are not
    assert [raw for raw, token in tokens.items() if token.negation] == ["not"]
    # "Growth" starts a clause, so its capital says nothing about it being a name.
    assert [raw for raw, token in tokens.items() if token.initial] == ["Refunds", "Growth"]
    assert all(token.initial for token in tokenise(text, 0, len(text), heading_like=True))
