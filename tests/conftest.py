"""Shared test helpers: small knowledge bases written into a temporary folder."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kbcheck.config import find_config, load_config
from kbcheck.engine import LintOptions, LintResult, lint
from tests.git_repo import GitRepo

#: The date fixtures run at unless their kbcheck.toml pins another.
FIXTURE_TODAY = date(2026, 6, 1)
_FILE_HEADER = re.compile(r"^==> (.+?) <==$", re.MULTILINE)
_RAW_BYTE = re.compile(rb"\\x([0-9a-fA-F]{2})")
_LOG_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(.+?)\s*<([^>]+)>\s*$")
#: The name of a fixture's (or a rule Example's) git history: see `build_history`.
HISTORY_FILE = "git-log.txt"
HISTORY_EXAMPLE = "git log"


@pytest.fixture(autouse=True, scope="session")
def _own_user_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """kbcheck keeps a per-user secret in $XDG_CACHE_HOME (see kbcheck/replay.py): the tests
    use one of their own, not the developer's (child processes inherit it)."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def split_example(text: str, default_name: str = "article.md") -> dict[str, bytes]:
    """A rule docs' Example as files: `==> path <==` lines separate files (as `head` prints
    them) and `\\xNN` stands for a raw byte, so an example can show invalid UTF-8."""
    parts = _FILE_HEADER.split(text)
    files: dict[str, str] = {}
    if parts[0].strip():
        files[default_name] = parts[0]
    for name, content in zip(parts[1::2], parts[2::2], strict=True):
        files[name.strip()] = content.lstrip("\n")
    return {
        name: _RAW_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), content.encode("utf-8"))
        for name, content in files.items()
    }


def build_history(root: Path, log: str) -> GitRepo:
    """Make the folder `root` a git repository with the history `log` describes: one line per
    commit, `YYYY-MM-DD Name <email>`, newest first as `git log` lists them. The oldest commit
    adds every file; each later one adds a line to `activity.log`, so each listed author has
    changed something in the knowledge base on that day."""
    commits = []
    for line in log.splitlines():
        if not line.strip():
            continue
        match = _LOG_LINE.match(line.strip())
        if match is None:
            raise ValueError(f"not a history line (YYYY-MM-DD Name <email>): {line!r}")
        commits.append((date.fromisoformat(match[1]), match[2], match[3]))
    repo = GitRepo(root)
    activity = ""
    for index, (day, author, email) in enumerate(reversed(commits)):
        files = None
        if index:
            activity += f"{day.isoformat()} {author}\n"
            files = {"activity.log": activity}
        repo.commit(day, files, author=author, email=email)
    return repo


def run_kb(root: Path, **options: object) -> LintResult:
    """Lint a folder with its own kbcheck.toml (if any), at FIXTURE_TODAY unless pinned.

    Review dates come from the front matter only: the commits `build_history` makes for a
    fixture say who was active (owner/inactive), not when articles were reviewed. Git dates
    are tested on repositories built for the purpose (tests/test_history.py)."""
    config = load_config(find_config(root) if (root / "kbcheck.toml").exists() else None)
    config = dataclasses.replace(config, age_source="frontmatter")
    if "today" not in options and config.today is None:
        options["today"] = FIXTURE_TODAY
    options.setdefault("cache", False)  # fixtures are parsed every time, never left a cache
    return lint([root], config, LintOptions(**options))  # type: ignore[arg-type]


@pytest.fixture
def kb(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "kb", files)

    return make
