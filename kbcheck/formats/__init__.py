"""Formatters turn a `Report` into text. They print nothing and compute nothing new."""

from __future__ import annotations

import importlib
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
    "json": "kbcheck.formats.json_report",
    "sarif": "kbcheck.formats.sarif",
    "github": "kbcheck.formats.github",
    "markdown": "kbcheck.formats.markdown",
    "html": "kbcheck.formats.html",
}


def render(report: Report, format_name: str, options: RenderOptions) -> str:
    module = importlib.import_module(FORMAT_MODULES[format_name])
    return module.render(report, options)
