"""Formatters turn a `Report` into text. They print nothing and compute nothing new."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kbcheck.report import Report


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    width: int = 100
    version: str = ""
    quiet: bool = False
    top: int | None = None  # list only the N riskiest articles (pretty, markdown, html)
    group_by: str | None = None  # "owner" or "folder": one section per group (pretty, markdown)


def _json(report: Report, options: RenderOptions) -> str:
    from kbcheck.formats.json_report import render

    return render(report, options)


def _pretty(report: Report, options: RenderOptions) -> str:
    from kbcheck.formats.pretty import render

    return render(report, options)


def _sarif(report: Report, options: RenderOptions) -> str:
    from kbcheck.formats.sarif import render

    return render(report, options)


def _github(report: Report, options: RenderOptions) -> str:
    from kbcheck.formats.github import render

    return render(report, options)


def _markdown(report: Report, options: RenderOptions) -> str:
    from kbcheck.formats.markdown import render

    return render(report, options)


def _html(report: Report, options: RenderOptions) -> str:
    from kbcheck.formats.html import render

    return render(report, options)


FORMATTERS: dict[str, Callable[[Report, RenderOptions], str]] = {
    "pretty": _pretty,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
    "markdown": _markdown,
    "html": _html,
}


#: Lone surrogates: how Python hands over file-system names that are not UTF-8 (a folder
#: named on the command line, say). No UTF-8 output can hold them.
_SURROGATES = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """`text` with anything UTF-8 cannot encode replaced by U+FFFD, so that every report is
    valid UTF-8 (and its JSON valid JSON) whatever names the file system holds."""
    return _SURROGATES.sub("\ufffd", text)


def render(report: Report, format_name: str, options: RenderOptions) -> str:
    return valid_unicode(FORMATTERS[format_name](report, options))
