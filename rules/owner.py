"""Ownership rules: every article needs a living, known owner who will re-verify it."""

from __future__ import annotations

from collections.abc import Iterable

from kbcheck.model import Article, Finding, Severity
from kbcheck.registry import Rule, RuleContext


class MissingOwner(Rule):
    """The article has no owner.

    Why it matters:
        Review reminders, stale reports and customer feedback all need somewhere to go. An
        article that belongs to nobody is never re-verified, however wrong it becomes.

    Example:
        ---
        title: Connecting your bank account
        last_reviewed: 2026-05-02
        ---
        # Connecting your bank account

    Fix:
        Add `owner: team-or-person` (or a list) to the front matter. Prefer a team handle
        over a person, so the page survives people changing jobs.
    """

    id = "owner/missing"
    severity = Severity.WARNING

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        if article.owners or not article.readable or not article.frontmatter_ok:
            return
        if article.key_lines.get("owner"):
            return  # present but invalid: reported by frontmatter/invalid
        policy = ctx.corpus.policy_for(article.path)
        if policy is not None and policy.owner:
            return
        key = ctx.config.keys.get("owner", "owner")
        yield ctx.report(
            article,
            f"no owner ('{key}' is missing)",
            line=1,
            hint=f"add '{key}: <team or person>' to the front matter",
        )


RULES = [MissingOwner]
