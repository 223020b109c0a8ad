"""When each article was last reviewed, which interval applies to it, and whether it is due.

Computed once per article by the engine, so the age rules, the freshness score and every
report agree on the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pathspec

from kbcheck.config import Config, Policy
from kbcheck.dates import add_interval
from kbcheck.history import GitHistory
from kbcheck.model import Article, Interval

FRESH = "fresh"
STALE = "stale"
OVERDUE = "overdue"  # past twice the interval
MISSING = "missing"
FUTURE = "future"


@dataclass(frozen=True)
class Review:
    """`last_reviewed` is the date in force and `source` where it came from: "frontmatter",
    "git" (the last commit, or today for uncommitted work) or "none"."""

    last_reviewed: date | None
    source: str
    interval: Interval
    interval_from: str  # "article", "policy" or "default"
    due: date | None
    state: str
    expired: bool = False

    @property
    def fresh(self) -> bool:
        return self.state == FRESH and not self.expired


class PolicyMatcher:
    """First-match-wins lookup of `[[policy]]` entries, globs compiled once and each path
    matched once: the engine, the owner resolution and each age rule ask for every article,
    and a glob match costs more than the rest of an article's review."""

    def __init__(self, policies: Sequence[Policy], case_sensitive: bool = True) -> None:
        # a host that serves any letter case (docfx) treats `Billing/` and `billing/` as one
        # folder, so its policies do too
        self._fold = not case_sensitive
        self._compiled = [
            (
                policy,
                pathspec.GitIgnoreSpec.from_lines(
                    [line.lower() for line in policy.paths] if self._fold else list(policy.paths)
                ),
            )
            for policy in policies
        ]
        self._matched: dict[str, Policy | None] = {}

    def match(self, path: str) -> Policy | None:
        if not self._compiled:
            return None
        try:
            return self._matched[path]
        except KeyError:
            pass
        probe = path.lower() if self._fold else path
        found = next((policy for policy, spec in self._compiled if spec.match_file(probe)), None)
        self._matched[path] = found
        return found

    def unmatched(self, paths: Sequence[str]) -> list[Policy]:
        """The policies no article falls under (first match wins, as in `match`): a typo in
        a glob would otherwise silently leave its articles under the defaults."""
        used = {id(self.match(path)) for path in paths}
        return [policy for policy, _ in self._compiled if id(policy) not in used]


def assess(
    article: Article,
    config: Config,
    matcher: PolicyMatcher,
    today: date,
    history: GitHistory | None = None,
) -> Review:
    """The review state of one article. `history` is consulted only when the configured
    `[age] source` allows git dates: a commit is not a review, so with `frontmatter` the git
    date never decides anything."""
    policy = matcher.match(article.path)
    if article.review_every is not None:
        interval, interval_from = article.review_every, "article"
    elif policy is not None and policy.review_every is not None:
        interval, interval_from = policy.review_every, "policy"
    else:
        interval, interval_from = config.review_every, "default"

    reviewed, source = _review_date(article, config, today, history)
    expired = article.expires is not None and article.expires < today
    if reviewed is None:
        return Review(None, source, interval, interval_from, None, MISSING, expired)
    due = add_interval(reviewed, interval)
    if reviewed > today:
        # A front-matter date in the future is a typo; a commit after a pinned --today is
        # simply recent work.
        state = FUTURE if source == "frontmatter" else FRESH
    elif today <= due:
        state = FRESH
    elif today <= add_interval(reviewed, interval, 2):
        state = STALE
    else:
        state = OVERDUE
    return Review(reviewed, source, interval, interval_from, due, state, expired)


def _review_date(
    article: Article, config: Config, today: date, history: GitHistory | None
) -> tuple[date | None, str]:
    if config.age_source != "git" and article.last_reviewed is not None:
        return article.last_reviewed, "frontmatter"
    if config.age_source == "frontmatter" or history is None:
        return None, "none"
    change = history.last_change(article.path)
    if change is None:
        return None, "none"
    return change.day(today), "git"
