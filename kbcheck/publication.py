"""Which articles customers cannot read: drafts, unpublished pages, repository files.

A help center's repository holds pages no customer sees: drafts (`draft: true` in Hugo,
Docusaurus and MkDocs Material's blog), pages switched off (`published: false` in Jekyll,
Hugo's `build: {render: never}`), pages hidden from every list (Docusaurus `unlisted: true`),
pages whose Hugo `publishDate` is still ahead or whose `expiryDate` has passed, and the
repository's own files (`CONTRIBUTING.md`, `LICENSE.md`) that a site generator does not
publish. Reporting them as customer-facing would send owners to fix pages nobody reads, so
they are left out of the report unless `check_unpublished = true`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from datetime import date

from kbcheck.dates import loose_date
from kbcheck.model import Article

#: Files GitHub and the generators' own conventions keep at a repository's top for
#: contributors, not readers (jekyll-optional-front-matter leaves the same names out).
REPOSITORY_FILES = frozenset(
    {
        "CHANGELOG",
        "CODE_OF_CONDUCT",
        "CODEOWNERS",
        "CONTRIBUTING",
        "COPYING",
        "ISSUE_TEMPLATE",
        "LICENCE",
        "LICENSE",
        "PULL_REQUEST_TEMPLATE",
        "README",
        "SECURITY",
        "SUPPORT",
    }
)
#: Hugo's front-matter names for when a page goes live and when it is taken down
#: (`publishDate` with its aliases `pubdate` and `published`; `expiryDate`, `unpublishdate`).
_PUBLISH_DATES = ("publishdate", "pubdate", "published")
_EXPIRY_DATES = ("expirydate", "unpublishdate")


def unpublished_reason(
    article: Article, today: date, generator: str, root_files: Iterable[str] = ()
) -> str | None:
    """Why customers never see `article` (the front matter that says so), or None.

    `root_files` are the names of the files at the knowledge base's top: a Jekyll site
    publishes its README as the home page only when it has no index page of its own."""
    meta = {str(key).lower(): value for key, value in article.meta.items()}
    if meta.get("draft") is True:
        return "draft: true"
    if meta.get("published") is False:
        return "published: false"
    if meta.get("unlisted") is True:
        return "unlisted: true"
    build = meta.get("build", meta.get("_build"))
    if isinstance(build, Mapping):
        render = build.get("render")
        if render is False or (isinstance(render, str) and render.lower() in ("never", "false")):
            return "build: {render: never}"
    for key in _PUBLISH_DATES:
        when = loose_date(meta.get(key))
        if when is not None and when > today:
            return f"{key}: {when.isoformat()} is in the future"
    for key in _EXPIRY_DATES:
        when = loose_date(meta.get(key))
        if when is not None and when <= today:
            return f"{key}: {when.isoformat()} has passed"
    if generator != "none" and _repository_file(article, generator, root_files):
        return "a repository file the site does not publish"
    return None


def _repository_file(article: Article, generator: str, root_files: Iterable[str]) -> bool:
    """A contributor file at the top of the knowledge base, named in capitals as GitHub's
    conventions have it (a help page called `security.md` is an article), without front
    matter (which would make it a page on purpose)."""
    if "/" in article.path or article.has_frontmatter:
        return False
    stem = posixpath.splitext(article.path)[0]
    if stem not in REPOSITORY_FILES:
        return False
    if stem == "README":
        # GitBook and MkDocs publish a README as its folder's page; Jekyll (readme-index)
        # only when the folder has no index page; docfx, Hugo and Docusaurus never read the
        # top of the repository as content.
        if generator in ("gitbook", "mkdocs", "custom"):
            return False
        if generator == "jekyll":
            return any(posixpath.splitext(name)[0] == "index" for name in root_files)
    return True
