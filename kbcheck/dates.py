"""Dates and review intervals as people write them in front matter and configuration."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from kbcheck.model import Interval

#: `90d`, and the long forms site generators write: docfx's `ms.update-cycle: 365-days`.
_INTERVAL = re.compile(r"^\s*(\d+)\s*-?\s*(d|days?|w|weeks?|m|months?|y|years?)\s*$", re.IGNORECASE)
_UNIT_WORDS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}


def parse_interval(value: object) -> Interval:
    """`90d`, `2w`, `6m`, `1y`; a bare integer means days (YAML turns `90` into an int)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an interval (use e.g. 90d, 6w, 6m, 1y)")
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(f"interval must be positive, got {value}")
        return Interval(value, "d")
    if isinstance(value, str):
        match = _INTERVAL.match(value)
        if match:
            count = int(match.group(1))
            if count <= 0:
                raise ValueError(f"interval must be positive, got {value!r}")
            return Interval(count, match.group(2)[0].lower())
    raise ValueError(f"{value!r} is not an interval (use e.g. 90d, 6w, 6m, 1y)")


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d|w)?\s*$", re.IGNORECASE)
_SECONDS_PER_UNIT = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}


def parse_duration(value: object) -> float:
    """Seconds from `10`, `2.5`, `250ms`, `30s`, `5min`, `12h`, `1d` or `1w` (never "m",
    which would be ambiguous next to the month unit of review intervals)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration (use e.g. 250ms, 10s, 5min, 1d)")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        unit = (match.group(2) or "s").lower()
        seconds = float(match.group(1)) * _SECONDS_PER_UNIT[unit]
    else:
        raise ValueError(f"{value!r} is not a duration (use e.g. 250ms, 10s, 5min, 12h, 1d)")
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative, got {value!r}")
    return seconds


def add_interval(start: date, interval: Interval, times: int = 1) -> date:
    """Calendar arithmetic: 6 months after 31 August is 28/29 February, not 2 March."""
    count = interval.count * times
    if interval.unit == "d":
        return _clamp_add(start, timedelta(days=count))
    if interval.unit == "w":
        return _clamp_add(start, timedelta(weeks=count))
    months = count if interval.unit == "m" else count * 12
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    if year > date.max.year:
        return date.max
    day = min(start.day, calendar.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


def _clamp_add(start: date, delta: timedelta) -> date:
    try:
        return start + delta
    except OverflowError:
        return date.max


def describe_interval(interval: Interval) -> str:
    word = _UNIT_WORDS[interval.unit]
    if interval.count == 1:
        word = word[:-1]
    return f"{interval.count} {word}"


def parse_date(value: object, formats: Sequence[str] = ()) -> date:
    """A YAML date, a datetime (the date as written, whatever its zone: that is the day the
    reviewer meant), an ISO string, or a string in one of the configured `formats`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        parsed = _parse_iso(text)
        if parsed is not None:
            return parsed
        for fmt in formats:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        hint = " or one of " + ", ".join(formats) if formats else ""
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD{hint})")
    raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")


def _parse_iso(text: str) -> date | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    candidate = text
    if candidate.endswith(("Z", "z")):  # Python 3.10's fromisoformat rejects a trailing Z
        candidate = candidate[:-1] + "+00:00"
    try:
        if len(candidate) == 10:
            return date.fromisoformat(candidate)
        return datetime.fromisoformat(candidate.replace(" ", "T", 1)).date()
    except ValueError:
        return None


def loose_date(value: object) -> date | None:
    """A front-matter date a generator reads (a YAML date or datetime, or text starting with
    an ISO date: `2026-09-01T10:00:00Z`); None for anything else, never an error."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value.strip()) >= 10:
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None
