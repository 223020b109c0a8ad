"""The published site: which URL serves each file, which old URLs redirect, what lies elsewhere.

A help center is published by a site generator whose URLs are not its file paths. `SiteSpec`
is the generic description of such a site (what `[site]` in the configuration says, and what
each preset fills in from the generator's own files); `Site` is that description applied to
the files of one run: a table from URL to file, built once, in time linear in the files.

Every URL is looked up by a *key*: the path without the site's base path, without a trailing
`/`, `index.html`, `.html` or (for pages) `.md`, and in lower case when the host ignores case.
So `/billing/refunds/`, `/billing/refunds.html` and `/billing/refunds` are one page, as every
static host serves them.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

import pathspec

#: What `generator` may be set to ("auto" detects it from the repository).
GENERATORS = ("auto", "docfx", "jekyll", "hugo", "docusaurus", "mkdocs", "gitbook", "none")

#: How the notice naming the generator starts (printed as information, not as a warning).
SITE_NOTICE = "reading the site as "

#: Page names that stand for their folder's URL.
INDEX_STEMS = ("index", "readme", "_index")


class NavEntry(NamedTuple):
    """One entry of a navigation file (toc.yml, SUMMARY.md, mkdocs `nav`) that names a page:
    reported at the navigation file's line when the page is missing."""

    file: str  # the navigation file, root-relative
    line: int
    target: str  # as written
    path: str  # the root-relative file it names


@dataclass(frozen=True)
class SiteSpec:
    """How a repository is published: the generic model every preset fills in and
    `[site]` can override part by part. All paths are POSIX and root-relative; URL paths
    start with `/` and do not include the site's base path."""

    generator: str = "none"
    #: The file the description was read from (root-relative or absolute), for the notice.
    source: str | None = None
    #: `site_url`: absolute links to this host are internal. Its path is the base path.
    url: str | None = None
    #: The base path the whole site is served under (`/docs` for a Jekyll `baseurl`).
    base: str = ""
    #: URL prefix -> folder: `("/", "docs/")` serves `docs/a/b.md` at `/a/b/`. Longest
    #: prefix wins; a root-relative URL under no prefix belongs to another site.
    paths: tuple[tuple[str, str], ...] = (("/", ""),)
    #: Folders whose files are served as they are, at the site root (`static/img/a.png`
    #: at `/img/a.png`).
    static: tuple[str, ...] = ()
    #: URL paths the generator or its theme serves with no file in the repository.
    provided: tuple[str, ...] = ()
    #: Old URL path (starting with `/`) or old root-relative file -> where it goes now: a URL
    #: path, a root-relative file or an absolute URL.
    redirects: tuple[tuple[str, str], ...] = ()
    #: The host also redirects URLs no file lists (a template computes them): a URL the site
    #: does not publish may be one of them, so it is not reported offline (FOREIGN).
    unlisted_redirects: bool = False
    #: Globs of Markdown files that are link targets but not articles (include fragments).
    not_articles: tuple[str, ...] = ()
    #: Globs of the files the site publishes as pages; empty: every Markdown file.
    content: tuple[str, ...] = ()
    #: Globs never part of the site (build output, vendored gems, themes).
    excluded: tuple[str, ...] = ()
    #: File suffixes that are articles.
    suffixes: tuple[str, ...] = (".md", ".markdown")
    #: Suffixes of files that are not articles but are served as pages at a URL the page
    #: rules give them (Docusaurus `src/pages/help.js` at `/help`).
    page_suffixes: tuple[str, ...] = ()
    case_sensitive: bool = True
    #: How a page's URL follows from its file: "pretty" (`a/b.md` at `/a/b/`), "html"
    #: (`/a/b.html`), "bare" (`/a/b`, as Microsoft Learn serves docfx pages) or "file"
    #: (`/a/b.md`, as GitHub serves a folder).
    page_urls: str = "file"
    #: Relative links are resolved against the page's published URL as well as its file.
    relative_urls: bool = False
    anchor_style: str | None = None
    link_style: str | None = None
    #: Template syntax whose expressions may stand in links: "liquid" or "hugo".
    templates: str | None = None
    #: Markdown extensions of the generator the parser must know ("docfx").
    dialect: str | None = None
    nav: tuple[NavEntry, ...] = ()
    #: Every file the description was read from: a change to one is a change to the site.
    inputs: tuple[str, ...] = ()
    #: Per-page URL rules of the generator (front-matter permalinks, slugs, aliases...).
    pages: PageRules | None = field(default=None, compare=False)
    #: The folder (root-relative prefix) include paths start from, when they are not
    #: relative to the article (pymdownx.snippets' `base_path`).
    include_base: str | None = None
    #: The URL prefixes are shared with other sites of the same host (Microsoft Learn: the
    #: docsets of many repositories live under `/powershell/module/`): a URL is this
    #: site's only where its folder holds one of this site's files, else it is FOREIGN.
    shared_prefixes: bool = False
    #: Fragment prefixes the generator gives a meaning without a heading (docfx `tab/`).
    ignore_fragments: tuple[str, ...] = ()
    #: Preset-specific rewriting of a link as written (templates, `~/`, `@site/`).
    rewrite: Rewrite | None = field(default=None, compare=False)
    #: Per-file URL rule for files that are not pages: (spec, path, URL it would be served
    #: at) -> its URLs (empty: not served), or None for that URL (Jekyll serves a static
    #: file in a collection at the collection's permalink, and none in `_layouts`).
    files: FileRules | None = field(default=None, compare=False)
    #: Folder globs (`versioned_docs/version-*/`) each of whose matches holds one version of
    #: the docs: the same page in two versions is a copy by design, so content rules compare
    #: pages within one version only.
    variants: tuple[str, ...] = ()
    #: Front matter the site gives its files (docfx `globalMetadata`, `fileMetadata`):
    #: (gitignore-style glob from the root, key, value), the last matching entry winning.
    inherited: tuple[tuple[str, str, Any], ...] = ()
    #: Warnings about the files the description was read from.
    notices: tuple[str, ...] = ()


class PageUrls(NamedTuple):
    """Where one page is published, and the old URLs that redirect to it."""

    urls: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    #: Where the page sends its reader instead (Jekyll's `redirect_to`, docfx's
    #: `redirect_url`): its URLs redirect there rather than serve it.
    redirect: str | None = None


class Rewritten(NamedTuple):
    """A link as the generator reads it: `kind` "file" (a root-relative file path), "url"
    (a URL to resolve as usual) or "skip" (not checkable offline: `xref:`, an unknown
    template expression). A "file" may name `alternatives`: the files the generator tries
    next, in order, when `value` does not exist (Docusaurus looks for `intro.md` beside the
    page, then in the docs folder, then in the site folder). Kind "page" is a "file" the
    generator looks up and, when none of the files exists, leaves as written (Hugo's link
    render hooks try `.GetPage`, then pass the URL on): then the link is read as usual."""

    kind: str
    value: str = ""
    alternatives: tuple[str, ...] = ()


#: A preset's link rewriting: (spec, link as written, article path) -> how to read it, or
#: None to read it as written. Must be a pure function of its arguments.
Rewrite = Callable[["SiteSpec", str, str], Rewritten | None]


#: A preset's rule for a file that is not a page: (spec, path, URL) -> its URLs, or None
#: for the URL given. Must be a pure function of its arguments.
FileRules = Callable[["SiteSpec", str, str], tuple[str, ...] | None]

#: A preset's per-page rule: (spec, path, front matter, default URL) -> its URLs, or None
#: for the default. Must be a pure function of its arguments.
PageRules = Callable[[SiteSpec, str, Mapping[str, Any], str], PageUrls | None]

FOUND = "found"
MISSING = "missing"
CASE_MISMATCH = "case-mismatch"
REDIRECTED = "redirected"
#: A root-relative URL under no path this repository publishes: another site's page.
FOREIGN = "foreign"


class UrlLookup(NamedTuple):
    status: str
    #: The file found (FOUND, CASE_MISMATCH) or where the redirect leads (REDIRECTED).
    file: str | None = None


class Site:
    """`SiteSpec` applied to one run's files: which URL serves which file, built once."""

    def __init__(self, spec: SiteSpec, files: Iterable[str], metas: Mapping[str, Mapping]):
        self.spec = spec
        self.generator = spec.generator
        self._fold = not spec.case_sensitive
        self._pages: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        #: The URL each page is published at (with its trailing slash or `.html`).
        self.url_of: dict[str, str] = {}
        self._redirects: dict[str, str] = {}
        self._file_redirects: dict[str, str] = {}
        #: The other files served at a page's URL (versions of one page, docfx monikers).
        self._versions: dict[str, list[str]] = {}
        #: URL folders (keys) holding a served file, for `shared_prefixes`.
        self._folders: set[str] = set()
        self._prefixes = tuple(
            sorted(
                ((_clean_prefix(prefix), _clean_folder(folder)) for prefix, folder in spec.paths),
                key=lambda pair: -len(pair[0]),
            )
        )
        #: The same pairs, the most specific folder first: a file is served through the
        #: mapping of the deepest folder that holds it (docfx maps `a/` and `a/b/` apart).
        self._by_folder = tuple(sorted(self._prefixes, key=lambda pair: -len(pair[1])))
        self._provided = frozenset(self.key(url) for url in spec.provided)
        not_articles = _spec(spec.not_articles)
        for path in sorted(files):
            self._add_file(path, metas.get(path), not_articles)
        for old, new in spec.redirects:
            if old.startswith("/") or "://" in old:
                self._redirects.setdefault(self.key(old), new)
                continue
            # An old file: links to the file, and to the URL it was published at, redirect.
            old = old.removeprefix("./")
            self._file_redirects[old] = new
            served = self.served_at(old)
            if served is not None:
                self._redirects.setdefault(self.key(page_url(served, spec.page_urls)), new)

    def fingerprint(self) -> tuple[object, ...]:
        """Everything a link's verdict can depend on, as plain data (for cache keys)."""
        spec = self.spec
        return (
            spec.generator,
            spec.base,
            spec.url,
            self._prefixes,
            spec.case_sensitive,
            spec.relative_urls,
            spec.shared_prefixes,
            spec.ignore_fragments,
            spec.include_base,
            sorted(self._pages.items()),
            sorted(self.url_of.items()),
            sorted(self._versions.items()),
            sorted(self._redirects.items()),
            sorted(self._file_redirects.items()),
            [tuple(entry) for entry in spec.nav],
            spec.static,
            spec.provided,
            spec.unlisted_redirects,
            # a rewrite is code: its module's source is part of kbcheck's own digest
            spec.rewrite is not None,
        )

    # --- building ----------------------------------------------------------------------------

    def _add_file(
        self, path: str, meta: Mapping | None, not_articles: pathspec.PathSpec | None
    ) -> None:
        spec = self.spec
        served = self.served_at(path)
        if served is None:
            return
        lowered = path.lower()
        is_page = (
            lowered.endswith(spec.suffixes)
            and not (not_articles is not None and not_articles.match_file(path))
        ) or bool(spec.page_suffixes and lowered.endswith(spec.page_suffixes))
        if not is_page:
            urls = spec.files(spec, path, served) if spec.files else None
            for url in (served,) if urls is None else urls:
                self._serve(url, path)
            return
        default = page_url(served, spec.page_urls)
        found = spec.pages(spec, path, meta or {}, default) if spec.pages else None
        urls = found.urls if found is not None else (default,)
        if urls:
            self.url_of[path] = urls[0]
        redirect = found.redirect if found is not None else None
        for url in urls:
            if redirect:
                self._redirects.setdefault(self.key(url), redirect)
            else:
                self._serve(url, path)
        if found is not None:
            for alias in found.aliases:
                self._redirects.setdefault(self.key(alias), redirect or (urls[0] if urls else path))

    def served_at(self, path: str) -> str | None:
        """The URL a file is served at as it is (before page rules), or None when the site
        does not publish it."""
        for folder in self.spec.static:
            folder = _clean_folder(folder)
            if path.startswith(folder):
                return "/" + path[len(folder) :]
        for prefix, folder in self._by_folder:
            if path.startswith(folder):
                return prefix + path[len(folder) :]
        return None

    def _serve(self, url: str, path: str) -> None:
        key = self.key(url)
        first = self._pages.setdefault(key, path)
        if first != path:
            self._versions.setdefault(first, []).append(path)
        if self.spec.shared_prefixes:
            self._folders.add(posixpath.dirname(key) if key else key)
            if url.endswith("/"):
                self._folders.add(key)
        if not self._fold:
            self._folded.setdefault(key.lower(), path)

    # --- looking up --------------------------------------------------------------------------

    def key(self, url: str) -> str:
        """The lookup key of a URL path (see the module's docstring)."""
        path = url.partition("#")[0].partition("?")[0]
        if "%" in path:
            path = unquote(path)
        if "://" in path:
            path = urlsplit(path).path
        base = self.spec.base.rstrip("/")
        probe = path.lower() if self._fold else path
        if self._fold:
            base = base.lower()
        if base and (probe == base or probe.startswith(base + "/")):
            path = path[len(base) :]
        if not path.startswith("/"):
            path = "/" + path
        path = posixpath.normpath(path) if ("/." in path or "//" in path) else path
        lowered = path.lower()
        for suffix in ("/index.html", "/index.htm", ".html", ".htm", "/"):
            if lowered.endswith(suffix):
                path = path[: -len(suffix)]
                lowered = lowered[: -len(suffix)]
                break
        if lowered.endswith(self.spec.suffixes):
            stem = posixpath.splitext(path)[0]
            name = posixpath.basename(stem).lower()
            path = posixpath.dirname(stem) if name in INDEX_STEMS else stem
            if path == "/":
                path = ""
        return path.lower() if self._fold else path

    def lookup(self, url: str) -> UrlLookup:
        """What the site serves at a root-relative URL path (with the base path, when the
        site has one: a path outside it is another site's)."""
        if not self._under_base(url):
            return UrlLookup(FOREIGN)
        key = self.key(url)
        found = self._pages.get(key)
        if found is not None:
            return UrlLookup(FOUND, found)
        redirect = self._redirects.get(key)
        if redirect is not None:
            return UrlLookup(REDIRECTED, redirect)
        if key in self._provided:
            return UrlLookup(FOUND)
        if not self._fold:
            variant = self._folded.get(key.lower())
            if variant is not None:
                return UrlLookup(CASE_MISMATCH, variant)
        if self.spec.unlisted_redirects or not self.publishes(key):
            return UrlLookup(FOREIGN)
        if self.spec.shared_prefixes and posixpath.dirname(key) not in self._folders:
            return UrlLookup(FOREIGN)  # a folder of another site under the same prefix
        return UrlLookup(MISSING)

    def provides(self, url: str) -> bool:
        """Whether the generator itself serves `url` (a theme's file), whatever the files."""
        return self.key(url) in self._provided

    def _under_base(self, url: str) -> bool:
        base = self.spec.base.rstrip("/")
        if not base or "://" in url:
            return True
        path = url.partition("#")[0].partition("?")[0]
        path = unquote(path) if "%" in path else path
        if self._fold:
            path, base = path.lower(), base.lower()
        return path == base or path.startswith(base + "/")

    def versions(self, path: str) -> tuple[str, ...]:
        """The other files the site serves at the URL of `path` (a page published in
        several versions: which one a reader sees depends on the version chosen)."""
        return tuple(self._versions.get(path, ()))

    def redirect_for_file(self, path: str) -> str | None:
        """Where a deleted file's redirect leads (docfx's `source_path`, mkdocs-redirects)."""
        return self._file_redirects.get(path)

    def publishes(self, key: str) -> bool:
        """Whether a URL key lies under a path this repository publishes."""
        folded = key.lower() if self._fold else key
        for prefix, _ in self._prefixes:
            bare = prefix.rstrip("/")
            probe = bare.lower() if self._fold else bare
            if not bare or folded == probe or folded.startswith(probe + "/"):
                return True
        return False

    def page_url(self, path: str) -> str | None:
        """The URL a page is published at, when it is a page of the site."""
        return self.url_of.get(path)

    def public_url(self, path: str) -> str | None:
        """The URL a file is published at, with the site's base path, as a link would be
        written from the site's root; None when the site does not publish it."""
        url = self.url_of.get(path)
        if url is None:
            url = self.served_at(path)
        if url is None:
            return None
        return self.spec.base.rstrip("/") + url

    def target_of(self, redirect: str) -> str:
        """A redirect's destination as the hint names it: the file when the site serves it,
        else the URL."""
        if "://" in redirect or not redirect.startswith("/"):
            return redirect  # an absolute URL, or a file
        found = self._pages.get(self.key(redirect))
        return found or redirect


def page_url(served: str, style: str) -> str:
    """The URL a page file is published at, from the URL its file would be served at."""
    stem, _ = posixpath.splitext(served)
    folder, name = posixpath.split(stem)
    if name.lower() in INDEX_STEMS:
        return folder.rstrip("/") + "/"
    if style == "pretty":
        return stem + "/"
    if style == "html":
        return stem + ".html"
    if style == "bare":
        return stem
    return served


def _clean_prefix(prefix: str) -> str:
    prefix = "/" + prefix.strip("/")
    return prefix if prefix == "/" else prefix + "/"


def _clean_folder(folder: str) -> str:
    folder = folder.strip("/").removeprefix("./")
    return "" if folder in ("", ".") else folder + "/"


def _spec(globs: Iterable[str]) -> pathspec.PathSpec | None:
    patterns = list(globs)
    return pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None


PLAIN = SiteSpec()


def variant_patterns(globs: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """`SiteSpec.variants` as segment lists, the deepest first."""
    patterns = {tuple(part for part in glob.strip("/").split("/") if part) for glob in globs}
    return tuple(sorted((p for p in patterns if p), key=lambda parts: (-len(parts), parts)))


def variant_of(path: str, patterns: tuple[tuple[str, ...], ...]) -> str | None:
    """The folder of `path` matched by one of `patterns` (each segment an fnmatch glob)."""
    if not patterns:
        return None
    parts = path.split("/")[:-1]
    for pattern in patterns:
        if len(pattern) <= len(parts) and all(
            fnmatch.fnmatchcase(part, glob) for part, glob in zip(parts, pattern, strict=False)
        ):
            return "/".join(parts[: len(pattern)]) + "/"
    return None
