"""The git history index on real repositories built in a temporary folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kbcheck.config import Config
from kbcheck.engine import LintOptions, lint
from kbcheck.formats import RenderOptions, render
from kbcheck.history import load_history, state
from kbcheck.incremental.folder import CacheFolder
from tests.git_repo import GitRepo, article, run_git

TODAY = date(2026, 6, 1)


def lint_json(root: Path, source: str) -> dict:
    result = lint([root], Config(age_source=source), LintOptions(today=TODAY))
    data = json.loads(render(result.report, "json", RenderOptions()))
    data["notices"] = list(result.report.notices)
    return data


def by_path(data: dict) -> dict[str, dict]:
    return {entry["path"]: entry for entry in data["articles"]}


def rules_of(data: dict, path: str) -> list[str]:
    return sorted(finding["rule"] for finding in data["findings"] if finding["path"] == path)


def test_last_commit_date_and_author_of_every_file(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    first = repo.commit(date(2024, 1, 10), {"a.md": article(), "b.md": article()})
    repo.commit(
        date(2025, 3, 5), {"a.md": article() + "More.\n"}, author="Li Wei", email="li@example.com"
    )

    history = load_history(repo.path)

    a, b = history.last_change("a.md"), history.last_change("b.md")
    assert a is not None and b is not None
    assert (a.committed, a.author_name, a.author_email) == (
        date(2025, 3, 5),
        "Li Wei",
        "li@example.com",
    )
    assert (b.committed, b.commit) == (date(2024, 1, 10), first)
    assert history.in_repository and not history.shallow and history.notices == ()


def test_latest_commit_per_author_by_mail_or_name(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(date(2023, 5, 1), {"a.md": "one\n"}, author="Ana Lopez", email="Ana@Example.com")
    repo.commit(date(2025, 2, 1), {"a.md": "two\n"}, author="Ana Lopez", email="ana@example.com")
    repo.commit(date(2024, 8, 1), {"b.md": "three\n"}, author="Li Wei", email="li@example.com")

    history = load_history(repo.path)

    assert history.last_commit_by("ana@example.com") == date(2025, 2, 1)
    assert history.last_commit_by("ANA LOPEZ") == date(2025, 2, 1)
    assert history.last_commit_by("Li Wei <LI@example.com>") == date(2024, 8, 1)
    assert history.last_commit_by("nobody@example.com") is None


def test_knowledge_base_in_a_subfolder_of_a_larger_repository(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "product")
    repo.commit(date(2024, 2, 1), {"docs/kb/billing/refunds.md": article(), "src/app.py": "1\n"})
    repo.commit(
        date(2026, 1, 1),
        {"src/app.py": "2\n", "README.md": "x\n", "docs/kb2/other.md": article()},
        author="Dev",
        email="d@x",
    )

    history = load_history(repo.path / "docs" / "kb")

    change = history.last_change("billing/refunds.md")
    assert change is not None and change.committed == date(2024, 2, 1)
    assert history.last_change("src/app.py") is None  # outside the knowledge base
    assert history.last_change("2/other.md") is None  # a sibling folder whose name starts alike
    assert history.last_change("docs/kb/billing/refunds.md") is None  # paths are re-rooted
    assert history.last_commit_by("d@x") is None  # committed only outside the knowledge base
    assert len(history) == 1


def test_a_pure_rename_keeps_the_date_of_the_last_content_change(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(date(2024, 1, 1), {"refunds.md": article(), "plans.md": article(owner="x")})
    repo.commit(date(2024, 6, 1), {"refunds.md": article() + "Edited.\n"})
    repo.commit(date(2025, 1, 1), moves={"refunds.md": "billing/refunds.md"})
    repo.commit(date(2025, 9, 1), moves={"billing/refunds.md": "billing/refund-policy.md"})
    repo.commit(date(2025, 2, 1), moves={"plans.md": "billing/plans.md"})
    repo.commit(date(2025, 3, 1), {"billing/plans.md": article(owner="x") + "Changed.\n"})

    history = load_history(repo.path)

    moved = history.last_change("billing/refund-policy.md")
    assert moved is not None and moved.committed == date(2024, 6, 1)
    edited_after_move = history.last_change("billing/plans.md")
    assert edited_after_move is not None and edited_after_move.committed == date(2025, 3, 1)


def test_a_rename_with_edits_is_a_change(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    long_text = article() + "".join(f"Line {n} of the refund policy.\n" for n in range(30))
    repo.commit(date(2024, 1, 1), {"refunds.md": long_text})
    run_git(repo.path, "mv", "refunds.md", "refund-policy.md")
    repo.commit(date(2025, 4, 1), {"refund-policy.md": long_text + "A new paragraph.\n"})

    change = load_history(repo.path).last_change("refund-policy.md")

    assert change is not None and change.committed == date(2025, 4, 1)


def test_uncommitted_and_untracked_files_changed_today(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(date(2024, 1, 1), {"kept.md": article(), "edited.md": article(), "s.md": "s\n"})
    repo.write({"edited.md": article() + "Work in progress.\n", "new/draft.md": article()})
    (repo.path / "s.md").write_text("staged\n", encoding="utf-8")
    run_git(repo.path, "add", "s.md")

    history = load_history(repo.path)

    for path in ("edited.md", "new/draft.md", "s.md"):
        change = history.last_change(path)
        assert change is not None and change.uncommitted, path
        assert change.day(TODAY) == TODAY
    kept = history.last_change("kept.md")
    assert kept is not None and not kept.uncommitted and kept.day(TODAY) == date(2024, 1, 1)

    data = lint_json(repo.path, "git")
    articles = by_path(data)
    assert articles["new/draft.md"]["last_reviewed"] == TODAY.isoformat()
    assert articles["new/draft.md"]["review_source"] == "git"
    assert rules_of(data, "kept.md") == ["age/stale"]
    assert rules_of(data, "new/draft.md") == []


def test_repository_without_commits_yet(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.write({"a.md": article()})

    change = load_history(repo.path).last_change("a.md")

    assert change is not None and change.uncommitted


def test_no_repository_means_no_git_dates_and_no_notice(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    root.mkdir()
    (root / "a.md").write_text(article(), encoding="utf-8")

    history = load_history(root)
    assert len(history) == 0 and not history.in_repository and history.notices == ()

    data = lint_json(root, "frontmatter-then-git")
    assert data["notices"] == []
    assert by_path(data)["a.md"]["review_source"] == "none"
    assert rules_of(data, "a.md") == ["age/missing-review-date"]


def test_one_git_log_for_the_whole_knowledge_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(date(2024, 1, 1), {f"folder{n % 5}/a{n}.md": article() for n in range(60)})
    repo.commit(date(2025, 1, 1), {f"folder1/a{n}.md": article() + "x\n" for n in range(1, 60, 5)})
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))  # git itself logs every command it runs

    history = load_history(repo.path)
    assert len(history) == 60

    commands = [line for line in trace.read_text().splitlines() if "trace: built-in: git" in line]
    assert sum(" git log " in line for line in commands) == 1
    assert len(commands) <= 6  # version probes, rev-parse x2, log, status: never per file


def test_source_frontmatter_then_git_uses_git_only_without_a_review_date(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(
        date(2024, 1, 1),
        {
            "dated.md": article(reviewed=date(2024, 1, 1)),
            "undated.md": article(),
            "recent.md": article(),
        },
    )
    repo.commit(date(2026, 5, 1), {"dated.md": article(reviewed=date(2024, 1, 1)) + "Typo.\n"})
    repo.commit(date(2026, 5, 2), {"recent.md": article() + "New.\n"})

    data = lint_json(repo.path, "frontmatter-then-git")
    articles = by_path(data)

    # A commit is not a review: the front-matter date stays in force, the edit is only shown.
    assert articles["dated.md"]["review_source"] == "frontmatter"
    assert articles["dated.md"]["last_reviewed"] == "2024-01-01"
    stale = next(f for f in data["findings"] if f["path"] == "dated.md")
    assert stale["rule"] == "age/stale" and "last commit 2026-05-01" in stale["message"]
    assert articles["undated.md"]["review_source"] == "git"
    assert articles["undated.md"]["last_reviewed"] == "2024-01-01"
    assert rules_of(data, "undated.md") == ["age/stale"]
    assert articles["recent.md"]["review_source"] == "git"
    assert rules_of(data, "recent.md") == []


def test_source_git_ignores_the_front_matter_date(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(date(2026, 5, 1), {"a.md": article(reviewed=date(2020, 1, 1))})

    articles = by_path(lint_json(repo.path, "git"))

    assert articles["a.md"]["review_source"] == "git"
    assert articles["a.md"]["last_reviewed"] == "2026-05-01"


def test_source_frontmatter_never_reads_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(date(2026, 5, 1), {"a.md": article(), "b.md": article(reviewed=date(2024, 1, 1))})
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))

    data = lint_json(repo.path, "frontmatter")

    assert by_path(data)["a.md"]["review_source"] == "none"
    assert rules_of(data, "a.md") == ["age/missing-review-date"]
    stale = next(f for f in data["findings"] if f["path"] == "b.md")
    assert "commit" not in stale["message"]
    assert not trace.exists() or "git log" not in trace.read_text()


def test_git_date_after_a_pinned_today_is_recent_work_not_a_future_date(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(date(2026, 9, 1), {"a.md": article()})

    data = lint_json(repo.path, "git")

    assert rules_of(data, "a.md") == []


def test_shallow_clone_is_reported_once_and_old_files_are_not_called_fresh(
    tmp_path: Path,
) -> None:
    origin = GitRepo(tmp_path / "origin")
    origin.commit(date(2023, 1, 1), {f"old{n}.md": article() for n in range(5)})
    origin.commit(date(2026, 4, 1), {"recent.md": article()})
    origin.commit(date(2026, 5, 1), {"latest.md": article()})
    clone = origin.shallow_clone(tmp_path / "clone", depth=2)

    history = load_history(clone)

    assert history.shallow
    assert len(history.notices) == 1
    notice = history.notices[0]
    assert "shallow" in notice and "git fetch --unshallow" in notice and "fetch-depth: 0" in notice
    latest = history.last_change("latest.md")
    assert latest is not None and latest.committed == date(2026, 5, 1)  # inside the depth: exact
    for path in ("recent.md", "old0.md"):  # on the cut: the true date may be much older
        assert history.last_change(path) is None

    data = lint_json(clone, "frontmatter-then-git")
    assert data["notices"] == [notice]
    assert rules_of(data, "old0.md") == ["age/missing-review-date"]
    assert data["summary"]["fresh_percent"] < 100
    assert rules_of(data, "latest.md") == []


def test_depth_one_clone_warns_through_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kbcheck.cli import app

    origin = GitRepo(tmp_path / "origin")
    origin.commit(date(2023, 1, 1), {"a.md": article(), "b.md": article()})
    clone = origin.shallow_clone(tmp_path / "clone")

    result = CliRunner().invoke(app, ["check", str(clone), "--today", "2026-06-01"])

    warnings = [line for line in result.stderr.splitlines() if "shallow" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("kbcheck: warning:")


def test_a_rerun_reuses_the_walk_until_head_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache keeps the walk per HEAD: the same answer without reading the history again,
    and a new commit is seen at once."""
    repo = GitRepo(tmp_path / "repo")
    repo.commit(date(2025, 1, 10), {"a.md": "# A\n"})
    cache = CacheFolder(tmp_path / "cache")
    first = load_history(repo.path, cache)
    assert (cache.path / "git-history.json").exists()
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    again = load_history(repo.path, cache)
    monkeypatch.delenv("GIT_TRACE")
    assert " git log " not in trace.read_text()  # no walk: the cached one was used
    assert again.last_change("a.md") == first.last_change("a.md")
    assert again.last_commit_by("ana@example.com") == date(2025, 1, 10)

    (cache.path / "git-history.json").write_text('{"version": 1, "key": "x"}', "utf-8")
    assert load_history(repo.path, cache).last_change("a.md") == first.last_change("a.md")

    repo.commit(date(2026, 2, 3), {"a.md": "# A, edited\n"})
    moved = load_history(repo.path, cache).last_change("a.md")
    assert moved is not None and moved.committed == date(2026, 2, 3)


def test_the_state_of_git_changes_with_everything_the_history_reads(tmp_path: Path) -> None:
    """A run may replay its last report only while `state` is unchanged, so each thing that
    changes what `load_history` returns must change it; reading it twice must not."""
    repo = GitRepo(tmp_path / "repo")
    docs = repo.path / "docs"
    repo.commit(date(2024, 1, 10), {"docs/a.md": article(), "docs/b.md": article()})
    seen = [state(docs)]

    def changed() -> bool:
        now = state(docs)
        new = now not in seen
        seen.append(now)
        return new

    assert not changed()  # asked again, same answer
    repo.commit(date(2024, 2, 1), {"docs/a.md": article() + "More.\n"})
    assert changed()  # a commit
    repo.write({"docs/b.md": article() + "Edited.\n"})
    assert changed()  # an uncommitted edit
    repo.write({"docs/new.md": article()})
    assert changed()  # an untracked file
    run_git(repo.path, "add", "-A")
    assert changed()  # staged
    repo.write({".mailmap": "Ana L <ana@example.com>\n"})
    assert changed()  # who the authors are
    assert not changed()


def test_the_state_outside_a_repository_or_without_git_is_still_an_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    assert state(folder) == state(folder)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert state(folder) != ""


def test_a_bulk_commit_is_maintenance_and_the_edit_before_it_dates_each_page(
    tmp_path: Path,
) -> None:
    """One commit that removes a metadata key from every article is not a review of each."""
    repo = GitRepo(tmp_path / "kb")
    pages = {f"kb/page-{n:03}.md": article() for n in range(12)}
    repo.commit(date(2023, 1, 1), pages)
    repo.commit(date(2024, 5, 1), {"kb/page-001.md": article() + "Edited by hand.\n"})
    bulk = {path: text.replace("title: Article\n", "") for path, text in pages.items()}
    repo.commit(date(2026, 3, 1), {**bulk, "kb/new.md": article()}, message="remove title")
    repo.commit(date(2026, 4, 1), {"kb/page-002.md": "Rewritten.\n"})

    history = load_history(repo.path / "kb", bulk_commit=10)

    def day(path: str) -> date | None:
        change = history.last_change(path)
        return change.committed if change else None

    assert day("page-000.md") == date(2023, 1, 1)
    assert day("page-001.md") == date(2024, 5, 1)
    assert day("page-002.md") == date(2026, 4, 1)  # a real edit after the bulk commit
    assert day("new.md") == date(2026, 3, 1)  # added by it: its only date
    unlimited = load_history(repo.path / "kb", bulk_commit=0).last_change("page-000.md")
    assert unlimited is not None and unlimited.committed == date(2026, 3, 1)
    assert history.last_commit_by("ana@example.com") == date(2026, 4, 1)


def test_commits_in_git_blame_ignore_revs_are_not_edits(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    repo.commit(date(2024, 1, 1), {"refunds.md": article(), "plans.md": article()})
    reformat = repo.commit(
        date(2025, 6, 1), {"refunds.md": article() + "\n", "plans.md": article() + "\n"}
    )
    repo.commit(
        date(2025, 7, 1),
        {".git-blame-ignore-revs": f"# Reformat every page\n{reformat}\n"},
    )

    history = load_history(repo.path)

    assert history.last_change("refunds.md").committed == date(2024, 1, 1)  # type: ignore[union-attr]
    assert history.last_change("plans.md").committed == date(2024, 1, 1)  # type: ignore[union-attr]
    assert state(repo.path) != state(tmp_path)  # the file is part of what a replay compares


def test_a_missing_object_drops_rename_detection_not_the_dates(tmp_path: Path) -> None:
    """`git log -M` must read the blobs of a renamed file; a clone missing one still has
    every commit: the dates are read without rename detection, and one notice says so."""
    repo = GitRepo(tmp_path / "kb")
    long_text = article() + "".join(f"Line {n} of the refund policy.\n" for n in range(30))
    repo.commit(date(2024, 1, 1), {"refunds.md": long_text, "plans.md": article()})
    run_git(repo.path, "mv", "refunds.md", "refund-policy.md")
    repo.commit(date(2025, 4, 1), {"refund-policy.md": long_text + "A new paragraph.\n"})
    blob = run_git(repo.path, "rev-parse", "HEAD~1:refunds.md").strip()
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()

    history = load_history(repo.path)

    assert history.last_change("plans.md").committed == date(2024, 1, 1)  # type: ignore[union-attr]
    assert history.last_change("refund-policy.md").committed == date(2025, 4, 1)  # type: ignore[union-attr]
    (notice,) = history.notices
    assert notice.startswith("git could not detect renames (")
