"""Baselines: accept today's findings so a team can adopt kbcheck and still gate new problems.

`--write-baseline FILE` records every current finding by fingerprint; `--baseline FILE` hides
exactly those. A fingerprint is the rule, the path and what the finding is about, never its
line: the message with every number outside quotes replaced by `#` (so "249 days ago" turning
into "250 days ago", or a line number in the text, changes nothing, while a quoted link target
or key stays exact), plus the paths of its related locations. Identical findings in one file
are counted: a baseline that holds one hides one, and the second is shown.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kbcheck.model import Finding
from kbcheck.regular_files import read_named_file

BASELINE_VERSION = 1

# A quoted stretch ('...' or "...", not an apostrophe inside a word) or a run of digits.
_QUOTED_OR_NUMBER = re.compile(r"""(?<!\w)'[^']*'(?!\w)|(?<!\w)"[^"]*"(?!\w)|\d+""")
_SPACES = re.compile(r"\s+")


class BaselineError(Exception):
    """An unreadable or malformed baseline file; the message names the file."""


def normalized_message(message: str) -> str:
    """The message with numbers outside quotes replaced by '#' and spaces collapsed."""

    def replace(match: re.Match[str]) -> str:
        text = match.group(0)
        return text if text[0] in "'\"" else "#"

    return _SPACES.sub(" ", _QUOTED_OR_NUMBER.sub(replace, message)).strip()


def fingerprint(finding: Finding) -> str:
    related = ",".join(sorted({location.path for location in finding.related}))
    key = "\0".join((finding.rule, finding.path, normalized_message(finding.message), related))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Baseline:
    counts: Counter[str]

    def split(self, findings: Sequence[Finding]) -> tuple[list[Finding], int]:
        """(findings still shown, number hidden). Each baseline entry hides as many findings
        as its count, taking them in report order."""
        remaining = Counter(self.counts)
        shown: list[Finding] = []
        hidden = 0
        for finding in findings:
            key = fingerprint(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                hidden += 1
            else:
                shown.append(finding)
        return shown, hidden


def baseline_text(findings: Iterable[Finding]) -> str:
    """The baseline file for `findings`: JSON, sorted, independent of line numbers and of
    the order findings were produced in, so rewriting it after an edit gives a small diff."""
    counts: Counter[str] = Counter()
    described: dict[str, Finding] = {}
    for finding in findings:
        key = fingerprint(finding)
        counts[key] += 1
        described.setdefault(key, finding)
    entries = [
        {
            "path": finding.path,
            "rule": finding.rule,
            "message": normalized_message(finding.message),
            "fingerprint": key,
            "count": counts[key],
        }
        for key, finding in described.items()
    ]
    entries.sort(key=lambda entry: (entry["path"], entry["rule"], entry["fingerprint"]))
    data = {"kbcheck_baseline": BASELINE_VERSION, "findings": entries}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> Baseline:
    text = read_named_file(
        path, BaselineError, "cannot read baseline", missing="baseline file not found"
    )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: not a kbcheck baseline (invalid JSON: {error})") from None
    if not isinstance(data, dict) or "kbcheck_baseline" not in data:
        raise BaselineError(
            f"{path}: not a kbcheck baseline (no 'kbcheck_baseline' version; "
            "write one with --write-baseline)"
        )
    if data["kbcheck_baseline"] != BASELINE_VERSION:
        raise BaselineError(
            f"{path}: baseline version {data['kbcheck_baseline']!r} is not supported "
            f"(expected {BASELINE_VERSION}); rewrite it with --write-baseline"
        )
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: 'findings' must be a list")
    counts: Counter[str] = Counter()
    for index, entry in enumerate(entries):
        key = entry.get("fingerprint") if isinstance(entry, dict) else None
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        valid_count = isinstance(count, int) and not isinstance(count, bool) and count > 0
        if not isinstance(key, str) or not isinstance(count, int) or not valid_count:
            raise BaselineError(
                f"{path}: findings[{index}] needs a 'fingerprint' string and a positive 'count'"
            )
        counts[key] += count
    return Baseline(counts)
