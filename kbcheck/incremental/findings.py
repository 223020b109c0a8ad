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
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kbcheck.corpus import Reads
from kbcheck.incremental.codec import DECODE_ERRORS, codec_for
from kbcheck.incremental.folder import CacheFolder
from kbcheck.incremental.keys import RunKeys, digest
from kbcheck.model import Finding

VERSION = 2
_FINDINGS = codec_for(tuple[Finding, ...])


def document(rule_id: str) -> str:
    """`findings.links.broken-anchor.json`: a rule id has no dot, so no two collide."""
    return f"findings.{rule_id.replace('/', '.')}.json"


def _decode(encoded: Any) -> tuple[Finding, ...] | None:
    try:
        return _FINDINGS.decode(encoded)  # type: ignore[no-any-return]
    except DECODE_ERRORS:
        return None


def _names(reads: Any) -> bool:
    """Whether stored reads have the shape `Reads` gives them: a list of names."""
    return type(reads) is list and all(type(item) is str for item in reads)


class FindingsStore:
    """Per rule, the findings of its last run and what each check read (see module doc)."""

    def __init__(self, cache: CacheFolder, keys: RunKeys) -> None:
        self._cache = cache
        self._keys = keys

    def _read(self, rule_id: str, key: str) -> Any:
        stored = self._cache.read_json(document(rule_id), VERSION)
        if stored is None or stored.get("rule") != key:
            return None
        return stored.get("entry")

    def _keep(self, rule_id: str, key: str, entry: Any) -> None:
        # A read-only checkout still gets its report; TypeError: a lone surrogate.
        with contextlib.suppress(OSError, TypeError):
            self._cache.write_json(document(rule_id), VERSION, {"rule": key, "entry": entry})

    def _check_key(self, base: str, reads: Iterable[str]) -> str | None:
        """`base` and the digest of each thing read; None when one cannot be known."""
        parts = [base]
        for what in sorted(reads):
            value = self._keys.of(what)
            if value is None:
                return None
            parts.append(f"{what}={value}")
        return digest(*parts)

    def article_findings(
        self,
        rule_id: str,
        key: str,
        paths: Iterable[str],
        reads: Reads,
        check: Callable[[str], list[Finding]],
    ) -> list[Finding]:
        """The findings on each of `paths`: kept ones where the article and what its check
        read are unchanged, `check(path)` (with its reads noted) elsewhere."""
        stored = self._read(rule_id, key)
        previous: Mapping[str, Any] = stored if isinstance(stored, dict) else {}
        entries: dict[str, Any] = {}
        result: list[Finding] = []
        changed = False
        for path in paths:
            own = self._keys.article(path)
            findings: tuple[Finding, ...] | list[Finding] | None = None
            entry = previous.get(path)
            if own is not None and type(entry) is list and len(entry) == 3:
                kept_key, kept_reads, encoded = entry
                if _names(kept_reads):
                    current = self._check_key(digest(path, own), kept_reads)
                    if current is not None and current == kept_key:
                        findings = _decode(encoded)
                        if findings is not None:
                            entries[path] = entry
            if findings is None:
                changed = True
                reads.start()
                try:
                    findings = check(path)
                finally:
                    noted = reads.stop()
                current = None if own is None else self._check_key(digest(path, own), noted)
                if current is not None:
                    entries[path] = [current, sorted(noted), _FINDINGS.encode(tuple(findings))]
            result.extend(findings)
        if changed or len(entries) != len(previous):
            self._keep(rule_id, key, entries)
        return result

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
        stored = self._read(rule_id, key) if base is not None else None
        if base is not None and type(stored) is list and len(stored) == 3:
            kept_key, kept_reads, encoded = stored
            if _names(kept_reads) and self._check_key(base, kept_reads) == kept_key:
                findings = _decode(encoded)
                if findings is not None:
                    return list(findings)
        del stored
        reads.start()
        try:
            produced = check()
        finally:
            noted = reads.stop()
        current = None if base is None else self._check_key(base, noted)
        if current is not None:
            self._keep(rule_id, key, [current, sorted(noted), _FINDINGS.encode(tuple(produced))])
        return produced
