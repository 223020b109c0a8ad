"""Every fixture knowledge base under tests/fixtures/<family>/<case>/ gives exactly the
findings its expected.txt lists (`path:line:rule`, one per line; no file means none).

Each case runs on a copy outside any git repository, so kbcheck's own history (its authors, a
shallow clone) cannot change what it finds. A case that needs a history has a `git-log.txt`
(`YYYY-MM-DD Name <email>` per commit, newest first): its copy becomes a repository with
those commits (see `build_history` in conftest.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.relative_to(FIXTURES).as_posix())
def test_fixture(case: Path, tmp_path: Path) -> None:
    root = tmp_path / case.name
    shutil.copytree(case, root, symlinks=True, ignore=shutil.ignore_patterns(HISTORY_FILE))
    if (case / HISTORY_FILE).exists():
        build_history(root, (case / HISTORY_FILE).read_text(encoding="utf-8"))
    result = run_kb(root)
    actual = sorted(f"{f.path}:{f.line}:{f.rule}" for f in result.report.findings)
    assert actual == expected_findings(case)


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
