"""How likely an article is to give a customer a wrong answer: the number every report sorts by.

The formula (documented in the README, "Risk"), for one article:

    risk = findings × staleness × traffic

    findings  = Σ SEVERITY_WEIGHT[severity] × rule_weight(rule)   over the article's findings
    staleness = 1 + STALENESS_SLOPE × min(days past due / interval days, STALENESS_CAP)
                (1 when the review is within its interval, MISSING_REVIEW_STALENESS when the
                article has no review date at all)
    traffic   = 1 + log10(1 + views)   (1 without `--traffic`, or for an article not listed)

An article without findings has risk 0, however old or popular: risk ranks what was found, it
does not invent problems. Severity says how sure and how bad; the rule weight says how directly
the problem misleads a reader (an expired promotion or a contradicted price is worse than an
unowned page); staleness says how long nobody has looked; traffic says how many people read it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

from kbcheck.model import Finding, Severity
from kbcheck.review import MISSING, Review

#: What one finding of each severity adds before the other factors.
SEVERITY_WEIGHT = {Severity.ERROR: 3.0, Severity.WARNING: 1.0, Severity.INFO: 0.25}

#: Rules (exact id) or families (prefix before '/') whose findings mislead readers most
#: directly. Anything not listed weighs 1.
RULE_WEIGHT = {
    "age/expired": 2.0,
    "contradiction/fact-mismatch": 2.0,
    "contradiction": 1.5,
}

STALENESS_SLOPE = 0.5
STALENESS_CAP = 2.0  # so the factor never exceeds 1 + 0.5 × 2 = 2
MISSING_REVIEW_STALENESS = 1.5  # unknown age counts as one interval past due


def rule_weight(rule_id: str) -> float:
    if rule_id in RULE_WEIGHT:
        return RULE_WEIGHT[rule_id]
    return RULE_WEIGHT.get(rule_id.split("/", 1)[0], 1.0)


def staleness(review: Review | None, today: date) -> float:
    """1 for a review within its interval, growing linearly to 2 at two intervals past due."""
    if review is None:
        return 1.0
    if review.state == MISSING:
        return MISSING_REVIEW_STALENESS
    if review.due is None or today <= review.due or review.last_reviewed is None:
        return 1.0
    interval_days = max((review.due - review.last_reviewed).days, 1)
    overdue = (today - review.due).days / interval_days
    return 1.0 + STALENESS_SLOPE * min(overdue, STALENESS_CAP)


def traffic_weight(views: int | None) -> float:
    """1 + log10(1 + views): 10 views weigh ~2, 1,000 ~4, 100,000 ~6."""
    if not views or views <= 0:
        return 1.0
    return 1.0 + math.log10(1 + views)


def article_risk(
    findings: Iterable[Finding], review: Review | None, today: date, views: int | None = None
) -> float:
    base = sum(SEVERITY_WEIGHT[item.severity] * rule_weight(item.rule) for item in findings)
    if base == 0:
        return 0.0
    return round(base * staleness(review, today) * traffic_weight(views), 2)
