"""Link rules: every relative link must reach a file, every #fragment a heading, every image a
picture; with `--external`, every http(s) link must answer.

They are corpus rules because a link's verdict depends on other files; each link is resolved
through `kbcheck.link_targets`, which `--changed-since` shares, and each external URL is
checked once per run through `ctx.external`, which the three external rules share.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Mapping

from kbcheck.anchors import closest
from kbcheck.link_targets import (
    CASE_MISMATCH,
    EXTERNAL,
    FOUND,
    MISSING,
    OUTSIDE,
    OUTSIDE_ROOT,
    REDIRECTED,
    ResolvedLink,
    article_links,
    foreign_url,
    is_markdown,
    relative_link,
)
from kbcheck.link_verdicts import DEAD, OK, UNVERIFIED, Verdict
from kbcheck.model import Article, Finding, Location, Severity
from kbcheck.registry import ArticleRule, CorpusRule, RuleContext
from kbcheck.site.model import Site
from kbcheck.suggestions import NameIndex

#: Fragments every browser understands without a matching id (HTML's "scroll to top").
_ALWAYS_VALID_FRAGMENTS = {"", "top"}


def resolved_links(article: Article, ctx: RuleContext) -> list[ResolvedLink]:
    """The article's links and images, resolved and located once per run for all the link
    rules."""
    return ctx.corpus.shared(
        ("links.resolved", article.path),
        lambda: article_links(
            article,
            ctx.corpus,
            ctx.config.site_url,
            ctx.config.link_style or "file",
            ctx.corpus.site,
        ),
    )


def _suggester(ctx: RuleContext) -> _FileSuggester:
    """One per run and link style: the file and the image rule ask it the same questions."""
    link_style = ctx.config.link_style or "file"
    return ctx.corpus.shared(
        ("links.suggester", link_style), lambda: _FileSuggester(ctx.corpus.files, link_style)
    )


class _FileSuggester:
    """ "Did you mean" targets for missing files, by file name, memoised per missing name so
    that a knowledge base with many broken links stays linear."""

    def __init__(self, files: frozenset[str], link_style: str) -> None:
        self.files = files
        self.link_style = link_style
        self._names: dict[bool, dict[str, list[str]]] = {}
        self._stems: dict[bool, tuple[dict[str, list[str]], NameIndex]] = {}
        self._best: dict[tuple[str, bool], str | None] = {}

    def _index(self, images: bool) -> dict[str, list[str]]:
        names = self._names.get(images)
        if names is None:
            names = {}
            for name in self.files:
                if images != is_markdown(name):  # an image is fixed with an image
                    names.setdefault(posixpath.basename(name), []).append(name)
            self._names[images] = names
        return names

    def closest(self, path: str, images: bool) -> str | None:
        """The most likely intended file (root-relative), or None."""
        wanted = posixpath.basename(path.rstrip("/"))
        key = (wanted, images)
        if key not in self._best:
            self._best[key] = self._search(wanted, images)
        return self._best[key]

    def _search(self, wanted: str, images: bool) -> str | None:
        """Compared by name without extension, with a cutoff strict enough that an unrelated
        short name ("gone.md" → "broken.md") is not offered; same extension preferred."""
        names = self._index(images)
        if not wanted or not names:
            return None
        stem, extension = posixpath.splitext(wanted)
        stems = self._stems.get(images)
        if stems is None:
            by_stem: dict[str, list[str]] = {}
            for name in names:
                by_stem.setdefault(posixpath.splitext(name)[0], []).append(name)
            stems = (by_stem, NameIndex(by_stem))
            self._stems[images] = stems
        by_stem, index = stems
        match = index.closest(stem, cutoff=0.7)
        if match is None:
            return None
        best_name = min(
            by_stem[match], key=lambda name: (posixpath.splitext(name)[1] != extension, name)
        )
        return min(names[best_name], key=lambda candidate: (candidate.count("/"), candidate))

    def hint(self, resolved: ResolvedLink, image: bool, site: Site | None = None) -> str:
        path = resolved.target.path or ""
        bare = path.rstrip("/")
        if site is not None and resolved.target.rooted:
            # A URL: the closest page, by the URL the site publishes it at.
            suggestion = self.closest(path, image)
            url = site.public_url(suggestion) if suggestion else None
            if url:
                return f"did you mean {url}?"
            return "add the image or fix the path" if image else "fix or remove the link"
        pretty_would_find = (
            site is None
            and not image
            and self.link_style == "file"
            and not is_markdown(bare)
            and any(f"{bare}{suffix}" in self.files for suffix in (".md", ".markdown"))
        )
        if pretty_would_find:
            return (
                f"link to '{bare}.md', or set link_style = \"pretty\" if the site serves "
                "articles without their .md extension"
            )
        suggestion = self.closest(path, image)
        if suggestion:
            return f"did you mean {relative_link(resolved.article.path, suggestion)}?"
        return "add the image or fix the path" if image else "fix or remove the link"


def _missing_targets(article: Article, ctx: RuleContext, image: bool) -> Iterator[Finding]:
    """Links (or images) whose file does not exist, with a 'did you mean' hint."""
    for resolved in resolved_links(article, ctx):
        if (resolved.link.kind == "image") != image or resolved.located is None:
            continue
        if resolved.located.status != MISSING:
            continue
        what = {"image": "image", "include": "include"}.get(resolved.link.kind, "link to")
        site = ctx.corpus.site
        if site is not None and resolved.target.rooted:
            problem = f"the site publishes nothing at '/{resolved.target.path}'"
        else:
            problem = f"'{resolved.target.path}' does not exist"
        yield ctx.report(
            article,
            f"{what} '{resolved.link.target}' but {problem}",
            line=resolved.link.line,
            column=resolved.link.column,
            hint=_suggester(ctx).hint(resolved, image, site),
        )


class BrokenFileLink(ArticleRule):
    """A relative or root-relative link points at a file that does not exist.

    Why it matters:
        A customer who clicks it lands on a "page not found" in the middle of a procedure.
        It usually means the target article was renamed, moved or deleted and the pages
        linking to it were never updated.

    Example:
        ==> billing/refunds.md <==
        # Refund policy

        To download a copy first, see [export your data](../account/export-data.md).

    Fix:
        Point the link at the article's current path (the hint suggests the closest existing
        file), or remove the link if the content is gone. Links are resolved as the site
        serves them: relative to the article, `/path` from the knowledge-base root, absolute
        links to `site_url` as internal, a folder as its `index.md` or `README.md`, and with
        `link_style = "pretty"` also `refunds` or `refunds/` as `refunds.md`.
    """

    id = "links/broken-file"
    severity = Severity.ERROR

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        return _missing_targets(article, ctx, image=False)


class BrokenImage(ArticleRule):
    """A local image (Markdown `![...](...)` or HTML `<img src>`) does not exist.

    Why it matters:
        The article shows a broken-image icon where a screenshot should explain the step,
        which customers read as "this page is outdated". It usually means a screenshot was
        renamed or deleted while pages still used it.

    Example:
        ==> getting-started/tour.md <==
        # Quick tour

        ![The dashboard](../images/dashbord.png)

        <img src="../images/sidebar.png" alt="The sidebar">

    Fix:
        Point the image at the existing file (the hint suggests the closest one) or add the
        missing image to the knowledge base.
    """

    id = "links/broken-image"
    severity = Severity.ERROR

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        return _missing_targets(article, ctx, image=True)


class CaseMismatch(ArticleRule):
    """A link or image names a file that exists only with different letter case.

    Why it matters:
        It works on a laptop (macOS and Windows ignore case) and in the editor preview, then
        breaks on the Linux server that hosts the help center, where `Refunds.md` and
        `refunds.md` are different files.

    Example:
        ==> billing/refunds.md <==
        # Refunds

        ==> index.md <==
        # Help center

        Read the [refund policy](billing/Refunds.md).

    Fix:
        Write the path with the file's exact letter case (the hint gives it), or rename the
        file if the link has the case you want.
    """

    id = "links/case-mismatch"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        for resolved in resolved_links(article, ctx):
            located = resolved.located
            if located is None or located.status != CASE_MISMATCH or located.file is None:
                continue
            what = "image" if resolved.link.kind == "image" else "link"
            yield ctx.report(
                article,
                f"{what} '{resolved.link.target}' matches '{located.file}' only when letter "
                "case is ignored; it breaks on case-sensitive hosting",
                line=resolved.link.line,
                column=resolved.link.column,
                hint=f"write it as {relative_link(article.path, located.file)}",
                related=(Location(located.file),),
            )


class OutsideRoot(ArticleRule):
    """A link leaves the knowledge-base root, so the published help center cannot serve it.

    Why it matters:
        The published help center contains only the knowledge-base folder, so a link that
        climbs out with `../`, is a `file:` URL or a drive path, or goes through a symbolic
        link leading out of the root works in a local checkout and is dead for every
        customer. kbcheck never reads what lies outside the root, so it cannot vouch for the
        target either.

    Example:
        ==> billing/refunds.md <==
        # Refunds

        See the [internal runbook](../../ops/refund-runbook.md).

    Fix:
        Link to the published URL of the page instead (an absolute https link), or move the
        content into the knowledge base.
    """

    id = "links/outside-root"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        for resolved in resolved_links(article, ctx):
            located = resolved.located
            escapes_by_path = resolved.target.kind == OUTSIDE
            escapes_by_symlink = located is not None and located.status == OUTSIDE_ROOT
            if not (escapes_by_path or escapes_by_symlink):
                continue
            what = "image" if resolved.link.kind == "image" else "link"
            reason = (
                f"'{located.file}' is a symbolic link out of the knowledge base"
                if escapes_by_symlink and located is not None
                else "it points outside the knowledge-base root"
            )
            yield ctx.report(
                article,
                f"{what} '{resolved.link.target}' is not published with the help center: {reason}",
                line=resolved.link.line,
                column=resolved.link.column,
                hint="link to the page's public https URL, or move the content into the "
                "knowledge base",
            )


class BrokenAnchorLink(ArticleRule):
    """A `#fragment` names a heading or id that the target article does not have.

    Why it matters:
        The page opens, but at the top instead of the section the reader needs, and often
        the section itself was renamed because its content changed. Rewording a heading
        silently breaks every page that links to it: this rule finds them.

    Example:
        ==> billing/plans.md <==
        # Plans

        ## Annual plans

        Switch to [annual billing](#annual-billing) to save two months.

    Fix:
        Link to the heading's current anchor (the hint names the closest one), or add an
        explicit id where the heading must stay stable: `## Annual plans {#annual-billing}`
        or `<a id="annual-billing"></a>`. Anchors are computed like the renderer set in
        `anchor_style` (github, gitlab, mkdocs, docusaurus, markdig) computes them.
    """

    id = "links/broken-anchor"
    severity = Severity.ERROR

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        case_insensitive = ctx.config.anchor_style == "github"
        for resolved in resolved_links(article, ctx):
            fragment = resolved.target.fragment
            located = resolved.located
            if resolved.link.kind != "link" or located is None:
                continue
            if located.status not in (FOUND, REDIRECTED):
                continue  # a redirect keeps the fragment: the page it leads to must have it
            if fragment is None or fragment.lower() in _ALWAYS_VALID_FRAGMENTS:
                continue
            site = ctx.corpus.site
            if site is not None and fragment.startswith(site.spec.ignore_fragments or ("\0",)):
                continue  # a fragment the generator gives a meaning of its own (docfx tabs)
            if not located.file or not is_markdown(located.file):
                continue  # a folder listing or a PDF: no headings to check against
            target = ctx.corpus.get(located.file)
            if target is None or not target.readable:
                continue
            anchors = _page_anchors(target, ctx)
            if anchors is None or fragment in anchors:
                continue  # None: the page pastes in a file kbcheck does not read
            if case_insensitive and fragment.lower() in _folded_anchors(target, ctx):
                continue
            if site is not None and resolved.target.rooted and _in_versions(target, fragment, ctx):
                continue  # the heading is in another version of the page at that URL
            same_page = target.path == article.path
            suggestion = closest(fragment, target.anchors)
            where = "this page" if same_page else f"'{target.path}'"
            yield ctx.report(
                article,
                f"link to '{resolved.link.target}' but {where} has no heading or id '{fragment}'",
                line=resolved.link.line,
                column=resolved.link.column,
                hint=(
                    f"did you mean #{suggestion}?" if suggestion else "link to an existing heading"
                ),
                related=() if same_page else (Location(target.path),),
            )


def _in_versions(target: Article, fragment: str, ctx: RuleContext) -> bool:
    """Whether another file served at the URL of `target` (another version of the page)
    has the id: a URL link reaches whichever version the reader chose."""
    site = ctx.corpus.site
    assert site is not None
    for path in site.versions(target.path):
        other = ctx.corpus.get(path)
        if other is None or not other.readable:
            continue
        anchors = _page_anchors(other, ctx)
        if anchors is None or fragment in anchors:
            return True
    return False


def _folded_anchors(target: Article, ctx: RuleContext) -> frozenset[str]:
    """The target's anchors in lower case, once per run (many links point at one page)."""
    return ctx.corpus.shared(
        ("links.folded-anchors", target.path),
        lambda: frozenset(anchor.lower() for anchor in _page_anchors(target, ctx) or ()),
    )


def _page_anchors(page: Article, ctx: RuleContext) -> frozenset[str] | None:
    """The ids of the page as published: its own and those of the files it pastes in
    (docfx `[!INCLUDE]`, pymdownx snippets, Hugo's `include` shortcode), articles or
    fragments; None when it pastes in a file kbcheck has not read (a plugin's output, an HTML
    partial), whose headings it cannot know."""
    if not any(link.kind == "include" for link in page.links):
        return page.anchors
    return ctx.corpus.shared(("links.page-anchors", page.path), lambda: _pasted(page, ctx, set()))


def _pasted(page: Article, ctx: RuleContext, seen: set[str]) -> frozenset[str] | None:
    seen.add(page.path)
    anchors = set(page.anchors)
    for resolved in resolved_links(page, ctx):
        if resolved.link.kind != "include":
            continue
        located = resolved.located
        if located is None or located.status != FOUND or not located.file:
            return None  # generated by a plugin, or missing (links/broken-file's finding)
        if located.file in seen:
            continue
        pasted = ctx.corpus.get(located.file) or ctx.corpus.fragment(located.file)
        if pasted is None or not pasted.readable:
            return None
        more = _pasted(pasted, ctx, seen)
        if more is None:
            return None
        anchors |= more
    return frozenset(anchors)


class Redirected(ArticleRule):
    """A link reaches its page only through a redirect of the published site.

    Why it matters:
        The page it named was moved or deleted and the site redirects the old address, so
        the link still works today. But redirects are the first thing lost in the next site
        migration, they often land on a general page rather than the section meant, and a
        reader of the source cannot see where the link really goes.

    Example:
        ==> mkdocs.yml <==
        site_name: Help center
        plugins:
          - redirects:
              redirect_maps:
                billing/refund-policy.md: billing/refunds.md

        ==> docs/billing/refunds.md <==
        # Refunds

        ==> docs/index.md <==
        # Help center

        Read the [refund policy](billing/refund-policy.md).

    Fix:
        Link to the current page the hint names. Redirects are read from the site
        generator's own files (docfx `.openpublishing.redirection*.json`, Jekyll
        `redirect_from`, Hugo `aliases`, the mkdocs-redirects map) or from
        `[site] redirects`.
    """

    id = "links/redirected"
    severity = Severity.INFO

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        site = ctx.corpus.site
        for resolved in resolved_links(article, ctx):
            located = resolved.located
            if located is None or located.status != REDIRECTED or not located.file:
                continue
            where = site.target_of(located.file) if site is not None else located.file
            current = where if "://" in where or where.startswith("/") else None
            shown = current or relative_link(article.path, where)
            what = "image" if resolved.link.kind == "image" else "link"
            yield ctx.report(
                article,
                f"{what} '{resolved.link.target}' works only through the site's redirect to "
                f"'{shown}'",
                line=resolved.link.line,
                column=resolved.link.column,
                hint=f"link to {shown}",
                related=() if current else (Location(where),),
            )


class BrokenNavEntry(CorpusRule[bool]):
    """A navigation entry (toc.yml, mkdocs nav, SUMMARY.md) names a page that does not exist.

    Why it matters:
        The site's sidebar or table of contents shows the entry, and every customer who
        clicks it gets "page not found"; with some generators the build fails or drops the
        whole section. It usually means a page was renamed or moved and the navigation was
        not updated. Reported at the navigation file's line.

    Example:
        ==> mkdocs.yml <==
        site_name: Help center
        nav:
          - Home: index.md
          - Billing: billing/refund.md

        ==> docs/index.md <==
        # Help center

        ==> docs/billing/refunds.md <==
        # Refunds

    Fix:
        Point the entry at the page's current path (the hint names the closest file), or
        remove it.
    """

    id = "links/broken-nav"
    severity = Severity.ERROR

    def extract(self, article: Article) -> bool:
        return True  # navigation lives in the site's files, not in the articles

    def check(self, extracts: Mapping[str, bool], ctx: RuleContext) -> Iterable[Finding]:
        site = ctx.corpus.site
        if site is None or not site.spec.nav:
            return
        files = ctx.corpus.files
        case_sensitive = site.spec.case_sensitive
        for entry in site.spec.nav:
            if entry.path in files or ctx.corpus.is_folder(entry.path.rstrip("/")):
                continue
            if site.redirect_for_file(entry.path) is not None:
                continue  # a deleted page the site redirects: the entry still leads somewhere
            variants = ctx.corpus.case_variants(entry.path)
            if variants and not case_sensitive:
                continue
            if variants:
                hint = f"write it with the file's letter case: {variants[0]}"
            else:
                suggestion = _suggester(ctx).closest(entry.path, images=False)
                hint = f"did you mean {suggestion}?" if suggestion else "fix or remove the entry"
            yield ctx.report(
                entry.file,
                f"navigation entry '{entry.target}' names '{entry.path}', which does not exist",
                line=entry.line,
                hint=hint,
            )


class _ExternalLinkRule(ArticleRule):
    """Shared by the three external rules: they read one set of verdicts (`ctx.external`,
    each distinct URL requested once) and differ only in which verdicts they report."""

    requires = ("external",)

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        if ctx.external is None:
            return
        site_url = ctx.config.site_url
        for resolved in resolved_links(article, ctx):
            link = resolved.link
            if resolved.target.kind == EXTERNAL:
                verdict = ctx.external.verdict_for(link.target)
            else:
                foreign = foreign_url(resolved, site_url)
                if foreign is None:
                    continue
                verdict = ctx.external.verdict_for(foreign)
            if verdict is None:
                continue
            finding = self.judge(verdict)
            if finding is None:
                continue
            message, hint = finding
            what = "image" if link.kind == "image" else "link"
            yield ctx.report(
                article,
                f"{what} '{link.target}' {message}",
                line=link.line,
                column=link.column,
                hint=hint,
            )

    def judge(self, verdict: Verdict) -> tuple[str, str] | None:
        raise NotImplementedError


class ExternalDead(_ExternalLinkRule):
    """An http(s) link is dead: 404, 410, a server error, a refused connection, no such host.

    Why it matters:
        Customers who follow it get an error page from someone else's site, in the middle of
        your instructions: the vendor moved its docs, the partner shut the page down, the
        domain expired. Nobody notices until a customer complains.

    Example:
        ==> integrations/stripe.md <==
        # Connecting Stripe

        Stripe explains the fees in [its pricing guide](http://127.0.0.1:9/pricing).

    Fix:
        Find the page's new address and update the link, or remove it. Each URL is requested
        once per run however many articles use it (HEAD first, GET when HEAD is refused,
        never downloading the body); server errors and network failures are retried before
        the link is called dead. Only this rule is an error, so a CI job can fail on dead
        links alone while `links/external-unverified` stays a warning.
    """

    id = "links/external-dead"
    severity = Severity.ERROR

    def judge(self, verdict: Verdict) -> tuple[str, str] | None:
        if verdict.state != DEAD:
            return None
        return (
            f"is dead: {verdict.reason}",
            "update the link to the page's new address or remove it",
        )


class ExternalUnverified(_ExternalLinkRule):
    """An http(s) link could not be judged: bot wall, still rate-limited, timeout, reset.

    Why it matters:
        The page may be fine in a browser and only refuse automated checks (bot walls
        answer 401, 403 or LinkedIn's 999; rate limiting is a 429 that persists after
        honouring Retry-After), or it may be gone behind a login wall. Kept apart from
        `links/external-dead` so that an unreachable check never hides a dead link, and
        never fails CI by itself.

    Example:
        ==> integrations/linkedin.md <==
        # Sharing invoices on LinkedIn

        Follow us on [LinkedIn](https://www.linkedin.com/company/example).

    Fix:
        Open the link in a browser. If it works, accept that status for the site
        (`[external] accept = [999]`), send the header it needs (`[external.headers."host"]`,
        e.g. a token from an environment variable), or list the URL in `exclude_urls`.
    """

    id = "links/external-unverified"
    severity = Severity.WARNING

    def judge(self, verdict: Verdict) -> tuple[str, str] | None:
        if verdict.state != UNVERIFIED:
            return None
        return (
            f"could not be verified: {verdict.reason}",
            "open it in a browser; if it works, add the status to [external] accept or the "
            "URL to exclude_urls",
        )


class ExternalRedirect(_ExternalLinkRule):
    """An http(s) link permanently redirects (301/308) to another address.

    Why it matters:
        The link still works, but the old address is one site migration away from dying,
        and the redirect often lands on a generic page rather than the section you meant.
        Updating it now costs a minute.

    Example:
        ==> integrations/quickbooks.md <==
        # QuickBooks

        See [Intuit's setup guide](http://quickbooks.intuit.com/learn-support/setup).

    Fix:
        Replace the link with the address in the hint (where the permanent redirects lead).
    """

    id = "links/external-redirect"
    severity = Severity.INFO

    def judge(self, verdict: Verdict) -> tuple[str, str] | None:
        if verdict.state != OK or not verdict.redirect_to:
            return None
        return (
            f"permanently redirects to '{verdict.redirect_to}'",
            f"link to {verdict.redirect_to} directly",
        )


RULES = [
    BrokenFileLink,
    BrokenAnchorLink,
    BrokenImage,
    CaseMismatch,
    OutsideRoot,
    Redirected,
    BrokenNavEntry,
    ExternalDead,
    ExternalUnverified,
    ExternalRedirect,
]
