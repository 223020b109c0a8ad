"""A run whose inputs are all unchanged replays the last report; any changed input runs in
full. Each case compares the run with one made without the cache, so a stale replay fails."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import pytest

import kbcheck.incremental.parse_cache as parsing
from kbcheck.article import ParseSettings
from kbcheck.baseline import baseline_text
from kbcheck.config import load_config
from kbcheck.engine import LintOptions, LintResult, lint
from kbcheck.formats import RenderOptions, render
from kbcheck.incremental import replay
from kbcheck.incremental.folder import CACHE_FOLDER_NAME, SECRET_NAME
from kbcheck.incremental.parse_cache import ParseStats, file_digests
from kbcheck.model import Article, Finding
from kbcheck.registry import ArticleRule, RuleContext, load_registry
from kbcheck.report import Report
from tests.conftest import write_tree
from tests.git_repo import GitRepo

TODAY = date(2026, 6, 1)
#: Where a stored report keeps its findings: a record is the array of its fields.
_FINDINGS_FIELD = [field.name for field in dataclasses.fields(Report)].index("findings")
CONFIG = 'today = "2026-06-01"\n[age]\nsource = "frontmatter"\n'
PAGE = (
    "---\ntitle: {title}\nowner: ana@example.com\nlast_reviewed: {reviewed}\n---\n"
    "# {title}\n\nSee [the other page](b.md#steps) and ![a shot](shot.png).\n"
)
B_PAGE = "---\ntitle: B\nowner: ana@example.com\nlast_reviewed: 2026-05-01\n---\n# B\n\n## Steps\n"


def _json(result: LintResult) -> str:
    return render(result.report, "json", RenderOptions(version="test"))


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": CONFIG,
            "a.md": PAGE.format(title="A", reviewed="2025-01-01"),
            "b.md": B_PAGE,
            "shot.png": b"\x89PNG",
        },
    )


def _check(root: Path, **options: object) -> LintResult:
    config = load_config(root / "kbcheck.toml")
    return lint([root], config, LintOptions(jobs=1, **options))  # type: ignore[arg-type]


def _assert_full_run_matches_fresh(root: Path, **options: object) -> None:
    """The next cached run is not replayed and gives what a run without cache gives."""
    result = _check(root, **options)
    assert not result.parse_stats.replayed
    assert _json(result) == _json(_check(root, cache=False, **options))


def test_an_unchanged_run_is_replayed_byte_for_byte(kb: Path) -> None:
    first = _check(kb)
    assert not first.parse_stats.replayed
    second = _check(kb)
    assert second.parse_stats.replayed
    assert _json(second) == _json(first)
    assert second.unbaselined == first.unbaselined
    assert second.article_paths == first.article_paths == {"a.md", "b.md"}
    # The articles were never loaded.
    assert second.corpus is None
    assert first.corpus is not None
    assert first.corpus.reviews["a.md"].last_reviewed == date(2025, 1, 1)


def test_a_run_from_another_folder_is_replayed_with_its_own_root(
    kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report names its root relative to the working directory; that alone does not
    make a run different."""
    monkeypatch.chdir(kb)
    _check(kb)
    monkeypatch.chdir(tmp_path)
    result = _check(kb)
    assert result.parse_stats.replayed
    assert result.report.root == "kb"
    assert _json(result) == _json(_check(kb, cache=False))


CHANGES: dict[str, Callable[[Path], None]] = {
    "article edited": lambda root: (root / "b.md").write_text(
        B_PAGE.replace("## Steps", "## Other steps"), encoding="utf-8"
    ),
    "image deleted": lambda root: (root / "shot.png").unlink(),
    "file added": lambda root: (root / "c.md").write_text("# C\n", encoding="utf-8"),
    "configuration": lambda root: (root / "kbcheck.toml").write_text(
        'ignore = ["links/broken-image"]\n' + CONFIG, encoding="utf-8"
    ),
    "ignored by git": lambda root: (root / ".gitignore").write_text("b.md\n", encoding="utf-8"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_changed_input_runs_in_full(kb: Path, change: str) -> None:
    _check(kb)
    assert _check(kb).parse_stats.replayed
    CHANGES[change](kb)
    _assert_full_run_matches_fresh(kb)


def test_files_outside_the_root_that_name_owners_are_read_again(tmp_path: Path) -> None:
    """CODEOWNERS at the repository top and an owners file beside the configuration lie
    outside the knowledge base, so no article or discovered file changes with them."""
    repo = GitRepo(tmp_path / "repo")
    root = write_tree(
        repo.path / "docs",
        {
            "kbcheck.toml": 'owners_file = "../owners.yaml"\n' + CONFIG,
            "a.md": PAGE.format(title="A", reviewed="2026-05-01"),
            "b.md": B_PAGE.replace("owner: ana@example.com\n", ""),
        },
    )
    owners = repo.path / "owners.yaml"
    owners.write_text("people:\n  - email: ana@example.com\n", encoding="utf-8")
    _check(root)
    assert _check(root).parse_stats.replayed
    (repo.path / "CODEOWNERS").write_text("/docs/b.md @acme/support\n", encoding="utf-8")
    _assert_full_run_matches_fresh(root)
    assert _check(root).parse_stats.replayed
    owners.write_text("people:\n  - email: bo@example.com\n", encoding="utf-8")
    _assert_full_run_matches_fresh(root)


def test_options_and_the_date_are_part_of_the_key(kb: Path) -> None:
    _check(kb)
    _assert_full_run_matches_fresh(kb, select=("links",))
    _assert_full_run_matches_fresh(kb, today=date(2027, 6, 1))
    _assert_full_run_matches_fresh(kb, ignore=("age",))


def test_an_edited_baseline_file_is_read_again(kb: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(baseline_text(()), encoding="utf-8")
    _check(kb, baseline=baseline)
    assert _check(kb, baseline=baseline).parse_stats.replayed
    baseline.write_text(baseline_text(_check(kb, cache=False).unbaselined), encoding="utf-8")
    _assert_full_run_matches_fresh(kb, baseline=baseline)
    assert _check(kb, baseline=baseline).report.baselined > 0


def test_a_new_commit_changes_git_dates_and_is_not_replayed(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "kb")
    files = {
        "kbcheck.toml": 'today = "2026-06-01"\n',
        "a.md": "---\ntitle: A\nowner: ana@example.com\n---\n# A\n",
    }
    repo.commit(date(2025, 1, 1), files)
    _check(repo.path)
    assert _check(repo.path).parse_stats.replayed
    # The same content committed again later: no file changed, only what git says of it.
    repo.commit(date(2026, 5, 30), {"a.md": files["a.md"] + "\n"})
    repo.commit(date(2026, 5, 31), {"a.md": files["a.md"]})
    _assert_full_run_matches_fresh(repo.path)
    assert _check(repo.path).parse_stats.replayed


def test_runs_that_depend_on_the_outside_world_are_never_replayed(kb: Path) -> None:
    GitRepo(kb).commit(date(2026, 5, 1))
    for _ in range(2):
        assert not _check(kb, changed_since="HEAD").parse_stats.replayed
    _check(kb)
    assert not _check(kb, replay=False).parse_stats.replayed
    assert not _check(kb, cache=False).parse_stats.replayed


_WORD_LIST_RULE = '''
from pathlib import Path

from kbcheck.api import ArticleRule, Severity


class Listed(ArticleRule):
    """Flags articles listed in the word list shipped beside the rule.

    Why it matters:
        A test rule.

    Example:
        # A

    Fix:
        Nothing.
    """

    id = "test/listed"
    severity = Severity.INFO

    def check(self, article, ctx):
        listed = (Path(__file__).parent / "listed.txt").read_text(encoding="utf-8").split()
        if article.path in listed:
            yield ctx.report(article, "listed")
'''


def test_a_plugin_rule_is_keyed_by_every_file_of_its_package(
    kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin that reads a data file of its own package (a word list) is replayed and
    reused only while that file is unchanged: the package's files are part of its key."""
    package = write_tree(
        tmp_path / "site" / "listed_plugin",
        {"__init__.py": _WORD_LIST_RULE, "listed.txt": "a.md\n"},
    )
    monkeypatch.syspath_prepend(str(package.parent))
    module = importlib.import_module("listed_plugin")
    registry = load_registry()
    registry.add(module.Listed, "test")
    config = load_config(kb / "kbcheck.toml")

    def listed() -> tuple[bool, list[str]]:
        result = lint([kb], config, LintOptions(jobs=1), registry)
        paths = [f.path for f in result.report.findings if f.rule == "test/listed"]
        return result.parse_stats.replayed, paths

    assert listed() == (False, ["a.md"])
    assert listed() == (True, ["a.md"])
    (package / "listed.txt").write_text("b.md\n", encoding="utf-8")
    assert listed() == (False, ["b.md"])
    assert listed() == (True, ["b.md"])


def test_a_rule_whose_code_cannot_be_found_is_never_replayed(kb: Path) -> None:
    class Nowhere(ArticleRule):
        """A rule defined where kbcheck cannot read its code.

        Why it matters:
            A test rule.

        Example:
            # A

        Fix:
            Nothing.
        """

        id = "test/nowhere"

        def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
            return ()

    Nowhere.__module__ = "no_such_module_anywhere"
    registry = load_registry()
    registry.add(Nowhere, "test")
    config = load_config(kb / "kbcheck.toml")
    for _ in range(2):
        result = lint([kb], config, LintOptions(jobs=1), registry)
        assert not result.parse_stats.replayed


def test_a_report_stored_elsewhere_is_never_replayed(
    kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request can commit a cache folder with a report that hides its findings; the
    stored key is keyed with a secret of the machine that stored it, so it never matches."""
    expected = _json(_check(kb, cache=False))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))
    _check(kb)
    stored = kb / CACHE_FOLDER_NAME / replay.DOCUMENT
    document = json.loads(stored.read_text("utf-8"))
    document["report"][_FINDINGS_FIELD] = []
    stored.write_text(json.dumps(document), encoding="utf-8")
    assert _check(kb).parse_stats.replayed  # where it was stored, it would be replayed
    stored.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ci-runner"))
    result = _check(kb)
    assert not result.parse_stats.replayed
    assert _json(result) == expected
    assert (tmp_path / "ci-runner" / "kbcheck" / SECRET_NAME).stat().st_mode & 0o077 == 0


def test_a_damaged_stored_report_is_ignored(kb: Path) -> None:
    expected = _json(_check(kb))
    stored = kb / CACHE_FOLDER_NAME / replay.DOCUMENT
    document = json.loads(stored.read_text("utf-8"))
    document["report"][_FINDINGS_FIELD][0][2] = ["not", "a", "path"]
    stored.write_text(json.dumps(document), encoding="utf-8")
    result = _check(kb)
    assert not result.parse_stats.replayed
    assert _json(result) == expected
    stored.write_text('{"version": 1, "key": ', encoding="utf-8")
    assert _json(_check(kb)) == expected


def test_a_file_known_by_its_status_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like git's index: same size, times, inode and mode means unchanged. An edit that keeps
    the size and puts the old mtime back still changes the ctime, and is seen."""
    monkeypatch.setattr(parsing, "RACY_MARGIN_NS", 0)
    root = write_tree(tmp_path / "kb", {"a.md": "# Alpha\n", "b.md": "# Beta\n"})
    cache = parsing.CacheFolder(tmp_path / "cache")
    settings = ParseSettings()

    def digests() -> tuple[dict[str, str], int]:
        stats = ParseStats()
        found = file_digests(root, ["a.md", "b.md"], settings.max_size, cache, stats)
        return found, stats.hashed

    first, hashed = digests()
    assert hashed == 2
    assert digests() == (first, 0)
    before = os.stat(root / "a.md")
    (root / "a.md").write_text("# Omega\n", encoding="utf-8")
    os.utime(root / "a.md", ns=(before.st_atime_ns, before.st_mtime_ns))
    edited, hashed = digests()
    assert hashed == 1
    assert edited["a.md"] != first["a.md"] and edited["b.md"] == first["b.md"]


def test_a_file_changed_too_recently_is_always_read(tmp_path: Path) -> None:
    """Within the racy margin a second write in the same clock tick could go unseen, so a
    just-written file is hashed on every run until it has aged."""
    root = write_tree(tmp_path / "kb", {"a.md": "# Alpha\n"})
    cache = parsing.CacheFolder(tmp_path / "cache")
    for _ in range(2):
        stats = ParseStats()
        file_digests(root, ["a.md"], ParseSettings().max_size, cache, stats)
        assert stats.hashed == 1


def test_a_replayed_check_imports_no_parser_and_no_gitpython(tmp_path: Path) -> None:
    """Nothing changed, nothing parsed: start-up is most of such a run, so the Markdown and
    YAML parsers (imported to parse an article or a YAML owners file) stay unimported, and
    so does GitPython: the state of git is asked of git itself (`history.state`)."""
    import subprocess
    import sys

    repo = GitRepo(tmp_path / "kb")
    repo.commit(
        date(2026, 1, 5),
        {"kbcheck.toml": CONFIG, "a.md": PAGE.format(title="A", reviewed="2026-05-01")},
    )
    repo.write({"b.md": B_PAGE})
    script = (
        "import sys\n"
        "from kbcheck.cli import app\n"
        "try:\n"
        "    app(['check', sys.argv[1], '-f', 'json', '-o', sys.argv[2]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'yaml', 'markdown_it', 'frontmatter', 'git'}\n"
        "print(' '.join(sorted(heavy & set(sys.modules))))\n"
    )
    command = [sys.executable, "-c", script, str(repo.path), str(tmp_path / "report.json")]
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "markdown_it" in first.stdout.split()  # the first run parses
    second = subprocess.run(command, capture_output=True, text=True, check=True)
    assert second.stdout.split() == [], second.stderr
