"""Near-duplicate machinery: shingles, signatures, buckets. Deterministic and exact where it
reports."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from kbcheck.minhash import (
    SIGNATURE_SIZE,
    Shingler,
    candidate_pairs,
    jaccard,
    pack,
    signature,
    unpack,
    words,
)

_VOCABULARY = [f"word{index}" for index in range(2000)]


def _text(seed: int, length: int = 300) -> list[str]:
    chooser = random.Random(seed)
    return [chooser.choice(_VOCABULARY) for _ in range(length)]


def _edited(text: list[str], every: int) -> list[str]:
    return [("changed" if index % every == 0 else word) for index, word in enumerate(text)]


def test_words_ignore_case_and_punctuation() -> None:
    assert words("Refunds, refunds — REFUNDS!") == ["refunds", "refunds", "refunds"]


def test_shingles_are_five_word_windows() -> None:
    shingler = Shingler()
    assert len(shingler.shingles(["a", "b", "c", "d", "e", "f", "g"])) == 3
    assert shingler.shingles(["a", "b", "c", "d"]) == set()
    assert shingler.shingles(["a", "b", "c", "d", "e"]) == shingler.shingles(
        "A b c d e".lower().split()
    )


def test_signature_agreement_estimates_jaccard() -> None:
    shingler = Shingler()
    errors = []
    for seed in range(40):
        original = _text(seed)
        first, second = shingler.shingles(original), shingler.shingles(_edited(original, 25))
        agreement = (
            sum(a == b for a, b in zip(signature(first), signature(second), strict=True))
            / SIGNATURE_SIZE
        )
        errors.append(agreement - jaccard(first, second))
    assert abs(sum(errors) / len(errors)) < 0.05
    assert max(abs(error) for error in errors) < 0.25


def test_short_and_empty_sets_get_full_signatures() -> None:
    assert len(signature(Shingler().shingles(["one", "two", "three", "four", "five", "six"]))) == 64
    assert len(signature(set())) == 64


def test_only_similar_texts_become_candidates() -> None:
    shingler = Shingler()
    texts = {f"article-{seed:03d}": _text(seed) for seed in range(200)}
    texts["copy-of-007"] = _edited(texts["article-007"], 40)
    texts["copy-of-123"] = _edited(texts["article-123"], 30)
    signatures = {name: pack(signature(shingler.shingles(text))) for name, text in texts.items()}
    pairs = candidate_pairs(signatures)
    assert ("article-007", "copy-of-007") in pairs
    assert ("article-123", "copy-of-123") in pairs
    assert len(pairs) < 10  # unrelated texts almost never share a band; never all pairs


def test_jaccard_is_exact() -> None:
    assert jaccard({1, 2, 3}, {2, 3, 4}) == 0.5
    assert jaccard(set(), set()) == 1.0


def test_results_do_not_depend_on_the_hash_seed() -> None:
    """Python salts str hashes per process; signatures must not change with it."""
    program = (
        "from kbcheck.minhash import Shingler, signature;"
        "print(signature(Shingler().shingles('the refund window is thirty days long'.split())))"
    )
    outputs = set()
    for seed in ("1", "2", "random"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", program],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_a_signature_packs_into_bytes_and_back() -> None:
    values = signature(
        Shingler().shingles(["the", "refund", "window", "is", "thirty", "days", "long"])
    )
    assert unpack(pack(values)) == values and len(pack(values)) == 8 * len(values)
    with pytest.raises(ValueError):
        unpack(pack(values)[:-1])
