"""A site generator's own front-matter keys are read when the configured ones are absent:
review dates, owners and review intervals, with the key each came from in the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kbcheck.formats import RenderOptions, render
from tests.conftest import run_kb, write_tree

DOCFX = '{"build": {"content": [{"files": ["**/*.md"]}]}}\n'


def _entries(root: Path, **options: object) -> dict[str, object]:
    result = run_kb(root, **options)
    return {entry.path: entry for entry in result.report.articles}


def _rules(root: Path, **options: object) -> list[tuple[str, str]]:
    result = run_kb(root, **options)
    return sorted((finding.path, finding.rule) for finding in result.report.findings)


def test_docfx_reads_ms_date_author_and_update_cycle(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "docfx.json": DOCFX,
            "outlook/cannot-send.md": (
                "---\ntitle: Cannot send mail\nauthor: ana-lopez\nms.author: analopez\n"
                "ms.date: 03/14/2026\nms.update-cycle: 365-days\n---\n# Cannot send mail\n"
            ),
            "outlook/alias-only.md": (
                "---\ntitle: Alias only\nms.author: tkato\nms.date: 2026-01-05\n---\n# Alias\n"
            ),
        },
    )
    entries = _entries(root, today=date(2026, 11, 20))
    sent = entries["outlook/cannot-send.md"]
    assert sent.last_reviewed.isoformat() == "2026-03-14"  # type: ignore[attr-defined]
    assert (sent.review_key, sent.owners, sent.owner_key) == (  # type: ignore[attr-defined]
        "ms.date",
        ("ana-lopez",),
        "author",
    )
    alias = entries["outlook/alias-only.md"]
    assert (alias.owners, alias.owner_key) == (("tkato",), "ms.author")  # type: ignore[attr-defined]
    # 250 days after the review: stale under the default 180 days, fresh under 365-days
    assert _rules(root, today=date(2026, 11, 20), select=("age",)) == [
        ("outlook/alias-only.md", "age/stale")
    ]


def test_hugo_lastmod_is_read_whatever_its_case_and_shape(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "site",
        {
            "hugo.toml": 'title = "Acme help"\n',
            "content/billing/refunds.md": (
                "---\ntitle: Refunds\nlastMod: 2026-10-02T09:30:00Z\nauthors: [billing-team]\n"
                "---\n# Refunds\n"
            ),
        },
    )
    entry = _entries(root)["content/billing/refunds.md"]
    assert entry.last_reviewed.isoformat() == "2026-10-02"  # type: ignore[attr-defined]
    assert (entry.review_key, entry.owners) == ("lastMod", ("billing-team",))  # type: ignore[attr-defined]


def test_jekyll_last_modified_at_and_author_object(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "site",
        {
            "_config.yml": "title: Acme help\n",
            "refunds.md": (
                "---\ntitle: Refunds\nlast_modified_at: 2026-09-30\n"
                "author:\n  name: Ana Lopez\n---\n# Refunds\n"
            ),
        },
    )
    entry = _entries(root)["refunds.md"]
    assert (entry.review_key, entry.owners) == ("last_modified_at", ("Ana Lopez",))  # type: ignore[attr-defined]


def test_docusaurus_nested_last_update(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "site",
        {
            "docusaurus.config.js": "module.exports = { title: 'Acme help' };\n",
            "docs/refunds.md": (
                "---\ntitle: Refunds\nlast_update:\n  date: 2026-08-01\n  author: Ana Lopez\n"
                "---\n# Refunds\n"
            ),
        },
    )
    entry = _entries(root)["docs/refunds.md"]
    assert entry.last_reviewed.isoformat() == "2026-08-01"  # type: ignore[attr-defined]
    assert (entry.review_key, entry.owner_key) == (  # type: ignore[attr-defined]
        "last_update.date",
        "last_update.author",
    )


def test_configured_keys_win_and_plain_folders_read_no_conventions(tmp_path: Path) -> None:
    files = {
        "refunds.md": (
            "---\ntitle: Refunds\nowner: billing-team\nlast_reviewed: 2026-10-01\n"
            "author: someone-else\nms.date: 01/01/2020\n---\n# Refunds\n"
        ),
        "plain.md": "---\ntitle: Plain\nauthor: ana\nms.date: 01/01/2026\n---\n# Plain\n",
    }
    plain = _entries(write_tree(tmp_path / "plain", files))
    assert plain["plain.md"].owners == ()  # type: ignore[attr-defined]
    assert plain["plain.md"].last_reviewed is None  # type: ignore[attr-defined]
    docfx = _entries(write_tree(tmp_path / "docfx", {**files, "docfx.json": DOCFX}))
    refunds = docfx["refunds.md"]
    assert (refunds.owners, refunds.review_key) == (("billing-team",), "last_reviewed")  # type: ignore[attr-defined]


def test_json_names_the_keys(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "docfx.json": DOCFX,
            "a.md": "---\ntitle: A\nauthor: ana\nms.date: 10/01/2026\n---\n# A\n",
        },
    )
    import json

    text = render(run_kb(root).report, "json", RenderOptions())
    article = json.loads(text)["articles"][0]
    assert (article["review_key"], article["owner_key"]) == ("ms.date", "author")


def test_an_empty_owner_is_missing_but_a_named_one_is_not(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "empty.md": "---\ntitle: Empty\nowner:\nlast_reviewed: 2026-10-01\n---\n# Empty\n",
            "blank.md": '---\ntitle: Blank\nowner: ""\nlast_reviewed: 2026-10-01\n---\n# B\n',
            "named.md": "---\nowner: [support-team]\nlast_reviewed: 2026-10-01\n---\n",
        },
    )
    result = run_kb(root, select=("owner/missing",))
    found = sorted((f.path, f.message) for f in result.report.findings)
    assert found == [
        ("blank.md", "no owner ('owner' is empty)"),
        ("empty.md", "no owner ('owner' is empty)"),
    ]


# --- kbcheck verify keeps the article's own key and its format ---------------------------------

import pytest  # noqa: E402

from kbcheck.verify import record_review  # noqa: E402

REVIEWED = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # docfx: MM/DD/YYYY, the key with a dot in its name
            "---\ntitle: A\nms.date: 03/14/2025 # set by the docs team\nauthor: ana\n---\nBody\n",
            "---\ntitle: A\nms.date: 12/01/2026 # set by the docs team\nauthor: ana\n---\nBody\n",
        ),
        (  # Hugo: a timestamp keeps its time and zone
            "---\ntitle: A\nlastmod: 2024-01-02T10:00:00Z\n---\nBody\n",
            "---\ntitle: A\nlastmod: 2026-12-01T10:00:00Z\n---\nBody\n",
        ),
        (  # Jekyll: a quoted ISO date stays quoted
            "---\ntitle: A\nlast_modified_at: '2025-05-06'\n---\nBody\n",
            "---\ntitle: A\nlast_modified_at: '2026-12-01'\n---\nBody\n",
        ),
        (  # Docusaurus: the nested date, the author beside it untouched
            "---\ntitle: A\nlast_update:\n  date: 2025-02-03\n  author: Ana\nsidebar_position: 2\n"
            "---\nBody\n",
            "---\ntitle: A\nlast_update:\n  date: 2026-12-01\n  author: Ana\nsidebar_position: 2\n"
            "---\nBody\n",
        ),
        (  # the configured key, when present, wins over a convention key
            "---\nlast_reviewed: 2025-01-01\nms.date: 01/01/2025\n---\n",
            "---\nlast_reviewed: 2026-12-01\nms.date: 01/01/2025\n---\n",
        ),
    ],
)
def test_verify_updates_the_key_the_article_uses(before: str, after: str) -> None:
    assert record_review(before, REVIEWED) == after


def test_verify_adds_its_own_key_only_when_the_article_has_no_date_key() -> None:
    text = "---\ntitle: A\nauthor: ana\n---\nBody\n"
    assert record_review(text, REVIEWED) == (
        "---\ntitle: A\nauthor: ana\nlast_reviewed: 2026-12-01\n---\nBody\n"
    )


def test_init_lists_the_conventions_it_will_read(tmp_path: Path) -> None:
    from kbcheck.site.detect import site_spec
    from kbcheck.starter import starter_config

    write_tree(tmp_path, {"docfx.json": DOCFX})
    text = starter_config(site_spec(tmp_path, None))
    assert "#   review date: ms.date" in text
    assert "#   owner: author, then ms.author" in text
    assert "#   interval: ms.update-cycle" in text


def test_a_policy_that_matches_no_article_is_a_warning(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": (
                '[[policy]]\npaths = ["biling/**"]\nreview_every = "90d"\n\n'
                '[[policy]]\npaths = ["support/**"]\nreview_every = "1y"\n'
            ),
            "billing/refunds.md": "---\nowner: a\nlast_reviewed: 2026-10-01\n---\n# Refunds\n",
            "support/contact.md": "---\nowner: a\nlast_reviewed: 2026-10-01\n---\n# Contact\n",
        },
    )
    notices = run_kb(root).report.notices
    assert [notice for notice in notices if "[[policy]]" in notice] == [
        "[[policy]] with paths ['biling/**'] matches no article "
        "(paths are relative to the knowledge-base root, as in .gitignore)"
    ]


def test_policy_globs_follow_the_hosts_letter_case(tmp_path: Path) -> None:
    files = {
        "kbcheck.toml": '[[policy]]\npaths = ["billing/**"]\nreview_every = "30d"\n',
        "Billing/refunds.md": "---\nowner: a\nlast_reviewed: 2026-09-01\n---\n# Refunds\n",
    }
    plain = run_kb(write_tree(tmp_path / "plain", files), today=date(2026, 11, 20))
    assert {f.rule for f in plain.report.findings} == set()  # case-sensitive: no policy
    docfx = run_kb(
        write_tree(tmp_path / "docfx", {**files, "docfx.json": DOCFX}), today=date(2026, 11, 20)
    )
    assert {f.rule for f in docfx.report.findings} == {"age/stale"}  # served any case
