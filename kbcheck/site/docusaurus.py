"""Docusaurus: `docusaurus.config.js` (or `.ts`, `.mjs`, `.cjs`), at the root or in `website/`.

The configuration is a program; it is read as text (`kbcheck.site.js_values`) for the few
literal values needed, never run. A value written as an expression is replaced by
Docusaurus's default and named in one notice.

What Docusaurus does, and where it is written (facebook/docusaurus, docusaurus.io docs):

- Site: `url` and `baseUrl` (docs "docusaurus.config.js"); `staticDirectories` (default
  `['static']`) are copied to the build root, so `/img/a.png` is `static/img/a.png`
  ("Static Assets"). Files and folders whose name starts with `_` and `__tests__` are not
  routed (the plugins' default `exclude`): they are partials that MDX pages import.
- Docs plugin (`plugin-content-docs`: `docs.ts`, `slug.ts`, `numberPrefix.ts`,
  `versions/version.ts`, `versions/files.ts`): every `.md`/`.mdx` under `path` (default
  `docs`) is a page under `routeBasePath` (default `docs`; `'/'` is docs-only mode). A doc's
  id is front-matter `id` or its file name without number prefix (`01-intro` -> `intro`,
  but not date- or version-like prefixes); its slug is front-matter `slug` (absolute from
  the docs route, or relative to the doc's folder) or the folder with number prefixes
  stripped plus the id; `index`, `README` and a file named as its folder are the folder's
  page (`isCategoryIndex`). Versions: `versions.json` lists them newest first; version V
  lives in `versioned_docs/version-V/` and is served at `<route>/V/`, the last version
  (`lastVersion`, default the first of versions.json) at `<route>/` and the current folder
  at `<route>/next/`. A second docs instance (plugin `id` X) reads `X_versions.json` and
  `X_versioned_docs/`.
- Blog plugin (`blogUtils.ts`): `blog/2021-01-02-name.md` (or `.../2021-01-02-name/index.md`)
  is `/blog/2021/01/02/name`; other posts are at their path; front-matter `slug` replaces
  it under the blog route. Tag, archive, author and page lists are generated routes.
- Pages plugin: `src/pages/a/b.{md,mdx,js,jsx,ts,tsx}` is `/a/b`, `index` the folder.
- Links (`@docusaurus/utils` `markdownLinks.ts`, `resolveMarkdownLinkPathname`): a link to a
  `.md`/`.mdx` file is rewritten to its page. `./x.md` and `../x.md` are relative to the
  file only; `/x.md` is tried in the content folder (of the page's version) then the site
  folder; a bare `x.md` beside the file, then in the content folder, then the site folder.
  `@site/...` names a file from the site folder. Other relative links are URLs, resolved by
  the browser against the page's URL. `pathname:///x` is a URL Docusaurus leaves alone.
- `@docusaurus/plugin-client-redirects` `redirects` (`from` -> `to`) are redirects.
- The host's redirects beside the site (`vercel.json`, Netlify `_redirects` in a static
  folder, `netlify.toml`) are read as the site's redirects (`kbcheck.site.hosts`).
- Heading ids: github-slugger, with `{#custom-id}` (anchor style "docusaurus"). Routes are
  case-sensitive (a static host serving the build is).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbcheck.site.detect import Preset, find_marker, read_config_text, under_root
from kbcheck.site.detect import shown as _shown
from kbcheck.site.hosts import HostPattern
from kbcheck.site.model import PageUrls, Rewritten, SiteSpec

if TYPE_CHECKING:
    from kbcheck.site.js_values import JsObject, JsValues, Value

_NAMES = tuple(f"docusaurus.config.{ext}" for ext in ("js", "ts", "mjs", "cjs", "mts", "cts"))
#: Where a monorepo keeps its site (facebook/docusaurus, react-native-website...).
_SITE_FOLDERS = ("", "website")
_MARKDOWN = (".md", ".mdx")
_PAGE_SOURCES = (".js", ".jsx", ".ts", ".tsx")

# numberPrefix.ts: a date- or version-like prefix is not a number prefix.
_IGNORED_PREFIX = re.compile(
    r"^((\d{2}|\d{4})[-_.]\d{2}([-_.](\d{2}|\d{4}))?)(.*)$|^(\d+[-_.]\d+)(.*)$"
)
_NUMBER_PREFIX = re.compile(r"^(\d+)(\s*[-_.]+\s*)(.*)$")
# blogUtils.ts DATE_FILENAME_REGEX
_BLOG_DATE = re.compile(r"^(\d{4}[-/]\d{1,2}[-/]\d{1,2})[-/]?(.*?)(/index)?\.mdx?$")


@dataclass(frozen=True)
class _Content:
    """One routed content folder: a docs version, the blog or the pages."""

    kind: str  # "docs", "blog" or "pages"
    folder: str  # root-relative prefix ending in "/"
    route: str  # URL prefix, "/" or "/docs/" ...


@dataclass(frozen=True)
class _Layout:
    contents: tuple[_Content, ...]
    site: str  # the site folder, root-relative prefix ("" or "website/")
    #: URL prefixes of generated lists (tags, archives...): not checkable offline.
    generated: tuple[str, ...]
    base: str
    #: `trailingSlash`: True adds one to every page URL, False removes it, None keeps the
    #: URL as the plugin made it (`/docs/guides/` for a folder's index page).
    trailing_slash: bool | None = None
    #: The host's redirects with placeholders (`/docs/:version/old-page`).
    host_patterns: tuple[HostPattern, ...] = ()


def _marker(folder: Path) -> Path | None:
    return find_marker(folder, _NAMES, _SITE_FOLDERS)


def detect(folder: Path) -> Path | None:
    marker = _marker(folder)
    return marker.parent if marker is not None else None


def read(folder: Path, root: Path, notices: list[str]) -> SiteSpec:
    from kbcheck.site.js_values import JsObject, read_js_values

    marker = _marker(folder)
    assert marker is not None
    source = _shown(marker, root)
    text = read_config_text(marker, notices, root)
    values = read_js_values(text) if text is not None else read_js_values("")
    unread: list[str] = []
    site = _site_object(values)

    def literal(obj: JsObject | None, key: str, kind: type, default: Any, name: str) -> Any:
        if obj is None or key not in obj:
            return default
        value = obj.get(key)
        if value is None:
            return default
        fits = isinstance(value, bool) if kind is bool else isinstance(value, kind)
        if fits and (kind is bool or not isinstance(value, bool)):
            return value
        unread.append(name)
        return default

    url = literal(site, "url", str, None, "url")
    base_url = literal(site, "baseUrl", str, "/", "baseUrl")
    statics = literal(site, "staticDirectories", list, ["static"], "staticDirectories")
    trailing = literal(site, "trailingSlash", bool, None, "trailingSlash")
    inputs = [str(marker)]
    site_prefix = _prefix(under_root(".", folder, root))
    contents: list[_Content] = []
    generated: list[str] = []

    docs_options, blog_options = _preset_options(values)
    docs_instances: list[tuple[str, JsObject]] = []
    if docs_options is not False:
        docs_instances.append(
            ("default", docs_options if isinstance(docs_options, JsObject) else JsObject())
        )
    for entry in values.arrays_starting_with(("content-docs",)):
        if len(entry) > 1 and isinstance(entry[1], JsObject):
            plugin_id = literal(entry[1], "id", str, "default", "docs id")
            docs_instances.append((plugin_id, entry[1]))
    variants: list[str] = []  # the folder of each docs version, when there are several
    for plugin_id, options in docs_instances:
        label = "docs" if plugin_id == "default" else f"docs ({plugin_id})"
        path = literal(options, "path", str, "docs", f"{label} path")
        route = literal(options, "routeBasePath", str, "docs", f"{label} routeBasePath")
        route = _route(route)
        generated += [route + "tags/", route + "category/"]
        include_current = literal(
            options, "includeCurrentVersion", bool, True, f"{label} includeCurrentVersion"
        )
        prefix = "" if plugin_id == "default" else f"{plugin_id}_"
        versions_file = folder / f"{prefix}versions.json"
        versions = _versions(versions_file, root, notices)
        if versions_file.is_file():
            inputs.append(str(versions_file))
        if literal(options, "disableVersioning", bool, False, f"{label} disableVersioning"):
            versions = []
        names = ([] if not include_current or "current" in versions else ["current"]) + versions
        only = literal(options, "onlyIncludeVersions", list, None, f"{label} onlyIncludeVersions")
        if only:
            names = [name for name in names if name in only]
        first_released = next((name for name in names if name != "current"), "current")
        last = literal(options, "lastVersion", str, first_released, f"{label} lastVersion")
        current = _prefix(under_root(path, folder, root))
        for name in names:
            docs_folder = current
            if name != "current":
                versioned = f"{prefix}versioned_docs/version-{name}"
                docs_folder = _prefix(under_root(versioned, folder, root))
                if not (folder / versioned).is_dir():
                    # Docusaurus stops when a listed version has no folder: the build
                    # makes it, most often as a copy of the current docs.
                    docs_folder = current if "current" not in names else None
                    instead = (
                        f"{path} is read as version {name}"
                        if docs_folder is not None
                        else "its pages are not known"
                    )
                    notices.append(
                        f"{source}: {versioned}/ is not in the repository (made by the "
                        f"build?); {instead}"
                    )
            if docs_folder is None:
                continue
            if len(names) > 1 and docs_folder:
                variants.append(docs_folder)
            part = "" if name == last else ("next" if name == "current" else name)
            contents.append(_Content("docs", docs_folder, _route(route + part)))

    blog_instances: list[JsObject] = []
    if blog_options is not False:
        blog_instances.append(blog_options if isinstance(blog_options, JsObject) else JsObject())
    for entry in values.arrays_starting_with(("content-blog",)):
        if len(entry) > 1 and isinstance(entry[1], JsObject):
            blog_instances.append(entry[1])
    for options in blog_instances:
        path = literal(options, "path", str, "blog", "blog path")
        route = _route(literal(options, "routeBasePath", str, "blog", "blog routeBasePath"))
        blog_folder = _prefix(under_root(path, folder, root))
        if blog_folder is not None:
            contents.append(_Content("blog", blog_folder, route))
            # the post list itself (an exact URL: "*" marks it) and the lists Docusaurus
            # makes from the posts
            generated += [
                route + "*",
                *(route + part for part in ("tags/", "archive/", "page/", "authors/")),
            ]
    pages_folder = _prefix(under_root("src/pages", folder, root))
    if pages_folder is not None:
        contents.append(_Content("pages", pages_folder, "/"))

    static = tuple(
        found + "/"
        for item in statics
        if isinstance(item, str) and (found := under_root(item, folder, root))
    )
    from kbcheck.site.hosts import host_redirects

    host = host_redirects((folder, root), (root / item for item in static), root, notices)
    inputs += host.files
    redirects = (*host.exact, *_client_redirects(values))
    if unread:
        notices.append(
            f"{source}: {', '.join(dict.fromkeys(unread))} not written as a literal value; "
            "read with Docusaurus's default"
        )
    base = "/" + base_url.strip("/") if base_url.strip("/") else ""
    if url is not None:
        url = url.rstrip("/") + base + "/"
    layout = _Layout(
        tuple(contents), site_prefix or "", tuple(generated), base, trailing, host.patterns
    )
    content_globs = tuple(f"/{content.folder}**" for content in contents)
    excluded = tuple(
        f"/{found}/" for sub in ("build", ".docusaurus") if (found := under_root(sub, folder, root))
    )
    return SiteSpec(
        generator="docusaurus",
        source=source,
        url=url,
        base=base,
        paths=tuple((content.route, content.folder) for content in contents) or (("/", ""),),
        static=static,
        content=content_globs,
        excluded=excluded,
        not_articles=("_*", "__tests__/"),
        variants=tuple(dict.fromkeys(variants)),
        suffixes=(".md", ".mdx", ".markdown"),
        page_suffixes=_PAGE_SOURCES,
        redirects=redirects,
        case_sensitive=True,
        page_urls="pretty",
        relative_urls=True,
        anchor_style="docusaurus",
        dialect="mdx",
        pages=partial(_page_urls, layout),
        rewrite=partial(_rewrite, layout),
        inputs=tuple(inputs),
    )


def _prefix(found: str | None) -> str | None:
    if found is None:
        return None
    return "" if not found else found.rstrip("/") + "/"


def _route(route: str) -> str:
    route = "/" + route.strip("/")
    return route if route == "/" else route + "/"


def _site_object(values: JsValues) -> JsObject | None:
    """The site's configuration object: the one with `baseUrl` beside `url`, `title` or
    `presets` (a locale override `{ baseUrl }` alone is not it)."""
    candidates = [obj for obj in values.objects if "baseUrl" in obj]
    for obj in candidates:
        if any(key in obj for key in ("url", "title", "presets")):
            return obj
    return candidates[0] if candidates else None


def _preset_options(values: JsValues) -> tuple[Value, Value]:
    """The classic preset's `docs` and `blog` options (an object, `False`, or None when the
    preset is not configured: then the defaults)."""
    from kbcheck.site.js_values import JsObject

    for entry in values.arrays_starting_with(("preset-classic", "classic")):
        if len(entry) > 1 and isinstance(entry[1], JsObject):
            return entry[1].get("docs"), entry[1].get("blog")
    for obj in values.objects:  # presets written another way: the options object itself
        if any(key in obj for key in ("theme", "pages", "sitemap", "gtag")) and (
            "docs" in obj or "blog" in obj
        ):
            return obj.get("docs"), obj.get("blog")
    return None, None


def _client_redirects(values: JsValues) -> list[tuple[str, str]]:
    """`@docusaurus/plugin-client-redirects` `redirects: [{from, to}]` (`from` a path or a
    list of paths): pages that send the reader on, so the old URLs keep working.
    `createRedirects` is a function: not read."""
    from kbcheck.site.js_values import JsObject

    pairs = []
    for entry in values.arrays_starting_with(("client-redirects",)):
        options = entry[1] if len(entry) > 1 else None
        rules = options.get("redirects") if isinstance(options, JsObject) else None
        for rule in rules if isinstance(rules, list) else []:
            if not isinstance(rule, JsObject) or not isinstance(rule.get("to"), str):
                continue
            sources = rule.get("from")
            for source in sources if isinstance(sources, list) else [sources]:
                if isinstance(source, str) and source.startswith("/"):
                    pairs.append((source, str(rule.get("to"))))
    return pairs


def _versions(path: Path, root: Path, notices: list[str]) -> list[str]:
    from kbcheck.site.yaml_data import load_json

    if not path.is_file():
        return []
    text = read_config_text(path, notices, root)
    if text is None:
        return []
    try:
        data = load_json(text)
    except ValueError as error:
        notices.append(f"{_shown(path, root)}: not valid JSON ({error}); no versions read")
        return []
    if not isinstance(data, list) or not all(isinstance(name, str) for name in data):
        notices.append(f"{_shown(path, root)}: expected a list of version names; none read")
        return []
    return list(data)


# --- page URLs -----------------------------------------------------------------------------


def _content_of(layout: _Layout, path: str) -> _Content | None:
    best = None
    for content in layout.contents:
        if path.startswith(content.folder) and (
            best is None or len(content.folder) > len(best.folder)
        ):
            best = content
    return best


def strip_number_prefix(name: str) -> str:
    """`01-intro` -> `intro` (numberPrefix.ts `DefaultNumberPrefixParser`)."""
    if _IGNORED_PREFIX.match(name):
        return name
    match = _NUMBER_PREFIX.match(name)
    return match.group(3) if match else name


def _page_urls(
    layout: _Layout, spec: SiteSpec, path: str, meta: Mapping[str, Any], default: str
) -> PageUrls | None:
    found = _routed(layout, path, meta)
    if found is None or layout.trailing_slash is None:
        return found
    urls = tuple(
        url if url == "/" else url.rstrip("/") + ("/" if layout.trailing_slash else "")
        for url in found.urls
    )
    return PageUrls(urls, found.aliases)


def _routed(layout: _Layout, path: str, meta: Mapping[str, Any]) -> PageUrls | None:
    """The page's URL as its plugin makes it (before `trailingSlash`)."""
    content = _content_of(layout, path)
    if content is None:
        return None
    relative = path[len(content.folder) :]
    markdown = relative.lower().endswith(_MARKDOWN)
    if content.kind == "pages":
        stem = posixpath.splitext(relative)[0]
        folder, name = posixpath.split(stem)
        slug = "/" + (folder + "/" if folder else "") if name == "index" else "/" + stem
        return PageUrls((_join(content.route, slug),))
    if not markdown:
        return PageUrls(())  # a component beside the docs: not a page
    if content.kind == "blog":
        slug = _text(meta.get("slug"))
        if not slug:
            match = _BLOG_DATE.match(relative)
            if match:
                slug = f"/{match.group(1).replace('-', '/')}/{match.group(2)}"
            else:
                slug = "/" + re.sub(r"(/index)?\.mdx?$", "", relative, flags=re.IGNORECASE)
        return PageUrls((_join(content.route, slug),))
    return PageUrls((_join(content.route, doc_slug(relative, meta)),))


def doc_slug(relative: str, meta: Mapping[str, Any]) -> str:
    """A doc's slug from its path inside the docs folder (`docs.ts`, `slug.ts`)."""
    stem = posixpath.splitext(relative)[0]
    folder, name = posixpath.split(stem)
    strip = meta.get("strip_number_prefixes") is not False
    base_id = _text(meta.get("id")) or (strip_number_prefix(name) if strip else name)
    folder_parts = [strip_number_prefix(part) if strip else part for part in folder.split("/")]
    folder_slug = "/" + "/".join(folder_parts) + "/" if folder else "/"
    slug = _text(meta.get("slug"))
    if slug and slug.startswith("/"):
        return slug
    last_folder = folder.rpartition("/")[2].lower()
    if not slug and name.lower() in ("index", "readme", last_folder or "\0"):
        return folder_slug
    wanted = slug or base_id
    resolved = posixpath.normpath(posixpath.join(folder_slug, wanted))
    return resolved + "/" if wanted.endswith("/") and resolved != "/" else resolved


def _text(value: object) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    return ""


def _join(route: str, slug: str) -> str:
    joined = route.rstrip("/") + "/" + slug.lstrip("/")
    return re.sub(r"/{2,}", "/", joined)


# --- links ---------------------------------------------------------------------------------


def _rewrite(layout: _Layout, spec: SiteSpec, url: str, article_path: str) -> Rewritten | None:
    written = url.strip()
    if written.startswith("@site/"):
        return Rewritten("file", layout.site + written[len("@site/") :])
    if written.startswith("pathname://"):
        return Rewritten("url", written[len("pathname://") :] or "/")
    absolute = "://" in written
    if absolute:
        on_site = spec.url and _same_host(written, spec.url)
        if not on_site:
            return None
        written = "/" + written.split("://", 1)[1].partition("/")[2]
    if written.startswith(("#", "mailto:", "tel:", "//")):
        return None
    before, hash_mark, fragment = written.partition("#")
    path = before.partition("?")[0]
    suffix = hash_mark + fragment
    if path.startswith("/"):
        bare = (
            path[len(layout.base) :] if layout.base and path.startswith(layout.base + "/") else path
        )
        folder_url = bare.rstrip("/") + "/"
        if bare.startswith(layout.generated) or folder_url + "*" in layout.generated:
            return Rewritten("skip")
        for pattern in layout.host_patterns:
            destination = pattern.apply(bare)
            if destination is not None and destination != bare:
                return Rewritten("url", destination + suffix)
    if absolute or not path.lower().endswith(_MARKDOWN) or path.startswith(("./", "../")):
        return None
    content = _content_of(layout, article_path)
    from urllib.parse import unquote

    path = unquote(path)
    tries: list[str] = []
    if not path.startswith("/"):
        folder = article_path.rpartition("/")[0]
        tries.append(posixpath.join(folder, path) if folder else path)
    if content is not None:
        tries.append(content.folder + path.lstrip("/"))
    tries.append(layout.site + path.lstrip("/"))
    first, *rest = [posixpath.normpath(item) + suffix for item in tries]
    return Rewritten("file", first, tuple(rest))


def _same_host(url: str, site_url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).netloc.lower() == urlsplit(site_url).netloc.lower()
    except ValueError:
        return False


PRESET = Preset(name="docusaurus", title="Docusaurus", detect=detect, read=read)
