"""Redirects the static host serves beside a generated site: `vercel.json` `redirects`,
Netlify's `_redirects` file (in a folder published at the root) and `netlify.toml`
`[[redirects]]`.

A docs site that renames pages keeps the old URLs working there, not in the generator, so a
link to an old URL works on the published site (`links/redirected`, not a broken link).
Sources: Vercel "Project configuration" (`redirects`: `source`, `destination`), Netlify
"Redirects and rewrites" (`_redirects`: `from to [status]` per line; `netlify.toml`:
`[[redirects]] from = ... to = ...`). Exact sources become redirects of the URL table;
sources with placeholders (`:name` one segment, `:name*` any number, Netlify's `*` splat)
are `HostPattern`s, which a preset's link rewriting applies (a regular expression source
is not read).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from kbcheck.site.detect import read_config_text
from kbcheck.site.detect import shown as _shown

_PATTERN_MARKS = (":", "*", "(", "[", "$", "^")
_PLACEHOLDER = re.compile(r":(\w+)([*+?]?)|\*")


class HostPattern(NamedTuple):
    """A redirect whose source has placeholders: `source` is a regular expression over the
    URL path, `destination` names the captured parts as `:name`."""

    source: str
    destination: str

    def apply(self, path: str) -> str | None:
        """Where the host sends `path`, or None when the pattern does not match it."""
        match = re.fullmatch(self.source, path)
        if match is None:
            return None
        found = {name: value or "" for name, value in match.groupdict().items()}

        def put(placeholder: re.Match[str]) -> str:
            name = placeholder.group(1) or "splat"
            return found.get(name, placeholder.group(0))

        return _PLACEHOLDER.sub(put, self.destination)


def _pattern(source: str, destination: str) -> HostPattern | None:
    if any(mark in source for mark in ("(", "[", "$", "^", "?")):
        return None  # a regular expression: not read
    first = _PLACEHOLDER.search(source)
    if first is not None and source[: first.start()].strip("/") == "":
        return None  # a catch-all (`/*`, `/:path*`): a fallback page, not a redirect
    parts: list[str] = []
    end = 0
    for placeholder in _PLACEHOLDER.finditer(source):
        parts.append(re.escape(source[end : placeholder.start()]))
        name, modifier = placeholder.group(1) or "splat", placeholder.group(2)
        if placeholder.group(0) == "*" or modifier in ("*", "+"):
            parts.append(f"(?P<{name}>.*)")
        else:
            parts.append(f"(?P<{name}>[^/]+)")
        end = placeholder.end()
    parts.append(re.escape(source[end:]))
    try:
        re.compile("".join(parts))
    except re.error:
        return None
    return HostPattern("".join(parts), destination)


class HostRedirects(NamedTuple):
    exact: tuple[tuple[str, str], ...]
    patterns: tuple[HostPattern, ...]
    #: The files read.
    files: tuple[str, ...]


def host_redirects(
    folders: Iterable[Path], static: Iterable[Path], root: Path, notices: list[str]
) -> HostRedirects:
    """The host's redirects from the files in `folders` (the site's folder, the
    repository's top) and `_redirects` in the `static` folders. A broken file is one
    notice and no redirects from it."""
    from kbcheck.site.yaml_data import load_json, load_toml

    pairs: list[tuple[str, str]] = []
    patterns: list[HostPattern] = []
    read: list[str] = []
    seen: set[Path] = set()
    for folder in folders:
        for name, kind in (("vercel.json", "vercel"), ("netlify.toml", "netlify")):
            path = (folder / name).resolve()
            if path in seen or not path.is_file():
                continue
            seen.add(path)
            text = read_config_text(path, notices, root)
            if text is None:
                continue
            read.append(str(path))
            try:
                data = load_json(text) if kind == "vercel" else load_toml(text)
            except ValueError as error:
                notices.append(f"{_shown(path, root)}: cannot be read ({error}); no redirects")
                continue
            rules = data.get("redirects") if isinstance(data, dict) else None
            keys = ("source", "destination") if kind == "vercel" else ("from", "to")
            for rule in rules if isinstance(rules, list) else []:
                if isinstance(rule, dict):
                    _add(pairs, patterns, rule.get(keys[0]), rule.get(keys[1]))
    for folder in static:
        path = (folder / "_redirects").resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        text = read_config_text(path, notices, root)
        if text is None:
            continue
        read.append(str(path))
        netlify_lines(text, pairs, patterns)
    return HostRedirects(tuple(pairs), tuple(patterns), tuple(read))


def netlify_lines(text: str, pairs: list[tuple[str, str]], patterns: list[HostPattern]) -> None:
    """The redirects of a Netlify `_redirects` file's text (`from to [status]` per line),
    added to `pairs` (exact sources) and `patterns`."""
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 3 and fields[2].startswith("200"):
            continue  # a rewrite (proxy or fallback page), not a redirect
        if len(fields) >= 2:
            _add(pairs, patterns, fields[0], fields[1])


def _add(
    pairs: list[tuple[str, str]], patterns: list[HostPattern], old: object, new: object
) -> None:
    if not isinstance(old, str) or not isinstance(new, str) or not old.startswith("/"):
        return
    if any(mark in old for mark in _PATTERN_MARKS):
        pattern = _pattern(old, new)
        if pattern is not None:
            patterns.append(pattern)
        return
    pairs.append((old, new))
