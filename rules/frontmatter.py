"""Rules about the YAML front matter block itself."""

from __future__ import annotations

from kbcheck.model import Severity
from kbcheck.registry import ProblemRule


class InvalidFrontmatter(ProblemRule):
    """Front matter does not parse, or a known key has a value of the wrong type.

    Why it matters:
        When the front matter cannot be read, kbcheck (and your site generator) cannot know
        the article's owner or review date, so the page silently drops out of every review
        cycle. A mistyped date or interval has the same effect on a single key.

    Example:
        ---
        title: Refund policy
        last_reviewed: last spring
        ---
        # Refund policy

    Fix:
        Make the block valid YAML between two `---` lines and give each key the expected
        type: dates as `YYYY-MM-DD`, intervals as `90d`, `6w`, `6m` or `1y`, owners as a
        name or a list of names. The finding's line points at the offending key.
    """

    id = "frontmatter/invalid"
    severity = Severity.ERROR


RULES = [InvalidFrontmatter]
