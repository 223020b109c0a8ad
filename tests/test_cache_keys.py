"""What the cache is keyed by: a change to anything a report depends on is a change of key,
however it is spelled (kbcheck/incremental/keys.py)."""

from __future__ import annotations

from pathlib import Path

from kbcheck.config import load_config
from kbcheck.engine import LintOptions, LintResult, lint
from kbcheck.formats import RenderOptions, render
from tests.conftest import FIXTURE_TODAY, write_tree

#: Longer than the 200 characters Python keeps of a compiled pattern's repr.
_FILLER = "|".join(f"unrelated phrase number {n}" for n in range(12))


def _config(last_alternative: str) -> str:
    pattern = f"{_FILLER}|{last_alternative}"
    assert len(pattern) > 220
    return f'[facts.refund_window]\nvalue = "30 days"\nmatch = "{pattern}"\n'


def _run(root: Path, cache: bool) -> LintResult:
    config = load_config(root / "kbcheck.toml")
    options = LintOptions(cache=cache, jobs=1, today=FIXTURE_TODAY, select=("contradiction",))
    return lint([root], config, options)


def _json(result: LintResult) -> str:
    return render(result.report, "json", RenderOptions(version="test"))


def test_editing_the_end_of_a_long_fact_pattern_is_a_new_key(tmp_path: Path) -> None:
    """The replay key once hashed repr(config), which cuts a compiled pattern at 200
    characters: an edit past that point replayed the old finding."""
    root = write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": _config("refunds are accepted"),
            "refunds.md": "# Refunds\n\nRefunds are accepted within 14 days of the charge.\n",
        },
    )
    first = _run(root, cache=True)
    assert [f.rule for f in first.report.findings] == ["contradiction/fact-mismatch"]
    (root / "kbcheck.toml").write_text(_config("refunds are welcome"), encoding="utf-8")
    second = _run(root, cache=True)
    assert not second.parse_stats.replayed
    assert second.report.findings == ()
    assert _json(second) == _json(_run(root, cache=False))
    # And back: the first key again, the first report again.
    (root / "kbcheck.toml").write_text(_config("refunds are accepted"), encoding="utf-8")
    assert _json(_run(root, cache=True)) == _json(first)
