"""The site model is behind the cache like everything else: an edit to a generator's file or
to a page's URL changes a cached report exactly as it changes an uncached one."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from kbcheck.config import load_config
from kbcheck.engine import LintOptions, lint
from kbcheck.formats import RenderOptions, render
from tests.conftest import write_tree
from tests.git_repo import GitRepo

MKDOCS = """\
site_name: Acme help center
nav:
  - Home: index.md
  - Refunds: billing/refunds.md
plugins:
  - redirects:
      redirect_maps:
        billing/refund-policy.md: billing/refunds.md
"""

KB = {
    "kbcheck.toml": 'today = "2026-06-01"\n[age]\nsource = "frontmatter"\n',
    "mkdocs.yml": MKDOCS,
    "docs/index.md": (
        "# Acme help center\n\nSee the [policy](billing/refund-policy.md), the "
        "[refunds page](/billing/refunds/#how-refunds-work) and [plans](/billing/plans/).\n"
    ),
    "docs/billing/refunds.md": "# Refunds\n\n## How refunds work\n\nWithin 30 days.\n",
}

EDITS = {
    "redirect removed": (
        "mkdocs.yml",
        "        billing/refund-policy.md: billing/refunds.md\n",
        "",
    ),
    "nav entry renamed": (
        "mkdocs.yml",
        "billing/refunds.md\nplugins",
        "billing/refund.md\nplugins",
    ),
    "docs moved": (
        "mkdocs.yml",
        "site_name: Acme help center\n",
        "site_name: Acme\ndocs_dir: pages\n",
    ),
    "heading reworded": ("docs/billing/refunds.md", "How refunds work", "How refunds are paid"),
    "generator off": ("kbcheck.toml", "[age]", '[site]\ngenerator = "none"\n[age]'),
}


def _report(root: Path, cache: bool) -> str:
    result = lint([root], load_config(root / "kbcheck.toml"), LintOptions(cache=cache, jobs=1))
    return render(result.report, "json", RenderOptions(version="test"))


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_to_the_site_changes_the_cached_report_as_the_uncached_one(
    tmp_path: Path, edit: str
) -> None:
    root = write_tree(tmp_path / "kb", KB)  # type: ignore[arg-type]
    GitRepo(root).commit(date(2026, 1, 5), author="Ana Lopez", email="ana@example.com")
    before = _report(root, cache=True)
    assert before == _report(root, cache=False)
    path, old, new = EDITS[edit]
    target = root / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    time.sleep(0.01)
    target.write_text(text.replace(old, new), encoding="utf-8")
    after = _report(root, cache=True)
    assert after == _report(root, cache=False)
    assert after != before, f"{edit} did not change the report"
