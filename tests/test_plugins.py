"""Third-party rules come in through the same entry-point door as the built-ins: a real
package is built and installed into a private folder, then kbcheck runs with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_tree

PLUGINS = Path(__file__).parent / "plugins"


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    for package in ("kbcheck-plugin-example", "kbcheck-plugin-broken"):
        build = tmp_path_factory.mktemp("build")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "--no-cache-dir",
                "--target",
                str(site),
                str(PLUGINS / package),
            ],
            check=True,
            cwd=build,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )
    return site


def run_kbcheck(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "kbcheck", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )


def test_rules_lists_the_plugin_and_names_the_broken_one(plugin_site: Path) -> None:
    result = run_kbcheck(plugin_site, "rules")
    assert result.returncode == 0, result.stderr
    assert "house-style/click-here" in result.stdout
    assert "links/broken-anchor" in result.stdout  # built-ins still there
    assert "plugin 'broken (kbcheck_plugin_broken)' failed to load" in result.stderr
    assert "RuntimeError: this plugin is broken on purpose" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_runs_the_plugin_rule(plugin_site: Path, tmp_path: Path) -> None:
    kb = write_tree(
        tmp_path / "kb",
        {
            "policy.md": "---\nowner: a\nlast_reviewed: 2026-05-01\n---\n# Policy\n",
            "faq.md": "---\nowner: a\nlast_reviewed: 2026-05-01\n---\n# FAQ\n\n"
            "Read it: [click here](policy.md).\n",
        },
    )
    result = run_kbcheck(plugin_site, "check", str(kb), "--today", "2026-06-01", "-f", "json")
    assert result.returncode == 0, result.stderr  # info only: below the default --fail-on
    assert '"rule": "house-style/click-here"' in result.stdout
    assert '"line": 7' in result.stdout
    assert "failed to load" in result.stderr  # the broken plugin is named, the run goes on


def test_explain_works_for_a_plugin_rule(plugin_site: Path) -> None:
    result = run_kbcheck(plugin_site, "explain", "house-style/click-here")
    assert result.returncode == 0
    assert "Why it matters" in result.stdout
    assert "kbcheck-plugin-example" in result.stdout or "kbcheck_plugin_example" in result.stdout


@pytest.mark.parametrize("rule_id", ["house/click-here\n", "house", "House/x", "house/x/y", ""])
def test_a_rule_with_a_malformed_id_is_refused(rule_id: str) -> None:
    from kbcheck.api import ArticleRule
    from kbcheck.registry import _validate_rule_class

    malformed = type("Malformed", (ArticleRule,), {"id": rule_id})
    assert "no valid id" in (_validate_rule_class(malformed) or "")
    wellformed = type("Wellformed", (ArticleRule,), {"id": "house/click-here"})
    assert _validate_rule_class(wellformed) is None


def test_a_rule_must_say_whether_it_judges_articles_or_the_corpus() -> None:
    from kbcheck.api import CorpusRule, Rule
    from kbcheck.registry import _validate_rule_class

    bare = type("Bare", (Rule,), {"id": "house/bare"})
    assert "ArticleRule or CorpusRule" in (_validate_rule_class(bare) or "")
    corpus = type("Corpus", (CorpusRule,), {"id": "house/corpus"})
    assert _validate_rule_class(corpus) is None
