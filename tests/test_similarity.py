"""Whether two subjects are the same subject: similar enough word sets, one only adding words
to the other, found without comparing all pairs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kbcheck.similarity import only_adds_words, similar_subjects


def test_similar_subjects_adds_words_but_never_replaces_them() -> None:
    subjects = [
        ("password", "reset", "link", "expir"),
        ("reset", "link", "work", "expir"),
        ("schedul", "export", "download", "link", "expir"),
        ("schedul", "invoic", "download", "link", "expir"),  # 4 of 6 words, but another thing
        ("download", "link", "valid"),
        ("invitation", "link", "valid"),
    ]
    neighbours = similar_subjects(subjects, 0.6)
    assert neighbours[0] == [0, 1]
    assert neighbours[2] == [2]
    assert neighbours[3] == [3]
    assert neighbours[4] == [4]


@given(
    st.lists(
        st.lists(st.sampled_from("abcdefghij"), min_size=1, max_size=7, unique=True),
        max_size=25,
    ),
    st.sampled_from([0.4, 0.5, 0.6, 0.8, 1.0]),
)
def test_similar_subjects_finds_exactly_what_comparing_all_pairs_finds(
    subjects: list[list[str]], threshold: float
) -> None:
    found = similar_subjects(subjects, threshold)
    for first, words in enumerate(subjects):
        expected = [first] + [
            other
            for other, other_words in enumerate(subjects)
            if other != first
            and len(set(words) & set(other_words)) / len(set(words) | set(other_words)) >= threshold
            and only_adds_words(words, other_words)
        ]
        assert sorted(found[first]) == sorted(expected)
