"""Front-matter `kbcheck: {ignore: [...]}` and inline `<!-- kbcheck-disable... -->` comments.

Applied by the engine after the rules ran, so no rule has to know about them and every
suppressed finding is counted.
"""

from __future__ import annotations

from kbcheck.model import Article, Finding
from kbcheck.registry import rule_matches


def _covers(patterns: tuple[str, ...], rule_id: str) -> bool:
    return not patterns or any(rule_matches(rule_id, pattern) for pattern in patterns)


def is_suppressed(finding: Finding, article: Article | None) -> bool:
    if article is None:
        return False
    if any(rule_matches(finding.rule, pattern) for pattern in article.ignore):
        return True
    line = finding.line
    if line is None or not article.suppressions:
        return False
    disabled = False
    for directive in article.suppressions:  # in file order
        if directive.action == "disable-next-line":
            if directive.line + 1 == line and _covers(directive.rules, finding.rule):
                return True
        elif directive.action == "disable-line":
            if directive.line == line and _covers(directive.rules, finding.rule):
                return True
        elif directive.line < line and _covers(directive.rules, finding.rule):
            disabled = directive.action == "disable"
    return disabled
