"""Front-matter `kbcheck: {ignore: [...]}` and inline `<!-- kbcheck-disable... -->` comments.

Applied by the engine after the rules ran, so no rule has to know about them and every
suppressed finding is counted.
"""

from __future__ import annotations

from collections.abc import Iterable

from kbcheck.model import Article, Finding
from kbcheck.registry import rule_matches
from kbcheck.suggestions import suggest


def _covers(patterns: tuple[str, ...], rule_id: str) -> bool:
    return not patterns or any(rule_matches(rule_id, pattern) for pattern in patterns)


#: What suppressed a finding: ("ignore", pattern) from the front matter, or ("comment", line)
#: for an inline directive.
Source = tuple[str, str | int]


def is_suppressed(finding: Finding, article: Article | None) -> bool:
    return suppressed_by(finding, article) is not None


def suppressed_by(finding: Finding, article: Article | None) -> Source | None:
    """The front-matter pattern or the comment (by line) that hides `finding`, or None."""
    if article is None:
        return None
    for pattern in article.ignore:
        if rule_matches(finding.rule, pattern):
            return ("ignore", pattern)
    line = finding.line
    if line is None or not article.suppressions:
        return None
    disabled: int | None = None
    for directive in article.suppressions:  # in file order
        if directive.action == "disable-next-line":
            if directive.line + 1 == line and _covers(directive.rules, finding.rule):
                return ("comment", directive.line)
        elif directive.action == "disable-line":
            if directive.line == line and _covers(directive.rules, finding.rule):
                return ("comment", directive.line)
        elif directive.line < line and _covers(directive.rules, finding.rule):
            disabled = directive.line if directive.action == "disable" else None
    return ("comment", disabled) if disabled is not None else None


def directives(article: Article) -> list[tuple[Source, tuple[str, ...], int]]:
    """Every suppression the article writes: (its source, the rules it names, its line)."""
    found: list[tuple[Source, tuple[str, ...], int]] = [
        (("ignore", pattern), (pattern,), article.key_line("kbcheck")) for pattern in article.ignore
    ]
    for directive in article.suppressions:
        if directive.action != "enable":
            found.append((("comment", directive.line), directive.rules, directive.line))
    return found


def unknown_rules(article: Article, known: Iterable[str]) -> list[tuple[int, str, str]]:
    """(line, pattern, " (did you mean 'x'?)" or "") for each rule a suppression names that no
    rule is: a misspelt id suppresses nothing, silently."""
    ids = sorted(known)
    found: list[tuple[int, str, str]] = []
    for _, rules, line in directives(article):
        for pattern in rules:
            if not any(rule_matches(rule_id, pattern) for rule_id in ids):
                found.append((line, pattern, suggest(pattern, ids)))
    return found
