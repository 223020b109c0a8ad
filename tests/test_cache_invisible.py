"""The cache never changes a report: after any sequence of edits to a knowledge base in git,
a run with the cache gives byte for byte the report of a run without it.

hypothesis draws the sequences from the edits that move what kbcheck keeps between runs: a
heading other pages link to, a link, a stated value, files added, deleted and renamed, the
configuration, a rule option or severity, the date (in the configuration and on the clock),
and commits. Every edit here is known to matter (the last test). tests/test_cache_sequences.py
draws whole help centers as well as the edits; each fixture case also runs cold, warm and
after unrelated edits (tests/test_fixtures.py).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbcheck.config import load_config
from kbcheck.engine import LintOptions, lint
from kbcheck.formats import RenderOptions, render
from tests.conftest import write_tree
from tests.git_repo import GitRepo, run_git

FRONT = "---\ntitle: {title}\nowner: {owner}\nlast_reviewed: {reviewed}\n---\n"
CONFIG = (
    'today = "2026-06-01"\n\n'
    "[facts.refund_window]\n"
    'value = "30 days"\n'
    'match = "refunds? (are|is) accepted"\n'
)
KB = {
    "kbcheck.toml": CONFIG,
    "index.md": FRONT.format(title="Help center", owner="support-team", reviewed="2026-05-01")
    + "# Help center\n\n"
    "- [Refunds](billing/refunds.md#refund-window)\n"
    "- [Plans](billing/plans.md)\n"
    "- [Password](account/password.md#reset-link)\n"
    "- [Sign-in problems](troubleshooting/login.md)\n",
    "billing/refunds.md": FRONT.format(title="Refunds", owner="billing-team", reviewed="2025-01-10")
    + "# Refunds\n\n## Refund window\n\n"
    "Refunds are accepted within 30 days of the charge.\n\n"
    "![A receipt](../images/receipt.png)\n\n"
    "To change your plan first, see [plans](plans.md#annual-plans).\n",
    "billing/plans.md": FRONT.format(title="Plans", owner="billing-team", reviewed="2026-04-02")
    + "# Plans\n\n## Annual plans\n\n"
    "Annual plans are 20% off until March 31, 2026.\n\n"
    "Read about [refunds](refunds.md#refund-window) before you switch.\n",
    "account/password.md": FRONT.format(
        title="Password", owner="ana@example.com", reviewed="2026-03-01"
    )
    + "# Resetting your password\n\n## Reset link\n\n"
    "Password reset links expire after 24 hours.\n",
    "troubleshooting/login.md": FRONT.format(
        title="Cannot sign in", owner="support-team", reviewed="2024-11-20"
    )
    + "# Cannot sign in\n\n"
    "Password reset links expire after 60 minutes, so ask for a new one.\n\n"
    "See [the reset link](../account/password.md#reset-link).\n",
    "images/receipt.png": b"\x89PNG\r\n\x1a\n",
}

Edit = Callable[[Path], None]


def _replace(relative: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / relative
        if path.exists():
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _append(relative: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)

    return edit


def _config(setting: str) -> Edit:
    """A top-level setting or a table added to kbcheck.toml, once."""

    def edit(root: Path) -> None:
        path = root / "kbcheck.toml"
        text = path.read_text(encoding="utf-8")
        if setting not in text:
            top = not setting.startswith("\n[")
            text = f"{setting}\n{text}" if top else text + setting
            path.write_text(text, encoding="utf-8")

    return edit


def _append_once(relative: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        if not (root / relative).exists():
            _append(relative, text)(root)

    return edit


def _delete(relative: str) -> Edit:
    def edit(root: Path) -> None:
        (root / relative).unlink(missing_ok=True)

    return edit


def _rename(old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        if (root / old).exists():
            (root / new).parent.mkdir(parents=True, exist_ok=True)
            (root / old).rename(root / new)

    return edit


def _clock(day: str) -> Edit:
    """Run the next checks on `day` (`--today`), which wins over the configuration's."""

    def edit(root: Path) -> None:
        (root.parent / "today").write_text(day, encoding="utf-8")

    return edit


def _commit(day: str) -> Edit:
    def edit(root: Path) -> None:
        run_git(root, "add", "-A")
        stamp = f"{day}T12:00:00+00:00"
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        for role in ("AUTHOR", "COMMITTER"):
            env[f"GIT_{role}_NAME"] = "Li Wei"
            env[f"GIT_{role}_EMAIL"] = "li.wei@example.com"
        run_git(root, "commit", "-q", "--allow-empty", "-m", "edit", env=env)

    return edit


EDITS: dict[str, Edit] = {
    # A heading two pages link to, reworded and back.
    "heading renamed": _replace("billing/refunds.md", "## Refund window", "## Refund period"),
    "heading restored": _replace("billing/refunds.md", "## Refund period", "## Refund window"),
    # A link pointed elsewhere, at a missing page, and fixed.
    "link broken": _replace("index.md", "billing/plans.md)", "billing/pricing.md)"),
    "link fixed": _replace("index.md", "billing/pricing.md)", "billing/plans.md)"),
    "anchor broken": _replace("billing/refunds.md", "#annual-plans", "#yearly-plans"),
    # Stated values: the conflict between two pages, and the configured fact.
    "value agrees": _replace("troubleshooting/login.md", "60 minutes", "24 hours"),
    "value differs": _replace("troubleshooting/login.md", "24 hours", "2 hours"),
    "fact stated otherwise": _replace("billing/refunds.md", "within 30 days", "within 14 days"),
    "prose added": _append("billing/plans.md", "\nYou can switch plans at any time.\n"),
    # Files come and go.
    "page added": _append_once(
        "billing/pricing.md",
        FRONT.format(title="Pricing", owner="billing-team", reviewed="2026-05-05")
        + "# Pricing\n\n## Annual plans\n\nRefunds are accepted within 30 days.\n",
    ),
    "image deleted": _delete("images/receipt.png"),
    "page deleted": _delete("billing/plans.md"),
    "page renamed": _rename("account/password.md", "account/passwords.md"),
    "page renamed back": _rename("account/passwords.md", "account/password.md"),
    # The configuration, a rule option and a severity.
    "fact changed": _replace("kbcheck.toml", 'value = "30 days"', 'value = "14 days"'),
    "anchor style": _config('anchor_style = "gitlab"'),
    "folder excluded": _config('exclude = ["troubleshooting/"]'),
    "option set": _config('\n[rules."contradiction/conflicting-values"]\nsimilarity = 0.9\n'),
    "severity set": _config('\n[rules."content/expired-mention"]\nseverity = "error"\n'),
    # The date moves on (the age rules and expired mentions read it): in the configuration,
    # and as the clock does, with the configuration as it was.
    "next year": _replace("kbcheck.toml", 'today = "2026-06-01"', 'today = "2027-06-01"'),
    "time passes": _clock("2028-02-29"),
    # Git: what the age source and owner/inactive read.
    "commit": _commit("2026-05-30"),
}


#: Edits that change no finding of the first knowledge base on their own: they undo another
#: edit, or matter only after one (an anchor style on headings that slug alike, a similarity
#: for subjects that are the same words); the property test runs them in sequences.
QUIET_ALONE = {
    "heading restored",
    "link fixed",
    "page renamed back",
    "value differs",
    "anchor style",
    "option set",
    "commit",
    "prose added",
}


def _report(root: Path, cache: bool) -> str:
    config = load_config(root / "kbcheck.toml")
    clock = root.parent / "today"
    today = date.fromisoformat(clock.read_text(encoding="utf-8")) if clock.exists() else None
    result = lint([root], config, LintOptions(cache=cache, jobs=1, today=today))
    return render(result.report, "json", RenderOptions(version="test"))


def _knowledge_base(folder: Path) -> Path:
    root = write_tree(folder / "kb", KB)  # type: ignore[arg-type]
    repo = GitRepo(root)
    repo.commit(date(2026, 1, 5), author="Ana Lopez", email="ana@example.com")
    return root


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=6))
def test_a_cached_run_reports_what_an_uncached_run_reports(steps: list[str]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kbcheck-invisible-"))
    try:
        root = _knowledge_base(folder)
        assert _report(root, cache=True) == _report(root, cache=False)
        for step in steps:
            EDITS[step](root)
            warm = _report(root, cache=True)
            assert warm == _report(root, cache=False), f"after {steps[: steps.index(step) + 1]}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_every_edit_changes_the_report_or_the_cache_key() -> None:
    """Each edit is one the cache must notice: it changes the findings, or at least what
    a cached run reads (so a wrong key would show as a stale report in the property test)."""
    folder = Path(tempfile.mkdtemp(prefix="kbcheck-edits-"))
    try:
        root = _knowledge_base(folder)
        unchanged = []
        for name in sorted(EDITS):
            shutil.rmtree(root.parent)
            root = _knowledge_base(folder)
            before = _report(root, cache=False)
            EDITS[name](root)
            if name in QUIET_ALONE:
                continue
            if _report(root, cache=False) == before:
                unchanged.append(name)
        assert not unchanged, f"edits that change nothing: {unchanged}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
