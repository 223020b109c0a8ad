"""A house-style rule a company might add: articles must not say "click here"."""

from __future__ import annotations

from collections.abc import Iterable

from kbcheck.api import Article, ArticleRule, Finding, RuleContext, Severity


class ClickHere(ArticleRule):
    """Link text says "click here" instead of where it leads.

    Why it matters:
        Screen-reader users jump from link to link; "click here" tells them nothing.

    Example:
        Read the policy: [click here](policy.md).

    Fix:
        Use the destination as the link text: [read the refund policy](policy.md).
    """

    id = "house-style/click-here"
    severity = Severity.INFO

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        for link in article.links:
            if link.text.strip().lower() == "click here":
                yield ctx.report(
                    article,
                    "link text 'click here'",
                    line=link.line,
                    column=link.column,
                    hint="describe the destination",
                )


RULES = [ClickHere]
