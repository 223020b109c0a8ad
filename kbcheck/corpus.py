"""Finding the articles under the knowledge-base root and holding them for corpus-wide rules.

Discovery walks the tree once, honouring `exclude` globs and every `.gitignore` on the way with
git's own matching rules (via pathspec), and never follows a symlink out of the root.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import pathspec

from kbcheck.model import Article
from kbcheck.regular_files import read_text_file
from kbcheck.site.model import variant_of, variant_patterns

if TYPE_CHECKING:
    from datetime import date

    from kbcheck.config import Policy
    from kbcheck.history import GitHistory, LastChange
    from kbcheck.incremental.folder import CacheFolder
    from kbcheck.owners import OwnerDirectory, Ownership
    from kbcheck.review import PolicyMatcher, Review
    from kbcheck.site.model import Site

T = TypeVar("T")
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: Folders that are never part of a knowledge base, whatever .gitignore says: version control,
#: installed packages (npm, Python virtual environments, Ruby's bundle), and the caches and
#: build output of the generators, as ruff leaves out `.venv`, `node_modules` and `_build`.
SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".kbcheck-cache",
        "node_modules",
        ".venv",
        "venv",
        "site-packages",
        "__pypackages__",
        ".tox",
        ".nox",
        ".bundle",
        ".jekyll-cache",
        ".docusaurus",
        "_site",
    }
)
#: The same, for names only skipped at the root: `vendor/` holds installed Ruby gems or
#: PHP and Go packages there, but `billing/vendor/` may well be a folder of articles.
SKIPPED_AT_ROOT = frozenset({"vendor"})


@dataclass(frozen=True)
class Discovery:
    """What lies under the root: article paths and every other file (images, PDFs) that a
    link may point at, all POSIX and relative to the root. `outside_links` are symlinks that
    lead out of the root: they are listed, never read."""

    articles: tuple[str, ...]
    files: frozenset[str]
    outside_links: frozenset[str] = frozenset()
    #: Files and folders whose names are not valid UTF-8 (shown with U+FFFD): skipped, since
    #: no UTF-8 article can link to them and no report could name them.
    undecodable: frozenset[str] = frozenset()
    #: Markdown files the site pastes into pages (`includes/`, `_includes/`, a headless
    #: bundle): not articles, but their headings are ids of the pages that paste them in.
    fragments: tuple[str, ...] = ()

    @property
    def outside_articles(self) -> list[str]:
        """Symbolic links out of the root with a Markdown name, sorted: each becomes an
        article reported as unreadable, never read."""
        return sorted(
            relative
            for relative in self.outside_links
            if relative.lower().endswith(MARKDOWN_SUFFIXES)
        )


def _ignore_file(path: Path) -> pathspec.PathSpec | None:
    """The patterns of a `.gitignore` (or `.git/info/exclude`); None when there is no such
    regular file or no pattern in it (a spec that matches nothing need not be asked about
    every file)."""
    try:
        lines = read_text_file(path, errors="replace").splitlines()
    except OSError:
        return None
    return _effective(pathspec.GitIgnoreSpec.from_lines(lines))


def _effective(spec: pathspec.PathSpec) -> pathspec.PathSpec | None:
    if all(getattr(pattern, "include", True) is None for pattern in spec.patterns):
        return None  # comments and blank lines only
    return spec


def discover(
    root: Path,
    exclude: Iterable[str] = (),
    suffixes: tuple[str, ...] = MARKDOWN_SUFFIXES,
    content: Iterable[str] = (),
    not_articles: Iterable[str] = (),
) -> Discovery:
    """Walk the tree once with os.scandir (a file's type comes with its name: no stat per
    file), top-down so that each folder's `.gitignore` is known before its contents. A file
    with one of `suffixes` is an article when it matches `content` (when given) and not
    `not_articles` (gitignore-style globs): the others are files a link may still name."""
    root = root.resolve()
    excluded = _effective(pathspec.GitIgnoreSpec.from_lines(list(exclude)))
    published = _effective(pathspec.GitIgnoreSpec.from_lines(list(content)))
    fragments = _effective(pathspec.GitIgnoreSpec.from_lines(list(not_articles)))
    # (folder relative to root, spec) for each .gitignore seen on the way down.
    ignores: list[tuple[str, pathspec.PathSpec]] = []
    # `.git/info/exclude` of the repository the root is in, when the root is its top.
    info_exclude = _ignore_file(root / ".git" / "info" / "exclude")
    if info_exclude is not None:
        ignores.append(("", info_exclude))

    def ignored(relative: str, is_dir: bool) -> bool:
        probe = relative + "/" if is_dir else relative
        if excluded is not None and excluded.match_file(probe):
            return True
        for base, spec in ignores:
            if base and not relative.startswith(base + "/"):
                continue
            inner = relative[len(base) + 1 :] if base else relative
            if spec.match_file(inner + "/" if is_dir else inner):
                return True
        return False

    articles: list[str] = []
    pasted: list[str] = []
    files: set[str] = set()
    outside: set[str] = set()
    undecodable: set[str] = set()
    root_text = str(root)
    pending = [""]  # folders to read, relative to the root
    while pending:
        relative_folder = pending.pop()
        folder = os.path.join(root_text, relative_folder) if relative_folder else root_text
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue  # unreadable or vanished folder: os.walk skipped these too
        spec = _ignore_file(Path(folder, ".gitignore"))
        if spec is not None:
            ignores.append((relative_folder, spec))
        below = []
        for entry in sorted(entries, key=lambda entry: entry.name):
            name = entry.name
            relative = f"{relative_folder}/{name}" if relative_folder else name
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            skipped = name in SKIPPED_FOLDERS or (not relative_folder and name in SKIPPED_AT_ROOT)
            if (is_dir and skipped) or ignored(relative, is_dir):
                continue
            if not _decodable(name):
                undecodable.add(_shown(relative))
                continue
            symlink = entry.is_symlink()
            if is_dir:
                if symlink:
                    # A linked folder is never walked; inside the root it can be a link
                    # target, outside it is listed so that links into it are reported.
                    inside = _inside(Path(entry.path), root)
                    (files if inside else outside).add(relative)
                    continue
                below.append(relative)
                continue
            if symlink and not _inside(Path(entry.path), root):
                outside.add(relative)
                continue
            files.add(relative)
            if name.lower().endswith(suffixes):
                if published is not None and not published.match_file(relative):
                    continue
                if fragments is not None and fragments.match_file(relative):
                    pasted.append(relative)
                    continue
                articles.append(relative)
        pending.extend(reversed(below))
    return Discovery(
        tuple(sorted(articles)),
        frozenset(files),
        frozenset(outside),
        frozenset(undecodable),
        tuple(sorted(pasted)),
    )


def _decodable(name: str) -> bool:
    """False for a name whose bytes are not UTF-8 (os.walk hands them over as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(relative: str) -> str:
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _inside(path: Path, root: Path) -> bool:
    """Whether a symbolic link stays under the root. A link loop leads nowhere, so it is kept
    inside: reading it then fails with a reason ("too many levels of symbolic links")."""
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    except RuntimeError:  # a loop, before Python 3.13
        return True
    except OSError as error:
        return error.errno == errno.ELOOP
    return True


class HistorySource:
    """Git's history of the knowledge base, read once, on first use: by the engine when
    review dates come from git (it starts the read while articles are parsed), else by the
    first rule that asks. Whether it was read decides whether its notices are reported."""

    def __init__(
        self,
        root: Path,
        cache: CacheFolder | None,
        prefetched: Future[GitHistory] | None = None,
        bulk_commit: int = 100,
    ) -> None:
        self._root = root
        self._cache = cache
        self._prefetched = prefetched
        self._bulk_commit = bulk_commit
        self._history: GitHistory | None = None

    @property
    def history(self) -> GitHistory:
        if self._history is None:
            if self._prefetched is not None:
                self._history = self._prefetched.result()
            else:
                from kbcheck.history import load_history

                self._history = load_history(self._root, self._cache, self._bulk_commit)
        return self._history

    @property
    def read(self) -> bool:
        return self._history is not None


@dataclass(frozen=True)
class Corpus:
    """Every article under the root (not only the selected ones: a link from a checked page
    to an unchecked one must still resolve) and every file a link could name; once enriched
    (`enriched`), each article's review and owners too. Never changed once made: each step
    of a run makes the next corpus."""

    root: Path
    articles: Mapping[str, Article]
    files: frozenset[str]
    #: Markdown files the site pastes into pages, parsed but never reported on (see
    #: `Discovery.fragments`).
    fragments: Mapping[str, Article] = field(default_factory=dict)
    selected: frozenset[str] = frozenset()
    #: Symbolic links (files or folders) under the root that lead out of it: never read.
    outside: frozenset[str] = frozenset()
    #: Review state per article path (see kbcheck.review).
    reviews: Mapping[str, Review] = field(default_factory=dict)
    policies: PolicyMatcher | None = None
    #: Owners per article path and the known owners (see kbcheck.owners).
    ownership: Mapping[str, Ownership] = field(default_factory=dict)
    owner_directory: OwnerDirectory | None = None
    history_source: HistorySource | None = field(default=None, repr=False, compare=False)
    #: How the site generator publishes the files (None: as plain files).
    site: Site | None = field(default=None, repr=False, compare=False)
    #: `SiteSpec.variants`: folder globs each of whose matches is one version of the docs.
    variants: tuple[str, ...] = ()
    #: Data that rules derive from the whole corpus and share within one run (resolved
    #: links, say), keyed by whoever computes it; never saved.
    derived: dict[object, object] = field(default_factory=dict, repr=False, compare=False)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles.values())

    @property
    def history(self) -> GitHistory:
        """Git's last change per article and last commit per author, read on first use with
        one `git log` for the whole knowledge base (empty when it is not in git)."""
        if self.history_source is None:
            object.__setattr__(self, "history_source", HistorySource(self.root, None))
        assert self.history_source is not None
        return self.history_source.history

    @property
    def history_loaded(self) -> bool:
        return self.history_source is not None and self.history_source.read

    @cached_property
    def _folded(self) -> dict[str, list[str]]:
        folded: dict[str, list[str]] = {}
        for name in self.files:
            folded.setdefault(name.casefold(), []).append(name)
        return folded

    @cached_property
    def _folders(self) -> frozenset[str]:
        collected: set[str] = set()
        for name in self.files:
            parent = name.rpartition("/")[0]
            while parent and parent not in collected:
                collected.add(parent)
                parent = parent.rpartition("/")[0]
        return frozenset(collected)

    def policy_for(self, path: str) -> Policy | None:
        """The first `[[policy]]` whose globs match the article, if any."""
        return self.policies.match(path) if self.policies else None

    def ownership_of(self, path: str) -> Ownership:
        """The article's resolved owners; its front-matter owners when the engine has not
        resolved them (a corpus built by hand)."""
        found = self.ownership.get(path)
        if found is not None:
            return found
        from kbcheck.owners import FRONTMATTER, NONE, Ownership

        article = self.articles.get(path)
        owners = article.owners if article is not None else ()
        return Ownership(owners, FRONTMATTER if owners else NONE)

    def get(self, path: str) -> Article | None:
        return self.articles.get(path)

    def exists(self, path: str) -> bool:
        return path in self.files or self.is_folder(path)

    def is_folder(self, path: str) -> bool:
        if path in ("", "."):
            return True
        return path.rstrip("/") in self._folders

    def case_variants(self, path: str) -> list[str]:
        """Existing files whose path differs from `path` only in letter case."""
        return sorted(name for name in self._folded.get(path.casefold(), []) if name != path)

    @property
    def selected_articles(self) -> list[Article]:
        return [self.articles[path] for path in sorted(self.selected)]


#: What a check can read besides its own article, as `Reads` notes it. A read of one article,
#: its review or its owners is noted as the prefix followed by the article's path.
TODAY = "today"
CONFIG = "config"
FILES = "files"
#: The published site's URL table, redirects and navigation (see `kbcheck.site`).
SITE = "site"
#: Which version of the docs each article is in (`SiteSpec.variants`).
VARIANTS = "variants"
SELECTED = "selected"
ALL_ARTICLES = "all"
#: Whether the knowledge base is in git, and a shallow clone; one file's last change; one
#: author's last commit (see `HistoryView`).
HISTORY_REPOSITORY = "history:repository"
HISTORY_CHANGE = "history-change:"
HISTORY_AUTHOR = "history-author:"
ARTICLE = "article:"
FRAGMENT = "fragment:"
REVIEW = "review:"
OWNERS = "owners:"


class Reads:
    """Notes what a rule's check reads through its context. The engine starts a new set of
    notes before each check (`start`) and keeps them with the check's findings: a finding
    kept from an earlier run is reused only while everything it read is unchanged."""

    __slots__ = ("borrowed", "current")

    def __init__(self) -> None:
        self.current: set[str] | None = None
        #: Seconds of shared work (see `CorpusView.shared`) the current check used, whoever
        #: did it: what the check would cost if it had to do that work itself.
        self.borrowed = 0.0

    def note(self, what: str) -> None:
        if self.current is not None:
            self.current.add(what)

    def start(self) -> None:
        self.current = set()
        self.borrowed = 0.0

    def stop(self) -> frozenset[str]:
        noted = frozenset(self.current or ())
        self.current = None
        return noted


class HistoryView:
    """Git's history as a rule reads it: each answer is noted apart (whether the knowledge
    base is in git, one file's last change, one author's last commit), so that a commit
    touching one article does not count as a change for the findings on all the others."""

    __slots__ = ("_corpus", "_reads")

    def __init__(self, corpus: Corpus, reads: Reads) -> None:
        self._corpus = corpus
        self._reads = reads

    @property
    def in_repository(self) -> bool:
        self._reads.note(HISTORY_REPOSITORY)
        return self._corpus.history.in_repository

    @property
    def shallow(self) -> bool:
        self._reads.note(HISTORY_REPOSITORY)
        return self._corpus.history.shallow

    def last_change(self, path: str) -> LastChange | None:
        self._reads.note(HISTORY_CHANGE + path)
        return self._corpus.history.last_change(path)

    def last_commit_by(self, identity: str) -> date | None:
        self._reads.note(HISTORY_AUTHOR + identity)
        return self._corpus.history.last_commit_by(identity)


class _Shared(NamedTuple):
    """Work rules share (see `CorpusView.shared`): its result, its reads, its cost."""

    value: Any
    reads: frozenset[str]
    seconds: float


class CorpusView:
    """The corpus as a rule sees it: read-only, and every read noted (see `Reads`). Articles
    other than the one being checked, the list of files, the selection, reviews, owners and
    git history are all reached through here."""

    __slots__ = ("_corpus", "reads")

    def __init__(self, corpus: Corpus, reads: Reads | None = None) -> None:
        self._corpus = corpus
        self.reads = reads if reads is not None else Reads()

    @property
    def root(self) -> Path:
        return self._corpus.root

    @property
    def files(self) -> frozenset[str]:
        """Every file under the root (articles included), POSIX and root-relative."""
        self.reads.note(FILES)
        return self._corpus.files

    @property
    def outside(self) -> frozenset[str]:
        """Symbolic links under the root that lead out of it: never read."""
        self.reads.note(FILES)
        return self._corpus.outside

    @property
    def site(self) -> Site | None:
        """How the site generator publishes the files: the URL each is served at, the old
        URLs that redirect; None when the knowledge base is published as plain files."""
        self.reads.note(SITE)
        return self._corpus.site

    def variant_of(self, path: str) -> str | None:
        """The version folder (`versioned_docs/version-2.x/`) an article is in, or None: the
        same page in two versions is a copy by design, compared within its version only."""
        self.reads.note(VARIANTS)
        patterns = self._corpus.derived.get(VARIANTS)
        if patterns is None:
            patterns = self._corpus.derived[VARIANTS] = variant_patterns(self._corpus.variants)
        return variant_of(path, patterns)  # type: ignore[arg-type]

    @property
    def selected(self) -> frozenset[str]:
        """The paths of the articles this run reports on."""
        self.reads.note(SELECTED)
        return self._corpus.selected

    def exists(self, path: str) -> bool:
        self.reads.note(FILES)
        return self._corpus.exists(path)

    def is_folder(self, path: str) -> bool:
        self.reads.note(FILES)
        return self._corpus.is_folder(path)

    def case_variants(self, path: str) -> list[str]:
        self.reads.note(FILES)
        return self._corpus.case_variants(path)

    def __contains__(self, path: object) -> bool:
        self.reads.note(FILES)
        return path in self._corpus.articles

    def get(self, path: str) -> Article | None:
        """The article at `path` (selected or not), or None when there is none."""
        self.reads.note(ARTICLE + path)
        return self._corpus.articles.get(path)

    def fragment(self, path: str) -> Article | None:
        """The file at `path` that the site pastes into pages (an include), parsed like an
        article; None when there is none."""
        self.reads.note(FRAGMENT + path)
        return self._corpus.fragments.get(path)

    def __iter__(self) -> Iterator[Article]:
        self.reads.note(ALL_ARTICLES)
        return iter(self._corpus)

    def review(self, path: str) -> Review:
        """The article's review state: when it was last reviewed, by which source, when due."""
        self.reads.note(REVIEW + path)
        return self._corpus.reviews[path]

    def ownership_of(self, path: str) -> Ownership:
        """The article's resolved owners and where they come from."""
        self.reads.note(OWNERS + path)
        return self._corpus.ownership_of(path)

    def policy_for(self, path: str) -> Policy | None:
        """The first `[[policy]]` whose globs match the article, if any."""
        self.reads.note(CONFIG)
        return self._corpus.policy_for(path)

    @property
    def owner_directory(self) -> OwnerDirectory | None:
        """The known owners, from the configuration and the owners file."""
        self.reads.note(CONFIG)
        return self._corpus.owner_directory

    @property
    def history(self) -> HistoryView:
        """Git's last change per article and last commit per author (read on first use)."""
        return HistoryView(self._corpus, self.reads)

    def shared(self, key: object, compute: Callable[[], T]) -> T:
        """`compute()`, once per run and `key`, for every rule that asks: work several rules
        share (an article's resolved links). `compute` must note its own reads the way a
        check does, and give the same answer whoever asks."""
        reads = self.reads
        found = self._corpus.derived.get(key)
        if not isinstance(found, _Shared):
            # What the work reads is noted apart, and noted again for every check that uses
            # it: each check's findings depend on it, whichever check did the work.
            outer, reads.current = reads.current, set()
            started = time.perf_counter()
            try:
                value = compute()
            finally:
                noted, reads.current = frozenset(reads.current or ()), outer
            found = _Shared(value, noted, time.perf_counter() - started)
            self._corpus.derived[key] = found
        if reads.current is not None:
            reads.current.update(found.reads)
        reads.borrowed += found.seconds
        return found.value

    @property
    def derived(self) -> dict[object, object]:
        """A memo for data rules derive within one run (resolved links); never saved. What
        goes in must be derived from reads the deriving code notes each time it is asked."""
        return self._corpus.derived
