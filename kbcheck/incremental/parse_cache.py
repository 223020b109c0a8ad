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
import signal
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from kbcheck import __version__
from kbcheck.incremental import article_codec
from kbcheck.incremental import extracts as summaries
from kbcheck.incremental.article_codec import Uncacheable, decode_article, encode_article
from kbcheck.incremental.extracts import Extractor
from kbcheck.incremental.folder import CacheFolder, source_digest
from kbcheck.model import Article, Problem, TextBlock
from kbcheck.regular_files import read_regular_file

if TYPE_CHECKING:
    # The parser (markdown-it-py, YAML) is imported when a file is parsed, not before: a run
    # that replays its last report (kbcheck/incremental/replay.py) parses nothing.
    from kbcheck.article import ParseSettings

#: The parse cache is split into this many documents (see `shard_document`).
SHARDS = 64
#: 4: each entry's article is a JSON array inside the shard (see article_codec.FIELDS), read
#: with the shard in one pass (3 kept it as a JSON text of its own, parsed twice: as a string
#: of the shard, then as an article); its summaries stay JSON texts, decoded when a rule
#: reads them.
CACHE_VERSION = 5
#: Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
_CHUNK = 64
#: Where each article's file status and content digest are kept (see `file_digests`).
STATUS_DOCUMENT = "file-status.json"
STATUS_VERSION = 1
#: A file whose status changed less than this long before it was looked at is "racily clean"
#: (git's term): a second write within the same clock tick could leave its status as it was,
#: so its status is not recorded and the next run reads it again. Two seconds covers file
#: systems that keep times to the second, or to two (FAT).
RACY_MARGIN_NS = 2_000_000_000


@dataclass
class ParseStats:
    """What a run did, for benchmarks and for `--debug`."""

    parsed: int = 0
    from_cache: int = 0
    workers: int = 1
    #: Per-article summaries computed in this run (the rest came from the cache).
    summarised: int = 0
    #: Articles read and hashed to learn whether they changed; the others were known
    #: unchanged from their file status alone.
    hashed: int = 0
    #: True when the whole report was replayed from the last run (nothing it read changed).
    replayed: bool = False
    #: True when a file parsed in this run was not the one `file_digests` hashed (it was
    #: written in between): the run's report must not be kept under the older content.
    raced: bool = False
    #: The cache folder used (None: no cache), and whether the user vouched for it.
    cache_path: str | None = None
    cache_vouched: bool = False
    #: Cache documents ignored because another machine wrote them (see `CacheFolder`).
    foreign: int = 0
    #: Rules whose findings all came from the cache, and rules run again (on some articles
    #: at least); article checks taken from the cache and run again.
    rules_reused: int = 0
    rules_run: int = 0
    checks_reused: int = 0
    checks_run: int = 0


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@functools.lru_cache(maxsize=1)
def _parser_fingerprint() -> str:
    """A digest of the code that turns bytes into articles: a developer who edits the parser
    without bumping the version must not be served articles the old code parsed."""
    from kbcheck import anchors, article, dates, html_scanner, markdown, model

    modules = (article, markdown, html_scanner, anchors, dates, model, article_codec, summaries)
    return source_digest(module.__file__ or module.__name__ for module in modules)


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


def _file_status(path: str, now_ns: int) -> list[int] | None:
    """What git's index keeps to know a file unchanged without reading it: size, times,
    inode and mode. ctime is in it because no tool sets it back: `cp -p` or `touch -r` can
    give an edited file its old mtime, never its old ctime. None when the file cannot be
    stat'ed or changed too recently to be trusted (see RACY_MARGIN_NS)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    if max(status.st_mtime_ns, status.st_ctime_ns) > now_ns - RACY_MARGIN_NS:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_mode]


def file_digests(
    root: Path,
    relatives: Sequence[str],
    max_size: int,
    cache: CacheFolder | None,
    stats: ParseStats | None = None,
) -> dict[str, str]:
    """The content digest of each readable article. A file whose status (see `_file_status`)
    is the one recorded with its digest last time is not read again; the others are read and
    hashed, and their status recorded for the next run. Unreadable files are left out (the
    parse reports them). Without a cache every file is read."""
    stats = stats if stats is not None else ParseStats()
    # What a digest depends on: the bytes read, at most max_size + 1 of them; not the parser.
    key = f"{STATUS_VERSION}:{max_size}"
    known: dict[str, Any] = {}
    if cache is not None:
        document = cache.read_json(STATUS_DOCUMENT, STATUS_VERSION)
        if document is not None and document.get("key") == key:
            files = document.get("files")
            known = files if isinstance(files, dict) else {}
    now_ns = time.time_ns()
    digests: dict[str, str] = {}
    recorded: dict[str, list[Any]] = {}
    changed = False
    # Plain strings joined by hand: a Path, or os.path.join, per file costs as much as its
    # stat (`relatives` are relative POSIX paths, as discovery gives them).
    folder = os.path.join(str(root), "")
    for relative in relatives:
        path = folder + relative
        status = _file_status(path, now_ns) if cache is not None else None
        entry = known.get(relative)
        if (
            status is not None
            and type(entry) is list
            and entry[:-1] == status
            and type(entry[-1]) is str
        ):
            digests[relative] = entry[-1]
            recorded[relative] = entry
            continue
        changed = changed or entry is not None or status is not None
        raw = _read(root / relative, relative, max_size)
        if isinstance(raw, Article):
            continue
        stats.hashed += 1
        digest = digests[relative] = _digest(raw)
        if status is not None:  # taken before the read: a change in between shows next time
            recorded[relative] = [*status, digest]
    if cache is not None and (changed or len(recorded) != len(known)):
        with contextlib.suppress(OSError, TypeError):
            cache.write_json(STATUS_DOCUMENT, STATUS_VERSION, {"key": key, "files": recorded})
    return digests


def _read(path: Path, relative: str, limit: int) -> bytes | Article:
    try:
        return read_regular_file(path, limit)  # as kbcheck.article.read_article_bytes does
    except OSError as error:
        from kbcheck.article import UNREADABLE

        reason = error.strerror or str(error)
        problem = Problem(UNREADABLE, f"cannot read file: {reason}")
        return Article(path=relative, title=relative, problems=(problem,), readable=False)


def _reparsed_blocks(root: Path, relative: str, settings: ParseSettings) -> Sequence[TextBlock]:
    """The blocks of a cached article whose stored blocks turn out damaged when first read."""
    return _parse_file(root, relative, settings, ())[0].blocks


def _parse_file(
    root: Path, relative: str, settings: ParseSettings, wanted: tuple[Extractor[Any], ...]
) -> tuple[Article, str | None]:
    """Read, parse and summarise one file, with the digest of the bytes parsed (None when it
    could not be read). The file is read here, in the worker, rather than sent from the main
    process: holding every changed file's bytes until the workers reach them cost hundreds of
    megabytes on a cold run of a large knowledge base."""
    from kbcheck.article import parse_article

    raw = _read(root / relative, relative, settings.max_size)
    if isinstance(raw, Article):
        return raw, None
    parsed = parse_article(raw, relative, settings)
    summaries.compute_all(parsed, wanted)
    return article_codec.pack_blocks(parsed), _digest(raw)


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Ctrl-C held back while workers are started. A worker starts with SIGINT blocked (a
    blocked signal stays blocked across fork and exec), so one still importing prints
    nothing. Ignoring it instead would lose a Ctrl-C pressed meanwhile, and the run would go
    on to the end: here the parent's handler only notes it, and it is acted on once the
    workers have started. Main thread only: elsewhere the handler cannot be changed, and
    the caller's own arrangements stand."""
    pressed: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda number, _: pressed.append(number))
    except ValueError:
        yield
        return
    blocking = hasattr(signal, "pthread_sigmask")  # not on Windows
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if blocking else None
    try:
        yield
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        signal.signal(signal.SIGINT, previous)
        if pressed and callable(previous):
            previous(signal.SIGINT, None)
        elif pressed and previous == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)


def _ignore_interrupts(stop: Any) -> None:
    """In a worker: Ctrl-C reaches every process of the terminal's group, and the parent alone
    decides what it means (it sets `stop` and ends the pool), so a worker never prints a
    traceback."""
    global _stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _stop = stop


#: In a worker: the parent's "stop" event, set when the run is interrupted.
_stop: Any = None


def _parse_chunk(
    root: Path, chunk: list[str], settings: ParseSettings, wanted: tuple[Extractor[Any], ...]
) -> list[tuple[Article, str | None]]:
    """The chunk's articles; none more once the parent says stop (chunks already handed to
    a worker cannot be cancelled, and would hold back the end of an interrupted run)."""
    parsed = []
    for relative in chunk:
        if _stop is not None and _stop.is_set():
            break
        parsed.append(_parse_file(root, relative, settings, wanted))
    return parsed


def shard_document(relative: str) -> str:
    """The cache document holding `relative`'s entry: the parse cache is split into
    SHARDS documents by a stable hash of the path, so a run holds one shard's raw entries at a
    time and a run after one edit rewrites one shard, not the whole cache."""
    return f"articles-{zlib.crc32(relative.encode('utf-8', 'surrogatepass')) % SHARDS:02d}.json"


def parse_articles(
    root: Path,
    relatives: Sequence[str],
    settings: ParseSettings,
    *,
    cache: CacheFolder | None = None,
    jobs: int | None = None,
    stats: ParseStats | None = None,
    wanted: Sequence[Extractor[Any]] = (),
    digests: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Article]:
    """Articles by path, in the order given, each with the `wanted` summaries. `cache` None
    means no cache is read or written; `jobs` None means one worker per available core (1
    forces a serial run); `stats`, when given, is filled in with what was parsed and what came
    from the cache. `digests`, what `file_digests` gave in this run, saves reading the files
    again to compare them with the cache. `progress` is told (files parsed, files to parse) as
    the parse goes."""
    stats = stats if stats is not None else ParseStats()
    wanted = summaries.unique(wanted)
    key = _cache_key(settings)
    shards: dict[str, list[str]] = {}
    for relative in relatives:
        shards.setdefault(shard_document(relative), []).append(relative)

    articles: dict[str, Article] = {}
    if cache is not None and digests is None:
        digests = file_digests(root, relatives, settings.max_size, cache, stats)
    known = digests or {}
    digests = {}
    to_parse: list[str] = []
    incomplete: list[str] = []  # from the cache without some wanted summary
    stale: set[str] = set()  # shards whose document must be written again
    for name, members in shards.items():
        if cache is None:
            to_parse.extend(members)  # nothing to compare with: the workers read the files
            continue
        entries = _read_shard(cache, name, key)
        for relative in members:
            digest = known.get(relative)
            if digest is None:  # unreadable: the parse says why
                to_parse.append(relative)
                continue
            digests[relative] = digest
            cached_article = _from_entry(entries.get(relative), digest, root, relative, settings)
            if cached_article is None:
                to_parse.append(relative)
                stale.add(name)
                continue
            stored = entries[relative].get("summaries")
            if not summaries.attach_encoded(cached_article, stored, wanted):
                incomplete.append(relative)
            articles[relative] = cached_article
            stats.from_cache += 1
        if set(entries) != {relative for relative in members if relative in digests}:
            stale.add(name)  # an article was deleted, renamed or became unreadable

    def take(parsed: Article, digest: str | None) -> None:
        articles[parsed.path] = parsed
        if known.get(parsed.path) != digest:
            stats.raced = True
        if digest is None:
            digests.pop(parsed.path, None)  # unreadable now: nothing to cache
        else:
            digests[parsed.path] = digest  # what was parsed, even if the file changed since

    total = len(to_parse)
    if progress is not None:
        progress(0, total)
    workers = jobs if jobs is not None else default_jobs()
    if workers > 1 and len(to_parse) >= PARALLEL_THRESHOLD:
        chunks = [to_parse[i : i + _CHUNK] for i in range(0, len(to_parse), _CHUNK)]
        stats.workers = min(workers, len(chunks))
        count = len(chunks)
        spawn = get_context("spawn")
        stop = spawn.Event()
        pool = ProcessPoolExecutor(stats.workers, spawn, _ignore_interrupts, (stop,))
        try:
            # Workers start with Ctrl-C blocked (inherited across exec): one caught while a
            # worker is still importing would print a traceback before the initializer ran.
            with _interrupts_ignored():
                results = pool.map(
                    _parse_chunk, [root] * count, chunks, [settings] * count, [wanted] * count
                )
            done = 0
            for batch in results:
                for parsed, digest in batch:
                    take(parsed, digest)
                if progress is not None:
                    done += len(batch)
                    progress(done, total)
        except BaseException:
            # Ctrl-C or an error: the chunks not started are dropped, the running ones end
            # after their current file. Waited for: a worker still starting reads `stop`.
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    else:
        for done, relative in enumerate(to_parse, 1):
            take(*_parse_file(root, relative, settings, wanted))
            if progress is not None:
                progress(done, total)
    stats.parsed = len(to_parse)
    parsed_now = set(to_parse)
    for relative in incomplete:
        summaries.compute_all(articles[relative], wanted)
    new_summaries: dict[str, dict[str, str]] = {}
    # The others came from the cache with every summary: nothing of theirs is new.
    for relative in (*incomplete, *(relative for relative in to_parse if relative in digests)):
        if summaries.computed_now(articles[relative]):
            stats.summarised += 1
            texts = summaries.new_texts(articles[relative])
            if texts:
                new_summaries[relative] = texts
                stale.add(shard_document(relative))

    if cache is not None:
        if stale:  # the single document of kbcheck 0.1's first cache format
            with contextlib.suppress(OSError):
                (cache.path / "articles.json").unlink(missing_ok=True)
        for name in sorted(stale):
            _store_shard(
                cache, name, key, shards[name], articles, digests, parsed_now, new_summaries
            )
    return {relative: articles[relative] for relative in relatives}


def _read_shard(cache: CacheFolder, name: str, key: str) -> dict[str, Any]:
    document = cache.read_json(name, CACHE_VERSION)
    if document is None or document.get("key") != key:
        return {}
    entries = document.get("articles")
    return entries if isinstance(entries, dict) else {}


def _from_entry(
    entry: Any, digest: str, root: Path, relative: str, settings: ParseSettings
) -> Article | None:
    """The cached article when the entry is for these very bytes and decodes; else None (the
    file is parsed again: a cache is never trusted further than that)."""
    if not isinstance(entry, dict) or entry.get("digest") != digest:
        return None
    try:
        reparse = functools.partial(_reparsed_blocks, root, relative, settings)
        return decode_article(entry["article"], reparse)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _store_shard(
    cache: CacheFolder,
    name: str,
    key: str,
    members: list[str],
    articles: dict[str, Article],
    digests: dict[str, str],
    parsed_now: set[str],
    new_summaries: dict[str, dict[str, str]],
) -> None:
    """Write one shard again. Its unchanged entries are read back from the shard as stored
    and written as they were (plus any summary computed now): re-encoding thousands of
    articles because one changed would cost more than parsing it. A summary computed now
    replaces the entry's other versions of the same summary."""
    previous = _read_shard(cache, name, key)
    entries = {}
    for relative in members:
        digest = digests.get(relative)
        if digest is None:
            continue  # unreadable: nothing to cache
        entry = previous.get(relative)
        if relative in parsed_now or not isinstance(entry, dict):
            try:  # encoded now, so that an article JSON cannot carry loses only itself
                encoded = orjson.Fragment(orjson.dumps(encode_article(articles[relative])))
            except (Uncacheable, TypeError):  # TypeError: a lone surrogate orjson refuses
                continue
            entry = {"digest": digest, "article": encoded}
        added = new_summaries.get(relative)
        if added:
            stored = entry.get("summaries")
            replaced = {fingerprint.split(":", 1)[0] for fingerprint in added}
            kept = {
                fingerprint: text
                for fingerprint, text in (stored if isinstance(stored, dict) else {}).items()
                if fingerprint.split(":", 1)[0] not in replaced
            }
            entry["summaries"] = {**kept, **added}
        entries[relative] = entry
    # A read-only checkout still gets its report; the cache is only a speed-up.
    with contextlib.suppress(OSError, TypeError):
        cache.write_json(name, CACHE_VERSION, {"key": key, "articles": entries})
