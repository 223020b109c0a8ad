"""Pages customers cannot read are not reported as customer-facing: drafts, unpublished and
future pages, and a repository's own files, each next to the valid case that looks like it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kbcheck.model import Article
from kbcheck.publication import unpublished_reason
from tests.conftest import run_kb, write_tree

TODAY = date(2026, 6, 1)
STALE = "---\nowner: ana\nlast_reviewed: 2019-01-01\n{extra}---\n# Page\n\nText.\n"


def _reported(root: Path, *paths: Path) -> tuple[list[str], list[str]]:
    result = run_kb(*(paths or (root,)), select=("age",), today=TODAY)
    return sorted({finding.path for finding in result.report.findings}), list(result.report.notices)


def _page(extra: str = "") -> str:
    return STALE.format(extra=extra)


def test_hugo_drafts_future_and_expired_pages_are_not_reported(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://help.example.com/"\n',
            "content/billing/draft.md": _page("draft: true\n"),
            "content/billing/not-a-draft.md": _page("draft: false\n"),
            "content/billing/next-month.md": _page("publishDate: 2026-07-01\n"),
            "content/billing/last-month.md": _page("publishDate: 2026-05-01\n"),
            "content/billing/withdrawn.md": _page("expiryDate: 2026-05-31\n"),
            "content/billing/still-live.md": _page("expiryDate: 2026-06-02\n"),
            "content/billing/never-rendered.md": _page("build:\n  render: never\n"),
        },
    )
    reported, notices = _reported(root)
    assert reported == [
        "content/billing/last-month.md",
        "content/billing/not-a-draft.md",
        "content/billing/still-live.md",
    ]
    [notice] = [notice for notice in notices if "unpublished" in notice]
    assert notice.startswith("4 unpublished article(s) not checked")
    assert "check_unpublished = true" in notice


def test_jekyll_unpublished_and_docusaurus_unlisted_pages_are_not_reported(
    tmp_path: Path,
) -> None:
    root = write_tree(
        tmp_path,
        {
            "_config.yml": "title: Help\n",
            "index.md": _page(),
            "billing/old-plans.md": _page("published: false\n"),
            "billing/plans.md": _page("published: true\n"),
            "billing/hidden.md": _page("unlisted: true\n"),
        },
    )
    reported, _ = _reported(root)
    assert reported == ["billing/plans.md", "index.md"]


def test_repository_files_are_not_articles_when_a_generator_publishes_the_site(
    tmp_path: Path,
) -> None:
    root = write_tree(
        tmp_path,
        {
            "_config.yml": "title: Help\n",
            "index.md": _page(),
            "CONTRIBUTING.md": "# Contributing\n\nOpen a pull request.\n",
            "README.md": "# Help center source\n",
            # a help page about security, in lower case, is an article
            "security.md": "# Keeping your account secure\n\nTurn on two-step sign-in.\n",
            # a repository file with front matter is a page on purpose
            "LICENSE.md": "---\ntitle: License\n---\n# License\n",
        },
    )
    result = run_kb(root, select=("owner/missing",), today=TODAY)
    assert sorted(finding.path for finding in result.report.findings) == [
        "LICENSE.md",
        "security.md",
    ]


def test_without_a_generator_every_file_is_an_article(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "CONTRIBUTING.md": "# Contributing\n\nOpen a pull request.\n",
            "guide.md": "# Guide\n\nText.\n",
        },
    )
    result = run_kb(root, select=("owner/missing",), today=TODAY)
    assert sorted(finding.path for finding in result.report.findings) == [
        "CONTRIBUTING.md",
        "guide.md",
    ]


def test_check_unpublished_and_a_named_draft_are_checked(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://help.example.com/"\n',
            "content/a.md": _page("draft: true\n"),
            "content/b.md": _page("draft: true\n"),
        },
    )
    # (the root of a run on one file is its folder)
    reported, _ = _reported(root, root / "content" / "a.md")
    assert reported == ["a.md"]
    (root / "kbcheck.toml").write_text("check_unpublished = true\n", encoding="utf-8")
    reported, notices = _reported(root)
    assert reported == ["content/a.md", "content/b.md"]
    assert not [notice for notice in notices if "unpublished" in notice]


def test_readme_is_the_home_page_unless_the_site_has_an_index() -> None:
    readme = Article(path="README.md", title="Help")
    assert unpublished_reason(readme, TODAY, "gitbook") is None
    assert unpublished_reason(readme, TODAY, "jekyll", ["README.md"]) is None
    assert unpublished_reason(readme, TODAY, "jekyll", ["README.md", "index.html"]) is not None
    assert unpublished_reason(readme, TODAY, "none", ["README.md", "index.html"]) is None


def test_dates_written_as_text_or_datetimes_are_read() -> None:
    later = Article(path="a.md", title="A", meta={"publishDate": "2026-09-01T10:00:00Z"})
    assert unpublished_reason(later, TODAY, "hugo") == "publishdate: 2026-09-01 is in the future"
    odd = Article(path="b.md", title="B", meta={"expiryDate": "soon", "draft": "yes"})
    assert unpublished_reason(odd, TODAY, "hugo") is None
