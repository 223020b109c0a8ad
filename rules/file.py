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


class TooLargeFile(ProblemRule):
    """The article is larger than `max_article_size`, so its Markdown is not checked.

    Why it matters:
        A help-center article is a few kilobytes. A file of megabytes is generated output, a
        pasted log or an attack on the CI job, and parsing it would take minutes. kbcheck reads
        only its front matter (so its title and owner still show) and checks nothing else in
        it: its links, headings and text go unchecked, and links into it are not judged.

    Example:
        ==> kbcheck.toml <==
        max_article_size = "100 B"

        ==> release-notes.md <==
        # Release notes

        Every change since 2019, pasted from the changelog, in one page: far more than the
        hundred bytes this configuration allows.

    Fix:
        Split the article into pages a reader can use, or move the data out of the knowledge
        base. If large articles are expected, raise `max_article_size` (default "1MB").
    """

    id = "file/too-large"
    severity = Severity.WARNING


RULES = [UnreadableFile, TooLargeFile]
