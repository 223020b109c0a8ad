"""Replaying the last report when nothing the run would read has changed.

A warm run still decodes every cached article and runs every rule over them: seconds on a
large knowledge base, for a report that is the same as last time. So the engine keeps its
last report in the cache folder under a key made of everything the report depends on:
kbcheck's code and the selected rules' code, the configuration, the options, today's date,
the paths asked for, the files under the root, every article's content digest, the files
ownership is read from, the baseline and traffic files, and (when the run read it) the git
history. When the key matches, the report is returned as stored; anything else runs in full.

Runs with `--external` (the network changes) and `--changed-since` (what changed depends
on the git index and refs) are never replayed. The stored report is plain JSON, decoded
field by field: a cache folder is never trusted to hold code (no pickle).

A cache folder can also come from a pull request that commits one, and everything in the
key is predictable: a forged report could hide findings from a CI gate. The cache folder
reads only documents this machine wrote (see kbcheck/cache.py), so it is never replayed.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kbcheck import __version__
from kbcheck.corpus import Discovery
from kbcheck.incremental.codec import DECODE_ERRORS, Unsupported, codec_for
from kbcheck.incremental.folder import CacheFolder, names_digest
from kbcheck.incremental.keys import data_digest, engine_digest, file_digest, rule_code_digest
from kbcheck.model import Finding
from kbcheck.report import Report

DOCUMENT = "last-run.json"
#: 3: the report as the generic codec encodes it; 4: articles name their review and owner keys.
VERSION = 5
_REPORT = codec_for(Report)
_FINDINGS = codec_for(tuple[Finding, ...])


@dataclass(frozen=True)
class Replay:
    """What the last run gave: its report and the findings before the baseline hid any."""

    report: Report
    unbaselined: tuple[Finding, ...]


@dataclass(frozen=True)
class StoredRun:
    """The stored document: the key it was made under, the digest of the git history it read
    (None when it read none) and the encoded report, decoded only when the key matches."""

    key: str
    history: str | None
    data: Mapping[str, Any]

    def replay(self) -> Replay | None:
        """The stored report, or None when the document is damaged (the run goes on)."""
        try:
            report: Report = _REPORT.decode(self.data["report"])
            stored = self.data["unbaselined"]
            # None: nothing was baselined, so the report's own findings.
            unbaselined = report.findings if stored is None else _FINDINGS.decode(stored)
        except DECODE_ERRORS:
            return None
        return Replay(report, unbaselined)


def read(cache: CacheFolder) -> StoredRun | None:
    document = cache.read_json(DOCUMENT, VERSION)
    if document is None:
        return None
    key, history = document.get("key"), document.get("history")
    if not isinstance(key, str) or not (history is None or isinstance(history, str)):
        return None
    return StoredRun(key, history, document)


def store(
    cache: CacheFolder,
    key: str,
    history: str | None,
    report: Report,
    unbaselined: Sequence[Finding],
) -> None:
    """Keep this run's report for the next run; a cache that cannot be written is skipped."""
    # TypeError: a lone surrogate, which orjson refuses.
    with contextlib.suppress(OSError, TypeError):
        cache.write_json(
            DOCUMENT,
            VERSION,
            {
                "key": key,
                "history": history,
                "report": _REPORT.encode(report),
                "unbaselined": (
                    None
                    if tuple(unbaselined) == report.findings
                    else _FINDINGS.encode(tuple(unbaselined))
                ),
            },
        )


@dataclass(frozen=True)
class RunInputs:
    """Everything a report depends on besides the git history (which is compared apart:
    reading it costs a git call, worth paying only when the rest matched)."""

    rules: Sequence[Any]  # registry.Rule: what ran, and the files its code lives in
    registry_notices: Sequence[str]
    config: Any  # config.Config, keyed as plain data (see codec.plain)
    options: Mapping[str, Any]
    today: date
    paths: Sequence[Path]
    root: Path
    discovery: Discovery
    digests: Mapping[str, str]
    extra_files: Iterable[Path]  # ownership, baseline and traffic files, present or not

    def key(self) -> str | None:
        """The digest of all the inputs; None when one cannot be known (an unreadable
        article), in which case the run is neither replayed nor stored."""
        digest = hashlib.blake2b(digest_size=20)

        def add(*parts: object) -> None:
            for part in parts:
                digest.update(str(part).encode("utf-8", "surrogatepass") + b"\0")

        add("kbcheck", __version__, VERSION, engine_digest())
        for rule in self.rules:
            code = rule_code_digest(rule)
            if code is None:
                return None
            add(rule.id, code)
        add("notices", *self.registry_notices)
        try:
            add("config", data_digest(self.config), "options", data_digest(dict(self.options)))
        except Unsupported:
            return None
        # Not the working directory: every path here is resolved, and the report's root is
        # shown relative to the working directory when it is replayed.
        add("today", self.today.isoformat(), "root", self.root)
        for path in self.paths:
            resolved = path.resolve()
            add("path", resolved, resolved.is_dir())
        discovery = self.discovery
        add("files", names_digest(discovery.files))
        add("outside", *sorted(discovery.outside_links))
        add("undecodable", *sorted(discovery.undecodable))
        contents = self.digests
        parsed = (*discovery.articles, *discovery.fragments)
        if any(relative not in contents for relative in parsed):
            return None
        digest.update(
            "\0".join(f"{relative}\0{contents[relative]}" for relative in parsed).encode(
                "utf-8", "surrogatepass"
            )
        )
        for extra in self.extra_files:
            add("extra", extra, file_digest(extra))
        return digest.hexdigest()
