"""Cache keys from canonical data: the configuration and options as plain data (never
`repr`), the code that computed a result, and what a rule's check read in this run.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

import kbcheck
from kbcheck import __version__
from kbcheck.corpus import (
    ALL_ARTICLES,
    ARTICLE,
    CONFIG,
    FILES,
    FRAGMENT,
    HISTORY_AUTHOR,
    HISTORY_CHANGE,
    HISTORY_REPOSITORY,
    OWNERS,
    REVIEW,
    SELECTED,
    SITE,
    TODAY,
    VARIANTS,
    Corpus,
)
from kbcheck.incremental.codec import Unsupported, codec_for, plain
from kbcheck.incremental.folder import names_digest, source_digest

_UNKNOWN: Any = object()
#: A package folder with more files than this is not digested file by file: its rules are
#: run again every time rather than trusted from the cache.
_MAX_PACKAGE_FILES = 2_000


def digest(*parts: object) -> str:
    hashed = hashlib.blake2b(digest_size=20)
    for part in parts:
        hashed.update(str(part).encode("utf-8", "surrogatepass") + b"\0")
    return hashed.hexdigest()


def data_digest(value: Any) -> str:
    """A digest of a value's canonical plain data (see `codec.plain`)."""
    text = orjson.dumps(plain(value), option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.blake2b(text, digest_size=20).hexdigest()


def value_digest(value: Any) -> str:
    """A digest of a record (a review, an article's owners) through its codec: faster than
    `data_digest` for the thousands of them a run may look up."""
    encoded = codec_for(type(value)).encode(value)
    return hashlib.blake2b(orjson.dumps(encoded), digest_size=20).hexdigest()


def config_digest(config: Any, extra_files: Iterable[Path] = ()) -> str:
    """The configuration as plain data, and the content of the files it names (ownership
    files): what `ctx.config` and the owner directory stand for."""
    return digest(data_digest(config), *(f"{path}={file_digest(path)}" for path in extra_files))


def file_digest(path: Path) -> str:
    from kbcheck.regular_files import MAX_TEXT_FILE, read_regular_file

    try:
        data = read_regular_file(path, MAX_TEXT_FILE)
    except OSError as error:
        return f"unreadable: {type(error).__name__} {error.errno}"
    return hashlib.blake2b(data, digest_size=20).hexdigest()


@lru_cache(maxsize=1)
def engine_digest() -> str:
    """kbcheck's own modules: an edited engine must not serve what the old one computed."""
    package = Path(kbcheck.__file__).parent
    return digest(__version__, source_digest(sorted(package.rglob("*.py"))))


#: Each rule module's digest, for one run (see `new_run`).
_MODULE_DIGESTS: dict[str, str | None] = {}


def new_run() -> None:
    """Forget the code digests of the last run: a program that lints twice in one process
    must see an edited rule or word list the second time."""
    _MODULE_DIGESTS.clear()


def _module_digest(module_name: str) -> str | None:
    if module_name not in _MODULE_DIGESTS:
        _MODULE_DIGESTS[module_name] = _read_module_digest(module_name)
    return _MODULE_DIGESTS[module_name]


def _read_module_digest(module_name: str) -> str | None:
    module = sys.modules.get(module_name)
    source = getattr(module, "__file__", None)
    if module is None or not source:
        return None
    if not module.__package__:
        return source_digest([source])
    # Every file of the rule's package, data files included: a word list shipped beside the
    # rule is part of what it computes with.
    folder = Path(source).parent
    files = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    if len(files) > _MAX_PACKAGE_FILES:
        return None
    return source_digest(files)


def rule_code_digest(rule: Any) -> str | None:
    """The code of a rule: kbcheck's modules and its own package's files; None when they
    cannot be found (then nothing the rule computed is kept)."""
    own = _module_digest(type(rule).__module__)
    if own is None:
        return None
    return digest(engine_digest(), own, f"{type(rule).__module__}.{type(rule).__qualname__}")


def rule_key(rule: Any, options: Mapping[str, Any], severity: Any, fixed: bool) -> str | None:
    """What a rule's findings depend on besides what its checks read: its code, its resolved
    options and severity. None when one of them cannot be keyed."""
    code = rule_code_digest(rule)
    if code is None:
        return None
    try:
        settings = data_digest([dict(options), severity, fixed])
    except Unsupported:
        return None
    return digest(rule.id, code, settings)


class RunKeys:
    """The digest of each thing a check can read in this run (see `kbcheck.corpus.Reads`),
    computed the first time it is asked for. A read that cannot be keyed (git state that
    cannot be known, an article the run did not hash) gives None: what read it is not kept."""

    def __init__(
        self,
        corpus: Corpus,
        parse: str,
        config: str,
        today: date,
        contents: Mapping[str, str],
    ) -> None:
        self._corpus, self._parse, self._contents = corpus, parse, contents
        self._known: dict[str, str | None] = {TODAY: today.isoformat(), CONFIG: config}
        self._articles: dict[str, str | None] = {}

    def of(self, what: str) -> str | None:
        known = self._known
        if what in known:
            return known[what]
        value = self._compute(what)
        known[what] = value
        return value

    def article(self, path: str) -> str | None:
        """An article as parsed: its bytes and how they are parsed; None when unknown."""
        known = self._articles.get(path, _UNKNOWN)
        if known is _UNKNOWN:
            known = self._articles[path] = self.of(ARTICLE + path)
        return known

    def _compute(self, what: str) -> str | None:
        corpus = self._corpus
        if what == FILES:
            return digest(names_digest(corpus.files), names_digest(corpus.outside))
        if what == SITE:
            return "none" if corpus.site is None else data_digest(corpus.site.fingerprint())
        if what == VARIANTS:
            return digest(*corpus.variants)
        if what == SELECTED:
            return names_digest(corpus.selected)
        if what == ALL_ARTICLES:
            parts = [f"{path}={self.article(path)}" for path in corpus.articles]
            return None if any(part.endswith("=None") for part in parts) else digest(*parts)
        if what == HISTORY_REPOSITORY:
            history = corpus.history
            return f"{history.in_repository}:{history.shallow}"
        if what.startswith(HISTORY_CHANGE):
            change = corpus.history.last_change(what[len(HISTORY_CHANGE) :])
            return "none" if change is None else value_digest(change)
        if what.startswith(HISTORY_AUTHOR):
            last = corpus.history.last_commit_by(what[len(HISTORY_AUTHOR) :])
            return "none" if last is None else last.isoformat()
        kind, _, path = what.partition(":")
        if kind + ":" in (ARTICLE, FRAGMENT):
            article = (corpus.articles if kind + ":" == ARTICLE else corpus.fragments).get(path)
            if article is None:
                return "gone"
            if not article.readable:
                return digest(self._parse, "unreadable", data_digest(article.problems))
            content = self._contents.get(path)
            return None if content is None else digest(self._parse, content)
        if kind + ":" == REVIEW:
            review = corpus.reviews.get(path)
            return "none" if review is None else value_digest(review)
        if kind + ":" == OWNERS:
            return value_digest(corpus.ownership_of(path))
        return None
