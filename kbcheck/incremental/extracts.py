"""Per-article extracts: what a cross-article rule takes from each article (its claims, its
MinHash signature), computed once per article *content* and kept in the parse cache.

A `CorpusRule` compares articles with each other, but most of its work is per article and
depends only on that article's text: its `extract`. kbcheck computes it in the parse workers
next to the parse itself (so a cold run spreads it over the cores) and stores it with the
parsed article (so a warm run, or a run after one article was edited, computes it for the
changed articles only). An `Extractor` is that work for one rule: its name, the function, and
how its value becomes plain JSON data and back (the generic codec, from the annotation of
`extract`). It is keyed by a digest of the rule's code, so editing the extraction code
recomputes it. A value the codec cannot keep stays as it is, and is computed again each run.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import orjson

from kbcheck.incremental.codec import DECODE_ERRORS, Codec, return_codec
from kbcheck.incremental.folder import source_digest
from kbcheck.incremental.keys import rule_code_digest
from kbcheck.model import Article

T = TypeVar("T")

#: Errors a decoder may raise on a damaged cache entry.


class _Encoded:
    """A summary as its JSON text (from the cache, or packed after it was computed), decoded
    each time a rule asks for it: a run that selects only some rules never pays for decoding
    the others' summaries, and no decoded value outlives the rule that read it."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data


@dataclass(frozen=True, eq=False)
class Extractor(Generic[T]):
    """One kind of per-article summary. See the module docstring for the contract."""

    name: str
    version: int
    compute: Callable[[Article], T]
    encode: Callable[[T], Any]
    decode: Callable[[Any], T]
    _fingerprint: list[str] = field(default_factory=list, repr=False)

    @property
    def fingerprint(self) -> str:
        """`name:version:digest` of the code that computes it: the key it is cached under."""
        if not self._fingerprint:
            try:
                source = inspect.getsourcefile(self.compute)
            except TypeError:  # a built-in function: no source file
                source = None
            code = source_digest([source or str(getattr(self.compute, "__qualname__", ""))])
            self._fingerprint.append(f"{self.name}:{self.version}:{code[:16]}")
        return self._fingerprint[0]

    def of(self, article: Article) -> T:
        """This summary of `article`: decoded from its compact JSON text, or computed now.

        A decoded value is not kept: a summary is read by one rule, once, and keeping the
        decoded claims of a hundred thousand articles would cost more memory than all the
        rest of the run."""
        store = article.derived
        key = self.fingerprint
        value = store.get(key, _MISSING)
        if isinstance(value, _Encoded):
            try:
                return self.decode(orjson.loads(value.data))
            except DECODE_ERRORS:  # orjson.JSONDecodeError is a ValueError
                value = _MISSING  # a damaged cache entry: compute it again
        if value is _MISSING:
            value = self.compute(article)
            store[key] = value
            store.setdefault(_COMPUTED, set()).add(key)
        return value


_MISSING: Any = object()
#: Where `Article.derived` records which summaries were computed in this run, not read from
#: the cache: only those are new to the cache.
_COMPUTED = "kbcheck.incremental.extracts.computed"


def unique(summaries: Iterable[Extractor[Any]]) -> tuple[Extractor[Any], ...]:
    """Each summary once (two rules may share one), in a stable order."""
    chosen: dict[str, Extractor[Any]] = {}
    for summary in summaries:
        chosen.setdefault(summary.fingerprint, summary)
    return tuple(chosen[key] for key in sorted(chosen))


def compute_all(article: Article, summaries: Iterable[Extractor[Any]]) -> None:
    """Fill in every summary `article` lacks, then pack them. A summary whose computation
    fails is left out: the rule that reads it then fails on its own, with its name on it."""
    if not article.readable:
        return
    for summary in summaries:
        if summary.fingerprint not in article.derived:
            try:
                summary.of(article)
            except Exception:  # the rule reports it when it asks; the parse must go on
                continue
    pack(article, summaries)


def pack(article: Article, summaries: Iterable[Extractor[Any]]) -> None:
    """Replace the summaries computed in this run by their JSON text: compact to keep and to
    send from a worker process, ready for the cache, and read back by `of` exactly as a
    cached one is, so a cold run and a warm run see the same values. One that cannot be
    encoded stays as it is (and is computed again next run)."""
    store = article.derived
    for summary in summaries:
        value = store.get(summary.fingerprint, _MISSING)
        if value is _MISSING or isinstance(value, _Encoded):
            continue
        try:
            text = orjson.dumps(summary.encode(value)).decode("utf-8")
        except (TypeError, ValueError, OverflowError):  # orjson.JSONEncodeError is a TypeError
            continue
        store[summary.fingerprint] = _Encoded(text)


def attach_encoded(article: Article, stored: Any, summaries: Iterable[Extractor[Any]]) -> bool:
    """Put the cache entry's summaries (fingerprint -> JSON text) on a cached article; True
    when it has every one of `summaries` (then `compute_all` has nothing to do for it)."""
    if not isinstance(stored, dict):
        return False
    complete = True
    derived = article.derived
    for summary in summaries:
        key = summary.fingerprint
        text = stored.get(key)
        if isinstance(text, str):
            derived[key] = _Encoded(text)
        else:
            complete = False
    return complete


def computed_now(article: Article) -> bool:
    """Whether any summary of `article` was computed in this run rather than read."""
    return bool(article.derived.get(_COMPUTED))


def encoded_text(article: Article, summary: Extractor[Any]) -> str | None:
    """The summary's JSON text as kept with `article`, which fingerprints what it holds: ""
    for an unreadable article (which has none), None when it cannot stand for the value (not
    encoded, or missing from a readable article, so a rule would compute it on the spot)."""
    value = article.derived.get(summary.fingerprint, _MISSING)
    if isinstance(value, _Encoded):
        return value.data
    if value is _MISSING and not article.readable:
        return ""
    return None


def new_texts(article: Article) -> dict[str, str]:
    """The JSON texts of the summaries computed in this run, for the cache."""
    store = article.derived
    return {
        key: store[key].data
        for key in sorted(store.get(_COMPUTED, ()))
        if isinstance(store.get(key), _Encoded)
    }


# --- the extracts of cross-article rules --------------------------------------------------------


@functools.cache
def _codec_of(rule_class: type) -> Codec:
    return return_codec(rule_class.extract)  # type: ignore[attr-defined]


def _encode_extract(rule_class: type, value: Any) -> Any:
    return _codec_of(rule_class).encode(value)


def _decode_extract(rule_class: type, data: Any) -> Any:
    return _codec_of(rule_class).decode(data)


def for_rule(rule: Any) -> Extractor[Any]:
    """The extract of a `CorpusRule` as a summary: computed in the parse workers, kept in the
    parse cache with the article, encoded by the codec its `extract` annotation names. One
    whose type the codec cannot keep is computed every run (and its rule runs every run)."""
    rule_class = type(rule)
    code = rule_code_digest(rule) or "unknown"
    return Extractor(
        f"extract.{rule.id}",
        0,
        rule.extract,
        functools.partial(_encode_extract, rule_class),
        functools.partial(_decode_extract, rule_class),
        [f"extract.{rule.id}:{code[:16]}"],
    )


def travels(rule: Any) -> bool:
    """Whether the rule's extract can be sent to a worker process: its class can be found
    again by name there. A rule defined inside a function cannot; its extracts are computed
    when it first reads them, in this process."""
    try:
        pickle.dumps(for_rule(rule))
    except Exception:  # pickling a plugin's object can fail in many ways
        return False
    return True


def extracts_digest(articles: Iterable[Article], summary: Extractor[Any]) -> str | None:
    """A digest of every article's extract as kept (its JSON text), and of which articles are
    readable; None when one is not kept as text (then it cannot stand for the value)."""
    hashed = hashlib.blake2b(digest_size=20)
    for article in articles:
        text = encoded_text(article, summary)
        if text is None:
            return None
        line = f"{article.path}\0{int(article.readable)}\0{text}\0"
        hashed.update(line.encode("utf-8", "surrogatepass"))
    return hashed.hexdigest()


class Extracts(Mapping[str, Any]):
    """Every readable article's extract by path, decoded when a rule reads it."""

    def __init__(self, articles: Mapping[str, Article], summary: Extractor[Any]) -> None:
        self._articles = articles
        self._summary = summary
        self._paths = [path for path, article in articles.items() if article.readable]

    def __getitem__(self, path: str) -> Any:
        article = self._articles[path]
        if not article.readable:
            raise KeyError(path)
        return self._summary.of(article)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)
