"""Age rules: is each article's review recent enough for what it says?

They read the review state the engine computed once per article (date, interval in force,
source), so the rules, the freshness score and the reports always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kbcheck.dates import describe_interval
from kbcheck.model import Article, Finding, Severity
from kbcheck.registry import ArticleRule, RuleContext
from kbcheck.review import FUTURE, MISSING, OVERDUE, STALE


class StaleArticle(ArticleRule):
    """The last review is older than the review interval in force.

    Why it matters:
        Prices, screens and policies change. An article nobody has confirmed for longer than
        its interval is the most common source of confidently wrong answers, both for
        customers and for the agents who quote it. Past twice the interval it is an error
        (a `[[policy]]` may set another severity for its articles).

        The review date is `last_reviewed` in the front matter. With the default
        `[age] source = "frontmatter-then-git"` an article without one is dated by its last
        git commit instead; with `"git"` the last commit always counts; with `"frontmatter"`
        git is never read. A commit never overrides a front-matter date: an edit is not a
        review.

    Example:
        ==> kbcheck.toml <==
        today = "2026-06-01"
        ==> billing/refunds.md <==
        ---
        title: Refund policy
        owner: billing-team
        last_reviewed: 2025-01-10
        ---
        Refunds are accepted within 30 days.

    Fix:
        Read the article against the product as it is today, correct it, then record the
        review with `kbcheck verify billing/refunds.md` (or update `last_reviewed` by hand).
        If the article legitimately changes less often, give it a longer `review_every`.
    """

    id = "age/stale"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        review = ctx.corpus.review(article.path)
        if review.state not in (STALE, OVERDUE) or review.last_reviewed is None:
            return
        age_days = (ctx.today - review.last_reviewed).days
        interval = describe_interval(review.interval)
        severity = Severity.ERROR if review.state == OVERDUE else Severity.WARNING
        policy = ctx.corpus.policy_for(article.path)
        if policy is not None and policy.severity is not None:
            severity = policy.severity
        how_far = "more than twice" if review.state == OVERDUE else "past"
        if review.interval_from == "policy" and policy is not None:
            origin = "policy " + ", ".join(policy.paths)
        else:
            origin = {"article": "set in the article", "default": "default"}[review.interval_from]
        if review.source == "git":
            what = f"last changed in git on {review.last_reviewed.isoformat()}"
            hint = _git_review_hint(article, ctx)
            edited = ""
        else:
            what = f"last reviewed {review.last_reviewed.isoformat()}"
            used = article.key_names.get("last_reviewed")
            if used and used != ctx.config.keys.get("last_reviewed", "last_reviewed"):
                what += f" per '{used}'"  # the site's own key, read as a convention
            hint = f"review it, then run: kbcheck verify {article.path}"
            edited = _edited_since(article, ctx, review.last_reviewed)
        yield ctx.report(
            article,
            f"{what} ({age_days} days ago), {how_far} its review interval of {interval} "
            f"({origin}){edited}",
            line=article.key_line("last_reviewed"),
            hint=hint,
            severity=severity,
        )


def _git_review_hint(article: Article, ctx: RuleContext) -> str:
    if ctx.config.age_source == "git":
        return 'review and update it; with [age] source = "git" its last commit is its review'
    return f"review it, then run: kbcheck verify {article.path} (a review date beats git's)"


def _edited_since(article: Article, ctx: RuleContext, reviewed: date) -> str:
    """Shown, never used: a commit is not a review, so a front-matter date always wins, but an
    edit after the last review is worth knowing when deciding what to re-read. With
    `source = "frontmatter"` git is not read at all."""
    if not ctx.config.uses_git_dates:
        return ""
    change = ctx.corpus.history.last_change(article.path)
    if change is None:
        return ""
    if change.uncommitted:
        return "; it has uncommitted changes"
    if change.committed is not None and change.committed > reviewed:
        return f"; edited since, last commit {change.committed.isoformat()}"
    return ""


class MissingReviewDate(ArticleRule):
    """The article has no review date, so nobody can tell whether it is still true.

    Why it matters:
        An article without a review date is never due, so it is never re-checked: it can be
        years out of date without any report noticing. kbcheck counts it as not fresh.
        With `[age] source = "frontmatter-then-git"` (the default) the last git commit stands
        in for a missing date, so this fires only when git has no date either: the file is
        not in a repository, or its last change lies beyond a shallow clone's history.

    Example:
        ---
        title: Exporting your data
        owner: support-team
        ---
        # Exporting your data

    Fix:
        Review the article and add `last_reviewed: YYYY-MM-DD` to its front matter, or run
        `kbcheck verify PATH`, which adds it for you without touching anything else.
    """

    id = "age/missing-review-date"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        review = ctx.corpus.review(article.path)
        if review.state != MISSING:
            return
        key = ctx.config.keys.get("last_reviewed", "last_reviewed")
        source = ctx.config.age_source
        if source == "git":
            yield ctx.report(
                article,
                "no git date: the file is not in git history that kbcheck can read",
                line=1,
                hint="commit the article (in CI, fetch the full history: fetch-depth: 0), "
                'or use [age] source = "frontmatter-then-git" with a review date',
            )
            return
        if not article.readable or not article.frontmatter_ok:
            return
        if article.key_lines.get("last_reviewed"):
            return  # a key that is present but invalid is reported by frontmatter/invalid
        message = f"no review date ('{key}' is missing)"
        if source == "frontmatter-then-git":
            message += " and no git date to fall back on"
        yield ctx.report(
            article,
            message,
            line=1,
            hint=f"review the article, then run: kbcheck verify {article.path}",
        )


class FutureReviewDate(ArticleRule):
    """The review date lies in the future.

    Why it matters:
        A future date keeps an article "fresh" for longer than anyone intended, often years
        when a typo put it in the wrong century. It usually means a mistyped year or a date
        written in the wrong order.

    Example:
        ==> kbcheck.toml <==
        today = "2026-06-01"
        ==> account/password.md <==
        ---
        title: Resetting your password
        owner: support-team
        last_reviewed: 2062-03-01
        ---
        # Resetting your password

    Fix:
        Put the date of the real review, `YYYY-MM-DD`, no later than today.
    """

    id = "age/future-date"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        review = ctx.corpus.review(article.path)
        if review.state != FUTURE or review.last_reviewed is None:
            return
        days = (review.last_reviewed - ctx.today).days
        yield ctx.report(
            article,
            f"review date {review.last_reviewed.isoformat()} is {days} days in the future",
            line=article.key_line("last_reviewed"),
            hint="use the date the review actually happened (YYYY-MM-DD)",
        )


class ExpiredArticle(ArticleRule):
    """The article's `expires` date has passed, yet it is still published.

    Why it matters:
        An expiry date is a promise that a page will not be served past a date: a promotion,
        a migration guide, a temporary workaround. Past it, customers follow instructions
        that no longer apply.

    Example:
        ==> kbcheck.toml <==
        today = "2026-06-01"
        ==> billing/spring-offer.md <==
        ---
        title: Spring offer
        owner: billing-team
        last_reviewed: 2026-03-01
        expires: 2026-04-30
        ---
        # Spring offer

    Fix:
        Unpublish or delete the article, or, if it is still valid, move `expires` to the new
        end date after checking the content.
    """

    id = "age/expired"
    severity = Severity.ERROR

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        if article.expires is None or article.expires >= ctx.today:
            return
        days = (ctx.today - article.expires).days
        yield ctx.report(
            article,
            f"expired on {article.expires.isoformat()}, {days} days ago",
            line=article.key_line("expires"),
            hint="remove or unpublish the article, or extend 'expires' after checking it",
        )


RULES = [StaleArticle, MissingReviewDate, FutureReviewDate, ExpiredArticle]
