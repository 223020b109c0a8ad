"""The `.kbcheck-cache/` folder: results worth keeping between runs, safe to delete at any time.

Only the folder handling lives here (where it is, keeping git and backup tools out of it,
reading and writing JSON documents atomically); what goes into a document is the business of
the module that owns it (`external_links.py` keeps its link verdicts here). A cache can never
be trusted: a document that is missing, truncated, not JSON or of another version is simply
ignored, never an error.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

# orjson reads and writes the cache several times faster than the standard library, which is
# most of a warm run on a large knowledge base.
import orjson

CACHE_FOLDER_NAME = ".kbcheck-cache"

_GITIGNORE = "# Created by kbcheck: results cached between runs; safe to delete.\n*\n"
# https://bford.info/cachedir/ : backup tools skip folders holding this file.
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by kbcheck.\n"
)


class CacheFolder:
    """One cache folder. Nothing is created until the first write."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_root(cls, root: Path, configured: Path | None = None) -> CacheFolder:
        """The configured `cache_dir`, else `.kbcheck-cache/` in the knowledge-base root."""
        return cls(configured if configured is not None else root / CACHE_FOLDER_NAME)

    def read_json(self, name: str, version: int) -> dict[str, Any] | None:
        """The document `name` if it exists, parses and has this `version`; else None."""
        try:
            data = orjson.loads((self.path / name).read_bytes())
        except (OSError, orjson.JSONDecodeError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("version") != version:
            return None
        return data

    def write_json(self, name: str, version: int, data: dict[str, Any]) -> None:
        """Replace the document atomically, so a crash or a parallel run never leaves half a
        file behind. Raises OSError when the folder cannot be written."""
        self._ensure()
        document = {"version": version, **data}
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
