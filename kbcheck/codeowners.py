"""Who owns a path according to the repository's CODEOWNERS file, as GitHub and GitLab read it.

The file lives at the top of the repository (`.github/CODEOWNERS`, `CODEOWNERS`,
`docs/CODEOWNERS` or `.gitlab/CODEOWNERS`; the first that exists is used) and its patterns are
relative to that top, which is not the knowledge-base root when the knowledge base is a
sub-folder: callers pass paths as the repository names them.

What is understood:
- gitignore-style patterns (via pathspec): `*.md`, `/docs/`, `billing/`, `docs/*` (direct
  children only), `**`, `\\ ` for a space and `\\#` for a leading `#`;
- the last matching pattern wins; a pattern without owners leaves the path unowned;
- GitLab sections: `[Name]`, `^[Optional]`, `[Name][2]`, with default owners after the
  heading for entries that name none. Each section is read on its own (last match wins within
  it) and the owners of every matching section are combined, as GitLab does; sections with the
  same name (in any letter case) are one section;
- owners as `@user`, `@org/team`, `@group/subgroup`, `@@role` or an e-mail address.

A line neither host accepts (negation with `!`, an owner that is not one of those forms) is
skipped with a notice naming the file and the line, never an error: the file belongs to the
repository, not to kbcheck.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pathspec

from kbcheck.regular_files import read_text_file

#: Where GitHub (.github/, top, docs/) and GitLab (top, docs/, .gitlab/) look for the file.
CODEOWNERS_LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")

_SECTION = re.compile(r"^\^?\[([^\]]+)\](?:\[\d+\])?(?:\s+(.*))?$")
_TOKEN = re.compile(r"(?:\\.|\S)+")
_HANDLE = re.compile(r"^@@?[\w.-]+(?:/[\w.-]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
#: Bad lines reported one by one before the rest are only counted.
_MAX_LINE_NOTICES = 5


def is_owner_token(token: str) -> bool:
    """`@user`, `@org/team`, `@@role` or an e-mail address."""
    return bool(_HANDLE.match(token) or _EMAIL.match(token))


def _pattern_compiler() -> Callable[[str], Any]:
    """pathspec's gitignore pattern class: named "gitignore" since pathspec 1.0, and
    "gitwildmatch" before."""
    for name in ("gitignore", "gitwildmatch"):
        try:
            return pathspec.util.lookup_pattern(name)
        except KeyError:
            continue
    raise RuntimeError("pathspec provides no gitignore pattern type")  # pragma: no cover


@dataclass(frozen=True)
class CodeOwnersEntry:
    line: int
    pattern: str
    owners: tuple[str, ...]
    section: str  # case-folded section name; "" for the lines before any section
    regex: re.Pattern[str]


@dataclass(frozen=True)
class CodeOwnersMatch:
    """The owners a path gets and the lines that gave them (one per matching section)."""

    owners: tuple[str, ...]
    lines: tuple[int, ...]


class CodeOwners:
    """A parsed CODEOWNERS file. `name` is how messages name it (`.github/CODEOWNERS`)."""

    def __init__(
        self, name: str, entries: list[CodeOwnersEntry], notices: list[str] | None = None
    ) -> None:
        self.name = name
        self.entries = tuple(entries)
        self.notices = tuple(notices or ())
        order: dict[str, int] = {}
        for entry in entries:
            order.setdefault(entry.section, len(order))
        self._section_order = order
        self._by_folder: dict[str, list[CodeOwnersEntry]] | None = None
        self._anywhere: list[CodeOwnersEntry] = []
        self._merged: dict[str, list[CodeOwnersEntry]] = {}

    @classmethod
    def parse(cls, text: str, name: str = "CODEOWNERS") -> CodeOwners:
        compile_pattern = _pattern_compiler()
        entries: list[CodeOwnersEntry] = []
        problems: list[str] = []
        section = ""
        defaults: tuple[str, ...] = ()
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            heading = _SECTION.match(line)
            if heading:
                section = " ".join(heading.group(1).split()).casefold()
                defaults = _owners(heading.group(2) or "", number, problems)
                continue
            tokens = _TOKEN.findall(line)
            pattern, owners = tokens[0], _owners(" ".join(tokens[1:]), number, problems)
            if pattern.startswith("!"):
                problems.append(f"line {number}: negation ('!') is not supported; line skipped")
                continue
            try:
                compiled = compile_pattern(pattern)
            except Exception as error:  # pathspec raises several types for a bad pattern
                problems.append(f"line {number}: invalid pattern {pattern!r} ({error}); skipped")
                continue
            regex = getattr(compiled, "regex", None)
            if regex is None:
                continue
            entries.append(CodeOwnersEntry(number, pattern, owners or defaults, section, regex))
        notices = [f"{name}: {problem}" for problem in problems[:_MAX_LINE_NOTICES]]
        if len(problems) > _MAX_LINE_NOTICES:
            notices.append(f"{name}: {len(problems) - _MAX_LINE_NOTICES} more lines skipped")
        return cls(name, entries, notices)

    def owners_of(self, path: str) -> CodeOwnersMatch | None:
        """The owners of `path` (relative to the repository top), or None when no pattern
        matches. A matching pattern without owners gives an empty tuple: explicitly unowned."""
        found: dict[str, CodeOwnersEntry] = {}
        wanted = len(self._section_order)
        for entry in self._candidates(path.split("/", 1)[0]):
            if entry.section in found or not entry.regex.match(path):
                continue
            found[entry.section] = entry
            if len(found) == wanted:
                break
        if not found:
            return None
        chosen = sorted(found.values(), key=lambda entry: self._section_order[entry.section])
        owners = tuple(dict.fromkeys(owner for entry in chosen for owner in entry.owners))
        return CodeOwnersMatch(owners, tuple(sorted(entry.line for entry in chosen)))

    def _candidates(self, first_folder: str) -> list[CodeOwnersEntry]:
        """The lines that can match a path starting with `first_folder`, last line first.

        A pattern anchored to the top whose first part is plain text (`/services/x/`,
        `docs/*.md`) can only match paths that start with that folder, so each path tries
        those of its own folder plus the patterns that may match anywhere (`*.md`, `apps/`,
        `**/x`): a 500-line CODEOWNERS of other folders costs a knowledge base nothing."""
        if self._by_folder is None:
            by_folder: dict[str, list[CodeOwnersEntry]] = {}
            anywhere: list[CodeOwnersEntry] = []
            for entry in self.entries:
                folder = _anchored_folder(entry.pattern)
                if folder is None:
                    anywhere.append(entry)
                else:
                    by_folder.setdefault(folder, []).append(entry)
            self._anywhere = anywhere[::-1]
            self._by_folder = by_folder
        cached = self._merged.get(first_folder)
        if cached is None:
            own = self._by_folder.get(first_folder, [])
            cached = sorted([*own, *self._anywhere], key=lambda entry: -entry.line)
            self._merged[first_folder] = cached
        return cached

    def named_owners(self) -> tuple[str, ...]:
        """Every owner the file names, in order of first appearance."""
        return tuple(dict.fromkeys(owner for entry in self.entries for owner in entry.owners))


def _anchored_folder(pattern: str) -> str | None:
    """The first folder a pattern is tied to, or None when it may match anywhere. In gitignore
    rules a pattern with a `/` before its end is relative to the top; its first part, if it
    holds no wildcard or escape, is then a folder every matching path starts with."""
    body = pattern[1:] if pattern.startswith("/") else pattern
    if "/" not in body.rstrip("/") and not pattern.startswith("/"):
        return None
    first = body.split("/", 1)[0]
    if not first or any(mark in first for mark in "*?[\\"):
        return None
    return first


def _owners(text: str, number: int, problems: list[str]) -> tuple[str, ...]:
    owners = []
    for token in text.split():
        if token.startswith("#"):
            break  # an inline comment
        if is_owner_token(token):
            owners.append(token)
        else:
            problems.append(
                f"line {number}: {token!r} is not an owner (@user, @org/team or an e-mail); ignored"
            )
    return tuple(owners)


def repository_top(root: Path) -> Path | None:
    """The top of the git work tree holding `root` (the folder with `.git`), found without
    running git; None outside a repository."""
    here = root.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


@dataclass(frozen=True)
class CodeOwnersFile:
    """A CODEOWNERS file and where the knowledge base sits below the repository top
    (`prefix`, "" when the knowledge base is the top)."""

    codeowners: CodeOwners
    prefix: str

    def owners_of(self, article_path: str) -> CodeOwnersMatch | None:
        path = f"{self.prefix}/{article_path}" if self.prefix else article_path
        return self.codeowners.owners_of(path)


class CodeOwnersError(Exception):
    """A CODEOWNERS file named in the configuration cannot be used."""


def load_codeowners(root: Path, setting: bool | str, base_dir: Path) -> CodeOwnersFile | None:
    """The CODEOWNERS file for the knowledge base at `root`: the configured one (`setting` is a
    path, relative to `base_dir`), else the first in the standard locations at the repository
    top (the knowledge-base root outside a repository); None when there is none or
    `setting` is False. Patterns are relative to the repository top in every case."""
    if setting is False:
        return None
    root = root.resolve()
    top = repository_top(root) or root
    if isinstance(setting, str):
        candidate = (base_dir / setting).resolve()
        if not candidate.is_file():
            raise CodeOwnersError(f"{candidate}: CODEOWNERS file not found (codeowners setting)")
        name = setting
    else:
        found = next(
            (top / where for where in CODEOWNERS_LOCATIONS if (top / where).is_file()), None
        )
        if found is None:
            return None
        candidate, name = found, found.relative_to(top).as_posix()
    prefix = root.relative_to(top).as_posix() if root != top else ""
    try:
        text = read_text_file(candidate, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        if isinstance(setting, str):
            raise CodeOwnersError(f"{candidate}: cannot read CODEOWNERS: {error}") from None
        unread = CodeOwners(name, [], [f"{name}: cannot read it ({error}); not used"])
        return CodeOwnersFile(unread, prefix)
    return CodeOwnersFile(CodeOwners.parse(text, name), prefix)
