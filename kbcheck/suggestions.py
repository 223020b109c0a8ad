"""'Did you mean …?': the one place kbcheck picks the nearest known name.

Every hint (a misspelt setting, rule, owner, anchor or file name) ranks names as
`difflib.get_close_matches` does, so hints agree wherever they are given. `closest` answers
one question exactly; `NameIndex` answers many over thousands of names (the link rules).

difflib compares one pair in microseconds, but a knowledge base where every file is called
`how-to-something` defeats its quick filters, and hundreds of broken links times thousands of
files is minutes. A trigram index picks a few dozen candidates first; `closest` ranks those.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable

__all__ = ["NameIndex", "closest", "suggest"]

#: difflib's ratio is 2*matches/(len(a)+len(b)); its own default, 0.6, accepts typos such as
#: "instalation" for "installation" and "annual" for "annual-plans" (0.67) while rejecting
#: unrelated names of similar length.
DEFAULT_CUTOFF = 0.6
#: Candidates `NameIndex` hands to `closest` per query.
_CANDIDATES = 40
#: Trigrams shared by more names than this say too little to be counted (after the first).
_MAX_POSTING = 2000


def closest(
    word: str,
    choices: Iterable[str],
    *,
    cutoff: float = DEFAULT_CUTOFF,
    key: Callable[[str], str] | None = None,
) -> str | None:
    """What `difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)` returns (the highest
    ratio; among equals, the greatest name), or None.

    A name whose cheap upper bound (`quick_ratio`) is below the best ratio found so far is
    skipped without its full ratio: on a knowledge base of look-alike names most candidates
    pass the cutoff, and their full ratios were most of the time spent on hints.

    With `key`, names are compared as `key` spells them (an owner key, say) and the first
    choice with the winning spelling is returned, so the hint shows a name as it was written.
    """
    if key is not None:
        by_key: dict[str, str] = {}
        for choice in choices:
            by_key.setdefault(key(choice), choice)
        match = closest(key(word), by_key, cutoff=cutoff)
        return None if match is None else by_key[match]
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)  # difflib caches what it learns about the second sequence
    best: str | None = None
    best_score = cutoff
    for name in choices:
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
            continue
        score = matcher.ratio()
        if score < best_score:
            continue
        if best is None or score > best_score or name > best:
            best, best_score = name, score
    return best


def suggest(
    word: str,
    choices: Iterable[str],
    *,
    cutoff: float = DEFAULT_CUTOFF,
    key: Callable[[str], str] | None = None,
) -> str:
    """' (did you mean 'x'?)' for the `closest` choice, or '': error messages end with it, so
    they read the same whether or not a hint was found."""
    match = closest(word, choices, cutoff=cutoff, key=key)
    return "" if match is None else f" (did you mean '{match}'?)"


def _trigrams(text: str) -> set[str]:
    padded = f"  {text.casefold()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class NameIndex:
    """`closest` for many queries over one large set of names (every file of the knowledge
    base, for every broken link). Approximate: only the few dozen names that share the most
    trigrams with the query are ranked, so that a query costs the same however many there are."""

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

    def closest(self, query: str, *, cutoff: float = DEFAULT_CUTOFF) -> str | None:
        """`closest(query, self.names, cutoff=cutoff)`, among the likeliest candidates only;
        None for an empty query (there is nothing to be near)."""
        if not query:
            return None
        return closest(query, self._candidates(query), cutoff=cutoff)
