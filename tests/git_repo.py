"""Real git repositories for tests, with commits at chosen dates and by chosen authors.

Git runs with the user's and the system's configuration switched off, so a global setting
(signing, hooks, a default branch name) cannot change what the tests see.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

ISOLATED = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}


def run_git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **ISOLATED, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {completed.stderr}")
    return completed.stdout


class GitRepo:
    """A work tree in `path`; `commit` writes files and commits them on a given day."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        run_git(path, "init", "-q", "-b", "main")

    def write(self, files: dict[str, str]) -> None:
        for relative, content in files.items():
            target = self.path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")

    def commit(
        self,
        day: date,
        files: dict[str, str] | None = None,
        *,
        message: str = "change",
        author: str = "Ana Lopez",
        email: str = "ana@example.com",
        moves: dict[str, str] | None = None,
        removals: tuple[str, ...] = (),
    ) -> str:
        for old, new in (moves or {}).items():
            (self.path / new).parent.mkdir(parents=True, exist_ok=True)
            run_git(self.path, "mv", old, new)
        for removed in removals:
            run_git(self.path, "rm", "-q", removed)
        if files:
            self.write(files)
        run_git(self.path, "add", "-A")
        stamp = f"{day.isoformat()}T12:00:00+00:00"
        run_git(
            self.path,
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
            env={
                "GIT_AUTHOR_NAME": author,
                "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": author,
                "GIT_COMMITTER_EMAIL": email,
                "GIT_AUTHOR_DATE": stamp,
                "GIT_COMMITTER_DATE": stamp,
            },
        )
        return run_git(self.path, "rev-parse", "HEAD").strip()

    def shallow_clone(self, target: Path, depth: int = 1) -> Path:
        run_git(
            self.path.parent,
            "clone",
            "-q",
            "--depth",
            str(depth),
            "--no-local",
            f"file://{self.path}",
            str(target),
        )
        return target


def article(reviewed: date | None = None, owner: str = "support-team") -> str:
    """A small article; without `reviewed` it has no review date in its front matter."""
    lines = ["---", "title: Article", f"owner: {owner}"]
    if reviewed is not None:
        lines.append(f"last_reviewed: {reviewed.isoformat()}")
    return "\n".join([*lines, "---", "# Article", "", "Text.", ""])
