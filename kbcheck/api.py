"""The plugin surface: everything a rule needs, and nothing else.

A third-party rule imports only from here. The names live in their own modules and are
re-exported unchanged, so `kbcheck.api.Finding` is `kbcheck.model.Finding`.

    from kbcheck.api import ArticleRule, RuleContext, Severity

An `ArticleRule` judges one article at a time; a `CorpusRule` compares articles through what
its `extract` takes from each. Rules are pure: kbcheck decides what to keep between runs from
what a check read through its context, never from anything a rule declares.
"""

from kbcheck.corpus import CorpusView
from kbcheck.history import GitHistory, History
from kbcheck.model import (
    Article,
    Finding,
    Heading,
    Interval,
    Link,
    Location,
    Problem,
    Severity,
    TextBlock,
)
from kbcheck.owners import OwnerDirectory, Ownership
from kbcheck.registry import ArticleRule, CorpusRule, Option, Rule, RuleContext, RuleDocs
from kbcheck.review import Review

__all__ = [
    "Article",
    "ArticleRule",
    "CorpusRule",
    "CorpusView",
    "Finding",
    "GitHistory",
    "Heading",
    "History",
    "Interval",
    "Link",
    "Location",
    "Option",
    "OwnerDirectory",
    "Ownership",
    "Problem",
    "Review",
    "Rule",
    "RuleContext",
    "RuleDocs",
    "Severity",
    "TextBlock",
]
