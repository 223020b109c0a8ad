"""Formatters turn a `Report` into text. They print nothing and compute nothing new."""

from __future__ import annotations

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


def render(report: Report, format_name: str, options: RenderOptions) -> str:
    return FORMATTERS[format_name](report, options)
