"""Where a link in an article points: another article, a file, an anchor, or the web.

Shared by the link rules and by `--changed-since` (which must know which unchanged articles
point at a changed one), so that both agree on what a link means. Resolution happens in two
steps: `resolve` turns the URL as written into a root-relative path (pure string work, no
file system), and `locate` finds the file the published site would serve for that path, using
the list of files discovery already made (nothing outside the root is ever read).
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from kbcheck.corpus import Corpus, CorpusView
    from kbcheck.model import Article, Link
    from kbcheck.site.model import Site, UrlLookup

EXTERNAL = "external"  # http(s) to another host
INTERNAL = "internal"  # a path inside the knowledge base (maybe with a fragment)
OUTSIDE = "outside"  # a relative path that climbs out of the root, a file: URL, C:\...
OTHER = "other"  # mailto:, tel:, data:, ftp: ... never checked as files
EMPTY = "empty"

LINK_STYLES = ("file", "pretty")

#: Files a site generator serves for a folder URL, in the order they are tried.
FOLDER_INDEXES = ("index.md", "README.md", "index.markdown", "README.markdown", "readme.md")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_PAGE_SUFFIXES = (".html", ".htm")


class Target(NamedTuple):
    """What a URL as written means. A named tuple, like `Located` and `ResolvedLink`: a
    large knowledge base makes hundreds of thousands of them per run, and a tuple is built
    several times faster than a frozen dataclass."""

    kind: str
    url: str
    path: str | None = None  # POSIX, relative to the root, for INTERNAL ("" is the root)
    fragment: str | None = None  # decoded, without '#'
    #: Written from the site's root (`/billing/refunds`) or as an absolute URL on the site,
    #: rather than relative to the article: a URL, where a site generator is in use.
    rooted: bool = False


#: Marks a resolved link to the page it is written in (a `#fragment` alone) until
#: `resolve` puts the article's own path in: the answers are shared by a whole folder.
_THIS_PAGE = "\0this page"


def resolve(url: str, article_path: str, site_url: str | None = None) -> Target:
    """Resolve `url` as written in the article at `article_path` (both POSIX). Query strings
    are dropped (a static host ignores them) and percent-escapes decoded (`my%20file.md`)."""
    target = _resolve_memoised(url, article_path.rpartition("/")[0], site_url)
    if target.path == _THIS_PAGE:
        return target._replace(path=article_path)
    return target


@lru_cache(maxsize=4096)
def _resolve_memoised(url: str, folder: str, site_url: str | None) -> Target:
    """For callers outside a run's link resolution (`--traffic`, tests); `article_links`
    keeps its own memo for the run, which goes when the run ends."""
    return _resolve(url, folder, site_url)


def _resolve(url: str, folder: str, site_url: str | None) -> Target:
    """`resolve` for any article in `folder`: the articles of one folder link to the same
    pages, so callers memoise per folder (urlsplit is not cheap)."""
    stripped = url.strip()
    if not stripped:
        return Target(EMPTY, url)
    if ":" not in stripped and not stripped.startswith("//"):
        # A plain relative or root-relative path, most links of a knowledge base: split it by
        # hand, as urlsplit would, without urlsplit's cost.
        before_fragment, has_fragment, raw_fragment = stripped.partition("#")
        path = before_fragment.partition("?")[0]
        fragment = _unquote(raw_fragment) if has_fragment else None
        if not path:
            return Target(INTERNAL, url, _THIS_PAGE, fragment)
        return _internal(url, path, folder, fragment, None)
    try:
        parts = urlsplit(stripped)
    except ValueError:
        return Target(OTHER, url)
    fragment = _unquote(parts.fragment) if "#" in stripped else None
    if parts.scheme:
        scheme = parts.scheme.lower()
        if scheme in ("http", "https"):
            if site_url and _same_site(parts.netloc, site_url):
                return _internal(url, parts.path or "/", "", fragment, site_url)
            return Target(EXTERNAL, url)
        if len(parts.scheme) == 1 or scheme == "file":  # C:\docs or file:///etc
            return Target(OUTSIDE, url)
        return Target(OTHER, url)
    if parts.netloc:  # //host/path: protocol-relative, another site
        return Target(EXTERNAL, url)
    if not parts.path:
        return Target(INTERNAL, url, _THIS_PAGE, fragment)
    return _internal(url, parts.path, folder, fragment, None)


def _unquote(text: str) -> str:
    """urllib's unquote, without its cost for the usual text that has nothing to decode."""
    return unquote(text) if "%" in text else text


def _internal(
    url: str, raw_path: str, folder: str, fragment: str | None, site_url: str | None
) -> Target:
    path = _unquote(raw_path)
    if site_url:
        base = urlsplit(site_url).path.rstrip("/")
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base) :] or "/"
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
    return Target(INTERNAL, url, normalised, fragment, path.startswith("/"))


def _same_site(netloc: str, site_url: str) -> bool:
    site = urlsplit(site_url).netloc.lower()
    return bool(site) and netloc.lower() == site


# --- finding the file ------------------------------------------------------------------------

FOUND = "found"
MISSING = "missing"
CASE_MISMATCH = "case-mismatch"  # exists only with other letter case
OUTSIDE_ROOT = "outside-root"  # a symbolic link inside the root that leads out of it
REDIRECTED = "redirected"  # gone, but the site redirects it (`file` is where to)
FOREIGN = "foreign"  # a URL of the same host outside what this repository publishes


class Located(NamedTuple):
    """What a root-relative path names on disk. `file` is the file found (for FOUND), the
    differently-cased file (CASE_MISMATCH) or the escaping symlink (OUTSIDE_ROOT). A folder
    without an index page is FOUND with `file` ending in "/"."""

    status: str
    file: str | None = None


def candidates(path: str, link_style: str = "file", image: bool = False) -> list[str]:
    """The files a site could serve for `path`, most specific first.

    `file` style (GitHub, GitLab, plain folders): the path itself, or for a folder its index
    page. `pretty` style (MkDocs, Docusaurus, Hugo, Jekyll permalinks): `refunds`,
    `refunds/` and `refunds.html` also mean `refunds.md`. Images are only ever the file."""
    bare = path.rstrip("/")
    folder_only = path.endswith("/") or not bare
    found: list[str] = []
    if not folder_only:
        found.append(bare)
    if image:
        return found
    if link_style == "pretty" and bare:
        stem, suffix = posixpath.splitext(bare)
        if suffix.lower() in _PAGE_SUFFIXES:
            found.extend(stem + markdown for markdown in _MARKDOWN_SUFFIXES)
        elif suffix.lower() not in _MARKDOWN_SUFFIXES:
            found.extend(bare + markdown for markdown in _MARKDOWN_SUFFIXES)
    found.extend(f"{bare}/{index}" if bare else index for index in FOLDER_INDEXES)
    return found


def locate(
    corpus: Corpus | CorpusView, path: str, link_style: str = "file", image: bool = False
) -> Located:
    """Find the file a resolved INTERNAL path names, using only discovery's file list."""
    escaping = _escaping_symlink(corpus, path.rstrip("/"))
    if escaping is not None:
        return Located(OUTSIDE_ROOT, escaping)
    if path in corpus.files:  # the common case, without building the candidate list
        return Located(FOUND, path)
    options = candidates(path, link_style, image)
    for candidate in options:
        if candidate in corpus.files:
            return Located(FOUND, candidate)
    bare = path.rstrip("/")
    if not image and corpus.is_folder(bare):
        return Located(FOUND, bare + "/" if bare else "")
    for candidate in options:
        variants = corpus.case_variants(candidate)
        if variants:
            return Located(CASE_MISMATCH, variants[0])
    return Located(MISSING)


def _escaping_symlink(corpus: Corpus | CorpusView, path: str) -> str | None:
    """The path itself or the first folder on it that is a symlink leading out of the root."""
    if not corpus.outside or not path:
        return None
    parts = path.split("/")
    for end in range(1, len(parts) + 1):
        prefix = "/".join(parts[:end])
        if prefix in corpus.outside:
            return prefix
    return None


class ResolvedLink(NamedTuple):
    """One link of an article together with what it means and, for internal links, which
    file it reaches."""

    article: Article
    link: Link
    target: Target
    located: Located | None = None


def article_links(
    article: Article,
    corpus: Corpus | CorpusView,
    site_url: str | None,
    link_style: str = "file",
    site: Site | None = None,
) -> list[ResolvedLink]:
    """Every link and image of `article`, resolved and, when internal, located (through the
    published `site` when there is one). Each distinct URL is resolved once per folder and
    each distinct path located once per run: thousands of links name the same pages, and
    this runs for every link of the corpus."""
    # Every answer depends on the files under the root: read them (which a `CorpusView`
    # notes) whether or not the answers are already known.
    corpus.files  # noqa: B018 - the read is the point
    derived = corpus.derived
    resolved_urls = derived.setdefault(("link_targets.resolved", site_url), {})
    located_paths = derived.setdefault(("link_targets.located", link_style, site), {})
    assert isinstance(resolved_urls, dict) and isinstance(located_paths, dict)
    path = article.path
    folder = path.rpartition("/")[0]
    rewrite = site.spec.rewrite if site is not None else None
    found: list[ResolvedLink] = []
    for link in article.links:
        url = link.target
        target = None
        if link.syntax == "generated":  # a plugin's directive: nothing to find on disk...
            target = Target(OTHER, url)
            if link.kind == "include" and rewrite is not None:
                # ...unless the generator knows the site's own include (Hugo's `.GetPage`)
                pasted = _rewritten(site, url, path, corpus.files)  # type: ignore[arg-type]
                if pasted is not None and pasted.kind == INTERNAL:
                    target = pasted
        elif link.kind == "include" and site is not None and site.spec.include_base is not None:
            target = _rewritten_file(url, site.spec.include_base + url)
        elif rewrite is not None:
            target = _rewritten(site, url, path, corpus.files)  # type: ignore[arg-type]
        if target is None:
            target = resolved_urls.get((url, folder))
            if target is None:
                target = resolved_urls[(url, folder)] = _resolve(url, folder, site_url)
        located = None
        image = link.kind == "image"
        if target.kind == INTERNAL:
            if target.path == _THIS_PAGE:  # "#fragment" alone (no path): this page
                target = target._replace(path=path)
                located = Located(FOUND, path)
            elif target.path is not None:
                memo = (target.path, image, target.rooted)
                located = located_paths.get(memo)
                if located is None:
                    located = _locate(corpus, site, target, image, link_style)
                    located_paths[memo] = located
                if site is not None and located.status == MISSING and not target.rooted:
                    located = _on_site_from_page(site, target, path) or located
        elif target.kind == OUTSIDE and site is not None and site.spec.relative_urls:
            # `../../other/` climbs out of the files but not out of the page's URL.
            on_site = _on_site_from_page(site, target, path)
            if on_site is not None:
                target, located = target._replace(kind=INTERNAL), on_site
        found.append(ResolvedLink(article, link, target, located))
    return found


def _rewritten(site: Site, url: str, article_path: str, files: frozenset[str]) -> Target | None:
    """The link as the generator reads it (templates, `~/`, `@site/`), or None when the
    generator reads it as written."""
    spec = site.spec
    assert spec.rewrite is not None
    rewritten = spec.rewrite(spec, url, article_path)
    if rewritten is None:
        return None
    if rewritten.kind == "skip":
        return Target(OTHER, url)
    if rewritten.kind in ("file", "page"):
        target = _rewritten_file(url, rewritten.value)
        if target.path not in files:
            for alternative in rewritten.alternatives:
                other = _rewritten_file(url, alternative)
                if other.path in files:
                    return other
            if rewritten.kind == "page":
                return None  # no such page: the link is read as written
        return target
    folder = article_path.rpartition("/")[0]
    target = _resolve(rewritten.value, folder, spec.url)
    return target._replace(url=url)


def _rewritten_file(url: str, value: str) -> Target:
    """A link the generator reads as a root-relative file path (`value`, maybe `#fragment`)."""
    before, has_fragment, fragment = value.partition("#")
    normalised = posixpath.normpath(before.lstrip("/")) if before.strip("/") else ""
    if normalised == ".." or normalised.startswith("../"):
        return Target(OUTSIDE, url, normalised)
    return Target(INTERNAL, url, normalised, _unquote(fragment) if has_fragment else None)


def _locate(
    corpus: Corpus | CorpusView, site: Site | None, target: Target, image: bool, link_style: str
) -> Located:
    """The file a resolved INTERNAL path names: a URL through the site when the link is
    written from the site's root, else a file (which a site may still redirect)."""
    assert target.path is not None
    if site is None:
        # An absolute URL on `site_url` names a page as the site serves it: extension-less
        # (`https://help.example.com/integrations/slack` is `integrations/slack.md`).
        style = "pretty" if "://" in target.url else link_style
        return locate(corpus, target.path, style, image)
    if target.rooted:
        # an absolute URL on the site lost the site's base path when resolved: put it back
        base = site.spec.base.rstrip("/")
        if base and "://" in target.url:
            written = _unquote(urlsplit(target.url.strip()).path)
            if written == base or written.startswith(base + "/"):
                return _from_lookup(site.lookup(base + "/" + target.path))
        return _from_lookup(site.lookup("/" + target.path))
    located = locate(corpus, target.path, link_style, image)
    if located.status == CASE_MISMATCH and not site.spec.case_sensitive:
        return Located(FOUND, located.file)
    if located.status == MISSING:
        redirect = site.redirect_for_file(target.path.rstrip("/"))
        if redirect is not None:
            return Located(REDIRECTED, redirect)
        # a file the generator adds at that URL (a built-in theme's favicon): MkDocs resolves
        # relative links against its files, the theme's among them
        url = site.served_at(target.path)
        if url is not None and site.provides(url):
            return Located(FOUND)
    return located


def _on_site_from_page(site: Site, target: Target, article_path: str) -> Located | None:
    """A relative link resolved against the page's published URL, as a browser does, when
    the generator publishes pages at URLs unlike their files (`../billing/` from
    `/help/refunds/`); None unless that finds a page or a redirect."""
    if not site.spec.relative_urls:
        return None
    page = site.page_url(article_path)
    if page is None:
        return None
    raw = target.url.strip().partition("#")[0].partition("?")[0]
    if not raw or raw.startswith("/") or ":" in raw:
        return None
    # rstrip: a page at the root (`/faq`) has the folder `/`, never `//` (which normpath keeps)
    base = page if page.endswith("/") else posixpath.dirname(page).rstrip("/") + "/"
    joined = posixpath.normpath(posixpath.join(base, _unquote(raw)))
    # page URLs are kept without the site's base path, which lookups expect
    located = _from_lookup(site.lookup(site.spec.base.rstrip("/") + joined))
    return located if located.status in (FOUND, REDIRECTED) else None


def _from_lookup(lookup: UrlLookup) -> Located:
    return Located(lookup.status, lookup.file)


def linked_files(
    article: Article,
    corpus: Corpus | CorpusView,
    site_url: str | None,
    link_style: str = "file",
    site: Site | None = None,
) -> set[str]:
    """The files under the root that `article` links to (for `--changed-since`: an unchanged
    article linking to a changed one must be checked again)."""
    reached: set[str] = set()
    for resolved in article_links(article, corpus, site_url, link_style, site):
        located = resolved.located
        if located is not None and located.status == FOUND and located.file:
            reached.add(located.file)
    return reached


def foreign_url(resolved: ResolvedLink, site_url: str | None) -> str | None:
    """The absolute URL of a link into another part of the same host (FOREIGN), which only
    `--external` can check: None for any other link, or without a `site_url`."""
    located = resolved.located
    if located is None or located.status != FOREIGN or not site_url:
        return None
    written = resolved.target.url.strip()
    if "://" in written:
        return written
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}{written}" if written.startswith("/") else None


def relative_link(from_article: str, to_path: str) -> str:
    """How an article would link to `to_path`, for 'did you mean' hints."""
    folder = posixpath.dirname(from_article) or "."
    return posixpath.relpath(to_path, folder)


def is_markdown(path: str) -> bool:
    return path.lower().endswith(_MARKDOWN_SUFFIXES)
