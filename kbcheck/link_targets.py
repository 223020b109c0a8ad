"""Where a link in an article points: another article, a file, an anchor, or the web.

Shared by the link rules and by `--changed-since` (which must know which unchanged articles
point at a changed one), so that both agree on what a link means.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

EXTERNAL = "external"  # http(s) to another host
INTERNAL = "internal"  # a path inside the knowledge base (maybe with a fragment)
OUTSIDE = "outside"  # a relative path that climbs out of the root
OTHER = "other"  # mailto:, tel:, data:, ftp: ... never checked as files
EMPTY = "empty"


@dataclass(frozen=True)
class Target:
    kind: str
    url: str
    path: str | None = None  # POSIX, relative to the root, for INTERNAL
    fragment: str | None = None  # decoded, without '#'


def resolve(url: str, article_path: str, site_url: str | None = None) -> Target:
    """Resolve `url` as written in the article at `article_path` (both POSIX)."""
    stripped = url.strip()
    if not stripped:
        return Target(EMPTY, url)
    try:
        parts = urlsplit(stripped)
    except ValueError:
        return Target(OTHER, url)
    fragment = unquote(parts.fragment) if "#" in stripped else None
    if parts.scheme:
        if parts.scheme.lower() in ("http", "https"):
            if site_url and _same_site(parts.netloc, site_url):
                return _internal(url, parts.path or "/", "", fragment, site_url)
            return Target(EXTERNAL, url)
        if len(parts.scheme) == 1:  # a Windows drive letter such as C:\docs
            return Target(OUTSIDE, url)
        return Target(OTHER, url)
    if parts.netloc:  # //host/path: protocol-relative, another site
        return Target(EXTERNAL, url)
    if not parts.path:
        return Target(INTERNAL, url, article_path, fragment)
    folder = posixpath.dirname(article_path)
    return _internal(url, parts.path, folder, fragment, None)


def _internal(
    url: str, raw_path: str, folder: str, fragment: str | None, site_url: str | None
) -> Target:
    path = unquote(raw_path)
    if site_url:
        base = urlsplit(site_url).path.rstrip("/")
        if base and path.startswith(base + "/"):
            path = path[len(base) :]
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(folder, path) if folder else path
    normalised = posixpath.normpath(joined) if joined else "."
    if normalised == ".." or normalised.startswith("../") or normalised.startswith("/"):
        return Target(OUTSIDE, url, normalised, fragment)
    if normalised == ".":
        normalised = ""
    if path.endswith("/") and normalised:
        normalised += "/"
    return Target(INTERNAL, url, normalised, fragment)


def _same_site(netloc: str, site_url: str) -> bool:
    site = urlsplit(site_url).netloc.lower()
    return bool(site) and netloc.lower() == site


def relative_link(from_article: str, to_path: str) -> str:
    """How an article would link to `to_path`, for 'did you mean' hints."""
    folder = posixpath.dirname(from_article) or "."
    return posixpath.relpath(to_path, folder)
