"""When each article last changed in git, and when each author last committed to the knowledge
base, read from ONE `git log` walk over the whole knowledge base.

A knowledge base has thousands of articles and years of history: asking git once per file
would take minutes, so the index streams a single `git log --name-status` (newest first) and
keeps, for every path, the first commit that touched its content. One `git status` call adds
the files that differ from the last commit (modified, staged or untracked): they changed now.

What the index deliberately does not do:
- fail: outside a repository, without a git executable, or when git refuses (for example a
  repository owned by another user), the history is empty and, when git itself failed, a
  notice says why. A knowledge base that is not in git is normal, so that gets no notice.
- trust a shallow clone: the oldest fetched commit of a shallow clone shows every file as
  added, which would make every article look changed on that day. Paths whose last change falls
  on such a boundary commit are left unknown, and one notice tells how to fetch the history.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from kbcheck.incremental.folder import CacheFolder

#: Between fields of the commit header that `git log --format` prints.
_FIELD = "\x1f"
#: Starts each commit header, so a header is never mistaken for a status or a path.
_HEADER_BYTE = b"\x1e"
_LOG_FORMAT = "%x1e%H%x1f%cI%x1f%aI%x1f%aN%x1f%aE"
_STATUS = re.compile(r"^[ACDMRTUXB]\d*$")
#: The `git status` that lists uncommitted files (before the paths it is limited to): the
#: history and `state` ask the same question.
_GIT_STATUS = (
    "--no-optional-locks",
    "status",
    "--porcelain=v1",
    "-z",
    "--untracked-files=all",
    "--no-renames",
    "--",
)
#: Config that would change what `git log` prints; pinned so a user's settings cannot.
_PINNED_CONFIG = (
    "-c",
    "log.showSignature=false",
    "-c",
    "log.follow=false",
    "-c",
    "core.quotePath=false",
)


@dataclass(frozen=True)
class LastChange:
    """The newest commit that changed a file's content, or, when `uncommitted` is set, a file
    that differs from its last commit (modified, staged or untracked): it changed today."""

    committed: date | None
    author_name: str = ""
    author_email: str = ""
    commit: str = ""
    uncommitted: bool = False

    def day(self, today: date) -> date:
        """The day of the change, `today` for uncommitted work."""
        if self.uncommitted or self.committed is None:
            return today
        return self.committed


class History(Protocol):
    """What a rule reads of git's history (see `GitHistory`; rules get a view of it that
    notes each read, `kbcheck.corpus.HistoryView`)."""

    @property
    def in_repository(self) -> bool: ...

    @property
    def shallow(self) -> bool: ...

    def last_change(self, path: str) -> LastChange | None: ...

    def last_commit_by(self, identity: str) -> date | None: ...


class GitHistory:
    """Last change per path (POSIX, relative to the knowledge-base root) and the latest commit
    date per author. Empty when the knowledge base is not in a git repository."""

    def __init__(
        self,
        changes: dict[str, LastChange] | None = None,
        author_activity: dict[str, date] | None = None,
        *,
        in_repository: bool = False,
        shallow: bool = False,
        notices: tuple[str, ...] = (),
    ) -> None:
        self._changes = changes or {}
        self._activity = author_activity or {}
        #: True when the knowledge base is inside a work tree git could read.
        self.in_repository = in_repository
        #: True in a shallow clone (dates beyond the fetched history are unknown).
        self.shallow = shallow
        #: Warnings for the report: a shallow clone, git failing. At most one each.
        self.notices = notices

    def __len__(self) -> int:
        return len(self._changes)

    def last_change(self, path: str) -> LastChange | None:
        """The last change of the file at `path`, or None when git knows nothing usable
        (not in a repository, ignored, or last changed beyond a shallow clone's history)."""
        return self._changes.get(path)

    def last_commit_by(self, identity: str) -> date | None:
        """Author date of the latest commit inside the knowledge base by this person, looked
        up by e-mail or by name (case-insensitive; `Name <mail>` uses the mail), with
        .mailmap applied. None when they never committed here."""
        wanted = identity.strip()
        bracketed = re.search(r"<([^>]+)>", wanted)
        if bracketed:
            wanted = bracketed.group(1)
        return self._activity.get(wanted.strip().casefold())


def state(root: Path) -> str:
    """A digest of what `load_history` reads, from two quick git calls run directly: the
    work tree, whether the clone is shallow (and where it was cut), HEAD, .mailmap and
    `git status`. A run that may replay its last report (kbcheck/incremental/replay.py)
    compares this instead of loading the history: importing GitPython alone would cost it a
    tenth of a second. Equal states give equal histories, as the walk is cached under the same parts
    (see `_cache_key`)."""
    digest = hashlib.blake2b(digest_size=20)

    def run(*arguments: str) -> bytes:
        completed = subprocess.run(
            ["git", *arguments], cwd=root, stdin=subprocess.DEVNULL, capture_output=True
        )
        digest.update(f"{completed.returncode}\0".encode() + completed.stdout + b"\0")
        return completed.stdout

    try:
        where = run(
            "rev-parse",
            "--show-toplevel",
            "--is-shallow-repository",
            "--git-path",
            "shallow",
            "HEAD",
        )
        lines = where.decode("utf-8", "surrogateescape").splitlines()
        if len(lines) >= 3:  # the work tree, "true" or "false", the shallow file
            top = Path(lines[0])
            for extra in (top / ".mailmap", top / IGNORE_REVS_FILE, root / lines[2]):
                with contextlib.suppress(OSError):
                    digest.update(extra.read_bytes())
                digest.update(b"\0")
        run(*_GIT_STATUS, ".")
    except OSError as error:  # no git executable, or the root vanished
        digest.update(f"unavailable: {type(error).__name__}".encode())
    return digest.hexdigest()


#: A commit that changes more articles than this is maintenance (a front-matter key removed
#: from every page, a reformat), not an edit of each: see `_LogWalker`.
DEFAULT_BULK_COMMIT = 100
#: Commits GitHub and `git blame` treat as maintenance, listed by the repository itself.
IGNORE_REVS_FILE = ".git-blame-ignore-revs"
_ARTICLE_SUFFIXES = (b".md", b".markdown", b".mdx")


def load_history(
    root: Path, cache: CacheFolder | None = None, bulk_commit: int = DEFAULT_BULK_COMMIT
) -> GitHistory:
    """The history of the knowledge base at `root`, from one `git log` and one `git status`.
    Never raises for a missing or unusable repository: it returns an empty history. With a
    `cache`, the walk is reused while HEAD (and .mailmap) stay the same: a re-run then costs
    two quick git calls instead of reading years of history. Commits listed in
    `.git-blame-ignore-revs`, and commits changing more than `bulk_commit` articles (0: no
    limit), are not edits of the articles they touch."""
    try:
        import git
    except ImportError:  # GitPython raises this when no git executable can be found
        return GitHistory(notices=("git is not installed: articles have no git dates",))

    root = root.resolve()
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return GitHistory()
    try:
        with repo:
            return _read(repo, root, cache, bulk_commit)
    except git.GitCommandError as error:
        return GitHistory(notices=(f"git failed, so articles have no git dates: {_reason(error)}",))
    except (OSError, ValueError) as error:
        return GitHistory(notices=(f"cannot read git history: {error}",))


def _reason(error: Any) -> str:
    stderr = getattr(error, "stderr", "") or ""
    text = stderr if isinstance(stderr, str) else stderr.decode("utf-8", "replace")
    for line in text.splitlines():
        line = line.strip().removeprefix("stderr:").strip().strip("'").strip()
        if line:
            return line.removeprefix("fatal: ")
    return str(error).splitlines()[0]


def _read(
    repo: Any, root: Path, cache: CacheFolder | None = None, bulk_commit: int = 0
) -> GitHistory:
    if repo.bare or repo.working_tree_dir is None:
        return GitHistory()
    top = Path(repo.working_tree_dir).resolve()
    try:
        prefix = root.relative_to(top).as_posix()
    except ValueError:
        return GitHistory()
    prefix = "" if prefix == "." else prefix
    pathspec = [f":(top,literal){prefix}"] if prefix else []

    head = repo.git.execute(
        ["git", "rev-parse", "--verify", "--quiet", "HEAD"], with_exceptions=False
    )
    boundaries = _shallow_boundaries(repo)
    ignored = _ignored_revisions(top)
    walker = _LogWalker(boundaries, ignored, bulk_commit)
    key = _cache_key(head, prefix, boundaries, top, ignored, bulk_commit)
    walk = bool(head) and not (cache is not None and _restore(cache, key, walker))
    notices: list[str] = []
    if walk:  # a repository without commits has no history yet, only untracked files
        # `--relative=<folder>/` limits each diff to the knowledge base and prints paths
        # relative to it. It is about twice as fast as a pathspec, which would make git
        # compare every commit with its parent twice (once to keep it, once to list it).
        relative = [f"--relative={prefix}/"] if prefix else []
        command = [
            "git",
            *_PINNED_CONFIG,
            "log",
            "-z",
            "--date-order",
            "--name-status",
            "-M",
            "--no-color",
            *relative,
            f"--format={_LOG_FORMAT}",
        ]
        try:
            repo.git.execute(command, output_stream=walker, stdout_as_string=False)
        except Exception as error:  # GitCommandError: an object rename detection must read
            if type(error).__name__ != "GitCommandError":
                raise
            # Rename detection reads the content of old and new blobs; a clone missing one
            # (a partial clone, a broken object) fails on it, while the plain walk does not.
            walker = _LogWalker(boundaries, ignored, bulk_commit)
            command[command.index("-M")] = "--no-renames"  # diff.renames is on by default
            repo.git.execute(command, output_stream=walker, stdout_as_string=False)
            notices.append(
                f"git could not detect renames ({_reason(error)}); git dates were read "
                "without following renamed files"
            )
            walk = False  # not kept: the next run tries rename detection again
    walker.finish()
    if walk and cache is not None:
        _store(cache, key, walker)
    changes = walker.changes
    for path in _uncommitted(repo, prefix, pathspec):
        changes[path] = LastChange(None, uncommitted=True)

    if boundaries:
        unknown = walker.beyond_boundary
        counted = f" ({unknown} files last changed before the fetched history have no git date)"
        notices.append(
            "this is a shallow git clone, so git dates are unreliable"
            + (counted if unknown else "")
            + ": fetch the full history with `git fetch --unshallow` "
            "(in GitHub Actions: actions/checkout with `fetch-depth: 0`)",
        )
    return GitHistory(
        changes,
        walker.author_activity,
        in_repository=True,
        shallow=bool(boundaries),
        notices=tuple(notices),
    )


def _ignored_revisions(top: Path) -> frozenset[str]:
    """The commits `.git-blame-ignore-revs` lists (full object names; `#` starts a comment)."""
    try:
        text = (top / IGNORE_REVS_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    found = set()
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if len(word) in (40, 64) and all(char in "0123456789abcdef" for char in word):
            found.add(word)
    return frozenset(found)


_CACHE_DOCUMENT = "git-history.json"
_CACHE_VERSION = 2


def _cache_key(
    head: str,
    prefix: str,
    boundaries: frozenset[str],
    top: Path,
    ignored: frozenset[str] = frozenset(),
    bulk_commit: int = 0,
) -> str:
    """What the walk depends on: the commit, the folder, the shallow boundary, .mailmap
    (which maps author names and e-mails) and what counts as maintenance."""
    digest = hashlib.blake2b(digest_size=16)
    parts = (head.strip(), prefix, *sorted(boundaries), _LOG_FORMAT, *_PINNED_CONFIG)
    for part in (*parts, f"bulk {bulk_commit}", *sorted(ignored)):
        digest.update(part.encode("utf-8") + b"\0")
    try:
        digest.update((top / ".mailmap").read_bytes())
    except OSError:
        digest.update(b"no .mailmap")
    return digest.hexdigest()


def _restore(cache: CacheFolder, key: str, walker: _LogWalker) -> bool:
    document = cache.read_json(_CACHE_DOCUMENT, _CACHE_VERSION)
    if document is None or document.get("key") != key:
        return False
    try:
        changes = {
            path: LastChange(date.fromisoformat(day) if day else None, name, email, commit, False)
            for path, (day, name, email, commit) in document["changes"].items()
        }
        activity = {who: date.fromisoformat(day) for who, day in document["activity"].items()}
        beyond = int(document["beyond_boundary"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    walker.changes.update(changes)
    walker.author_activity.update(activity)
    walker.beyond_boundary = beyond
    return True


def _store(cache: CacheFolder, key: str, walker: _LogWalker) -> None:
    document = {
        "key": key,
        "changes": {
            path: [
                change.committed.isoformat() if change.committed else None,
                change.author_name,
                change.author_email,
                change.commit,
            ]
            for path, change in walker.changes.items()
        },
        "activity": {who: day.isoformat() for who, day in walker.author_activity.items()},
        "beyond_boundary": walker.beyond_boundary,
    }
    with contextlib.suppress(OSError):  # a read-only checkout: no cache, same answer
        cache.write_json(_CACHE_DOCUMENT, _CACHE_VERSION, document)


def _shallow_boundaries(repo: Any) -> frozenset[str]:
    """The commits a shallow clone was cut at (empty in a full clone)."""
    shallow = repo.git.execute(["git", "rev-parse", "--is-shallow-repository"]).strip()
    if shallow != "true":
        return frozenset()
    # Relative to the work tree on older git; `/` keeps an absolute answer as it is.
    path = Path(repo.working_tree_dir) / repo.git.execute(
        ["git", "rev-parse", "--git-path", "shallow"]
    )
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return frozenset({"?"})  # shallow, but the boundary list is unreadable
    return frozenset(line.strip() for line in text.splitlines() if line.strip()) or frozenset({"?"})


def _uncommitted(repo: Any, prefix: str, pathspec: list[str]) -> Iterator[str]:
    """Paths (relative to the knowledge base) that differ from HEAD, untracked ones included."""
    output = repo.git.execute(
        ["git", *_GIT_STATUS, *pathspec],
        stdout_as_string=False,
        strip_newline_in_stdout=False,
    )
    for entry in output.split(b"\0"):
        if len(entry) < 4:
            continue
        state, raw_path = entry[:2], entry[3:]
        if b"D" in state and b"?" not in state:
            continue  # deleted: there is no article left to date
        relative = _relative(raw_path, prefix)
        if relative is not None:
            yield relative


def _relative(raw_path: bytes, prefix: str) -> str | None:
    path = raw_path.decode("utf-8", "surrogateescape")
    if not prefix:
        return path
    if path.startswith(prefix + "/"):
        return path[len(prefix) + 1 :]
    return None


class _LogWalker:
    """Consumes the NUL-separated output of `git log -z --name-status` as it streams in.

    Newest commits come first and no parent before its children (`--date-order`), so the first
    commit seen for a path is its last change. A pure rename (similarity 100%) is not a change
    of content: older commits of the old name then count for the new one.

    A maintenance commit (listed in `ignored`, or changing more than `bulk_commit` articles)
    changes nobody's answer: its modifications are skipped and its renames count as pure, so
    the commit before it dates each page. Files it adds are still dated by it (there is no
    older change to fall back on). A commit's entries are kept until its last one is read, as
    only then is its size known.
    """

    def __init__(
        self,
        boundaries: frozenset[str],
        ignored: frozenset[str] = frozenset(),
        bulk_commit: int = 0,
    ) -> None:
        self.boundaries = boundaries
        self.ignored = ignored
        self.bulk_commit = bulk_commit
        self._entries: list[tuple[str, list[bytes]]] = []
        self._maintenance = False
        #: Commits not counted as edits, for the report's note on where dates come from.
        self.maintenance_commits = 0
        self.changes: dict[str, LastChange] = {}
        self.author_activity: dict[str, date] = {}
        self.beyond_boundary = 0
        self._renamed_to: dict[str, str] = {}  # older name -> the current path
        self._moved: dict[str, LastChange] = {}  # renamed, content change not found yet
        self._settled: set[str] = set()  # paths whose answer is final (dated or unknown)
        self._commit: LastChange | None = None
        self._authored = date.min
        self._counted = False  # whether this commit's author activity is recorded
        self._at_boundary = False
        self._status = ""
        self._paths: list[bytes] = []
        self._wanted = 0
        self._rest = b""

    # `output_stream` protocol: GitPython copies git's stdout here chunk by chunk.
    def write(self, chunk: bytes) -> int:
        data = self._rest + chunk
        tokens = data.split(b"\0")
        self._rest = tokens.pop()
        for token in tokens:
            self._token(token)
        return len(chunk)

    def flush(self) -> None:
        """Part of the stream protocol; nothing is buffered beyond one partial token."""

    def finish(self) -> None:
        if self._rest:
            self._token(self._rest)
            self._rest = b""
        self._flush()
        for path, change in self._moved.items():
            # A rename whose older content change lies outside the walk (history cut
            # short by a path limit or a shallow boundary): the rename is the best we know.
            if path not in self._settled:
                self.changes[path] = change

    def _token(self, token: bytes) -> None:
        if self._wanted:
            self._paths.append(token)
            self._wanted -= 1
            if not self._wanted:
                self._entry(self._status, self._paths)
            return
        if token[:1] == b"\n":
            token = token[1:]
        if token[:1] == _HEADER_BYTE:
            self._header(token[1:].decode("utf-8", "replace"))
            return
        status = token.decode("ascii", "replace")
        if _STATUS.match(status):
            self._status = status
            self._paths = []
            self._wanted = 2 if status[0] in "RC" else 1

    def _header(self, text: str) -> None:
        self._flush()
        fields = text.split(_FIELD)
        if len(fields) < 5:
            self._commit = None
            return
        sha, committed, authored, name, email = fields[:5]
        try:
            committed_day = date.fromisoformat(committed[:10])
            authored_day = date.fromisoformat(authored[:10])
        except ValueError:
            self._commit = None
            return
        self._commit = LastChange(committed_day, name, email, sha)
        self._authored = authored_day
        self._counted = False
        self._at_boundary = sha in self.boundaries
        self._maintenance = sha.lower() in self.ignored

    def _count_author(self) -> None:
        """Only commits that change something in the knowledge base count as activity."""
        assert self._commit is not None
        self._counted = True
        for identity in (self._commit.author_name, self._commit.author_email):
            key = identity.strip().casefold()
            if key and self._authored > self.author_activity.get(key, date.min):
                self.author_activity[key] = self._authored

    def _entry(self, status: str, paths: list[bytes]) -> None:
        if self._commit is None:
            return
        self._entries.append((status, paths))

    def _flush(self) -> None:
        """Apply the entries of the commit just read, now that its size is known."""
        entries, self._entries = self._entries, []
        if not entries or self._commit is None:
            return
        if not self._maintenance and self.bulk_commit:
            articles = sum(
                1 for _, paths in entries if paths[-1].lower().endswith(_ARTICLE_SUFFIXES)
            )
            self._maintenance = articles > self.bulk_commit
        if self._maintenance:
            self.maintenance_commits += 1
        for status, paths in entries:
            self._apply(status, paths)

    def _apply(self, status: str, paths: list[bytes]) -> None:
        if not self._counted:
            self._count_author()
        names = [path.decode("utf-8", "surrogateescape") for path in paths]
        if status[0] == "D":  # older changes belong to a file that is gone
            self._settled.add(self._renamed_to.get(names[0], names[0]))
            return
        if self._maintenance and status[0] in "RMT":
            status = "R100" if status[0] == "R" else ""
            if not status:
                return  # maintenance: the older commit dates the content
        if status == "R100":
            old, new = names
            current = self._renamed_to.get(new, new)
            self._renamed_to[old] = current
            assert self._commit is not None
            self._moved.setdefault(current, self._commit)
            return
        self._record(self._renamed_to.get(names[-1], names[-1]))

    def _record(self, current: str) -> None:
        if current in self._settled:
            return
        self._settled.add(current)
        assert self._commit is not None
        if self._at_boundary:
            self.beyond_boundary += 1  # unknown: the true change may be much older
            return
        self.changes[current] = self._commit
