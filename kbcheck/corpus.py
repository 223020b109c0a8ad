"""Finding the articles under the knowledge-base root and holding them for corpus-wide rules.

Discovery walks the tree once, honouring `exclude` globs and every `.gitignore` on the way with
git's own matching rules (via pathspec), and never follows a symlink out of the root.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import pathspec

from kbcheck.model import Article
from kbcheck.regular_files import read_text_file

if TYPE_CHECKING:
    from kbcheck.cache import CacheFolder
    from kbcheck.config import Policy
    from kbcheck.history import GitHistory
    from kbcheck.owners import OwnerDirectory, Ownership
    from kbcheck.review import PolicyMatcher, Review

MARKDOWN_SUFFIXES = (".md", ".markdown")
#: Folders that are never part of a knowledge base, whatever .gitignore says.
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", "node_modules", ".kbcheck-cache", ".venv"})


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


def _gitignore(folder: Path) -> pathspec.PathSpec | None:
    ignore_file = folder / ".gitignore"
    try:
        lines = read_text_file(ignore_file, errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def discover(root: Path, exclude: Iterable[str] = ()) -> Discovery:
    root = root.resolve()
    excluded = pathspec.GitIgnoreSpec.from_lines(list(exclude))
    # (folder relative to root, spec) for each .gitignore seen on the way down.
    ignores: list[tuple[str, pathspec.PathSpec]] = []
    info_exclude = _find_git_info_exclude(root)
    if info_exclude is not None:
        ignores.append(("", info_exclude))

    def ignored(relative: str, is_dir: bool) -> bool:
        probe = relative + "/" if is_dir else relative
        if excluded.match_file(probe):
            return True
        for base, spec in ignores:
            if base and not relative.startswith(base + "/"):
                continue
            inner = relative[len(base) + 1 :] if base else relative
            if spec.match_file(inner + "/" if is_dir else inner):
                return True
        return False

    articles: list[str] = []
    files: set[str] = set()
    outside: set[str] = set()
    undecodable: set[str] = set()
    for current, folders, names in os.walk(root, followlinks=False):
        folder = Path(current)
        relative_folder = folder.relative_to(root).as_posix()
        relative_folder = "" if relative_folder == "." else relative_folder
        spec = _gitignore(folder)
        if spec is not None:
            ignores.append((relative_folder, spec))
        kept = []
        for name in sorted(folders):
            relative = f"{relative_folder}/{name}" if relative_folder else name
            if name in SKIPPED_FOLDERS or ignored(relative, is_dir=True):
                continue
            if not _decodable(name):
                undecodable.add(_shown(relative))
                continue
            if (folder / name).is_symlink():
                # A linked folder is never walked; inside the root it can be a link target,
                # outside it is listed so that links into it are reported, never followed.
                (files if _inside(folder / name, root) else outside).add(relative)
                continue
            kept.append(name)
        folders[:] = kept
        for name in names:
            relative = f"{relative_folder}/{name}" if relative_folder else name
            if ignored(relative, is_dir=False):
                continue
            if not _decodable(name):
                undecodable.add(_shown(relative))
                continue
            path = folder / name
            if path.is_symlink() and not _inside(path, root):
                outside.add(relative)
                continue
            files.add(relative)
            if name.lower().endswith(MARKDOWN_SUFFIXES):
                articles.append(relative)
    return Discovery(
        tuple(sorted(articles)), frozenset(files), frozenset(outside), frozenset(undecodable)
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


def _find_git_info_exclude(root: Path) -> pathspec.PathSpec | None:
    """`.git/info/exclude` of the repository the root is in, when the root is its top."""
    candidate = root / ".git" / "info" / "exclude"
    if candidate.is_file():
        try:
            lines = read_text_file(candidate, errors="replace").splitlines()
        except OSError:
            return None
        return pathspec.GitIgnoreSpec.from_lines(lines)
    return None


@dataclass
class Corpus:
    """Every article under the root (not only the selected ones: a link from a checked page
    to an unchecked one must still resolve) and every file a link could name."""

    root: Path
    articles: dict[str, Article]
    files: frozenset[str]
    selected: frozenset[str] = frozenset()
    #: Symbolic links (files or folders) under the root that lead out of it: never read.
    outside: frozenset[str] = frozenset()
    #: Review state per article path, filled in by the engine before any rule runs.
    reviews: dict[str, Review] = field(default_factory=dict)
    policies: PolicyMatcher | None = None
    #: Owners per article path and the known owners, filled in by the engine (kbcheck.owners).
    ownership: dict[str, Ownership] = field(default_factory=dict)
    owner_directory: OwnerDirectory | None = None
    #: Where results are kept between runs (None with --no-cache).
    cache: CacheFolder | None = None
    _history: GitHistory | None = field(default=None, repr=False)
    #: Data that rules derive from the whole corpus and share within one run (resolved
    #: links, say), keyed by whoever computes it; never saved.
    derived: dict[object, object] = field(default_factory=dict, repr=False)
    _folded: dict[str, list[str]] | None = field(default=None, repr=False)
    _folder_set: frozenset[str] | None = field(default=None, repr=False)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles.values())

    @property
    def history(self) -> GitHistory:
        """Git's last change per article and last commit per author, read on first use with
        one `git log` for the whole knowledge base (empty when it is not in git)."""
        if self._history is None:
            from kbcheck.history import load_history

            self._history = load_history(self.root, self.cache)
        return self._history

    @property
    def history_loaded(self) -> bool:
        return self._history is not None

    def provide_history(self, history: GitHistory) -> None:
        """Use a history read elsewhere (the engine reads it while articles are parsed)."""
        self._history = history

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
        if self._folder_set is None:
            collected: set[str] = set()
            for name in self.files:
                parent = PurePosixPath(name).parent
                while str(parent) not in (".", ""):
                    collected.add(str(parent))
                    parent = parent.parent
            self._folder_set = frozenset(collected)
        return path.rstrip("/") in self._folder_set

    def case_variants(self, path: str) -> list[str]:
        """Existing files whose path differs from `path` only in letter case."""
        if self._folded is None:
            folded: dict[str, list[str]] = {}
            for name in self.files:
                folded.setdefault(name.casefold(), []).append(name)
            self._folded = folded
        return sorted(name for name in self._folded.get(path.casefold(), []) if name != path)

    @property
    def selected_articles(self) -> list[Article]:
        return [self.articles[path] for path in sorted(self.selected)]
