"""Every fixture knowledge base under tests/fixtures/<family>/<case>/ gives exactly the
findings its expected.txt lists (`path:line:rule`, one per line; no file means none), with
only the rule under test selected: the family and the longest rule name the case's name
starts with (`links/broken-anchor-github-ok` tests `links/broken-anchor`), plus any rule
expected.txt lists.

Each case runs on a copy outside any git repository, so kbcheck's own history (its authors, a
shallow clone) cannot change what it finds. A case that needs a history has a `git-log.txt`
(`YYYY-MM-DD Name <email>` per commit, newest first): its copy becomes a repository with
those commits (see `build_history` in conftest.py).

And every case runs four times, as users run kbcheck: cold, warm (the cache as the first run
left it), after an unrelated file is added, and after another article is added. Each run
must give the expected findings and the same report as a run without the cache.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from kbcheck.engine import LintResult
from kbcheck.formats import RenderOptions, render
from kbcheck.registry import load_registry
from tests.conftest import HISTORY_FILE, build_history, run_kb

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(path for path in FIXTURES.glob("*/*") if path.is_dir())


def expected_findings(case: Path) -> list[str]:
    expected = case / "expected.txt"
    if not expected.exists():
        return []
    lines = expected.read_text(encoding="utf-8").splitlines()
    return sorted(line.strip() for line in lines if line.strip() and not line.startswith("#"))


RULE_IDS = sorted(load_registry().rules)
#: Added to a case for its last run: an article linking nowhere, with no value to compare and
#: no date in its prose, in a folder of its own. It changes the corpus (the files, the
#: articles other rules compare) without changing what any rule reports on the others.
NEUTRAL_ARTICLE = (
    "zz-unrelated/welcome-note.md",
    "---\ntitle: Welcome note\nowner: support-team\nlast_reviewed: 2026-05-20\n---\n"
    "# Welcome note\n\nThanks for reading our help center.\n",
)


def rules_under_test(case: Path) -> tuple[str, ...]:
    """The rule the case is named after, and any other rule its expected findings name."""
    family = case.parent.name
    named = [
        rule_id
        for rule_id in RULE_IDS
        if rule_id.startswith(family + "/") and case.name.startswith(rule_id.split("/")[1])
    ]
    chosen = {max(named, key=len)} if named else set()
    chosen.update(line.rsplit(":", 1)[1] for line in expected_findings(case))
    assert chosen, f"{case}: no rule is named by the case"
    return tuple(sorted(chosen))


def _findings(result: LintResult) -> list[str]:
    return sorted(f"{f.path}:{f.line}:{f.rule}" for f in result.report.findings)


def _json(result: LintResult) -> str:
    return render(result.report, "json", RenderOptions(version="test"))


#: kbcheck trusts a file's recorded status (size, times, inode) for its content only once
#: the file is older than a margin (2 s, see RACY_MARGIN_NS in parse_cache.py), and reads
#: younger files again. The copies are left this long before the runs, so that the warm runs
#: take the path users' second runs take.
SETTLE_SECONDS = 2.2


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """A copy of every case, made up front and then left alone for SETTLE_SECONDS."""
    base = tmp_path_factory.mktemp("fixtures")
    made = {}
    for index, case in enumerate(CASES):
        root = base / f"{index:02d}" / case.name
        shutil.copytree(case, root, symlinks=True, ignore=shutil.ignore_patterns(HISTORY_FILE))
        if (case / HISTORY_FILE).exists():
            build_history(root, (case / HISTORY_FILE).read_text(encoding="utf-8"))
        made[case] = root
    time.sleep(SETTLE_SECONDS)
    return made


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.relative_to(FIXTURES).as_posix())
def test_fixture(case: Path, copies: dict[Path, Path]) -> None:
    root = copies[case]
    select = rules_under_test(case)
    expected = expected_findings(case)

    def both() -> LintResult:
        cached = run_kb(root, select=select, cache=True, jobs=1)
        assert _json(cached) == _json(run_kb(root, select=select, jobs=1))
        return cached

    for step in ("cold", "warm", "unrelated file", "another article"):
        if step == "unrelated file":
            (root / "zz-unrelated-notes.txt").write_text("not an article\n", encoding="utf-8")
        elif step == "another article":
            path, text = NEUTRAL_ARTICLE
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        result = both()
        if step == "warm":  # replayed, the settled files taken by their recorded status
            assert result.parse_stats.replayed
            assert result.parse_stats.hashed == 0
        # The added article may have findings of its own (a case that renames the review
        # key): the others' must not change.
        others = [line for line in _findings(result) if not line.startswith("zz-unrelated/")]
        assert others == expected, step


def test_every_rule_has_a_firing_and_a_silent_fixture() -> None:
    """Cases come in pairs: `<rule-name>...` fires, `<rule-name>...-ok` stays silent.

    Rules that need the network (`requires = ("external",)`) cannot run from a static
    folder: tests/test_external_links.py gives each of them its firing and silent cases
    against a real HTTP server on 127.0.0.1."""
    registry = load_registry()
    missing = []
    for rule_id, rule in registry.rules.items():
        if registry.sources[rule_id].split(" ", 1)[1].startswith("(kbcheck_rules.") is False:
            continue
        if rule.requires:
            continue
        family, name = rule_id.split("/")
        folder = FIXTURES / family
        cases = [case for case in CASES if case.parent == folder and case.name.startswith(name)]
        fires = [
            c for c in cases if any(line.endswith(":" + rule_id) for line in expected_findings(c))
        ]
        silent = [
            c
            for c in cases
            if c.name.endswith("-ok")
            and not any(line.endswith(":" + rule_id) for line in expected_findings(c))
        ]
        if not fires:
            missing.append(f"{rule_id}: no fixture under {family}/{name}* that fires")
        if not silent:
            missing.append(f"{rule_id}: no silent fixture {family}/{name}*-ok")
    assert not missing, "\n".join(missing)
