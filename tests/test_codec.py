"""The one codec of the incremental layer: values round-trip exactly through plain JSON, data
of the wrong shape is refused, and cache keys come from canonical data, never `repr`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, NamedTuple

import pytest
from kbcheck_rules.contradiction import ConflictingValues, NearDuplicate

from kbcheck.article import ParseSettings, parse_article
from kbcheck.incremental.codec import DECODE_ERRORS, Unsupported, codec_for, plain, return_codec
from kbcheck.model import Finding, Location, Severity

LIMITS = (
    "# Limits\n\nReset links expire after 1.5 hours. Refunds take 5-10 business days.\n\n"
    "Call +1 (555) 010-9999 or write to Help@Example.com; plans cost $29.50/month.\n\n"
    "| Plan | Seats |\n|---|---:|\n| Pro | 25 |\n\nOpen 9am-5pm, 20% off, 2.5 GB.\n"
)


def _round_trip(annotation: Any, value: Any) -> Any:
    codec = codec_for(annotation)
    return codec.decode(json.loads(json.dumps(codec.encode(value))))


def test_claims_survive_the_cache_exactly() -> None:
    article = parse_article(LIMITS.encode(), "limits.md", ParseSettings())
    rule = ConflictingValues()
    claims = rule.extract(article)
    assert any(isinstance(amount, Fraction) for c in claims for amount in c.value.amount)
    assert len(claims) >= 7
    codec = return_codec(ConflictingValues.extract)
    assert codec.decode(json.loads(json.dumps(codec.encode(claims)))) == claims


def test_a_prose_signature_survives_the_cache() -> None:
    article = parse_article(("# A\n\n" + "word " * 80).encode(), "a.md", ParseSettings())
    signature = NearDuplicate().extract(article)
    codec = return_codec(NearDuplicate.extract)
    assert codec.decode(json.loads(json.dumps(codec.encode(signature)))) == signature


def test_findings_survive_the_cache() -> None:
    finding = Finding(
        "links/broken-file", Severity.ERROR, "a.md", 3, None, "gone", None, (Location("b.md", 2),)
    )
    assert _round_trip(tuple[Finding, ...], (finding,)) == (finding,)


class _Pair(NamedTuple):
    when: date
    share: Fraction | None


@dataclass(frozen=True)
class _Holder:
    tags: frozenset[str]
    pairs: tuple[_Pair, ...]
    by_name: dict[str, int | str]
    raw: bytes


def test_records_sets_unions_and_dates_round_trip() -> None:
    value = _Holder(
        frozenset({"b", "a"}),
        (_Pair(date(2026, 1, 2), Fraction(1, 3)), _Pair(date(2025, 5, 6), None)),
        {"x": 1, "y": "one"},
        b"\x00\xff",
    )
    assert _round_trip(_Holder, value) == value
    # Sets are sorted: equal values give equal text, whatever the hash seed.
    assert codec_for(_Holder).encode(value)[0] == ["a", "b"]


def test_a_type_the_codec_cannot_rebuild_is_refused_up_front() -> None:
    with pytest.raises(Unsupported):
        codec_for(object)
    with pytest.raises(Unsupported):
        codec_for(dict[int, str])

    def untyped(article):  # type: ignore[no-untyped-def]
        return article

    with pytest.raises(Unsupported):
        return_codec(untyped)


@pytest.mark.parametrize("data", [[1], ["a", "b", "c", "d"], {"a": 1}, "text", None])
def test_data_of_the_wrong_shape_is_refused(data: Any) -> None:
    with pytest.raises(DECODE_ERRORS):
        codec_for(_Holder).decode(data)


def test_keys_see_the_whole_of_a_long_pattern() -> None:
    """`repr` of a compiled pattern stops at 200 characters: two patterns that differ only
    past that point must still give different keys."""
    head = "refund (window|period)" + "|x" * 120
    first, second = re.compile(head + "|alpha", re.I), re.compile(head + "|omega", re.I)
    assert repr(first) == repr(second)
    assert plain(first) != plain(second)
    assert plain({"b": {1, 2}, "a": first}) == plain({"a": first, "b": {2, 1}})
