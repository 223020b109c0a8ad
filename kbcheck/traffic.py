"""`--traffic FILE`: page views per article, so the risk ranking puts the pages customers
actually read first.

The file is a CSV export with a header row naming a page column (`path` or `url`) and a
`views` column; other columns are ignored. A page may be a path relative to the knowledge-base
root (`billing/refunds.md`, `/billing/refunds`) or a URL on `site_url`; URLs and extension-less
paths are matched to articles the way a help-center site serves them (`refunds` → `refunds.md`,
`billing/` → `billing/index.md`). A malformed row is an error naming the file and line; a
page that matches no article is only counted in a notice (analytics exports list pages that
are not articles).
"""

from __future__ import annotations

import csv
import io
import posixpath
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kbcheck.link_targets import INTERNAL, resolve
from kbcheck.regular_files import read_named_file
from kbcheck.site.model import FOUND, REDIRECTED

if TYPE_CHECKING:
    from kbcheck.site.model import Site

PAGE_COLUMNS = ("path", "url", "page", "page path", "page_path")
VIEW_COLUMNS = ("views", "pageviews", "page views", "page_views", "visits")


class TrafficError(Exception):
    """A traffic file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Traffic:
    views: dict[str, int]
    notices: tuple[str, ...] = field(default=())


def _delimiter(header_line: str) -> str:
    return max((",", ";", "\t"), key=header_line.count)


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    folded = [cell.strip().lower() for cell in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def _views(text: str, where: str) -> int:
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned.isdigit():
        raise TrafficError(f"{where}: views {text.strip()!r} is not a whole number")
    return int(cleaned)


def article_for(
    page: str, articles: Collection[str], site_url: str | None, site: Site | None = None
) -> str | None:
    """The article a page path or URL names, or None. With a generated `site`, a URL is the
    page the site publishes there (following one redirect), as an analytics export names it."""
    if site is not None:
        found = _published(page, articles, site_url, site)
        if found is not None:
            return found
    target = resolve(page.split("?", 1)[0], "", site_url)
    if target.kind != INTERNAL or target.path is None:
        return None
    path = target.path
    bare = path.rstrip("/")
    stem, extension = posixpath.splitext(bare)
    candidates = [bare]
    if extension.lower() in (".html", ".htm"):
        candidates.append(stem + ".md")
    candidates += [bare + ".md", bare + ".markdown"]
    for index in ("index.md", "README.md", "index.markdown", "readme.md"):
        candidates.append(f"{bare}/{index}" if bare else index)
    return next((candidate for candidate in candidates if candidate in articles), None)


def _published(
    page: str, articles: Collection[str], site_url: str | None, site: Site
) -> str | None:
    target = resolve(page.split("?", 1)[0], "", site_url)
    if target.kind != INTERNAL or target.path is None:
        return None
    lookup = site.lookup("/" + target.path)
    if lookup.status == REDIRECTED and lookup.file:
        redirect = lookup.file
        if "://" not in redirect and not redirect.startswith("/"):
            return redirect if redirect in articles else None
        lookup = site.lookup(redirect)
    if lookup.status == FOUND and lookup.file in articles:
        return lookup.file
    return None


def load_traffic(
    path: Path, articles: Collection[str], site_url: str | None, site: Site | None = None
) -> Traffic:
    text = read_named_file(
        path,
        TrafficError,
        "cannot read traffic file",
        missing="traffic file not found",
        encoding="utf-8-sig",
    )
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise TrafficError(f"{path}:1: expected a header row with a 'path' and a 'views' column")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
    except csv.Error as error:
        raise TrafficError(f"{path}:1: {error}") from None
    page_column = _column(header, PAGE_COLUMNS)
    views_column = _column(header, VIEW_COLUMNS)
    if page_column is None or views_column is None:
        found = ", ".join(repr(cell.strip()) for cell in header)
        raise TrafficError(
            f"{path}:1: the header needs a 'path' (or 'url') column and a 'views' column; "
            f"found {found}"
        )
    views: dict[str, int] = {}
    unmatched: list[tuple[int, str]] = []
    needed = max(page_column, views_column) + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise TrafficError(f"{path}:{reader.line_num}: {error}") from None
        where = f"{path}:{reader.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < needed:
            raise TrafficError(f"{where}: expected at least {needed} columns, found {len(row)}")
        page = row[page_column].strip()
        if not page:
            raise TrafficError(f"{where}: empty page path")
        count = _views(row[views_column], where)
        if page.lower().startswith(("http://", "https://")) and not site_url:
            raise TrafficError(
                f"{where}: {page!r} is a URL, but no site_url is configured to map URLs to "
                "articles (set site_url, or give paths relative to the root)"
            )
        article = article_for(page, articles, site_url, site)
        if article is None:
            unmatched.append((reader.line_num, page))
            continue
        views[article] = views.get(article, 0) + count
    notices: tuple[str, ...] = ()
    if unmatched:
        line, page = unmatched[0]
        rows = "row names" if len(unmatched) == 1 else "rows name"
        notices = (f"{path}: {len(unmatched)} {rows} no article (first on line {line}: {page!r})",)
    return Traffic(views=views, notices=notices)
