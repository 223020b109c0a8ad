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
        "site_name: Acme\ndocs_dir: docs/billing\n",
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


HUGO_KB = {
    "kbcheck.toml": 'today = "2026-06-01"\n[age]\nsource = "frontmatter"\n',
    "hugo.toml": 'baseURL = "https://help.example.com/"\n',
    "layouts/_shortcodes/include.html": (
        "{{ with .Get 0 }}{{ with site.GetPage . }}{{ .RenderShortcodes }}{{ end }}{{ end }}\n"
    ),
    "content/_shared/_index.md": "---\ncascade:\n  build:\n    render: never\n---\n",
    "content/_shared/steps.md": "---\n---\n\n## Update the card\n\nOpen Billing.\n",
    "content/billing/cards.md": '# Cards\n\n{{% include "/_shared/steps" %}}\n',
    "content/billing/declined.md": "# Declined\n\n[Update it](/billing/cards/#update-the-card).\n",
}


@pytest.mark.parametrize(
    "old, new",
    [("## Update the card", "## Replace the card"), ("Open Billing.", "Open Billing.\n\n## More")],
)
def test_an_edit_to_a_pasted_in_fragment_is_seen_by_the_cached_report(
    tmp_path: Path, old: str, new: str
) -> None:
    """The fragment is not an article, yet its headings are the page's ids: a change to it
    must reach the cached report (replayed whole, or per finding)."""
    root = write_tree(tmp_path / "kb", HUGO_KB)  # type: ignore[arg-type]
    before = _report(root, cache=True)
    assert before == _report(root, cache=False)
    fragment = root / "content/_shared/steps.md"
    time.sleep(0.01)
    fragment.write_text(fragment.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    after = _report(root, cache=True)
    assert after == _report(root, cache=False)
    if old.startswith("## Update"):
        assert after != before and "links/broken-anchor" in after
    else:
        assert "links/broken-anchor" not in after
