"""The commented configuration `kbcheck init` writes."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbcheck.site.model import SiteSpec


_TEMPLATE = """\
# kbcheck configuration. Every key is optional; delete what you do not need.
# Reference: the "Configuration" section of kbcheck's README.

# The knowledge-base root: root-relative links (/billing/refunds.md) start here.
# root = "."

# Articles that are not published (gitignore-style globs, relative to the root), on top of
# what is always left out: anything git ignores, vendor/ at the root, and the folders
{skipped}
exclude = ["drafts/**"]

# Drafts and unpublished pages (draft: true, published: false, unlisted: true, build.render
# never, a future publishDate or a past expiryDate) and, with a site generator, top-level
# repository files without front matter (CONTRIBUTING.md, LICENSE.md...) are not reported.
# check_unpublished = false

# Absolute links to this host are checked as internal links.
# site_url = "https://help.example.com"

# How headings become #anchors (default: as the site generator below makes them, else github).
# anchor_style = "github"   # github | gitlab | mkdocs | docusaurus | markdig | hugo | ...

# Without a site generator: "file" (refunds.md, as GitHub/GitLab serve it) or "pretty"
# (refunds, refunds/ or refunds.html also mean refunds.md).
# link_style = "file"

# Known owners (people and teams): owner/unknown reports any other owner. Without owners,
# owners_file, [[people]] or [[teams]] every owner is accepted.
# owners = ["billing-team", "ana@example.com"]
# owners_file = "owners.yaml"   # or a CSV (name,email,team,status) or a CODEOWNERS file
# Articles without an owner in their front matter take the owners CODEOWNERS gives their
# path (false: never; or the path of another file).
# codeowners = true

# Rules to skip everywhere (ids or prefixes such as "links").
# ignore = []

# Date formats accepted in front matter besides YYYY-MM-DD (strftime codes).
# date_formats = ["%m/%d/%Y"]

# Articles larger than this are not parsed (file/too-large): a megabyte of Markdown already
# takes seconds, and larger files are generated output or hostile.
# max_article_size = "1MB"

{site}
[age]
# How often an article must be re-verified unless a policy or the article says otherwise.
review_every = "180d"
# Where review dates come from: "frontmatter" (last_reviewed only), "git" (the last commit),
# or "frontmatter-then-git" (last_reviewed, else the last commit). A commit never overrides a
# last_reviewed date. In CI, git dates need the full history (actions/checkout fetch-depth: 0).
source = "frontmatter-then-git"
# A commit that changes more articles than this (a key removed from every page, a reformat)
# is maintenance, not an edit: the commit before it dates each page. Commits listed in
# .git-blame-ignore-revs are maintenance too. 0 counts every commit.
# bulk_commit = 100

# Stricter intervals for some folders; the first matching policy wins.
# [[policy]]
# paths = ["billing/**", "security/**"]
# review_every = "90d"
# severity = "error"          # severity of age/stale for these articles

# `kbcheck check --external` also requests every http(s) link (each URL once).
# [external]
# concurrency = 64
# per_host = 4
# timeout = "10s"
# exclude_urls = ['^https://intranet\\.example\\.com/']   # regular expressions
# cache_max_age = "1d"
# [external.headers."api.example.com"]
# Authorization = "Bearer ${DOCS_API_TOKEN}"

# Canonical facts: an article stating the subject (a regular expression) with another value
# is reported by contradiction/fact-mismatch; equal values in other units agree.
# [facts.refund_window]
# value = "30 days"
# match = "refund (window|period)|refunds? (are|is) accepted"

# Retired product names, features or plans: content/retired-term reports them, with the note.
# [retired_terms]
# "Classic Dashboard" = "removed in 2025; use the Insights page"

# One person and every name, e-mail and handle they go by (owner/unknown, owner/inactive,
# --owner and --group-by use them all). status = "left" makes owner/unknown report them.
# [[people]]
# name = "Ana Lopez"
# email = ["ana@example.com"]
# handle = "@ana"
# teams = ["billing-team"]

# An owner with no commit in the knowledge base for this long is reported (info).
# [rules."owner/inactive"]
# after = "365d"

# Front-matter key names, if your articles use other names.
# [keys]
# last_reviewed = "ms.date"
# reviewed_by = "ms.reviewer"
# owner = "author"
"""


_SITE = """\
# How the help center is published: links, redirects, heading ids and which files are
# articles are read as this generator serves them.
# {detected}
[site]
generator = "{generator}"   # auto | docfx | jekyll | hugo | docusaurus | mkdocs | gitbook | none
# Any part of the generic model can be set by hand; each replaces what the generator says.
# url = "https://help.example.com"          # absolute links to this host are internal
# paths = {{ "/billing/" = "kb/billing/" }}   # URL prefix -> folder it serves
# static = ["static/"]                       # folders served as they are at the site root
# redirects = "redirects.csv"                # old URL or file -> new URL (CSV, JSON or YAML)
# not_articles = ["includes/**"]             # link targets that are not articles
# case_sensitive = true                      # false: no links/case-mismatch findings
# variants = ["api/*/"]                      # one folder per docs version: compared apart
"""


def _template() -> str:
    from kbcheck.corpus import SKIPPED_FOLDERS

    skipped = textwrap.fill(
        ", ".join(sorted(SKIPPED_FOLDERS)) + ".",
        width=94,
        initial_indent="# ",
        subsequent_indent="# ",
    )
    return _TEMPLATE.replace("{skipped}", skipped)


def starter_config(site: SiteSpec | None = None) -> str:
    """The starter configuration, with the site generator detected in the folder (if any)."""
    if site is None or site.generator == "none":
        detected = 'No generator detected: "auto" looks on each run; "none" reads plain files.'
        return _template().replace("{site}", _SITE.format(detected=detected, generator="auto"))
    source = f" from {site.source}" if site.source else ""
    detected = f'Detected{source}; "none" reads links as plain files instead.'
    section = _SITE.format(detected=detected, generator=site.generator)
    return _template().replace("{site}", section + _conventions(site.generator))


_LOGICAL_NAMES = {"last_reviewed": "review date", "owner": "owner", "review_every": "interval"}


def _conventions(generator: str) -> str:
    """The generator's own front-matter keys kbcheck reads, one commented line each."""
    from kbcheck.conventions import date_formats, fallbacks

    table = fallbacks(generator)
    if not table:
        return ""
    lines = [
        f"# Read from the {generator} front matter when the [keys] above are absent (first wins):"
    ]
    for logical, keys in table.items():
        written = ", then ".join(keys)
        if logical == "last_reviewed" and date_formats(generator):
            written += f" (also written {' or '.join(date_formats(generator))})"
        lines.append(f"#   {_LOGICAL_NAMES.get(logical, logical)}: {written}")
    return "\n".join(lines) + "\n"


STARTER_CONFIG = starter_config()
