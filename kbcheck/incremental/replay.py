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
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kbcheck import __version__
from kbcheck.corpus import Discovery
from kbcheck.incremental.folder import CacheFolder, names_digest, source_digest
from kbcheck.model import Finding, Location, Severity
from kbcheck.regular_files import MAX_TEXT_FILE, read_regular_file
from kbcheck.report import ArticleEntry, Report, RuleInfo

DOCUMENT = "last-run.json"
#: 2: `history` is the state of git (history.state), not a digest of the history read.
VERSION = 2
_SEVERITIES = {severity.value: severity for severity in Severity}


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
            report = _decode_report(self.data["report"])
            stored = self.data["unbaselined"]
            if stored is None:  # nothing was baselined: the report's own findings
                unbaselined = report.findings
            else:
                unbaselined = tuple(_decode_finding(item) for item in stored)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
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
                "report": _encode_report(report),
                "unbaselined": (
                    None
                    if tuple(unbaselined) == report.findings
                    else [_encode_finding(finding) for finding in unbaselined]
                ),
            },
        )


@dataclass(frozen=True)
class RunInputs:
    """Everything a report depends on besides the git history (which is compared apart:
    reading it costs a git call, worth paying only when the rest matched)."""

    rules: Sequence[Any]  # registry.Rule: what ran, and the files its code lives in
    registry_notices: Sequence[str]
    config: Any  # config.Config; its repr holds every setting
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

        add("kbcheck", __version__, VERSION, code_digest(self.rules))
        add(*(f"{rule.id}={type(rule).__module__}.{type(rule).__name__}" for rule in self.rules))
        add("notices", *self.registry_notices)
        add("config", repr(self.config))
        add("options", *(f"{name}={value!r}" for name, value in sorted(self.options.items())))
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
        if any(relative not in contents for relative in discovery.articles):
            return None
        digest.update(
            "\0".join(
                f"{relative}\0{contents[relative]}" for relative in discovery.articles
            ).encode("utf-8", "surrogatepass")
        )
        for extra in self.extra_files:
            add("extra", extra, _file_digest(extra))
        return digest.hexdigest()


def _file_digest(path: Path) -> str:
    try:
        data = read_regular_file(path, MAX_TEXT_FILE)
    except OSError as error:
        return f"unreadable: {type(error).__name__} {error.errno}"
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def code_digest(rules: Iterable[Any]) -> str:
    """kbcheck's own modules and, for each rule, the modules of its package (or its module
    alone when it is a top-level one): an edited rule or engine must not replay old
    findings, even without a version bump."""
    package = Path(__file__).parent
    files = set(package.rglob("*.py"))
    for rule in rules:
        module = sys.modules.get(type(rule).__module__)
        source = getattr(module, "__file__", None)
        if not source:
            continue
        if module is not None and module.__package__:
            files.update(Path(source).parent.glob("*.py"))
        else:
            files.add(Path(source))
    return source_digest(sorted(files))


# --- the report as JSON -----------------------------------------------------------------------


def _encode_finding(finding: Finding) -> list[Any]:
    return [
        finding.rule,
        finding.severity.value,
        finding.path,
        finding.line,
        finding.column,
        finding.message,
        finding.hint,
        [[location.path, location.line] for location in finding.related],
    ]


def _decode_finding(item: list[Any]) -> Finding:
    rule, severity, path, line, column, message, hint, related = item
    # Checked inline, not through _text(): a report holds thousands of findings.
    if not (
        type(rule) is str
        and type(path) is str
        and type(message) is str
        and (hint is None or type(hint) is str)
        and (line is None or type(line) is int)
        and (column is None or type(column) is int)
    ):
        raise TypeError("not a finding")
    return Finding(
        rule,
        _SEVERITIES[severity],
        path,
        line,
        column,
        message,
        hint,
        tuple(Location(_text(where), _number(at)) for where, at in related) if related else (),
    )


def _encode_report(report: Report) -> dict[str, Any]:
    return {
        "root": report.root,
        "today": report.today.isoformat(),
        "articles": [
            [
                entry.path,
                entry.title,
                list(entry.owners),
                _day(entry.last_reviewed),
                entry.review_source,
                entry.review_state,
                _day(entry.due),
                entry.risk,
                entry.views,
                entry.owner_source,
            ]
            for entry in report.articles
        ],
        "findings": [_encode_finding(finding) for finding in report.findings],
        "suppressed": report.suppressed,
        "notices": list(report.notices),
        "baselined": report.baselined,
        "rules": [
            [rule.id, rule.name, rule.summary, rule.why, rule.fix, rule.severity.value]
            for rule in report.rules
        ],
        "changed_since": report.changed_since,
        "root_in_repo": report.root_in_repo,
        "owner_names": dict(report.owner_names),
    }


def _decode_report(data: Mapping[str, Any]) -> Report:
    articles = []
    for item in data["articles"]:
        path, title, owners, reviewed, source, state, due, risk, views, owner_source = item
        if not (
            type(path) is str
            and type(title) is str
            and type(source) is str
            and type(state) is str
            and type(owner_source) is str
            and type(risk) in (int, float)
            and (views is None or type(views) is int)
            and all(type(owner) is str for owner in owners)
        ):
            raise TypeError("not an article entry")
        articles.append(
            ArticleEntry(
                path,
                title,
                tuple(owners),
                _parse_day(reviewed),
                source,
                state,
                _parse_day(due),
                float(risk),
                views,
                owner_source,
            )
        )
    rules = tuple(
        RuleInfo(_text(rule_id), _text(name), _text(summary), _text(why), _text(fix), Severity(sev))
        for rule_id, name, summary, why, fix, sev in data["rules"]
    )
    owner_names = data["owner_names"]
    if not isinstance(owner_names, dict):
        raise TypeError("owner_names")
    changed_since, root_in_repo = data["changed_since"], data["root_in_repo"]
    return Report(
        root=_text(data["root"]),
        today=date.fromisoformat(_text(data["today"])),
        articles=tuple(articles),
        findings=tuple(_decode_finding(item) for item in data["findings"]),
        suppressed=_count(data["suppressed"]),
        notices=tuple(_text(notice) for notice in data["notices"]),
        baselined=_count(data["baselined"]),
        rules=rules,
        changed_since=None if changed_since is None else _text(changed_since),
        root_in_repo=None if root_in_repo is None else _text(root_in_repo),
        owner_names={_text(name): _text(shown) for name, shown in owner_names.items()},
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _number(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected a number")
    return value


def _count(value: Any) -> int:
    number = _number(value)
    if number is None:
        raise TypeError("expected a count")
    return number


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(_text(value))


# --- the findings of one rule -----------------------------------------------------------------

FINDINGS_VERSION = 1


def findings_document(rule_id: str) -> str:
    """`rule-findings.links.broken-anchor.json`: a rule id has no dot, so no two collide."""
    return f"rule-findings.{rule_id.replace('/', '.')}.json"


class RuleFindings:
    """The last findings of each rule that sets `Rule.reuse_findings`, kept under a digest of
    everything the rule declared it reads. An edit to one article re-runs only the rules whose
    summaries of it changed: fixing a typo leaves the links and claims as they were, so the
    link and conflicting-values rules, which would otherwise resolve every link and group
    every claim of the knowledge base again, give their last findings. A `per_article` rule
    (the link rules) is kept article by article, and checks again only the articles whose
    inputs, or the inputs of the articles they depend on, changed.

    One document per rule (`findings_document`), read just before the rule would run and
    written only when it ran, so that a large knowledge base holds one rule's findings at a
    time and an edit rewrites only the documents of the rules it concerned; a rule that
    failed is not kept, and the documents of rules a run did not select stay for the next
    run that does. Like every cache document it is read only when this machine wrote it, so
    a committed cache folder cannot hide findings."""

    def __init__(self, cache: CacheFolder, context: str) -> None:
        self._cache = cache
        self._context = context
        self._inputs: dict[tuple[str, ...], _ArticleInputs | None] = {}

    def _stored(self, rule_id: str) -> Any:
        document = self._cache.read_json(findings_document(rule_id), FINDINGS_VERSION)
        return document.get("entry") if document is not None else None

    def _keep(self, rule_id: str, entry: list[Any]) -> None:
        with contextlib.suppress(OSError, TypeError):  # TypeError: a lone surrogate
            self._cache.write_json(findings_document(rule_id), FINDINGS_VERSION, {"entry": entry})

    def findings(self, rule: Any, ctx: Any, corpus: Any) -> list[Finding]:  # Rule, Context, Corpus
        """The rule's findings: its last ones where its inputs are unchanged, the rule's own
        elsewhere. Raises what the rule raises (and then keeps nothing of this run)."""
        inputs = self._article_inputs(rule, corpus)
        if inputs is None:  # what the rule reads cannot be fingerprinted: it just runs
            return list(rule.check_corpus(corpus, ctx))
        rule_key = _digest(
            self._context, rule.id, f"{type(rule).__module__}.{type(rule).__qualname__}"
        )
        if rule.per_article is True:
            return self._per_article(rule, ctx, corpus, rule_key, inputs)
        key = _digest(rule_key, *(path + digest.hex() for path, digest in inputs.items()))
        entry = self._stored(rule.id)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == key:
            kept = _decode_findings(entry[1])
            if kept is not None:
                return kept
        del entry
        produced = list(rule.check_corpus(corpus, ctx))
        self._keep(rule.id, [key, [_encode_finding(finding) for finding in produced]])
        return produced

    def _per_article(
        self, rule: Any, ctx: Any, corpus: Any, rule_key: str, inputs: _ArticleInputs
    ) -> list[Finding]:
        """Each selected article's findings are kept with the digest of its own inputs and
        of those of the articles it depends on; those with a matching digest are reused, and
        the rule checks the others."""
        stored = self._stored(rule.id)
        previous: Mapping[str, Any] = {}
        if isinstance(stored, list) and len(stored) == 2 and stored[0] == rule_key:
            previous = stored[1] if isinstance(stored[1], dict) else {}
        kept: dict[str, tuple[Any, list[Finding]]] = {}
        stored_paths = set(previous)
        entry: Any = None
        for path in corpus.selected:
            entry = previous.get(path)
            if type(entry) is str:  # no dependency, no finding: the digest alone
                if entry == inputs.key(path, ()):
                    kept[path] = (entry, [])
                continue
            try:
                key, depends, encoded = entry  # type: ignore[misc]
                if key != inputs.key(path, tuple(depends)):
                    continue
            except (TypeError, ValueError, AttributeError):  # a damaged entry: checked again
                continue
            findings = _decode_findings(encoded)
            if findings is not None:
                kept[path] = (entry, findings)
        # What was stored and is not kept would be held, for nothing, while the rule runs:
        # 10 MB of entries per rule at 100,000 articles.
        del stored, previous, entry
        ctx.recheck = frozenset(path for path in corpus.selected if path not in kept)
        ctx.dependencies = {}
        checked: dict[str, list[Finding]] = {}
        for finding in rule.check_corpus(corpus, ctx) if ctx.recheck else ():
            if finding.path in ctx.recheck:  # the contract: reported while checking it
                checked.setdefault(finding.path, []).append(finding)
        entries: dict[str, Any] = {}
        result: list[Finding] = []
        for path in sorted(corpus.selected):  # a full run's order: article by article
            if path in kept:
                entries[path], findings = kept[path]
            else:
                findings = checked.get(path, [])
                depends = tuple(sorted(ctx.dependencies.get(path, ())))
                key = inputs.key(path, depends)
                if depends or findings:
                    encoded = [_encode_finding(item) for item in findings]
                    entries[path] = [key, list(depends), encoded]
                else:
                    entries[path] = key
            result.extend(findings)
        if ctx.recheck or stored_paths != set(entries):
            self._keep(rule.id, [rule_key, entries])
        return result

    def _article_inputs(self, rule: Any, corpus: Any) -> _ArticleInputs | None:
        """Per article, a digest of its readability and of the JSON text of each summary the
        rule declared (the very text kept in the parse cache: no decoding); shared by the
        rules that declare the same summaries. None when one cannot be known."""
        declared = tuple(sorted(summary.fingerprint for summary in rule.summaries))
        if declared not in self._inputs:
            self._inputs[declared] = _article_inputs(rule.summaries, corpus)
        return self._inputs[declared]


def _digest(*parts: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


class _ArticleInputs:
    """Per article, a digest of what a rule reads of it (see `_article_inputs`), from which
    the keys of per-article findings are made; the link rules share one of these."""

    def __init__(self, digests: dict[str, bytes]) -> None:
        self._digests = digests

    def items(self) -> Iterable[tuple[str, bytes]]:
        return self._digests.items()

    def key(self, path: str, depends: tuple[str, ...]) -> str:
        """An article's own inputs and those of the articles it depends on (one that is
        gone counts as such); without any, the article's own digest as it is."""
        digests = self._digests
        own = digests.get(path, b"gone")
        if not depends:
            return own.hex()
        digest = hashlib.blake2b(own, digest_size=16)
        for other in depends:
            digest.update(other.encode("utf-8", "surrogatepass"))
            digest.update(b"\0" + digests.get(other, b"gone"))
        return digest.hexdigest()


def _decode_findings(encoded: Any) -> list[Finding] | None:
    """Stored findings, or None when the entry is damaged."""
    try:
        return [_decode_finding(item) for item in encoded]
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def findings_context(
    code: str,
    config: Any,  # config.Config
    today: date,
    root: Path,
    selected: Iterable[str],
    files: Iterable[str],
    outside: Iterable[str],
) -> str:
    """What every reusable rule's findings depend on besides its own options and summaries."""
    digest = hashlib.blake2b(digest_size=20)
    for part in ("kbcheck", __version__, FINDINGS_VERSION, code, repr(config), today, root):
        digest.update(str(part).encode("utf-8", "surrogatepass") + b"\0")
    for label, names in (("selected", selected), ("files", files), ("outside", outside)):
        digest.update(f"{label}\0{names_digest(names)}\0".encode())
    return digest.hexdigest()


def _article_inputs(declared: Iterable[Any], articles: Iterable[Any]) -> _ArticleInputs | None:
    from kbcheck.incremental.extracts import encoded_text

    chosen = sorted(declared, key=lambda summary: summary.fingerprint)
    inputs: dict[str, bytes] = {}
    for article in articles:
        parts = ["1" if article.readable else "0"]
        for summary in chosen:
            text = encoded_text(article, summary)
            if text is None:
                return None
            parts.append(text)
        encoded = "\0".join(parts).encode("utf-8", "surrogatepass")
        inputs[article.path] = hashlib.blake2b(encoded, digest_size=16).digest()
    return _ArticleInputs(inputs)
