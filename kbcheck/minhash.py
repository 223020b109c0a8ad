"""Finding nearly identical texts among thousands without comparing every pair.

Each text becomes the set of its word 5-grams ("shingles"); two texts are near-duplicates when
the Jaccard similarity of those sets is high. A MinHash signature summarises each set in 64
numbers (one-permutation hashing with densification, Shrivastava & Li 2014, so a text costs
one hash per shingle); locality-sensitive hashing then puts the signatures into buckets by bands
of 4 numbers, and only texts sharing a bucket are compared, exactly, on their shingle sets.

Words are hashed with BLAKE2b and windows of word hashes with Python's tuple-of-integers hash,
neither of which is randomised per process (the built-in `hash()` of a *string* is), so
signatures, buckets and results are the same on every run.
"""

from __future__ import annotations

import hashlib
import re
import string
import struct
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

SHINGLE_WORDS = 5
SIGNATURE_SIZE = 64
BAND_ROWS = 4
_BIN_BITS = 6  # 2**6 == SIGNATURE_SIZE bins
_BIN_MASK = SIGNATURE_SIZE - 1
_MASK64 = (1 << 64) - 1
_EMPTY = 1 << 64  # larger than any hash: marks a bin no shingle fell into
_WORD = re.compile(r"\w+")
#: In ASCII text `\w` is exactly letters, digits and "_": turning every other byte into a
#: space and splitting gives the same words as the regular expression, three times faster.
_ASCII_WORD_BYTES = frozenset((string.ascii_letters + string.digits + "_").encode("ascii"))
_ASCII_NON_WORD_TO_SPACE = bytes(
    byte if byte in _ASCII_WORD_BYTES else ord(" ") for byte in range(256)
)


def words(text: str) -> list[str]:
    """Lower-case words; punctuation and layout do not make two texts different."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered.encode("ascii").translate(_ASCII_NON_WORD_TO_SPACE).decode("ascii").split()
    return _WORD.findall(lowered)


class Shingler:
    """Hashes texts into shingle sets, remembering each word's hash: a knowledge base reuses a
    small vocabulary, so most words are hashed once per run."""

    def __init__(self, size: int = SHINGLE_WORDS) -> None:
        self.size = size
        self._cache: dict[str, int] = {}

    def shingles(self, text_words: Sequence[str]) -> set[int]:
        """64-bit hashes of every `size`-word window. A window is a tuple of the words' BLAKE2b
        hashes, hashed by Python's tuple hash: that is not randomised (PYTHONHASHSEED only
        salts str, bytes and datetime hashes), so it is the same on every run."""
        if len(text_words) < self.size:
            return set()
        cache = self._cache
        for word in set(text_words).difference(cache):
            cache[word] = int.from_bytes(hashlib.blake2b(word.encode()).digest()[:8], "big")
        hashes = [cache[word] for word in text_words]
        windows = zip(*(hashes[offset:] for offset in range(self.size)), strict=False)
        return {hash(window) & _MASK64 for window in windows}


def _mix(value: int) -> int:
    """The splitmix64 finaliser: spreads a value's entropy over all 64 bits."""
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def signature(shingles: Iterable[int]) -> tuple[int, ...]:
    """One-permutation MinHash: the low bits of a hash pick a bin, the rest compete for the
    bin's minimum. Empty bins borrow from the next non-empty bin (with an offset per step of
    distance), which keeps the collision probability equal to the Jaccard similarity."""
    bins = [_EMPTY] * SIGNATURE_SIZE
    for value in shingles:
        index = value & _BIN_MASK
        rest = value >> _BIN_BITS
        if rest < bins[index]:
            bins[index] = rest
    if _EMPTY not in bins:
        return tuple(bins)
    if all(value == _EMPTY for value in bins):
        return tuple(bins)
    dense = list(bins)
    for index, value in enumerate(bins):
        if value != _EMPTY:
            continue
        distance = 1
        while bins[(index + distance) % SIGNATURE_SIZE] == _EMPTY:
            distance += 1
        borrowed = bins[(index + distance) % SIGNATURE_SIZE]
        dense[index] = _mix((borrowed + distance * 0x9E3779B97F4A7C15) & _MASK64) >> _BIN_BITS
    return tuple(dense)


#: A signature packed as SIGNATURE_SIZE unsigned 64-bit numbers: 512 bytes instead of the
#: 2.6 KB of a tuple of ints, which matters with a hundred thousand articles.
_PACKED = struct.Struct(f"<{SIGNATURE_SIZE}Q")
PACKED_SIZE = _PACKED.size
_BAND_BYTES = BAND_ROWS * 8


def pack(values: Sequence[int]) -> bytes:
    return _PACKED.pack(*values)


def unpack(packed: bytes) -> tuple[int, ...]:
    """Raises ValueError when `packed` is not a whole signature."""
    try:
        return _PACKED.unpack(packed)
    except struct.error as error:
        raise ValueError(str(error)) from None


def candidate_pairs(signatures: Mapping[str, bytes]) -> list[tuple[str, str]]:
    """Pairs of keys whose packed signatures agree on at least one whole band, each pair once,
    sorted. Two texts with Jaccard similarity s become candidates with probability
    1 - (1 - s**4)**16: 0.99 at s = 0.7, 0.12 at s = 0.3.

    One band at a time, so only one band's buckets are held; a band is a slice of the packed
    bytes. Most bands are unique, so the duplicated ones are found first by counting (in C),
    and only their keys are bucketed. Keys are sorted, so each pair comes out (smaller,
    larger)."""
    keys = sorted(signatures)
    packed = [signatures[key] for key in keys]
    pairs: set[tuple[str, str]] = set()
    for start in range(0, PACKED_SIZE, _BAND_BYTES):
        end = start + _BAND_BYTES
        bands = [signature[start:end] for signature in packed]
        shared = {band for band, count in Counter(bands).items() if count > 1}
        if not shared:
            continue
        buckets: dict[bytes, list[str]] = {}
        for key, band in zip(keys, bands, strict=True):
            if band in shared:
                members = buckets.setdefault(band, [])
                pairs.update((first, key) for first in members)
                members.append(key)
    return sorted(pairs)


def jaccard(first: set[int], second: set[int]) -> float:
    if not first and not second:
        return 1.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)
