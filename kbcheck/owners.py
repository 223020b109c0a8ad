"""Who owns each article, who the known owners are, and when they were last active.

**Resolution.** An article's owners are the first of: its front-matter `owner`; the owners the
repository's CODEOWNERS gives its path (kbcheck/codeowners.py); the `owner` of the first
matching `[[policy]]`. Each article records which one it was (`Ownership.source`), so reports
can say why someone owns a page.

**The directory** is everything the configuration says about owners: `owners = [...]`, an
`owners_file` (CODEOWNERS, YAML or CSV), `[[people]]` and `[[teams]]`. Entries that share a
name, an e-mail or a handle are one owner, so `Ana Lopez`, `ana@example.com` and `@ana` can be
declared as one person; a person's `teams` (or a team's `members`) make the teams known too.
Matching is case-insensitive and ignores a leading `@`. As a convenience, `billing-team` and the
handle `@acme/billing-team` are the same team when no other team has that last part.

Whether an owner is *known* (owner/unknown) only makes sense when a directory is configured;
without one every owner is accepted.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbcheck import suggestions
from kbcheck.codeowners import (
    CODEOWNERS_LOCATIONS,
    CodeOwnersError,
    CodeOwnersFile,
    load_codeowners,
    repository_top,
)
from kbcheck.config import Config, ConfigError, OwnerEntry, read_owner_entry
from kbcheck.regular_files import read_named_file

if TYPE_CHECKING:
    from kbcheck.config import Policy
    from kbcheck.corpus import Corpus
    from kbcheck.history import History
    from kbcheck.model import Article

#: The values of `Ownership.source` (and of `owner_source` in the JSON report).
FRONTMATTER = "frontmatter"
CODEOWNERS = "codeowners"
POLICY = "policy"
NONE = "none"


@dataclass(frozen=True)
class Ownership:
    """An article's owners and where they came from. `origin` pins it down for messages
    (".github/CODEOWNERS line 12", "policy billing/**"); it may be set with no owners, when a
    CODEOWNERS line deliberately leaves the path unowned."""

    owners: tuple[str, ...]
    source: str
    origin: str = ""


def owner_key(name: str) -> str:
    """How owners are compared: case-insensitive, a leading `@` ignored."""
    key = name.strip().casefold()
    return key[1:] if key.startswith("@") else key


def is_email(name: str) -> bool:
    local, at, domain = name.strip().partition("@")
    return bool(local and at and domain) and "@" not in domain and " " not in name.strip()


def is_role(name: str) -> bool:
    """A GitLab role such as `@@maintainer`: an owner, but not a person or a team."""
    return name.strip().startswith("@@")


def unique(owners: Iterable[str]) -> list[str]:
    """The owners without repeats (in any spelling), first spelling kept."""
    seen: set[str] = set()
    kept = []
    for owner in owners:
        key = owner_key(owner)
        if key and key not in seen:
            seen.add(key)
            kept.append(owner)
    return kept


# --- the directory ---------------------------------------------------------------------------


@dataclass(eq=False)
class Identity:
    """One person or team with every spelling they go by. Compared by identity: two entries
    are the same owner only when the directory merged them."""

    kind: str  # "person", "team" or "any"
    name: str = ""
    emails: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    left: bool = False
    declared: list[str] = field(default_factory=list)

    @property
    def display(self) -> str:
        """The name reports group this owner under."""
        if self.kind == "person":
            return self.name or (self.emails or self.handles)[0]
        return self.name or (self.handles or self.emails)[0]

    @property
    def spellings(self) -> list[str]:
        return [spelling for spelling in (self.name, *self.emails, *self.handles) if spelling]

    @property
    def git_identities(self) -> list[str]:
        """What git may know this person by: author e-mails and the author name."""
        return [*self.emails, *([self.name] if self.name else [])]


def _compatible(first: str, second: str) -> bool:
    return first == second or "any" in (first, second)


class OwnerDirectory:
    """The known owners. `configured` is False when the configuration lists none at all, in
    which case nobody is unknown."""

    def __init__(self, entries: Iterable[OwnerEntry] = (), configured: bool = False) -> None:
        self.configured = configured
        self.identities: list[Identity] = []
        self._index: dict[str, Identity] = {}
        for entry in entries:
            self._add(entry)
        self._members: dict[int, list[Identity]] = {}
        self._link_teams()
        self._slugs: dict[str, list[Identity]] = {}
        for identity in self.identities:
            for handle in identity.handles:
                key = owner_key(handle)
                if "/" in key:
                    bucket = self._slugs.setdefault(key.rsplit("/", 1)[1], [])
                    if identity not in bucket:
                        bucket.append(identity)

    # building

    def _lookup(self, spellings: Iterable[str], kind: str) -> Identity | None:
        for spelling in spellings:
            found = self._index.get(owner_key(spelling))
            if found is not None and _compatible(found.kind, kind):
                return found
        return None

    def _register(self, identity: Identity) -> None:
        for spelling in identity.spellings:
            self._index.setdefault(owner_key(spelling), identity)

    def _add(self, entry: OwnerEntry) -> Identity:
        spellings = [s for s in (entry.name, *entry.emails, *entry.handles) if s]
        identity = self._lookup(spellings, entry.kind)
        if identity is None:
            identity = Identity(entry.kind, entry.name)
            self.identities.append(identity)
        elif identity.kind == "any":
            identity.kind = entry.kind
        identity.name = identity.name or entry.name
        for target, values in (
            (identity.emails, entry.emails),
            (identity.handles, entry.handles),
            (identity.teams, entry.teams),
            (identity.members, entry.members),
        ):
            target.extend(value for value in values if value not in target)
        identity.left = identity.left or entry.status == "left"
        if entry.declared and entry.declared not in identity.declared:
            identity.declared.append(entry.declared)
        self._register(identity)
        return identity

    def _implied(self, spelling: str, kind: str, declared: str) -> Identity:
        """The identity `spelling` names, created when only a team list or members list
        mentions it."""
        found = self._lookup([spelling], kind)
        if found is not None:
            if found.kind == "any":
                found.kind = kind
            return found
        if kind == "person" and is_email(spelling):
            entry = OwnerEntry("person", emails=(spelling,), declared=declared)
        elif spelling.startswith("@"):
            entry = OwnerEntry(kind, handles=(spelling,), declared=declared)
        else:
            entry = OwnerEntry(kind, name=spelling, declared=declared)
        return self._add(entry)

    def _link_teams(self) -> None:
        for identity in list(self.identities):
            if identity.kind == "person":
                for team_name in identity.teams:
                    team = self._implied(team_name, "team", f"teams of {identity.display}")
                    self._join(team, identity)
            elif identity.kind == "team":
                for member in identity.members:
                    person = self._implied(member, "person", f"members of {identity.display}")
                    self._join(identity, person)

    def _join(self, team: Identity, person: Identity) -> None:
        members = self._members.setdefault(id(team), [])
        if person not in members:
            members.append(person)

    # asking

    def find(self, owner: str) -> Identity | None:
        """The person or team `owner` names, in any of their spellings."""
        key = owner_key(owner)
        if not key:
            return None
        found = self._index.get(key)
        if found is not None:
            return found
        if "/" in key:  # @acme/billing-team for a team declared as billing-team
            found = self._index.get(key.rsplit("/", 1)[1])
            if found is not None and found.kind != "person":
                return found
        candidates = self._slugs.get(key, [])  # billing-team for a team with that handle
        return candidates[0] if len(candidates) == 1 else None

    def members(self, team: Identity) -> list[Identity]:
        return list(self._members.get(id(team), []))

    def same(self, first: str, second: str) -> bool:
        """Whether two spellings name the same owner."""
        one, other = self.find(first), self.find(second)
        if one is not None and other is not None:
            return one is other
        return owner_key(first) == owner_key(second)

    def closest(self, owner: str) -> str | None:
        """The known (and not departed) spelling nearest to `owner`, for a "did you mean"."""
        spellings = {
            owner_key(spelling): spelling
            for identity in self.identities
            if not identity.left
            for spelling in identity.spellings
        }
        wanted = owner_key(owner)
        remaining = dict(spellings)
        for _ in range(3):  # the three nearest, best first
            match = suggestions.closest(wanted, remaining)
            if match is None:
                return None
            if is_email(wanted) and is_email(match):
                # a shared domain makes any two addresses look alike: the person must, too
                mine, theirs = wanted.split("@", 1)[0], match.split("@", 1)[0]
                if difflib.SequenceMatcher(None, mine, theirs).ratio() < 0.6:
                    del remaining[match]
                    continue
            return spellings[match]
        return None

    def canonical(self, owner: str) -> str:
        """The name reports use for `owner`: the directory's name for them, else as written."""
        identity = self.find(owner)
        return identity.display if identity is not None else owner


# --- owners files ----------------------------------------------------------------------------


def ownership_files(root: Path, config: Config) -> list[Path]:
    """Every file `assign_owners` may read under this configuration, whether it exists or
    not: a replayed report (kbcheck/incremental/replay.py) must not outlive a change to one of them.
    Keep in step with `load_directory` and `load_codeowners`."""
    files = []
    if config.owners_file:
        files.append(config.base_dir / config.owners_file)
    if isinstance(config.codeowners, str):
        files.append(config.base_dir / config.codeowners)
    elif config.codeowners:
        top = repository_top(root) or root.resolve()
        files.extend(top / where for where in CODEOWNERS_LOCATIONS)
    return files


def load_directory(config: Config) -> tuple[OwnerDirectory, list[str]]:
    """The directory the configuration describes, and notices about the owners file. A missing
    or malformed owners file is a ConfigError naming the file (and line)."""
    entries: list[OwnerEntry] = [*config.people, *config.teams]
    notices: list[str] = []
    if config.owners_file:
        path = config.base_dir / config.owners_file
        file_entries, file_notices = read_owners_file(path)
        entries += file_entries
        notices += file_notices
    where = config.path.name if config.path else "configuration"
    entries += [_plain_entry(owner, f"owners in {where}") for owner in config.owners]
    configured = bool(config.owners or config.owners_file or config.people or config.teams)
    return OwnerDirectory(entries, configured), notices


def _plain_entry(owner: str, declared: str) -> OwnerEntry:
    """An owner listed by one spelling only: its form says what it is."""
    text = owner.strip()
    if is_email(text):
        return OwnerEntry("person", emails=(text,), declared=declared)
    if text.startswith("@") and "/" in text:
        return OwnerEntry("team", handles=(text,), declared=declared)
    if text.startswith("@"):
        return OwnerEntry("any", handles=(text,), declared=declared)
    return OwnerEntry("any", name=text, declared=declared)


def read_owners_file(path: Path) -> tuple[list[OwnerEntry], list[str]]:
    """People and teams from `owners_file`: YAML (`.yaml`/`.yml`), CSV (`.csv`), anything
    else is read as a CODEOWNERS file (every owner it names is known)."""
    text = read_named_file(
        path,
        ConfigError,
        "cannot read owners file",
        missing="owners file not found (owners_file)",
        encoding="utf-8-sig",
    )
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _yaml_owners(text, path), []
    if suffix == ".csv":
        return _csv_owners(text, path), []
    from kbcheck.codeowners import CodeOwners

    parsed = CodeOwners.parse(text, path.name)
    entries = [
        _plain_entry(owner, path.name) for owner in parsed.named_owners() if not is_role(owner)
    ]
    return entries, list(parsed.notices)


_YAML_SECTIONS = {"people": "person", "teams": "team"}


def _yaml_owners(text: str, path: Path) -> list[OwnerEntry]:
    import yaml  # only for a YAML owners file: a run that parses no article needs no YAML

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"{path}:{where} not valid YAML: {reason}") from None
    except (ValueError, TypeError, AttributeError, OverflowError) as error:  # `2026-02-30`
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'people' and 'teams' lists")
    entries = []
    for key, items in data.items():
        if key not in _YAML_SECTIONS:
            hint = suggestions.suggest(str(key), _YAML_SECTIONS)
            raise ConfigError(
                f"{path}: '{key}' is not a known section{hint} (expected 'people' and 'teams')"
            )
        if not isinstance(items, list):
            raise ConfigError(f"{path}: '{key}' must be a list")
        for index, item in enumerate(items):
            where = f"{key}[{index}]."
            declared = f"{path.name} {key}[{index}]"
            entries.append(read_owner_entry(_YAML_SECTIONS[key], item, path, where, declared))
    return entries


#: CSV columns (case-insensitive) and the entry key each one fills.
_CSV_COLUMNS = {
    "name": "name",
    "email": "email",
    "emails": "email",
    "handle": "handle",
    "handles": "handle",
    "team": "teams",
    "teams": "teams",
    "members": "members",
    "status": "status",
    "kind": "kind",
    "type": "kind",
}
_MULTIPLE = ("email", "handle", "teams", "members")


def _csv_owners(text: str, path: Path) -> list[OwnerEntry]:
    """One row per person (or team, with `kind` = team). Columns other than the known ones
    are ignored, as a people export has many; several teams or e-mails in one cell are
    separated by `|`, or by `;` / `,` when that is not the column separator."""
    try:
        return _csv_rows(text, path)
    except csv.Error as error:
        raise ConfigError(f"{path}: not valid CSV: {error}") from None


def _csv_rows(text: str, path: Path) -> list[OwnerEntry]:
    lines = text.splitlines()
    if not lines:
        return []
    delimiter = max((",", ";", "\t"), key=lines[0].count)
    separators = [mark for mark in ("|", ";", ",") if mark != delimiter]
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().casefold() for cell in next(rows, [])]
    columns = {
        index: _CSV_COLUMNS[name] for index, name in enumerate(header) if name in _CSV_COLUMNS
    }
    if not {"name", "email", "handle"} & set(columns.values()):
        raise ConfigError(f"{path}: line 1: needs a 'name', 'email' or 'handle' column")
    entries = []
    for row in rows:
        number = rows.line_num
        values: dict[str, Any] = {}
        for index, key in columns.items():
            cell = row[index].strip() if index < len(row) else ""
            if not cell:
                continue
            if key in _MULTIPLE:
                for mark in separators:
                    cell = cell.replace(mark, "|")
                values[key] = [part.strip() for part in cell.split("|") if part.strip()]
            else:
                values[key] = cell.casefold() if key in ("status", "kind") else cell
        if not values:
            continue
        kind = values.pop("kind", "person")
        if kind not in ("person", "team"):
            raise ConfigError(f"{path}: line {number}: kind {kind!r} is not person or team")
        values.pop("members" if kind == "person" else "teams", None)
        entries.append(
            read_owner_entry(kind, values, path, f"line {number}: ", f"{path.name} line {number}")
        )
    return entries


# --- resolution ------------------------------------------------------------------------------


def resolve(
    article: Article, codeowners: CodeOwnersFile | None, policy: Policy | None
) -> Ownership:
    """Front matter, else CODEOWNERS, else the policy: the first that names an owner."""
    if article.owners:
        return Ownership(article.owners, FRONTMATTER)
    origin = ""
    if codeowners is not None:
        match = codeowners.owners_of(article.path)
        if match is not None:
            lines = ", ".join(str(line) for line in match.lines)
            origin = (
                f"{codeowners.codeowners.name} line{'s' if len(match.lines) > 1 else ''} {lines}"
            )
            if match.owners:
                return Ownership(match.owners, CODEOWNERS, origin)
    if policy is not None and policy.owner:
        return Ownership(policy.owner, POLICY, "policy " + ", ".join(policy.paths))
    return Ownership((), NONE, origin)


def assign_owners(
    corpus: Corpus, config: Config
) -> tuple[dict[str, Ownership], OwnerDirectory, list[str]]:
    """Every article's owners, resolved once, the directory of known owners, and notices
    (skipped CODEOWNERS lines)."""
    directory, notices = load_directory(config)
    try:
        codeowners = load_codeowners(corpus.root, config.codeowners, config.base_dir)
    except CodeOwnersError as error:
        raise ConfigError(str(error)) from None
    if codeowners is not None:
        notices.extend(codeowners.codeowners.notices)
    ownership = {
        path: resolve(article, codeowners, corpus.policy_for(path))
        for path, article in corpus.articles.items()
    }
    return ownership, directory, notices


def select_owned(corpus: Corpus, name: str) -> tuple[frozenset[str], str | None]:
    """The selected articles `name` owns (`--owner`), and a notice when there are none."""
    directory = corpus.owner_directory or OwnerDirectory()
    owned = frozenset(
        path
        for path in corpus.selected
        if any(directory.same(owner, name) for owner in corpus.ownership_of(path).owners)
    )
    if owned or not corpus.selected:
        return owned, None
    spellings = sorted(
        {owner for path in corpus.selected for owner in corpus.ownership_of(path).owners}
    )
    hint = suggestions.suggest(name, spellings, key=owner_key)
    return owned, f"--owner '{name}' owns none of the checked articles{hint}"


def canonical_owner_names(corpus: Corpus, paths: Iterable[str]) -> dict[str, str]:
    """Each owner spelling used by these articles → the name reports group it under: the
    directory's name for the owner, else one spelling per case-insensitive key (chosen by
    sorting, preferring no `@`, so the choice does not depend on article order)."""
    directory = corpus.owner_directory or OwnerDirectory()
    spellings = {owner for path in paths for owner in corpus.ownership_of(path).owners}
    known = {spelling: directory.find(spelling) for spelling in spellings}
    by_key: dict[str, str] = {}
    for spelling in sorted(spellings, key=lambda text: (text.startswith("@"), text)):
        if known[spelling] is None:
            by_key.setdefault(owner_key(spelling), spelling)
    return {
        spelling: identity.display if identity is not None else by_key[owner_key(spelling)]
        for spelling, identity in known.items()
    }


# --- activity --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityCheck:
    """Whose commits tell whether an owner is active: for a person their own, for a team any
    member's. `people` holds, per person, the spellings git may record them by (author e-mails
    and name); a member who has left has none. `members` names a team's members."""

    owner: str
    kind: str  # "person" or "team"
    people: tuple[tuple[str, ...], ...]
    members: tuple[str, ...] = ()

    def last_commit(self, history: History) -> date | None:
        """The latest commit in the knowledge base by any of the people."""
        dates = [history.last_commit_by(spelling) for person in self.people for spelling in person]
        return max((day for day in dates if day is not None), default=None)


def activity_check(owner: str, directory: OwnerDirectory) -> ActivityCheck | None:
    """How to judge whether `owner` is active, or None when git cannot tell: a role, someone
    who has left (owner/unknown says so), a team without listed members, or a bare name or
    handle the directory does not tie to an e-mail or a person's name. Decided without
    reading git, so the history is read only when someone can be judged."""
    if is_role(owner):
        return None
    identity = directory.find(owner)
    if identity is None:
        return ActivityCheck(owner, "person", ((owner,),)) if is_email(owner) else None
    if identity.left:
        return None
    if identity.kind == "team":
        members = directory.members(identity)
        if not members:
            return None
        people = tuple(() if member.left else tuple(member.git_identities) for member in members)
        return ActivityCheck(owner, "team", people, tuple(m.display for m in members))
    if identity.kind == "any" and not identity.emails:
        return None  # a bare name from `owners`: a team or a person, nobody can tell
    if not identity.git_identities:
        return None  # known by a handle only, which git does not record
    return ActivityCheck(owner, "person", (tuple(identity.git_identities),))
