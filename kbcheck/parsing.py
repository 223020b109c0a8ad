"""Parsing every article of a knowledge base: from the cache when the file is unchanged, in
worker processes when many files need parsing, serially otherwise.

The parse of one file depends only on its bytes, the parse settings and kbcheck's version, so
those make the cache key, and serial and parallel runs give identical articles.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from kbcheck import (
    __version__,
    anchors,
    article,
    article_codec,
    dates,
    html_scanner,
    markdown,
    model,
    summaries,
)
from kbcheck.article import UNREADABLE, ParseSettings, parse_article, read_article_bytes
from kbcheck.article_codec import Uncacheable, decode_article, encode_article
from kbcheck.cache import CacheFolder
from kbcheck.model import Article, Problem, TextBlock
from kbcheck.summaries import Summary

CACHE_DOCUMENT = "articles.json"
CACHE_VERSION = 2
#: Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
_CHUNK = 64


@dataclass
class ParseStats:
    """What a run did, for benchmarks and for `--debug`."""

    parsed: int = 0
    from_cache: int = 0
    workers: int = 1
    #: Per-article summaries computed in this run (the rest came from the cache).
    summarised: int = 0


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@functools.lru_cache(maxsize=1)
def _parser_fingerprint() -> str:
    """A digest of the code that turns bytes into articles: a developer who edits the parser
    without bumping the version must not be served articles the old code parsed."""
    digest = hashlib.blake2b(digest_size=16)
    for module in (
        article,
        markdown,
        html_scanner,
        anchors,
        dates,
        model,
        article_codec,
        summaries,
    ):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:
            digest.update(module.__name__.encode())
    return digest.hexdigest()


def _cache_key(settings: ParseSettings) -> str:
    described = json.dumps(
        {
            "kbcheck": __version__,
            "cache": CACHE_VERSION,
            "code": _parser_fingerprint(),
            "settings": asdict(settings),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.blake2b(described.encode("utf-8"), digest_size=16).hexdigest()


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def _read(path: Path, relative: str, limit: int) -> bytes | Article:
    try:
        return read_article_bytes(path, limit)
    except OSError as error:
        reason = error.strerror or str(error)
        problem = Problem(UNREADABLE, f"cannot read file: {reason}")
        return Article(path=relative, title=relative, problems=(problem,), readable=False)


def _reparsed_blocks(root: Path, relative: str, settings: ParseSettings) -> Sequence[TextBlock]:
    """The blocks of a cached article whose stored blocks turn out damaged when first read."""
    raw = _read(root / relative, relative, settings.max_size)
    return () if isinstance(raw, Article) else parse_article(raw, relative, settings).blocks


def _parse_one(
    raw: bytes, relative: str, settings: ParseSettings, wanted: tuple[Summary[Any], ...]
) -> Article:
    parsed = parse_article(raw, relative, settings)
    summaries.compute_all(parsed, wanted)
    return parsed


def _parse_chunk(
    chunk: list[tuple[str, bytes]], settings: ParseSettings, wanted: tuple[Summary[Any], ...]
) -> list[Article]:
    return [_parse_one(raw, relative, settings, wanted) for relative, raw in chunk]


def parse_articles(
    root: Path,
    relatives: Sequence[str],
    settings: ParseSettings,
    *,
    cache: CacheFolder | None = None,
    jobs: int | None = None,
    stats: ParseStats | None = None,
    wanted: Sequence[Summary[Any]] = (),
) -> dict[str, Article]:
    """Articles by path, in the order given, each with the `wanted` summaries. `cache` None
    means no cache is read or written; `jobs` None means one worker per available core (1
    forces a serial run); `stats`, when given, is filled in with what was parsed and what came
    from the cache."""
    stats = stats if stats is not None else ParseStats()
    wanted = summaries.unique(wanted)
    key = _cache_key(settings)
    cached: dict[str, Any] = {}
    if cache is not None:
        document = cache.read_json(CACHE_DOCUMENT, CACHE_VERSION)
        if document is not None and document.get("key") == key:
            entries = document.get("articles")
            cached = entries if isinstance(entries, dict) else {}

    articles: dict[str, Article] = {}
    digests: dict[str, str] = {}
    to_parse: list[tuple[str, bytes]] = []
    for relative in relatives:
        raw = _read(root / relative, relative, settings.max_size)
        if isinstance(raw, Article):
            articles[relative] = raw
            continue
        digest = _digest(raw)
        digests[relative] = digest
        entry = cached.get(relative)
        if isinstance(entry, dict) and entry.get("digest") == digest:
            try:
                reparse = functools.partial(_reparsed_blocks, root, relative, settings)
                cached_article = decode_article(entry["article"], reparse)
            except (KeyError, TypeError, ValueError, IndexError):
                pass  # a damaged entry: parse the file again
            else:
                summaries.attach_encoded(cached_article, entry.get("summaries"), wanted)
                articles[relative] = cached_article
                stats.from_cache += 1
                continue
        to_parse.append((relative, raw))

    workers = jobs if jobs is not None else default_jobs()
    if workers > 1 and len(to_parse) >= PARALLEL_THRESHOLD:
        chunks = [to_parse[i : i + _CHUNK] for i in range(0, len(to_parse), _CHUNK)]
        stats.workers = min(workers, len(chunks))
        with ProcessPoolExecutor(stats.workers, mp_context=get_context("spawn")) as pool:
            results = pool.map(
                _parse_chunk, chunks, [settings] * len(chunks), [wanted] * len(chunks)
            )
            for parsed in (parsed for batch in results for parsed in batch):
                articles[parsed.path] = parsed
    else:
        for relative, raw in to_parse:
            articles[relative] = _parse_one(raw, relative, settings, wanted)
    stats.parsed = len(to_parse)
    parsed_now = {relative for relative, _ in to_parse}
    new_summaries: dict[str, dict[str, Any]] = {}
    for relative in digests:
        if relative not in parsed_now:  # from the cache, maybe without some summary
            summaries.compute_all(articles[relative], wanted)
        if summaries.computed_now(articles[relative]):
            stats.summarised += 1
            encoded = summaries.encode_new(articles[relative], wanted)
            if encoded:
                new_summaries[relative] = encoded

    if cache is not None and (to_parse or new_summaries or len(cached) != len(digests)):
        _store(cache, key, articles, digests, cached, parsed_now, new_summaries)
    return {relative: articles[relative] for relative in relatives}


def _store(
    cache: CacheFolder,
    key: str,
    articles: dict[str, Article],
    digests: dict[str, str],
    cached: dict[str, Any],
    parsed_now: set[str],
    new_summaries: dict[str, dict[str, Any]],
) -> None:
    """Unchanged entries are written back as they were read (plus any summary computed now):
    re-encoding ten thousand articles because one changed would cost more than the parse.
    A summary computed now replaces the entry's other versions of the same summary."""
    replaced = {
        fingerprint.split(":", 1)[0] for added in new_summaries.values() for fingerprint in added
    }
    entries = {}
    for relative, digest in digests.items():
        if relative in parsed_now:
            try:
                entry = {"digest": digest, "article": encode_article(articles[relative])}
            except Uncacheable:
                continue
        else:
            entry = cached[relative]
        added = new_summaries.get(relative)
        if added:
            stored = entry.get("summaries")
            kept = {
                fingerprint: data
                for fingerprint, data in (stored if isinstance(stored, dict) else {}).items()
                if fingerprint.split(":", 1)[0] not in replaced
            }
            entry["summaries"] = {**kept, **added}
        entries[relative] = entry
    # A read-only checkout still gets its report; the cache is only a speed-up. TypeError:
    # orjson refuses text it cannot write as UTF-8 (a lone surrogate), which must not crash.
    with contextlib.suppress(OSError, TypeError):
        cache.write_json(CACHE_DOCUMENT, CACHE_VERSION, {"key": key, "articles": entries})
