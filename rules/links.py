"""Internal link rules: every relative link must reach a file, and every #fragment a heading.

They are corpus rules because a link's verdict depends on another article's headings; each
link is resolved once through `kbcheck.link_targets`, which `--changed-since` shares.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterable, Iterator

from kbcheck.anchors import closest
from kbcheck.corpus import MARKDOWN_SUFFIXES, Corpus
from kbcheck.link_targets import INTERNAL, Target, relative_link, resolve
from kbcheck.model import Article, Finding, Link, Location, Severity
from kbcheck.registry import Rule, RuleContext

#: Fragments every browser understands without a matching id (HTML's "scroll to top").
_ALWAYS_VALID_FRAGMENTS = {"", "top"}


def internal_links(
    corpus: Corpus, ctx: RuleContext, kind: str
) -> Iterator[tuple[Article, Link, Target]]:
    """Every link of `kind` in the selected articles that points inside the knowledge base."""
    for article in corpus.selected_articles:
        for link in article.links:
            if link.kind != kind:
                continue
            target = resolve(link.target, article.path, ctx.config.site_url)
            if target.kind == INTERNAL and target.path is not None:
                yield article, link, target


def _existing_path(corpus: Corpus, path: str) -> str | None:
    """The file a resolved path names: the file itself, or a folder's index page."""
    bare = path.rstrip("/")
    if not path.endswith("/") and bare in corpus.files:
        return bare
    if corpus.is_folder(bare):
        for index in ("index.md", "README.md", "index.markdown", "readme.md"):
            candidate = f"{bare}/{index}" if bare else index
            if candidate in corpus.files:
                return candidate
        return bare + "/"
    return None


def _stem(path: str) -> str:
    name = posixpath.basename(path.rstrip("/"))
    return name.rsplit(".", 1)[0] if "." in name else name


def _closest_file(corpus: Corpus, article: Article, path: str) -> str | None:
    """A likely intended target: the existing file whose name (without extension) is most
    like the missing one, preferring the same extension, never the linking article itself."""
    wanted = _stem(path)
    extension = posixpath.splitext(path.rstrip("/"))[1]
    by_stem: dict[str, list[str]] = {}
    for name in corpus.files:
        if name != article.path:
            by_stem.setdefault(_stem(name), []).append(name)
    matches = difflib.get_close_matches(wanted, list(by_stem), n=1, cutoff=0.7)
    if not matches:
        return None
    candidates = by_stem[matches[0]]
    best = min(
        candidates,
        key=lambda name: (posixpath.splitext(name)[1] != extension, name.count("/"), name),
    )
    return relative_link(article.path, best)


class BrokenFileLink(Rule):
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
        file), or remove the link if the content is gone.
    """

    id = "links/broken-file"
    severity = Severity.ERROR
    scope = "corpus"

    def check_corpus(self, corpus: Corpus, ctx: RuleContext) -> Iterable[Finding]:
        for article, link, target in internal_links(corpus, ctx, "link"):
            assert target.path is not None
            if _existing_path(corpus, target.path) is not None:
                continue
            suggestion = _closest_file(corpus, article, target.path)
            yield ctx.report(
                article,
                f"link to '{link.target}' but '{target.path}' does not exist",
                line=link.line,
                column=link.column,
                hint=f"did you mean {suggestion}?" if suggestion else "fix or remove the link",
            )


class BrokenAnchorLink(Rule):
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
        or `<a id="annual-billing"></a>`.
    """

    id = "links/broken-anchor"
    severity = Severity.ERROR
    scope = "corpus"

    def check_corpus(self, corpus: Corpus, ctx: RuleContext) -> Iterable[Finding]:
        case_insensitive = ctx.config.anchor_style == "github"
        for article, link, target in internal_links(corpus, ctx, "link"):
            fragment = target.fragment
            if fragment is None or fragment.lower() in _ALWAYS_VALID_FRAGMENTS:
                continue
            assert target.path is not None
            path = target.path if target.path else article.path
            existing = _existing_path(corpus, path) if path != article.path else article.path
            if existing is None or not existing.lower().endswith(MARKDOWN_SUFFIXES):
                continue  # a missing file is links/broken-file; other files have no headings
            other = corpus.get(existing)
            if other is None or not other.readable:
                continue
            if fragment in other.anchors:
                continue
            if case_insensitive and fragment.lower() in {a.lower() for a in other.anchors}:
                continue
            suggestion = closest(fragment, other.anchors)
            where = "this page" if existing == article.path else f"'{existing}'"
            yield ctx.report(
                article,
                f"link to '{link.target}' but {where} has no heading or id '{fragment}'",
                line=link.line,
                column=link.column,
                hint=f"did you mean #{suggestion}?"
                if suggestion
                else "link to an existing heading",
                related=() if existing == article.path else (Location(existing),),
            )


RULES = [BrokenFileLink, BrokenAnchorLink]
