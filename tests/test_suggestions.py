"""'Did you mean' candidates come from a trigram index, so they stay fast and still right."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from kbcheck.suggestions import NameIndex, best_match


def test_finds_the_renamed_file_among_many_similar_names() -> None:
    names = [f"topic-{number:06d}" for number in range(5000)] + ["exporting-data"]
    index = NameIndex(names)
    assert index.closest("topik-001234") == "topic-001234"
    assert index.closest("export-data") == "exporting-data"


def test_nothing_close_means_no_suggestion() -> None:
    index = NameIndex(["refund-policy", "plans", "taxes-and-vat"])
    assert index.closest("gone") is None
    assert index.closest("") is None
    assert NameIndex([]).closest("plans") is None


def test_small_sets_are_compared_in_full() -> None:
    index = NameIndex(["annual-plans", "monthly-plans"])
    assert index.closest("annual-plan") == "annual-plans"


@given(
    st.text(alphabet="abcde-01", max_size=12),
    st.lists(st.text(alphabet="abcde-01", max_size=12), max_size=30),
    st.sampled_from([0.0, 0.5, 0.6, 0.7, 0.9]),
)
def test_best_match_is_what_difflib_returns(query: str, names: list[str], cutoff: float) -> None:
    expected = difflib.get_close_matches(query, names, n=1, cutoff=cutoff)
    assert best_match(query, names, cutoff) == (expected[0] if expected else None)
