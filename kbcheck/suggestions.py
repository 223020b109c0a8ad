"""'Did you mean …?' over thousands of names without comparing the query with every one.

difflib compares one pair in microseconds, but a knowledge base where every file is called
`how-to-something` defeats its quick filters, and hundreds of broken links times thousands of
files is minutes. A trigram index picks a few dozen candidates first; difflib ranks those.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

#: Candidates handed to difflib per query.
_CANDIDATES = 40
#: Trigrams shared by more names than this say too little to be counted (after the first).
_MAX_POSTING = 2000


def _trigrams(text: str) -> set[str]:
    padded = f"  {text.casefold()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class NameIndex:
    """Approximate string search over a fixed set of names (file names, anchors)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(set(names))
        self._postings: dict[str, list[int]] = {}
        for number, name in enumerate(self.names):
            for gram in _trigrams(name):
                self._postings.setdefault(gram, []).append(number)

    def _candidates(self, query: str) -> list[str]:
        if len(self.names) <= _CANDIDATES:
            return self.names
        # The rarest trigrams say the most; very common ones would make this O(names) again.
        grams = sorted(
            (gram for gram in _trigrams(query) if gram in self._postings),
            key=lambda gram: len(self._postings[gram]),
        )
        # Bounded, so that a query costs the same whatever the number of names.
        budget = min(max(4 * _CANDIDATES, len(self.names) // 20), _MAX_POSTING)
        votes: Counter[int] = Counter()
        for gram in grams:
            posting = self._postings[gram]
            if votes and len(posting) > budget:
                break
            votes.update(posting)
        return [self.names[number] for number, _ in votes.most_common(_CANDIDATES)]

    def closest(self, query: str, cutoff: float = 0.7) -> str | None:
        """The most similar name with a difflib ratio of at least `cutoff`, or None."""
        if not query:
            return None
        return best_match(query, self._candidates(query), cutoff)


def best_match(query: str, names: Iterable[str], cutoff: float) -> str | None:
    """What `difflib.get_close_matches(query, names, n=1, cutoff=cutoff)` returns, without
    computing the full ratio of names that cannot win: a name whose cheap upper bound
    (`quick_ratio`) is below the best ratio found so far is skipped. On a knowledge base of
    look-alike names most candidates pass the cutoff, and the full ratio of each was most of
    the time spent on 'did you mean' hints."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(query)
    best: str | None = None
    best_score = cutoff
    for name in names:
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
            continue
        score = matcher.ratio()
        if score < best_score:
            continue
        if best is None or score > best_score or name > best:
            best, best_score = name, score
    return best
