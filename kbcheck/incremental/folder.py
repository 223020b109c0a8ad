"""The `.kbcheck-cache/` folder: results worth keeping between runs, safe to delete at any time.

Only the folder handling lives here (where it is, keeping git and backup tools out of it,
reading and writing JSON documents atomically); what goes into a document is the business of
the module that owns it (`external_links.py` keeps its link verdicts here). A cache can never
be trusted: a document that is missing, truncated, not JSON or of another version is simply
ignored, never an error.

A cache folder can also arrive in a pull request that commits one, made to order: parsed
articles without their broken links, fresh review dates, a replayed report with no findings.
So every document carries a tag made with a secret of this machine (kept in the user's cache
folder, outside any repository), and a document without the right tag is ignored: only what
this machine wrote is ever read back.

The one exception is a folder the user vouches for on the command line (`--cache-dir` or
`KBCHECK_CACHE_DIR`) outside the repository: a CI platform's cache restored there was written
by the user's own trusted jobs (see SECURITY.md), so its documents are read whatever machine
wrote them; they are still parsed as JSON and checked field by field like any other.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# orjson reads and writes the cache several times faster than the standard library, which is
# most of a warm run on a large knowledge base.
import orjson

from kbcheck.regular_files import read_regular_file

CACHE_FOLDER_NAME = ".kbcheck-cache"

_GITIGNORE = "# Created by kbcheck: results cached between runs; safe to delete.\n*\n"
# https://bford.info/cachedir/ : backup tools skip folders holding this file.
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by kbcheck.\n"
)


class CacheFolder:
    """One cache folder. Nothing is created until the first write. `vouched`: the user named
    it as trusted (see module doc), so documents another machine wrote are read too."""

    def __init__(self, path: Path, vouched: bool = False) -> None:
        self.path = path
        self.vouched = vouched
        #: Documents well formed and of this version that were ignored because another
        #: machine wrote them: a cache restored on a new CI runner without being vouched for.
        self.foreign = 0

    @classmethod
    def for_root(cls, root: Path, configured: Path | None = None) -> CacheFolder:
        """The configured `cache_dir`, else `.kbcheck-cache/` in the knowledge-base root."""
        return cls(configured if configured is not None else root / CACHE_FOLDER_NAME)

    def read_json(self, name: str, version: int) -> dict[str, Any] | None:
        """The document `name` if it exists, parses, has this `version` and was written on
        this machine; else None."""
        tag = _machine_tag(name)
        if tag is None:
            return None
        try:
            data = orjson.loads((self.path / name).read_bytes())
        except (OSError, orjson.JSONDecodeError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("version") != version:
            return None
        if not hmac.compare_digest(str(data.pop("machine", "")), tag) and not self.vouched:
            self.foreign += 1
            return None
        return data

    def write_json(self, name: str, version: int, data: dict[str, Any]) -> None:
        """Replace the document atomically, so a crash or a parallel run never leaves half a
        file behind. Raises OSError when the folder cannot be written (or no machine secret
        can be kept: then nothing would ever be read back)."""
        tag = _machine_tag(name)
        if tag is None:
            raise OSError("no machine secret for the cache (is the home folder writable?)")
        self._ensure()
        document = {"version": version, **data, "machine": tag}
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=self.path)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(orjson.dumps(document, option=orjson.OPT_SORT_KEYS))
            os.replace(temporary, self.path / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _ensure(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        for name, content in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            marker = self.path / name
            if not marker.exists():
                marker.write_text(content, encoding="utf-8")


def inside_repository(path: Path, root: Path) -> bool:
    """Whether `path` is in the knowledge-base root or in the git work tree that holds it:
    there a pull request could commit files, so a folder there is never vouched for."""
    where = path.resolve()
    tops = [root.resolve()]
    for folder in (tops[0], *tops[0].parents):
        if (folder / ".git").exists():
            tops.append(folder)
            break
    return any(where == top or top in where.parents for top in tops)


def source_digest(files: Iterable[str | Path]) -> str:
    """A digest of the source files a cached result was computed by: editing the code drops
    what the old code computed, even if nobody bumps a version. A file that cannot be read
    counts by its name."""
    digest = hashlib.blake2b(digest_size=20)
    for file in files:
        try:
            digest.update(Path(file).read_bytes())
        except OSError:
            digest.update(str(file).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def names_digest(names: Iterable[str]) -> str:
    """A digest of a set of names (file paths), in whatever order they come: the replay key,
    the rule findings and the "did you mean" answers each depend on the files under the
    root."""
    joined = "\0".join(sorted(names))  # a path has no NUL
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


SECRET_NAME = "cache-secret"


def _machine_tag(name: str) -> str | None:
    secret = machine_secret()
    if secret is None:
        return None
    return hashlib.blake2b(name.encode("utf-8"), key=secret, digest_size=16).hexdigest()


def machine_secret() -> bytes | None:
    """32 random bytes kept in the user's cache folder ($XDG_CACHE_HOME/kbcheck, else
    ~/.cache/kbcheck), made on first use and readable by its owner only; None when it can be
    neither read nor made."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return _secret_at(os.path.join(base, "kbcheck", SECRET_NAME))


@functools.lru_cache(maxsize=4)
def _secret_at(where: str) -> bytes | None:
    path = Path(where)
    try:
        secret = read_regular_file(path, 64)
    except FileNotFoundError:
        secret = b""
    except OSError:
        return None
    if len(secret) == 32:
        return secret
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_bytes(32)
        # Made whole or not at all (mkstemp: mode 0600); a damaged one is replaced.
        handle, temporary = tempfile.mkstemp(prefix=f".{SECRET_NAME}.", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(fresh)
        os.replace(temporary, path)
    except OSError:
        return None
    return fresh
