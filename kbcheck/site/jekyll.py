"""Jekyll: `_config.yml` (or `_config.yaml`), at the root or in `docs/` (GitHub Pages).

Read as data, never run (no Liquid, no plugins). What Jekyll does, and where it is written
(jekyll/jekyll `lib/jekyll/`, jekyllrb.com docs):

- Which files are pages (`entry_filter.rb`, `reader.rb`): everything under the site folder
  except names starting with `_`, `.`, `#` or ending in `~` (unless listed in `include`), the
  `exclude` list plus `configuration.rb` `DEFAULT_EXCLUDES` (`Gemfile`, `node_modules`,
  `vendor/bundle/`...) and the destination `_site`. `_layouts`, `_includes`, `_sass`, `_data`
  are therefore never pages. Collections (`collection.rb`) live in `<collections_dir>/_<label>`
  and are written only with `output: true`; `posts` always is; `_drafts` is not published.
- URLs (`page.rb` `template`, `document.rb`, `url.rb`, `drops/url_drop.rb`, `utils.rb`
  `add_permalink_suffix`, `slugify`): a page is at `/:path/:basename:output_ext` (`.html`),
  an `index` page at `/:path/`, and the site `permalink` style decides the ending (`pretty`
  -> `/`; `date`, `ordinal`, `none` -> `.html`; a custom pattern by how it ends). A document
  is at its collection's `permalink` (default `/:collection/:path` plus that ending); posts
  at the site `permalink` style's pattern (`date`: `/:categories/:year/:month/:day/:title
  .html`), their date and slug from `YYYY-MM-DD-title.md`, their categories from the folders
  above `_posts` and front matter. Front-matter `permalink` wins, with the same placeholders.
  `defaults` (`frontmatter_defaults.rb`) give front matter by scope `path` and `type`.
- A Markdown file without front matter is copied as it is (`/:path/name.md`); on GitHub
  Pages jekyll-optional-front-matter makes it a page. Both are the same page to kbcheck
  (`Site.key` drops `.md`, `.html` and `/`).
- jekyll-redirect-from: `redirect_from` URLs redirect to the page, `redirect_to` sends the
  page's own URL on.
- `baseurl` is the path the site is served under; `url` its host.
- Liquid in links (`filters/url_filters.rb`, `tags/link.rb`, `tags/post_url.rb`):
  `{{ site.baseurl }}`, `{{ 'x' | relative_url }}` and `absolute_url` are the base path (plus
  the host); `{% link path %}` names a file from the site folder; `{% post_url
  2020-01-02-name %}` a post (`_posts/[dir/]date-name.ext` or `dir/_posts/...`). Any other
  expression (`{{ page.url }}`) is not checkable offline.
- Heading ids: kramdown, with `input: GFM` by default (`configuration.rb` DEFAULTS, and
  github/pages-gem): anchor styles "kramdown-gfm" and, for `input: kramdown`, "kramdown"
  (see kbcheck/anchors.py). GitHub Pages serves paths case-sensitively.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from kbcheck.site.detect import (
    Preset,
    find_marker,
    read_yaml_settings,
    under_root,
)
from kbcheck.site.detect import shown as _shown
from kbcheck.site.model import PageUrls, Rewritten, SiteSpec

_NAMES = ("_config.yml", "_config.yaml")
#: Where GitHub Pages looks for a site besides the repository's top.
_SITE_FOLDERS = ("", "docs")
#: `Configuration::DEFAULTS["markdown_ext"]`.
_MARKDOWN_EXT = "markdown,mkdown,mkdn,mkd,md"
#: `Configuration::DEFAULT_EXCLUDES`, plus what is never source: the build output, Bundler's
#: folders and caches (`vendor/` whole: a vendored theme is not the site's content).
_DEFAULT_EXCLUDES = (
    ".sass-cache/",
    ".jekyll-cache/",
    ".jekyll-metadata",
    ".bundle/",
    "gemfiles/",
    "Gemfile",
    "Gemfile.lock",
    "node_modules/",
    "vendor/",
    "_site/",
)
#: `Configuration::STYLE_TO_PERMALINK`.
_STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
_OUTPUT_EXT = ".html"
# document.rb DATE_FILENAME_MATCHER, on the file name
_DATED_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)$")
# utils.rb SLUGIFY_DEFAULT_REGEXP / SLUGIFY_PRETTY_REGEXP, letters and marks by category
_PRETTY_KEEP = set("._~!$&'()+,;=@")
_PLACEHOLDER = re.compile(r":([a-z_]+)")
#: A Liquid expression or tag, as the parser keeps it in a link.
_LIQUID = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_SPACE = r"[\s\u00a0]*"
_BASE_EXPRESSIONS = re.compile(
    r"\{\{" + _SPACE + r"site\.(?:baseurl|github\.url|url)" + _SPACE + r"\}\}"
)
_URL_FILTER = re.compile(
    r"\{\{"
    + _SPACE
    + r"(['\"])(.*?)\1"
    + _SPACE
    + r"\|"
    + _SPACE
    + r"(relative_url|absolute_url|prepend:"
    + _SPACE
    + r"site\.baseurl)"
    + _SPACE
    + r"\}\}"
)
_TAG = re.compile(
    r"\{%-?"
    + _SPACE
    + r"(link|post_url|include_relative|include)\b"
    + _SPACE
    + r"(.*?)"
    + _SPACE
    + r"-?%\}"
)


@dataclass(frozen=True)
class _Collection:
    label: str
    folder: str  # relative to the site folder, "_label/" (under collections_dir)
    output: bool
    permalink: str


@dataclass(frozen=True, eq=False)
class _Layout:
    site: str  # the site folder, root-relative prefix ("" or "docs/")
    base: str  # `baseurl`, "" or "/path"
    style: str  # the site's `permalink` style or pattern
    collections: tuple[_Collection, ...]
    collections_dir: str  # "" or "my_collections/"
    includes: str  # `includes_dir`, "_includes/"
    include: tuple[str, ...]  # `include`: names published despite a leading `_` or `.`
    exclude: tuple[str, ...]  # `exclude`, relative to the site folder
    #: (scope path, scope type or None, values), in the order written.
    defaults: tuple[tuple[str, str | None, Mapping[str, Any]], ...]


def _marker(folder: Path) -> Path | None:
    return find_marker(folder, _NAMES, _SITE_FOLDERS)


def detect(folder: Path) -> Path | None:
    marker = _marker(folder)
    return marker.parent if marker is not None else None


def read(folder: Path, root: Path, notices: list[str]) -> SiteSpec:
    marker = _marker(folder)
    assert marker is not None
    source = _shown(marker, root)
    config = read_yaml_settings(marker, root, notices, "Jekyll's")
    site_folder = marker.parent
    found = under_root(".", site_folder, root)
    site = "" if not found else found + "/"

    baseurl = config.get("baseurl")
    base = "/" + baseurl.strip("/") if isinstance(baseurl, str) and baseurl.strip("/") else ""
    url = config.get("url") if isinstance(config.get("url"), str) else None
    if url is not None:
        url = url.rstrip("/") + base + "/"
    style = config.get("permalink")
    style = str(style) if isinstance(style, str) and style else "date"
    collections_dir = _folder(config.get("collections_dir"))
    collections = _collections(config.get("collections"), collections_dir, style)
    defaults = _defaults(config.get("defaults"), notices, source)

    suffixes = _suffixes(config.get("markdown_ext"))
    include = _strings(config.get("include"))
    exclude = _strings(config.get("exclude"))
    # content: the site folder; not articles: what Jekyll does not render as a page there
    content = (f"/{site}**",) if site else ()
    not_articles = ["_*", ".*", "#*", "*~"]
    for collection in collections:
        if collection.output:
            folder_glob = f"/{site}{collection.folder}"
            not_articles += [f"!{folder_glob}", f"!{folder_glob}**", f"{folder_glob}**/_*"]
    # posts may also be in a category folder's `_posts`
    not_articles += ["!_posts/", "!_posts/**", "_posts/**/_*"]
    for name in include:
        if name.startswith(("_", ".")):
            not_articles += [f"!/{site}{name.strip('/')}", f"!/{site}{name.strip('/')}/**"]
    # drafts are never published, whatever `include` says
    not_articles += [f"/{site}{collections_dir}_drafts/", *(_anchored(site, n) for n in exclude)]
    excluded = tuple(_anchored(site, name) for name in _DEFAULT_EXCLUDES)

    from kbcheck.site.hosts import host_redirects

    # the host's redirects beside the site (netlify.toml, vercel.json, a `_redirects` file
    # kept by `include`)
    host = host_redirects((site_folder, root), (site_folder,), root, notices)
    layout = _Layout(
        site=site,
        base=base,
        style=style,
        collections=collections,
        collections_dir=collections_dir,
        includes=_folder(config.get("includes_dir")) or "_includes/",
        include=tuple(name.strip("/") for name in include),
        exclude=tuple(name.strip().removeprefix("./").strip("/") for name in exclude),
        defaults=defaults,
    )
    html_pages, html_files = _html_permalinks(site_folder, layout)
    return SiteSpec(
        generator="jekyll",
        source=source,
        url=url,
        base=base,
        paths=(("/", site),),
        content=content,
        excluded=excluded,
        not_articles=tuple(not_articles),
        suffixes=suffixes,
        case_sensitive=True,
        page_urls="html",
        relative_urls=True,
        anchor_style=_anchor_style(config),
        templates="liquid",
        pages=partial(_page_urls, layout),
        files=partial(_file_urls, layout),
        rewrite=partial(_rewrite, layout),
        redirects=host.exact,
        provided=html_pages,
        inputs=(str(marker), *host.files, *html_files),
    )


#: HTML pages read for their permalink, at most (a site is Markdown; its HTML pages are the
#: home page, lists and search).
_MAX_HTML_PAGES = 2000
#: Folders of `_DEFAULT_EXCLUDES` not walked for HTML pages.
_NEVER_SOURCE = frozenset({"node_modules", "vendor", "gemfiles"})
_HTML_PERMALINK = re.compile(
    r"^permalink:[ \t]*(['\"]?)([^'\"\n#]+?)\1[ \t]*(?:#.*)?$", re.MULTILINE
)


def _html_permalinks(site_folder: Path, layout: _Layout) -> tuple[tuple[str, ...], list[str]]:
    """The permalinks of the site's HTML pages (`index.html` at `/`, `showcase.html` at
    `/showcase/`): pages kbcheck does not read as articles, which links name by URL. Read
    as text, front matter only; returns (URLs, files read)."""
    import os

    urls: list[str] = []
    read: list[str] = []
    top = str(site_folder)
    for folder, dirs, files in os.walk(top):
        relative = os.path.relpath(folder, top).replace(os.sep, "/")
        relative = "" if relative == "." else relative + "/"
        dirs[:] = sorted(
            name
            for name in dirs
            if name not in _NEVER_SOURCE and not _excluded(layout, relative + name)
        )
        for name in sorted(files):
            if not name.lower().endswith((".html", ".htm")) or _excluded(layout, relative + name):
                continue
            if len(read) >= _MAX_HTML_PAGES:
                return tuple(urls), read
            path = os.path.join(folder, name)
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    head = handle.read(4096)
            except OSError:
                continue
            if not head.startswith("---"):
                continue
            read.append(path)
            front = head[3:].partition("\n---")[0]
            match = _HTML_PERMALINK.search(front)
            if match and "{" not in match.group(2):
                urls.append(_fill_page(match.group(2).strip(), relative + name))
    return tuple(urls), read


def _folder(value: object) -> str:
    if not isinstance(value, str) or not value.strip("/ "):
        return ""
    return value.strip().strip("/") + "/"


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, (str, int, float))]
    return []


def _anchored(site: str, name: str) -> str:
    """A Jekyll `exclude` entry (relative to the site folder, maybe a glob) as a gitignore
    line anchored at the site folder."""
    name = name.strip()
    if name.startswith("./"):
        name = name[2:]
    return f"/{site}{name.lstrip('/')}"


def _suffixes(value: object) -> tuple[str, ...]:
    text = value if isinstance(value, str) and value.strip() else _MARKDOWN_EXT
    found = tuple(f".{part.strip().lower()}" for part in text.split(",") if part.strip())
    return found or (".md", ".markdown")


def _anchor_style(config: Mapping[str, Any]) -> str:
    """kramdown's ids: GFM input by default (Jekyll and GitHub Pages), kramdown's own
    parser when `kramdown: input: kramdown`; another Markdown engine: GitHub's."""
    engine = config.get("markdown")
    if isinstance(engine, str) and engine.lower() not in ("kramdown", ""):
        return "github"
    options = config.get("kramdown")
    parser = options.get("input") if isinstance(options, dict) else None
    if isinstance(parser, str) and parser.lower() == "kramdown":
        return "kramdown"
    return "kramdown-gfm"


def _collections(value: object, collections_dir: str, style: str) -> tuple[_Collection, ...]:
    """`collections` (a list of labels or a mapping of label -> metadata), with `posts`
    always there and always written (`Configuration#add_default_collections`)."""
    entries: dict[str, Mapping[str, Any]] = {}
    if isinstance(value, list):
        entries = {str(label): {} for label in value if isinstance(label, (str, int))}
    elif isinstance(value, dict):
        entries = {
            str(label): meta if isinstance(meta, dict) else {} for label, meta in value.items()
        }
    found = []
    posts = dict(entries.pop("posts", {}))
    posts_link = posts.get("permalink")
    posts_template = (
        _STYLES.get(posts_link, posts_link)
        if isinstance(posts_link, str) and posts_link
        else _STYLES.get(style, style)
    )
    found.append(_Collection("posts", f"{collections_dir}_posts/", True, posts_template))
    for label, meta in entries.items():
        link = meta.get("permalink")
        template = (
            _STYLES.get(link, link)
            if isinstance(link, str) and link
            else _with_ending("/:collection/:path", style)
        )
        output = meta.get("output") is True
        found.append(_Collection(label, f"{collections_dir}_{label}/", output, template))
    return tuple(found)


def _defaults(
    value: object, notices: list[str], source: str
) -> tuple[tuple[str, str | None, Mapping[str, Any]], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        notices.append(f"{source}: `defaults` is not a list; front-matter defaults not read")
        return ()
    found = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue  # Jekyll warns and skips an invalid set
        scope = entry.get("scope")
        if not isinstance(scope, dict):
            scope = {}
        path = scope.get("path")
        kind = scope.get("type")
        kind = {"page": "pages", "post": "posts", "draft": "drafts"}.get(str(kind), kind)
        found.append(
            (
                path if isinstance(path, str) else "",
                str(kind) if kind is not None else None,
                entry["values"],
            )
        )
    return tuple(found)


def _with_ending(template: str, style: str) -> str:
    """utils.rb `add_permalink_suffix`: the ending the site's permalink style gives."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


# --- page URLs -----------------------------------------------------------------------------


def _collection_of(layout: _Layout, relative: str) -> _Collection | None:
    for collection in layout.collections:
        if relative.startswith(collection.folder):
            return collection
        if collection.label == "posts" and f"/{collection.folder}" in f"/{relative}":
            return collection  # `category/_posts/...`
    return None


def _front_matter(
    layout: _Layout, relative: str, kind: str, meta: Mapping[str, Any]
) -> dict[str, Any]:
    """The page's front matter over the `defaults` that apply to it
    (`FrontmatterDefaults#all`: a longer scope path, then a scope with a type, wins)."""
    if not layout.defaults:
        return dict(meta)
    scoped = relative
    if layout.collections_dir and scoped.startswith(layout.collections_dir):
        scoped = scoped[len(layout.collections_dir) :]
    merged: dict[str, Any] = {}
    chosen: tuple[str, str | None] | None = None
    for path, scope_type, values in layout.defaults:
        if scope_type is not None and scope_type != kind:
            continue
        clean = path.strip("/") if path.startswith("/") else path
        if clean and not _path_applies(scoped, clean, layout.collections_dir):
            continue
        if chosen is None or _precedes(chosen, (clean, scope_type)):
            merged = {**merged, **values}
            chosen = (clean, scope_type)
        else:
            merged = {**values, **merged}
    return {**merged, **meta}


def _path_applies(relative: str, scope: str, collections_dir: str) -> bool:
    if collections_dir and scope.startswith(collections_dir):
        scope = scope[len(collections_dir) :]
    if "*" in scope:
        import fnmatch

        # Jekyll globs the scope against the files and tests "starts with" on each match
        parts = relative.split("/")
        return any(
            fnmatch.fnmatchcase("/".join(parts[:end]), scope) for end in range(1, len(parts) + 1)
        )
    return relative.startswith(scope)


def _precedes(old: tuple[str, str | None], new: tuple[str, str | None]) -> bool:
    """`has_precedence?`: the new scope wins with a longer path, or an equal one and a type."""
    if len(new[0]) != len(old[0]):
        return len(new[0]) >= len(old[0])
    return new[1] is not None or old[1] is None


def _page_urls(
    layout: _Layout, spec: SiteSpec, path: str, meta: Mapping[str, Any], default: str
) -> PageUrls | None:
    if not path.startswith(layout.site):
        return None
    relative = path[len(layout.site) :]
    drafts = f"{layout.collections_dir}_drafts/"
    if relative.startswith(drafts) or f"/{drafts}" in f"/{relative}":
        return PageUrls(())
    collection = _collection_of(layout, relative)
    kind = collection.label if collection is not None else "pages"
    data = _front_matter(layout, relative, kind, meta)
    if data.get("published") is False or (collection is not None and not collection.output):
        return PageUrls(())
    if collection is not None:
        url = _fill_document(collection.permalink, collection, relative, data)
    else:
        url = _page_url(layout, relative)
    permalink = data.get("permalink")
    if isinstance(permalink, str) and permalink.strip():
        if collection is not None:
            url = _fill_document(permalink.strip(), collection, relative, data) or url
        else:
            url = _fill_page(permalink.strip(), relative)
    if url is None:
        return None
    return PageUrls((url,), _redirect_from(data.get("redirect_from")), _redirect_to(data))


def _file_urls(layout: _Layout, spec: SiteSpec, path: str, served: str) -> tuple[str, ...] | None:
    """Where Jekyll writes a file that is not a page: a collection's static file at the
    collection's permalink (static_file.rb `url`), nothing for a special or excluded name
    (entry_filter.rb), else its own path."""
    if not path.startswith(layout.site):
        return None
    relative = path[len(layout.site) :]
    collection = _collection_of(layout, relative)
    if collection is not None:
        if not collection.output:
            return ()
        return (_static_in_collection(collection, relative),)
    if _excluded(layout, relative):
        return ()
    return None


def _excluded(layout: _Layout, relative: str) -> bool:
    """entry_filter.rb: a special name (`_`, `.`, `#` first or `~` last) not in `include`,
    or a name in `exclude`."""
    import fnmatch

    parts = relative.split("/")
    for end in range(1, len(parts) + 1):
        name = parts[end - 1]
        prefix = "/".join(parts[:end])
        special = name.startswith(("_", ".", "#")) or name.endswith("~")
        if special and not any(prefix == item or name == item for item in layout.include):
            return True
        for pattern in layout.exclude:
            if prefix == pattern or fnmatch.fnmatchcase(prefix, pattern):
                return True
    return False


def _static_in_collection(collection: _Collection, relative: str) -> str:
    """static_file.rb `url`: the collection's template with the static placeholders
    (url.rb `generate_url_from_hash`: other names stay as written), no trailing `/`, then
    the file's extension."""
    inside = (
        relative[len(collection.folder) :] if relative.startswith(collection.folder) else relative
    )
    stem, extension = posixpath.splitext(inside)
    values = {
        "collection": collection.label,
        "path": "/" + stem.rstrip("."),
        "output_ext": "",
        "name": posixpath.basename(inside),
        "title": "",
    }
    result = collection.permalink
    for key, value in values.items():
        if ":" not in result:
            break
        result = result.replace(f":{key}", value)
    return _sanitize(result).rstrip("/") + extension


def _redirect_from(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, str) and item.strip() and "://" not in item:
            found.append("/" + item.strip().lstrip("/"))
    return tuple(found)


def _redirect_to(data: Mapping[str, Any]) -> str | None:
    value = data.get("redirect_to")
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    return value if "://" in value else "/" + value.lstrip("/")


def _page_url(layout: _Layout, relative: str) -> str:
    """page.rb `template`, for a Markdown page."""
    basename = posixpath.splitext(posixpath.basename(relative))[0]
    index = basename == "index"
    template = "/:path/" if index else _with_ending("/:path/:basename", layout.style)
    return _fill_page(template, relative)


def _fill_page(template: str, relative: str) -> str:
    """url.rb `generate_url_from_hash` with a page's placeholders: other names stay as
    written."""
    folder, name = posixpath.split(relative)
    values = {
        "path": "/" + folder if folder else "",
        "basename": posixpath.splitext(name)[0],
        "output_ext": _OUTPUT_EXT,
    }
    result = template
    for key, value in values.items():
        if ":" not in result:
            break
        result = result.replace(f":{key}", value)
    return _sanitize(result)


def _fill_document(
    template: str, collection: _Collection, relative: str, data: Mapping[str, Any]
) -> str | None:
    """url.rb `generate_url_from_drop` with drops/url_drop.rb's placeholders; None when the
    template needs what cannot be known here (an unknown placeholder, a missing date)."""
    name = posixpath.basename(relative)
    stem = posixpath.splitext(name)[0]
    dated = _DATED_NAME.match(stem)
    slug = _text(data.get("slug")) or (dated.group(2) if dated else stem)
    slug = slug.rstrip(".")
    inside = relative
    if collection.label == "posts":
        # `categories_from_path`: the folders above `_posts` (and below it) are categories
        at = relative.find("_posts/")
        inside = relative[at + len("_posts/") :]
        above = relative[:at].removeprefix(collection.folder.removesuffix("_posts/"))
        categories = [part for part in (above + inside).split("/")[:-1] if part]
    else:
        inside = relative[len(collection.folder) :]
        categories = []
    categories += _categories(data)
    cleaned = "/" + posixpath.splitext(inside)[0].rstrip(".")
    when = _date(data.get("date")) or (_date(dated.group(1)) if dated else None)
    values: dict[str, str | None] = {
        "collection": collection.label,
        "path": cleaned,
        "name": _slugify(stem),
        "slug": _slugify(slug),
        "title": _slugify(slug, pretty=True),
        "categories": "/".join(dict.fromkeys(category.lower() for category in categories)),
        "slugified_categories": "/".join(
            dict.fromkeys(_slugify(category) for category in categories)
        ),
        "output_ext": _OUTPUT_EXT,
    }
    if when is not None:
        values |= {
            "year": f"{when.year:04d}",
            "month": f"{when.month:02d}",
            "day": f"{when.day:02d}",
            "i_day": str(when.day),
            "i_month": str(when.month),
            "short_year": f"{when.year % 100:02d}",
            "y_day": when.strftime("%j"),
            "short_month": when.strftime("%b"),
            "long_month": when.strftime("%B"),
            "week": when.strftime("%V"),
            "short_day": when.strftime("%a"),
            "long_day": when.strftime("%A"),
            "w_year": when.strftime("%G"),
            "w_day": when.strftime("%u"),
        }
    unknown = False

    def put(match: re.Match[str]) -> str:
        nonlocal unknown
        key = match.group(1)
        for name in (key, key[:-1]) if key.endswith("_") else (key,):
            if name in values:
                value = values[name] or ""
                return value + (match.group(0)[len(name) + 1 :])
        unknown = True
        return ""

    result = _PLACEHOLDER.sub(put, template)
    return None if unknown else _sanitize(result)


def _categories(data: Mapping[str, Any]) -> list[str]:
    """`populate_categories`: front-matter `categories` (a list, or words) and `category`."""
    found: list[str] = []
    plural = data.get("categories")
    if isinstance(plural, list):
        found += [str(item) for item in plural if item is not None]
    elif isinstance(plural, str):
        found += plural.split()
    single = data.get("category")
    if isinstance(single, (str, int)):
        found.append(str(single))
    elif isinstance(single, list):
        found += [str(item) for item in single if item is not None]
    return found


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{2,4})-(\d{1,2})-(\d{1,2})", value)
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None
    return None


def _text(value: object) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    return ""


def _slugify(text: str, pretty: bool = False) -> str:
    """utils.rb `slugify` in "default" mode (letters, marks and digits kept, every other
    run a `-`, lower case) or "pretty" mode (also `._~!$&'()+,;=@`, case kept)."""
    import unicodedata

    out: list[str] = []
    hyphen = False
    for ch in text:
        category = unicodedata.category(ch)
        keep = category[0] in "LM" or category == "Nd" or (pretty and ch in _PRETTY_KEEP)
        if keep:
            out.append(ch)
            hyphen = False
        elif not hyphen:
            out.append("-")
            hyphen = True
    slug = "".join(out)
    slug = slug.removeprefix("-").removesuffix("-")
    return slug if pretty else slug.lower()


def _sanitize(url: str) -> str:
    """url.rb `sanitize_url`."""
    result = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", result)


# --- links ---------------------------------------------------------------------------------


def _rewrite(layout: _Layout, spec: SiteSpec, url: str, article_path: str) -> Rewritten | None:
    """A link holding Liquid, as Jekyll renders it; None for a link without Liquid."""
    written = url.strip()
    if "{{" not in written and "{%" not in written:
        return None
    tag = _TAG.search(written)
    if tag is not None:
        before = _BASE_EXPRESSIONS.sub("", written[: tag.start()]).strip()
        after = written[tag.end() :]
        kind = tag.group(1)
        argument = tag.group(2).strip()
        if kind.startswith("include"):
            # `{% include file.md param=value %}`: the file is the first word
            argument = argument.replace("\u00a0", " ").split(" ")[0] if argument else ""
        argument = argument.strip("'\"")
        if before or _LIQUID.search(argument) or _LIQUID.search(after) or not argument:
            return Rewritten("skip")
        if after and not after.startswith(("#", "?")):
            return Rewritten("skip")
        fragment = after.partition("#")[2]
        suffix = "#" + fragment if "#" in after else ""
        if kind == "link":
            # a document's `relative_path` is without `collections_dir` (document.rb)
            named = argument.lstrip("/") + suffix
            also = (layout.site + layout.collections_dir + named,) if layout.collections_dir else ()
            return Rewritten("file", layout.site + named, also)
        if kind == "include":
            return Rewritten("file", layout.site + layout.includes + argument.lstrip("/"))
        if kind == "include_relative":
            folder = article_path.rpartition("/")[0]
            return Rewritten("file", posixpath.join(folder, argument) if folder else argument)
        return _post_file(layout, argument, suffix)
    rewritten = _URL_FILTER.sub(lambda match: _filtered(layout, match), written)
    rewritten = _BASE_EXPRESSIONS.sub(lambda match: _base_value(layout, match), rewritten)
    if _LIQUID.search(rewritten):
        return Rewritten("skip")
    if not rewritten.startswith("/"):
        return Rewritten("skip") if rewritten != written else None
    return Rewritten("url", rewritten)


def _base_value(layout: _Layout, match: re.Match[str]) -> str:
    # `site.url` is the host alone: what follows it is the path, base path included
    return "" if "site.url" in match.group(0) else layout.base


def _filtered(layout: _Layout, match: re.Match[str]) -> str:
    """`relative_url`/`absolute_url` (url_filters.rb: the base path, then the input with a
    leading `/`), or `prepend: site.baseurl` (the input as written after the base path)."""
    value = match.group(2)
    if match.group(3).startswith("prepend"):
        return layout.base + value
    if "://" in value or value.startswith("//"):
        return value
    return layout.base + "/" + value.lstrip("/")


def _post_file(layout: _Layout, name: str, suffix: str) -> Rewritten:
    """`{% post_url [dir/]2020-01-02-name %}`: the post file, whatever its extension
    (post_url.rb `PostComparer`: `_posts/dir/date-name.ext` or `dir/_posts/date-name.ext`)."""
    folder, _, stem = name.strip("/").rpartition("/")
    posts = layout.site + layout.collections_dir
    places = [f"{posts}_posts/{folder + '/' if folder else ''}{stem}"]
    if folder:
        places.append(f"{posts}{folder}/_posts/{stem}")
    tries = [place + ext for place in places for ext in (".md", ".markdown", ".html")]
    first, *rest = (item + suffix for item in tries)
    return Rewritten("file", first, tuple(rest))


PRESET = Preset(name="jekyll", title="Jekyll", detect=detect, read=read)
