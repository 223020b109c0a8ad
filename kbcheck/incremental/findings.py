"""The findings of each rule, kept with what their checks read, and reused while all of that
is unchanged.

An article rule's findings are kept article by article: after an edit, only the articles
whose own content, or something their check read (the page a `#fragment` points into, the
list of files, today's date, a review), changed are checked again. A cross-article rule's
findings are kept whole, under the digest of every article's extract and of what its check
read besides. One document per rule, read just before the rule runs and written only when it
ran, so an edit rewrites only the documents of the rules it concerned. Like every cache
document it is read only when this machine wrote it: a committed cache folder cannot hide
findings.
"""

from __future__ import annotations

import contextlib
import hashlib
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from kbcheck.corpus import Reads
from kbcheck.incremental.codec import DECODE_ERRORS, codec_for
from kbcheck.incremental.folder import CacheFolder
from kbcheck.incremental.keys import RunKeys, digest
from kbcheck.incremental.parse_cache import ParseStats
from kbcheck.model import Finding

VERSION = 4
#: Seconds per article below which a rule's checks are run rather than looked up: computing
#: the key of a kept finding costs a few microseconds. The median check is measured: a check
#: that happens to pay for something once per run (reading git's history) is not the rule.
CHEAP_CHECK = 20e-6
#: How many checks a measurement of their cost needs to count.
MEASURED_CHECKS = 200
#: Cheap checks are timed this many at a time.
_BATCH = 64
_UNKNOWN: Any = object()
_FINDINGS = codec_for(tuple[Finding, ...])


def document(rule_id: str) -> str:
    """`findings.links.broken-anchor.json`: a rule id has no dot, so no two collide."""
    return f"findings.{rule_id.replace('/', '.')}.json"


def _decode(encoded: Any) -> tuple[Finding, ...] | None:
    if type(encoded) is list and not encoded:  # most articles have no finding
        return ()
    try:
        return _FINDINGS.decode(encoded)
    except DECODE_ERRORS:
        return None


def _pair(entry: Any) -> tuple[Any, Any]:
    """A stored entry with findings: [marker, findings]; anything else reads as no entry."""
    if type(entry) is list and len(entry) == 2:
        return entry[0], entry[1]
    return None, None


class Checks(NamedTuple):
    """How to run an article rule: on one article, raising when the rule fails there (then
    nothing of the run is kept), and on many, with failures reported and passed over."""

    one: Callable[[str], list[Finding]]
    many: Callable[[Sequence[str]], list[Finding]]


class _RuleRun(NamedTuple):
    rule_id: str
    key: str
    paths: Sequence[str]
    reads: Reads
    checks: Checks


class FindingsStore:
    """Per rule, the findings of its last run and what each check read (see module doc)."""

    def __init__(self, cache: CacheFolder, keys: RunKeys, stats: ParseStats | None = None) -> None:
        self._cache = cache
        self._keys = keys
        self._stats = stats if stats is not None else ParseStats()
        self._plans: dict[str, tuple[str, tuple[str, ...]] | None] = {}
        self._shared: dict[tuple[str, ...], str | None] = {}

    def _read(self, rule_id: str, key: str) -> dict[str, Any]:
        stored = self._cache.read_json(document(rule_id), VERSION)
        if stored is None or stored.get("rule") != key:
            return {}
        return stored

    def _keep(self, rule_id: str, key: str, **parts: Any) -> None:
        # A read-only checkout still gets its report; TypeError: a lone surrogate.
        with contextlib.suppress(OSError, TypeError):
            self._cache.write_json(document(rule_id), VERSION, {"rule": key, **parts})

    def _check_key(self, base: str, reads: str) -> str | None:
        """`base` (what was checked) and the digest of each thing read (`reads`: their names,
        sorted, joined by NUL, as stored); None when one cannot be known. Most checks read
        only what the run as a whole shares (today, the files...): those reads are hashed
        once per combination, and such a key is just `base` and that digest side by side."""
        plan = self._plans.get(reads, _UNKNOWN)
        if plan is _UNKNOWN:
            plan = self._plans[reads] = self._plan(reads)
        if plan is None:
            return None
        shared, single = plan
        if not single:
            return f"{base}:{shared}"
        parts = [base, shared]
        for what in single:  # one article, its review or its owners: looked up every time
            value = self._keys.of(what)
            if value is None:
                return None
            parts.append(f"{what}={value}")
        return hashlib.blake2b(
            "\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20
        ).hexdigest()

    def _plan(self, reads: str) -> tuple[str, tuple[str, ...]] | None:
        """The digest of the run-wide reads among `reads`, and the reads of single articles."""
        names = reads.split("\0") if reads else []
        shared = tuple(what for what in names if ":" not in what)
        known = self._shared.get(shared, _UNKNOWN)
        if known is _UNKNOWN:
            values = [self._keys.of(what) for what in shared]
            known = self._shared[shared] = None if None in values else digest(*shared, *values)
        if known is None:
            return None
        return known, tuple(what for what in names if ":" in what)

    def article_findings(
        self,
        rule_id: str,
        key: str,
        paths: Sequence[str],
        reads: Reads,
        checks: Checks,
    ) -> list[Finding]:
        """The findings on each of `paths`: kept ones where the article and what its check
        read are unchanged, `check(path)` (with its reads noted) elsewhere.

        A rule whose checks cost less than looking up their kept findings would (the last
        time it ran, see CHEAP_CHECK) is simply run: the findings are the same either way."""
        stored = self._read(rule_id, key)
        cost = stored.get("cost")
        if isinstance(cost, float) and cost < CHEAP_CHECK:
            kept_entries = "entries" in stored
            return self._run_cheap(_RuleRun(rule_id, key, paths, reads, checks), kept_entries)
        entries_stored = stored.get("entries")
        previous: Mapping[str, Any] = entries_stored if isinstance(entries_stored, dict) else {}
        del stored, entries_stored
        entries: dict[str, Any] = {}
        result: list[Finding] = []
        durations: list[float] = []
        reused = 0
        for path in paths:
            own = self._keys.article(path)
            findings: tuple[Finding, ...] | list[Finding] | None = None
            entry = previous.get(path)
            # An entry is "key TAB reads", with its findings beside it when it has any.
            marker, encoded = (entry, []) if type(entry) is str else _pair(entry)
            if own is not None and type(marker) is str:
                kept_key, _, kept_reads = marker.partition("\t")
                if self._check_key(own, kept_reads) == kept_key:
                    findings = _decode(encoded)
                    if findings is not None:
                        entries[path] = entry
                        reused += 1
            if findings is None:
                reads.start()
                started = time.perf_counter()
                try:
                    findings = checks.one(path)
                finally:
                    noted = reads.stop()
                durations.append(time.perf_counter() - started + reads.borrowed)
                joined = "\0".join(sorted(noted))
                current = None if own is None else self._check_key(own, joined)
                if current is not None:
                    marker = f"{current}\t{joined}"
                    found = _FINDINGS.encode(tuple(findings)) if findings else None
                    entries[path] = [marker, found] if found else marker
            result.extend(findings)
        self._count(reused, len(paths) - reused)
        if durations or len(entries) != len(previous):
            if len(durations) >= MEASURED_CHECKS:  # a few edited articles say little
                cost = statistics.median(durations)
            if isinstance(cost, float) and cost < CHEAP_CHECK:
                self._keep(rule_id, key, cost=cost)
            else:
                self._keep(rule_id, key, entries=entries, cost=cost)
        return result

    def _run_cheap(self, run: _RuleRun, kept_entries: bool) -> list[Finding]:
        """Every check run, timed (shared work counted whoever did it). Found not to be cheap
        after all, the rule's findings are kept from the next run on; entries kept for a rule
        that is cheap are dropped, as no run reads them."""
        result: list[Finding] = []
        durations: list[float] = []  # per check, in batches
        paths, reads = run.paths, run.reads
        for start in range(0, len(paths), _BATCH):
            batch = paths[start : start + _BATCH]
            reads.borrowed = 0.0
            started = time.perf_counter()
            result.extend(run.checks.many(batch))
            durations.append((time.perf_counter() - started + reads.borrowed) / len(batch))
        self._count(0, len(paths))
        cost = statistics.median(durations) if durations else 0.0
        if (len(run.paths) >= MEASURED_CHECKS and cost >= CHEAP_CHECK) or kept_entries:
            self._keep(run.rule_id, run.key, cost=cost)
        return result

    def _count(self, reused: int, run: int) -> None:
        stats = self._stats
        stats.checks_reused += reused
        stats.checks_run += run
        if run:
            stats.rules_run += 1
        else:
            stats.rules_reused += 1

    def corpus_findings(
        self,
        rule_id: str,
        key: str,
        extracts: Callable[[], str | None],
        reads: Reads,
        check: Callable[[], list[Finding]],
    ) -> list[Finding]:
        """A cross-article rule's findings: the kept ones while every extract (`extracts`
        gives their digest, None when one is not kept as text) and what the check read are
        unchanged, else `check()`."""
        inputs = extracts()
        base = None if inputs is None else digest(key, inputs)
        stored = self._read(rule_id, key).get("entry") if base is not None else None
        if base is not None and type(stored) is list and len(stored) == 3:
            kept_key, kept_reads, encoded = stored
            if type(kept_reads) is str and self._check_key(base, kept_reads) == kept_key:
                findings = _decode(encoded)
                if findings is not None:
                    self._stats.rules_reused += 1
                    return list(findings)
        del stored
        self._stats.rules_run += 1
        reads.start()
        try:
            produced = check()
        finally:
            noted = reads.stop()
        joined = "\0".join(sorted(noted))
        current = None if base is None else self._check_key(base, joined)
        if current is not None:
            encoded = _FINDINGS.encode(tuple(produced))
            self._keep(rule_id, key, entry=[current, joined, encoded])
        return produced
