"""Formatters turn a `Report` into text. They print nothing and compute nothing new."""

from __future__ import annotations

import importlib
import re
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


#: Format name -> the module that renders it, imported only when that format is asked for.
FORMAT_MODULES = {
    "pretty": "kbcheck.formats.pretty",
    "concise": "kbcheck.formats.concise",
    "json": "kbcheck.formats.json_report",
    "sarif": "kbcheck.formats.sarif",
    "github": "kbcheck.formats.github",
    "markdown": "kbcheck.formats.markdown",
    "html": "kbcheck.formats.html",
    "gitlab": "kbcheck.formats.gitlab",
    "junit": "kbcheck.formats.junit",
}


#: Control, zero-width, line-separator and bidi-override characters: text quoted from an
#: article must not move the cursor, retitle the terminal, break a line or reorder what the
#: reader sees.
CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)


def clean(text: str) -> str:
    """`text` on one line without control and bidi-override characters (see above). Here,
    not in the pretty formatter, so that a warning can be cleaned without importing Rich."""
    return CONTROL_CHARACTERS.sub("", text.replace("\t", " ").replace("\n", " "))


#: Lone surrogates: how Python hands over file-system names that are not UTF-8 (a folder
#: named on the command line, say). No UTF-8 output can hold them.
_SURROGATES = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """`text` with anything UTF-8 cannot encode replaced by U+FFFD, so that every report is
    valid UTF-8 (and its JSON valid JSON) whatever names the file system holds. A report
    without a lone surrogate is returned as it is: on a report of megabytes, asking whether
    it is ASCII (a flag) or encodes costs a tenth of searching it."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text)
    return text


def render(report: Report, format_name: str, options: RenderOptions) -> str:
    module = importlib.import_module(FORMAT_MODULES[format_name])
    return valid_unicode(module.render(report, options))
