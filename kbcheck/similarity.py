"""Whether two subjects are the same subject: a set-similarity join over their words, and an
alignment of the words in reading order.

Kept apart from the contradiction rules because it is plain set and sequence arithmetic, with
its own exactness property (it finds what comparing all pairs would), tested on its own.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations

#: Sets are indexed under combinations of up to this many of their rarest words.
_KEY_WORDS = 3


def similar_subjects(subjects: Sequence[Sequence[str]], threshold: float) -> dict[int, list[int]]:
    """For each subject (words in reading order), the subjects, itself included, that are the
    same subject: their word sets have a Jaccard similarity of at least `threshold`, and one
    only adds words to the other ("password reset link" and "reset link"), never puts another
    word in the same place ("export link" and "invoice link" are two things).

    Found with a prefix-filtered set-similarity join, never by comparing all pairs. Words are
    ordered rarest first. Two sets with Jaccard similarity t share at least
    `needed = ceil(t * len)` words of each, so for k <= needed each set's first
    `len - needed + k` words hold k shared words. Every set is indexed under the k-word
    combinations of those first words (k = 1, 2, 3), and looks up its own with
    k = min(needed, 3): only sets found under a common key are compared. Combinations keep the
    lists short even when single words, such as a product name, occur in thousands of
    subjects."""
    sets = [frozenset(subject) for subject in subjects]
    frequency = Counter(word for subject_set in sets for word in subject_set)
    wanted = Fraction(threshold).limit_denominator(1000)
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    neighbours: dict[int, list[int]] = {position: [position] for position in range(len(sets))}
    for position, subject_set in enumerate(sets):
        ordered = sorted(subject_set, key=lambda word: (frequency[word], word))
        needed = math.ceil(wanted * len(ordered))
        keys = {
            size: list(combinations(ordered[: len(ordered) - needed + size], size))
            for size in range(1, _KEY_WORDS + 1)
        }
        candidates: set[int] = set()
        for key in keys[max(1, min(needed, _KEY_WORDS))]:
            candidates.update(index[key])
        for other in sorted(candidates):
            shared = len(subject_set & sets[other])
            union = len(subject_set) + len(sets[other]) - shared
            if shared * wanted.denominator < wanted.numerator * union:
                continue
            if only_adds_words(subjects[position], subjects[other]):
                neighbours[position].append(other)
                neighbours[other].append(position)
        for size_keys in keys.values():
            for key in size_keys:
                index[key].append(position)
    return neighbours


def only_adds_words(first: Sequence[str], second: Sequence[str]) -> bool:
    """Whether, aligned on a longest common subsequence, no gap between aligned words has
    words on both sides (a substitution). A word both subjects have in another place
    ("retried 5 times" and "retry ... 3 times") is left out of the alignment: it is moved,
    not substituted. Symmetric: the order of the arguments does not change the answer."""
    if tuple(first) > tuple(second):
        first, second = second, first
    aligned, common = _alignment(first, second)
    if aligned:
        return True
    moved = (set(first) & set(second)) - set(common)
    if not moved:
        return False
    return _alignment(
        [word for word in first if word not in moved],
        [word for word in second if word not in moved],
    )[0]


def _alignment(first: Sequence[str], second: Sequence[str]) -> tuple[bool, list[str]]:
    """Whether `first` and `second` align without a substitution, and the aligned words."""
    lengths = [[0] * (len(second) + 1) for _ in range(len(first) + 1)]
    for i in range(len(first) - 1, -1, -1):
        for j in range(len(second) - 1, -1, -1):
            if first[i] == second[j]:
                lengths[i][j] = lengths[i + 1][j + 1] + 1
            else:
                lengths[i][j] = max(lengths[i + 1][j], lengths[i][j + 1])
    i = j = 0
    gap_first = gap_second = False
    substituted = False
    common: list[str] = []
    while i < len(first) and j < len(second):
        if first[i] == second[j]:
            if gap_first and gap_second:
                substituted = True
            gap_first = gap_second = False
            common.append(first[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            gap_first, i = True, i + 1
        else:
            gap_second, j = True, j + 1
    trailing = (gap_first or i < len(first)) and (gap_second or j < len(second))
    return not (substituted or trailing), common
