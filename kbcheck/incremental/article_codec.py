"""Articles to and from plain JSON data, for the parse cache.

JSON rather than pickle on purpose: a cache file may come from anywhere (a pull request can
commit one), and unpickling runs code. Values the codec does not know make an article
uncacheable (it is parsed every run) rather than wrong.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from typing import Any

import orjson

from kbcheck.model import (
    Article,
    Heading,
    Interval,
    LazyBlocks,
    Link,
    Problem,
    Suppression,
    TextBlock,
)

#: Front matter that reaches the codec has passed the parser's bounds (MAX_FRONTMATTER_VALUES);
#: these are a second guard, so that no article built some other way can make the encoder
#: expand shared or self-referencing values without end.
_MAX_VALUES = 20_000
_MAX_DEPTH = 64


class Uncacheable(ValueError):
    """The article holds a value JSON cannot carry faithfully."""


class _Budget:
    def __init__(self) -> None:
        self.left = _MAX_VALUES


def _encode_value(value: Any, budget: _Budget | None = None, depth: int = 0) -> Any:
    """Front-matter values: YAML scalars, lists, mappings and dates, tagged where JSON lacks
    the type so they come back as the same Python objects."""
    budget = budget if budget is not None else _Budget()
    budget.left -= 1
    if budget.left < 0 or depth > _MAX_DEPTH:
        raise Uncacheable("front matter too large or too deep to encode")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Uncacheable("non-finite float")
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_encode_value(item, budget, depth + 1) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise Uncacheable("mapping with non-string keys")
        if any(key.startswith("$") for key in value):
            raise Uncacheable("mapping key starting with $")
        return {key: _encode_value(item, budget, depth + 1) for key, item in value.items()}
    raise Uncacheable(f"{type(value).__name__} value")


def _decode_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode_value(item) for item in value]
    if isinstance(value, dict):
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        return {key: _decode_value(item) for key, item in value.items()}
    return value


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


#: The order of an encoded article's fields: an article is a JSON array, not an object, so
#: that reading ten thousand of them neither parses nor looks up twenty keys each.
FIELDS = (
    "path",
    "title",
    "meta",
    "key_lines",
    "has_frontmatter",
    "frontmatter_ok",
    "owners",
    "last_reviewed",
    "review_every",
    "expires",
    "ignore",
    "headings",
    "anchors",
    "links",
    "blocks",
    "suppressions",
    "problems",
    "line_count",
    "readable",
    "key_names",
)


def encode_article(article: Article) -> list[Any]:
    """The article as plain JSON data: its fields in the order of `FIELDS`."""
    return [
        article.path,
        article.title,
        _encode_value(article.meta),
        article.key_lines,
        article.has_frontmatter,
        article.frontmatter_ok,
        list(article.owners),
        _iso(article.last_reviewed),
        ([article.review_every.count, article.review_every.unit] if article.review_every else None),
        _iso(article.expires),
        list(article.ignore),
        [[h.level, h.text, h.anchor, h.line, h.column] for h in article.headings],
        sorted(article.anchors),
        [
            [link.kind, link.target, link.text, link.line, link.column, link.syntax]
            for link in article.links
        ],
        _encode_blocks(article.blocks),
        [[s.action, list(s.rules), s.line] for s in article.suppressions],
        [[p.rule, p.message, p.line, p.column, p.hint] for p in article.problems],
        article.line_count,
        article.readable,
        article.key_names,
    ]


def _encode_blocks(blocks: Sequence[TextBlock]) -> str:
    """All the blocks as one compressed JSON text (zlib, in base64): the blocks are most of an
    article and are rarely read on a warm run, so they stay small, in the cache and in memory,
    until something reads them (about 3.6 KB of JSON becomes 1.4 KB)."""
    if isinstance(blocks, LazyBlocks) and blocks.source is not None:
        return blocks.source
    try:
        encoded = orjson.dumps(
            [[block.kind, block.text, block.spans, block.context] for block in blocks]
        )
    except TypeError as error:  # text JSON cannot carry (a lone surrogate)
        raise Uncacheable(str(error)) from None
    return base64.b64encode(zlib.compress(encoded, 1)).decode("ascii")


def _decode_blocks(text: str) -> tuple[TextBlock, ...]:
    try:
        encoded = zlib.decompress(base64.b64decode(text, validate=True))
    except (binascii.Error, zlib.error) as error:
        raise ValueError(f"damaged blocks: {error}") from None
    return tuple(
        TextBlock(str(kind), str(body), tuple(spans), tuple(context))
        for kind, body, spans, context in orjson.loads(encoded)
    )


def _lazy_blocks(
    text: Any, reparse: Callable[[], Sequence[TextBlock]] | None
) -> Sequence[TextBlock]:
    if not isinstance(text, str):
        raise TypeError("blocks are not a JSON text")
    if reparse is None:
        return _decode_blocks(text)

    def load() -> tuple[TextBlock, ...]:
        try:
            return _decode_blocks(text)
        except (TypeError, ValueError):  # a damaged entry (orjson.JSONDecodeError included)
            return tuple(reparse())

    return LazyBlocks(load, text)


def pack_blocks(article: Article) -> Article:
    """The article with its blocks held as their JSON text until read: a freshly parsed
    article then takes no more memory than a cached one (the blocks are most of an article),
    and the cache stores the text as it is. Blocks JSON cannot carry stay as they are."""
    if isinstance(article.blocks, LazyBlocks):
        return article
    try:
        text = _encode_blocks(article.blocks)
    except Uncacheable:
        return article
    return replace(article, blocks=LazyBlocks(partial(_decode_blocks, text), text))


def decode_article(
    data: list[Any], reparse: Callable[[], Sequence[TextBlock]] | None = None
) -> Article:
    """Raises KeyError/TypeError/ValueError on anything malformed; the caller then parses.
    With `reparse` (how to get the blocks from the file itself), the blocks are decoded only
    when first read, and a damaged blocks entry falls back to it; without, at once.

    This runs for every unchanged article of every run, so it builds the article without
    the dataclass `__init__` (`Article.from_fields`)."""
    if type(data) is not list:
        raise TypeError("an encoded article is a JSON array")
    (
        path,
        title,
        meta,
        key_lines,
        has_frontmatter,
        frontmatter_ok,
        owners,
        last_reviewed,
        every,
        expires,
        ignore,
        headings,
        anchors,
        links,
        blocks,
        suppressions,
        problems,
        line_count,
        readable,
        key_names,
    ) = data  # ValueError when the length is wrong
    return Article.from_fields(
        path=_text(path),
        title=_text(title),
        meta=_decode_value(meta),
        key_lines=dict(key_lines),
        has_frontmatter=bool(has_frontmatter),
        frontmatter_ok=bool(frontmatter_ok),
        owners=tuple(owners),
        last_reviewed=date.fromisoformat(last_reviewed) if last_reviewed else None,
        review_every=Interval(int(every[0]), str(every[1])) if every else None,
        expires=date.fromisoformat(expires) if expires else None,
        ignore=tuple(ignore),
        headings=tuple(map(Heading._make, headings)),
        anchors=frozenset(anchors),
        links=tuple(map(Link._make, links)),
        blocks=_lazy_blocks(blocks, reparse),
        suppressions=tuple(
            Suppression(action, tuple(rules), line) for action, rules, line in suppressions
        ),
        problems=tuple(Problem(*item) for item in problems),
        line_count=int(line_count),
        readable=bool(readable),
        key_names={_text(logical): _text(name) for logical, name in key_names.items()},
    )


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected a string")
    return value
