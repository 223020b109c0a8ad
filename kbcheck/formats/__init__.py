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


def _json(report: Report, options: RenderOptions) -> str:
    from kbcheck.formats.json_report import render

    return render(report, options)


def _pretty(report: Report, options: RenderOptions) -> str:
    from kbcheck.formats.pretty import render

    return render(report, options)


FORMATTERS: dict[str, Callable[[Report, RenderOptions], str]] = {
    "pretty": _pretty,
    "json": _json,
}


def render(report: Report, format_name: str, options: RenderOptions) -> str:
    return FORMATTERS[format_name](report, options)
