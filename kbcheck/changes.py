"""`--changed-since REF`: which articles a pull request touched, and which untouched articles
link to them (a renamed heading or a deleted page breaks pages nobody edited). On those
unchanged articles only the findings on such links are the change's doing (`Scope.caused`).

Two git calls whatever the size of the knowledge base: one diff from the merge base of REF and
HEAD to the working tree (commits since the branch point, staged and unstaged edits, renames),
and one listing of untracked files. Links are resolved by `kbcheck.link_targets`, the same
code the link rules use, so "points at" means the same thing in both places.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kbcheck.corpus import Corpus
from kbcheck.link_targets import INTERNAL, article_links, resolve
from kbcheck.model import Finding

if TYPE_CHECKING:
    from git import GitCommandError

#: Pages a link to a folder lands on, as the link rules resolve them.
FOLDER_INDEXES = ("index.md", "README.md", "index.markdown", "readme.md")


class ChangesError(Exception):
    """The ref or the repository cannot be used; the message is one line."""


@dataclass(frozen=True)
class Changes:
    """Paths relative to the knowledge-base root. `gone` holds deleted files and the old
    names of renamed ones: links to them are what a change breaks."""

    changed: frozenset[str]
    gone: frozenset[str]

    @property
    def touched(self) -> frozenset[str]:
        return self.changed | self.gone


def work_tree_prefix(root: Path) -> str | None:
    """The knowledge-base root relative to the top of its git work tree ("" at the top), or
    None outside a repository. Looks for `.git` on disk: no subprocess."""
    resolved = root.resolve()
    for folder in (resolved, *resolved.parents):
        if (folder / ".git").exists():
            relative = resolved.relative_to(folder).as_posix()
            return "" if relative == "." else relative
    return None


def changed_files(root: Path, ref: str) -> Changes:
    import git  # gitpython costs a tenth of a second to import: only for --changed-since

    if not ref.strip() or ref.startswith("-"):
        raise ChangesError(f"--changed-since: '{ref}' is not a git ref")
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ChangesError(
            f"--changed-since needs a git repository, and {root} is not in one"
        ) from None
    if repo.working_tree_dir is None:
        raise ChangesError(f"--changed-since: {root} is in a bare repository")
    top = Path(repo.working_tree_dir).resolve()
    try:
        prefix = root.resolve().relative_to(top).as_posix()
    except ValueError:
        raise ChangesError(f"--changed-since: {root} is outside the work tree {top}") from None
    prefix = "" if prefix == "." else prefix
    try:
        diff = repo.git.diff(
            "--merge-base",
            ref,
            "--name-status",
            "-z",
            "-M",
            "--no-color",
            "--ignore-submodules",
            "--",
        )
        untracked = repo.git.ls_files(
            "--others", "--exclude-standard", "-z", "--", f":(literal){prefix or '.'}"
        )
    except git.GitCommandError as error:
        raise ChangesError(_describe_git_error(ref, error)) from None
    finally:
        repo.close()
    changed, gone = _parse_name_status(diff)
    changed.update(name for name in untracked.split("\0") if name)
    return Changes(
        changed=frozenset(_under(changed, prefix)),
        gone=frozenset(_under(gone, prefix)),
    )


def _missing_ref(ref: str) -> str:
    """The most likely first CI error, with the fetch that fixes it."""
    remote, slash, branch = ref.partition("/")
    fetch = f"git fetch {remote} {branch}" if slash and branch else f"git fetch origin {ref}"
    return (
        f"--changed-since: this clone has no commit '{ref}'; fetch it first ({fetch}), "
        "or with actions/checkout set fetch-depth: 0"
    )


def _describe_git_error(ref: str, error: GitCommandError) -> str:
    stderr = str(error.stderr or "").strip().strip("'").strip()
    detail = next((line for line in stderr.splitlines() if line.strip()), "git failed")
    detail = detail.removeprefix("stderr: ").strip().strip("'")
    if "bad revision" in detail or "unknown revision" in detail or "bad object" in detail:
        return _missing_ref(ref)
    if "no merge base" in detail:
        hint = " (a shallow clone? fetch the full history, e.g. actions/checkout fetch-depth: 0)"
    else:
        hint = ""
    return f"--changed-since: cannot compare with '{ref}': {detail}{hint}"


def _parse_name_status(output: str) -> tuple[set[str], set[str]]:
    """`git diff --name-status -z`: status, then one path (two for renames and copies)."""
    fields = output.split("\0")
    changed: set[str] = set()
    gone: set[str] = set()
    index = 0
    while index < len(fields):
        status = fields[index]
        if not status:
            index += 1
            continue
        kind = status[0]
        if kind in "RC":
            old, new = fields[index + 1], fields[index + 2]
            changed.add(new)
            if kind == "R":
                gone.add(old)
            index += 3
            continue
        path = fields[index + 1]
        (gone if kind == "D" else changed).add(path)
        index += 2
    return changed, gone


def _under(paths: Iterable[str], prefix: str) -> Iterable[str]:
    if not prefix:
        yield from paths
        return
    for path in paths:
        if path.startswith(prefix + "/"):
            yield path[len(prefix) + 1 :]


def _landing_paths(touched: Iterable[str]) -> set[str]:
    """Every way a link can name a touched file, folder indexes included."""
    names: set[str] = set()
    for path in touched:
        names.add(path)
        folder, name = posixpath.split(path)
        if name in FOLDER_INDEXES:
            names.add(folder)
    return names


@dataclass(frozen=True)
class Scope:
    """What `--changed-since` reports on. Changed articles keep every finding; an unchanged
    article is in scope only for its links into touched files, so `linking` maps it to the
    (line, column) of those links: a pull request must not fail for its old problems."""

    changed: frozenset[str]
    linking: Mapping[str, frozenset[tuple[int, int]]]

    @property
    def articles(self) -> frozenset[str]:
        return self.changed | self.linking.keys()

    def caused(self, finding: Finding) -> bool:
        """Whether the change can have caused the finding: anything on a changed article,
        and on an unchanged one a link rule's finding on a link into a touched file."""
        if finding.path not in self.linking:
            return True
        if not finding.rule.startswith(LINK_FAMILY):
            return False
        positions = self.linking[finding.path]
        if finding.column is None:
            return any(line == finding.line for line, _ in positions)
        return (finding.line or 0, finding.column) in positions


#: The rules whose findings on an unchanged article a change can cause.
LINK_FAMILY = "links/"


def articles_in_scope(corpus: Corpus, changes: Changes, site_url: str | None) -> Scope:
    """The changed articles, and every unchanged article with a link into a touched file
    together with where those links are."""
    changed = frozenset(path for path in changes.changed if path in corpus.articles)
    targets = _landing_paths(changes.touched)
    linking: dict[str, frozenset[tuple[int, int]]] = {}
    site = corpus.site
    for article in corpus:
        if article.path in changed:
            continue
        positions: set[tuple[int, int]] = set()
        if site is not None:  # URLs name files only through the site's table
            for resolved in article_links(article, corpus, site_url, "file", site):
                located, path = resolved.located, resolved.target.path
                if (located is not None and located.file in changes.touched) or (
                    path is not None and not resolved.target.rooted and path.rstrip("/") in targets
                ):
                    positions.add((resolved.link.line, resolved.link.column))
        else:
            for link in article.links:
                target = resolve(link.target, article.path, site_url)
                if target.kind != INTERNAL or not target.path:
                    continue
                if target.path.rstrip("/") in targets:
                    positions.add((link.line, link.column))
        if positions:
            linking[article.path] = frozenset(positions)
    return Scope(changed, linking)
