"""Rules about the article file as a whole, before any Markdown is read."""

from __future__ import annotations

from kbcheck.model import Severity
from kbcheck.registry import ProblemRule


class UnreadableFile(ProblemRule):
    r"""The file cannot be read as UTF-8 Markdown text.

    Why it matters:
        A file kbcheck cannot read is a file your site generator may also mangle or skip:
        customers see replacement characters, or no page at all. It also escapes every other
        check, so nothing else about it can be trusted.

    Example:
        ==> legacy.md <==
        # Caf\xe9 opening hours

    Fix:
        Save the file as UTF-8 (most editors: "Save with encoding"). A binary file with a
        `.md` name should be renamed or removed; a symbolic link that leads outside the
        knowledge base should be replaced by a real file.
    """

    id = "file/unreadable"
    severity = Severity.ERROR


RULES = [UnreadableFile]
