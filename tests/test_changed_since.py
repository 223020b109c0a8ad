"""`--changed-since REF` on a real git repository: changed articles (committed since the merge
base, staged, unstaged, untracked) plus the untouched articles that link to a changed, renamed
or deleted one; cross-article rules still see the whole knowledge base."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kbcheck.cli import app
from kbcheck.config import load_config
from kbcheck.engine import LintOptions, UsageError, lint
from tests.conftest import write_tree

runner = CliRunner()
# No owner on purpose: every article in scope has an owner/missing finding, so the report
# shows exactly which articles were checked.
PAGE = "---\ntitle: {title}\nlast_reviewed: 2026-05-01\n---\n# {title}\n\n## Details\n\n{body}\n"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ana",
    "GIT_AUTHOR_EMAIL": "ana@example.com",
    "GIT_COMMITTER_NAME": "Ana",
    "GIT_COMMITTER_EMAIL": "ana@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_SYSTEM": "/dev/null",
    "HOME": "/nonexistent",
    "PATH": "/usr/bin:/bin:/usr/local/bin",
}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return result.stdout


def page(title: str, body: str = "Nothing to see.") -> str:
    return PAGE.format(title=title, body=body)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A docs repository whose knowledge base is in `kb/`, with a feature branch that
    modified, renamed and deleted articles, plus staged, unstaged and untracked work."""
    root = tmp_path / "docs"
    kb = root / "kb"
    write_tree(
        kb,
        {
            "kbcheck.toml": 'today = "2026-06-01"\n',
            "modified.md": page("Modified", "See [plain](untouched-plain.md#details)."),
            "old-name.md": page("Renamed"),
            "deleted.md": page("Deleted"),
            "unstaged.md": page("Unstaged"),
            "main-only.md": page("Changed on main only"),
            "links-to-deleted.md": page(
                "Links to deleted", "See [it](deleted.md).\n\nOld: [gone](never-existed.md)."
            ),
            "links-to-renamed.md": page("Links to renamed", "See [it](old-name.md)."),
            "links-to-modified.md": page("Links to modified", "See [it](modified.md#details)."),
            "links-to-folder.md": page("Links to folder", "See [guides](guides/)."),
            "guides/index.md": page("Guides"),
            "untouched-plain.md": page("Untouched", "See [web](https://example.com/x.md)."),
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    # Committed on the branch: a modified article (its heading renamed), a rename, a deletion.
    (kb / "modified.md").write_text(
        page("Modified", "See [plain](untouched-plain.md#details).").replace(
            "## Details", "## More details"
        ),
        encoding="utf-8",
    )
    git(root, "mv", "kb/old-name.md", "kb/new-name.md")
    git(root, "rm", "-q", "kb/deleted.md")
    (kb / "guides" / "index.md").write_text(page("Guides, updated"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "edit, rename, delete")
    # Meanwhile main moved on: that change is not the branch's and must not count.
    git(root, "checkout", "-q", "main")
    (kb / "main-only.md").write_text(page("Changed on main"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "main moves on")
    git(root, "checkout", "-q", "feature")
    # Staged, unstaged and untracked work in progress.
    (kb / "staged.md").write_text(page("Staged"), encoding="utf-8")
    git(root, "add", "kb/staged.md")
    (kb / "unstaged.md").write_text(page("Unstaged, edited"), encoding="utf-8")
    (kb / "untracked.md").write_text(page("Untracked"), encoding="utf-8")
    return kb


def checked(kb: Path, ref: str = "main") -> tuple[set[str], set[str]]:
    result = lint([kb], load_config(kb / "kbcheck.toml"), LintOptions(changed_since=ref))
    findings = {f"{f.path}:{f.rule}" for f in result.report.findings}
    return {entry.path for entry in result.report.articles}, findings


def test_changed_articles_and_the_untouched_ones_linking_to_them(repo: Path) -> None:
    articles, findings = checked(repo)
    assert articles == {
        # changed: committed on the branch, staged, unstaged, untracked
        "modified.md",
        "new-name.md",
        "guides/index.md",
        "staged.md",
        "unstaged.md",
        "untracked.md",
        # untouched, but linking to a deleted, a renamed, a modified article, a changed index
        "links-to-deleted.md",
        "links-to-renamed.md",
        "links-to-modified.md",
        "links-to-folder.md",
    }
    # Not in scope: an untouched article linking only elsewhere, and main's own change.
    assert "untouched-plain.md" not in articles and "main-only.md" not in articles
    # Cross-article rules still see the whole knowledge base: the untouched pages' links break
    # because of the branch, and the changed page's link into an unchecked page resolves.
    assert "links-to-deleted.md:links/broken-file" in findings
    assert "links-to-renamed.md:links/broken-file" in findings
    assert "links-to-modified.md:links/broken-anchor" in findings
    assert "modified.md:links/broken-anchor" not in findings
    assert {finding.split(":")[0] for finding in findings} <= articles


def test_unchanged_articles_report_only_what_the_change_broke(repo: Path) -> None:
    """A pull request must not fail for old problems of pages it did not touch: their
    missing owner and their old broken link stay out, the links the change broke are in;
    the changed articles keep every finding."""
    result = lint([repo], load_config(repo / "kbcheck.toml"), LintOptions(changed_since="main"))
    by_path: dict[str, set[str]] = {}
    for finding in result.report.findings:
        by_path.setdefault(finding.path, set()).add(f"{finding.rule}@{finding.line}")
    # Unchanged, linking into touched pages: the broken link on line 9 only, not the old
    # broken link to a page that never existed (line 11) nor owner/missing.
    assert by_path["links-to-deleted.md"] == {"links/broken-file@9"}
    assert by_path["links-to-renamed.md"] == {"links/broken-file@9"}
    assert by_path["links-to-modified.md"] == {"links/broken-anchor@9"}
    # Its link into a changed page still resolves: nothing to report, yet it is checked.
    assert "links-to-folder.md" not in by_path
    # Changed articles keep all their findings, old ones included.
    for changed in ("modified.md", "new-name.md", "staged.md", "unstaged.md", "untracked.md"):
        assert "owner/missing@1" in by_path[changed], changed
    # The whole knowledge base still has the old problems: only the scope hides them.
    full = lint([repo], load_config(repo / "kbcheck.toml"))
    old = {(f.path, f.rule) for f in full.report.findings}
    assert ("links-to-deleted.md", "owner/missing") in old
    assert ("links-to-deleted.md", "links/broken-file") in old


def test_a_changed_article_keeps_its_old_broken_link(tmp_path: Path) -> None:
    """The tricky case next to it: an old problem on an article the branch edited is the
    author's to fix now, so it is reported even though the edit did not cause it."""
    kb = write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": 'today = "2026-06-01"\n',
            "a.md": page("A", "Old: [gone](never-existed.md)."),
            "b.md": page("B", "Old: [gone](never-existed.md). See [a](a.md)."),
        },
    )
    git(kb, "init", "-q", "-b", "main")
    git(kb, "add", "-A")
    git(kb, "commit", "-q", "-m", "base")
    (kb / "a.md").write_text(page("A, edited", "Old: [gone](never-existed.md)."), "utf-8")
    articles, findings = checked(kb, ref="HEAD")
    assert articles == {"a.md", "b.md"}
    assert findings == {"a.md:owner/missing", "a.md:links/broken-file"}


def test_nothing_changed_means_nothing_checked(repo: Path) -> None:
    root = repo.parent
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "wip")
    articles, _ = checked(repo, ref="HEAD")
    assert articles == set()


def test_knowledge_base_at_the_top_of_the_repository(tmp_path: Path) -> None:
    kb = write_tree(
        tmp_path / "kb",
        {"kbcheck.toml": 'today = "2026-06-01"\n', "a.md": page("A"), "b.md": page("B")},
    )
    git(kb, "init", "-q", "-b", "main")
    git(kb, "add", "-A")
    git(kb, "commit", "-q", "-m", "base")
    (kb / "b.md").write_text(page("B2"), encoding="utf-8")
    articles, findings = checked(kb, ref="HEAD")
    assert articles == {"b.md"}
    assert findings == {"b.md:owner/missing"}


def test_bad_ref_is_a_one_line_error(repo: Path) -> None:
    result = runner.invoke(app, ["check", str(repo), "--changed-since", "no-such-branch"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == (
        "kbcheck: error: --changed-since: this clone has no commit 'no-such-branch'; fetch it "
        "first (git fetch origin no-such-branch), or with actions/checkout set fetch-depth: 0"
    )
    assert "Traceback" not in result.output


def test_option_like_ref_is_refused(repo: Path) -> None:
    with pytest.raises(UsageError, match="is not a git ref"):
        checked(repo, ref="--output=/tmp/x")


def test_outside_a_repository(tmp_path: Path) -> None:
    kb = write_tree(tmp_path / "kb", {"a.md": page("A")})
    result = runner.invoke(app, ["check", str(kb), "--changed-since", "main"])
    assert result.exit_code == 2
    assert "needs a git repository" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_two_git_calls_whatever_the_size(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never one git process per file: count the subprocesses gitpython starts."""
    import git.cmd

    calls: list[tuple[str, ...]] = []
    real = git.cmd.Git.execute

    def counting(self, command, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(tuple(command))
        return real(self, command, *args, **kwargs)

    monkeypatch.setattr(git.cmd.Git, "execute", counting)
    # Review dates from front matter only: the history index has git calls of its own (one
    # `git log` for the whole knowledge base, tested in test_history.py).
    config = replace(load_config(repo / "kbcheck.toml"), age_source="frontmatter")
    lint([repo], config, LintOptions(changed_since="main"))
    subcommands = [call[1] for call in calls if len(call) > 1 and call[0] == "git"]
    assert subcommands == ["diff", "ls-files"], calls


def test_reports_say_what_they_cover(repo: Path) -> None:
    result = runner.invoke(
        app, ["check", str(repo), "--changed-since", "main"], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 1
    flat = " ".join(result.stdout.split())  # the long tmp path may wrap the heading
    assert "today 2026-06-01 changed since main 10 articles" in flat


def test_links_by_published_url_bring_their_articles_into_scope(tmp_path: Path) -> None:
    """On a generated site an unchanged page names a changed one by its URL: it is checked
    again, because its link may be what the change broke."""
    root = tmp_path / "site"
    write_tree(
        root,
        {
            "kbcheck.toml": 'today = "2026-06-01"\n',
            "mkdocs.yml": "site_name: Help\n",
            "docs/billing/refunds.md": page("Refunds"),
            "docs/by-url.md": page("By URL", "See [refunds](/billing/refunds/#details)."),
            "docs/by-file.md": page("By file", "See [refunds](billing/refunds.md)."),
            "docs/elsewhere.md": page("Elsewhere", "See [plans](/billing/plans/)."),
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    refunds = root / "docs" / "billing" / "refunds.md"
    refunds.write_text(page("Refunds").replace("## Details", "## Fine print"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "reword a heading")
    result = lint([root], load_config(root / "kbcheck.toml"), LintOptions(changed_since="main"))
    articles = {entry.path for entry in result.report.articles}
    assert articles == {"docs/billing/refunds.md", "docs/by-url.md", "docs/by-file.md"}
    assert any(
        f.path == "docs/by-url.md" and f.rule == "links/broken-anchor"
        for f in result.report.findings
    )


def test_a_missing_ref_names_the_fetch_it_needs(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    root.mkdir()
    (root / "a.md").write_text("---\ntitle: A\n---\n# A\n", encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=Ana", "-c", "user.email=ana@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    result = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", str(root), "--changed-since", "origin/main"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "kbcheck: error: --changed-since: this clone has no commit 'origin/main'; fetch it "
        "first (git fetch origin main), or with actions/checkout set fetch-depth: 0"
    )
    assert "fatal" not in result.stderr
