"""The front-matter keys each site generator's own tooling writes, read when the configured
keys are absent: a docfx knowledge base records its review in `ms.date`, a Docusaurus one in
`last_update.date`, and asking their owners to add a second key beside it would leave two
dates to drift apart.

Order matters: the first key present wins. Owners, by generator:

- docfx: `author` (the GitHub account of the person who owns the page, the identity that
  CODEOWNERS, pull requests and kbcheck's git history know) before `ms.author` (a Microsoft
  alias, which the publishing pipeline requires but nobody outside Microsoft can reach).
- Hugo and Jekyll: `author`, then `authors` (a list; Hugo's default taxonomy).
- Docusaurus: `last_update.author` (the page's own "last updated by"), then `authors`/`author`.

Review intervals: docfx's `ms.update-cycle` (`365-days`). Dates in docfx are written
`MM/DD/YYYY` (`ms.date: 03/14/2025`); the other generators use ISO dates or timestamps.

A key with a dot is first looked up as written (`ms.date` is one key) and then as a path into
nested mappings (`last_update.date`). Hugo reads front-matter keys without regard to case
(`lastMod`), so every convention key is matched that way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: generator -> logical key -> the keys to read when the configured key is absent, in order.
CONVENTIONS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "docfx": {
        "last_reviewed": ("ms.date",),
        "owner": ("author", "ms.author"),
        "review_every": ("ms.update-cycle",),
    },
    "hugo": {"last_reviewed": ("lastmod",), "owner": ("author", "authors")},
    "jekyll": {"last_reviewed": ("last_modified_at",), "owner": ("author", "authors")},
    "docusaurus": {
        "last_reviewed": ("last_update.date",),
        "owner": ("last_update.author", "authors", "author"),
    },
}

#: Date formats a generator's own keys are written in, beyond ISO.
DATE_FORMATS: Mapping[str, tuple[str, ...]] = {"docfx": ("%m/%d/%Y",)}

#: Every convention key for a review date, whatever the generator: `kbcheck verify` updates the
#: one an article already has rather than adding a second date.
REVIEW_DATE_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(key for table in CONVENTIONS.values() for key in table.get("last_reviewed", ()))
)


def fallbacks(generator: str | None) -> dict[str, tuple[str, ...]]:
    """The convention keys in force for a site generator (none for plain folders)."""
    return {logical: keys for logical, keys in CONVENTIONS.get(generator or "", {}).items()}


def date_formats(generator: str | None) -> tuple[str, ...]:
    return DATE_FORMATS.get(generator or "", ())


def lookup(meta: Mapping[str, Any], key: str) -> tuple[str, Any] | None:
    """(the top-level key it was found under, its value) for a convention key, or None.
    Empty values count as absent: an empty `ms.author:` names nobody."""
    found = _get(meta, key)
    if found is None and "." in key:
        parent, _, child = key.partition(".")
        holder = _get(meta, parent)
        if holder is not None and isinstance(holder[1], Mapping):
            inner = _get(holder[1], child)
            if inner is not None:
                found = (f"{holder[0]}.{inner[0]}", inner[1])
    if found is None or found[1] is None or found[1] == "" or found[1] == []:
        return None
    return found


def _get(meta: Mapping[str, Any], key: str) -> tuple[str, Any] | None:
    if key in meta:
        return key, meta[key]
    lowered = key.lower()
    for name, value in meta.items():
        if isinstance(name, str) and name.lower() == lowered:
            return name, value
    return None
