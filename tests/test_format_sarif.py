"""`--format sarif`: valid SARIF 2.1.0 (official schema), every rule that ran, locations that
code scanning can place, and fingerprints that survive lines moving."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from kbcheck.config import find_config, load_config
from kbcheck.engine import LintOptions, lint
from kbcheck.formats import RenderOptions, render
from kbcheck.registry import load_registry
from tests.conftest import run_kb, write_tree

EXAMPLE = Path(__file__).parent.parent / "examples" / "helpcenter"
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())


def sarif(report) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(render(report, "sarif", RenderOptions(version="0.1.0")))


def validate(data: dict) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.fixture(scope="module")
def example() -> dict:
    return sarif(lint([EXAMPLE], load_config(find_config(EXAMPLE))).report)


def test_example_is_valid_sarif(example: dict) -> None:
    validate(example)
    assert example["version"] == "2.1.0"
    assert len(example["runs"]) == 1


def test_schema_validation_catches_a_broken_log(example: dict) -> None:
    """Guard against a validator that accepts anything."""
    broken = json.loads(json.dumps(example))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]["driver"]["name"]
    validator = jsonschema.Draft7Validator(SCHEMA)
    assert len(list(validator.iter_errors(broken))) >= 2


def test_driver_lists_every_rule_that_ran_with_its_docs(example: dict) -> None:
    rules = example["runs"][0]["tool"]["driver"]["rules"]
    offline = {rule_id for rule_id, rule in load_registry().rules.items() if not rule.requires}
    ignored = {"owner/inactive"}  # by the example's kbcheck.toml (its git authors are not its)
    # external rules need --external
    assert [rule["id"] for rule in rules] == sorted(offline - ignored)
    stale = next(rule for rule in rules if rule["id"] == "age/stale")
    assert stale["name"] == "StaleArticle"
    assert stale["shortDescription"]["text"].startswith("The last review is older")
    assert "Prices, screens and policies change." in stale["fullDescription"]["text"]
    assert "kbcheck verify" in stale["help"]["text"]
    assert stale["defaultConfiguration"]["level"] == "warning"
    missing_owner = next(rule for rule in rules if rule["id"] == "owner/missing")
    assert missing_owner["defaultConfiguration"]["level"] == "warning"


def test_results_carry_locations_relative_to_the_repository(example: dict) -> None:
    run = example["runs"][0]
    results = run["results"]
    assert len(results) == 16
    rules = run["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    broken = next(r for r in results if r["ruleId"] == "links/broken-file")
    assert broken["level"] == "error"
    location = broken["locations"][0]["physicalLocation"]
    # The example lives in this repository, so code scanning gets repository-relative paths.
    assert location["artifactLocation"] == {
        "uri": "examples/helpcenter/billing/changing-your-plan.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 29, "startColumn": 43}
    assert "did you mean ../account/exporting-data.md?" in broken["message"]["text"]
    stale = [r for r in results if r["ruleId"] == "age/stale"]
    assert {r["level"] for r in stale} == {"error", "warning"}
    assert all("startColumn" not in r["locations"][0]["physicalLocation"]["region"] for r in stale)


def test_related_locations_point_at_the_other_article(example: dict) -> None:
    results = example["runs"][0]["results"]
    anchor = next(
        r
        for r in results
        if r["ruleId"] == "links/broken-anchor"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
            "creating-your-account.md"
        )
    )
    assert anchor["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {
                    "uri": "examples/helpcenter/billing/plans.md",
                    "uriBaseId": "%SRCROOT%",
                }
            },
            "message": {"text": "billing/plans.md"},
        }
    ]


def test_outside_a_repository_paths_are_relative_to_the_root(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {"a b.md": "---\ntitle: A\nowner: x\nlast_reviewed: 2026-05-01\n---\n[x](gone.md)\n"},
    )
    data = sarif(run_kb(root).report)
    validate(data)
    location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "a%20b.md", "uriBaseId": "KBROOT"}
    assert "KBROOT" in data["runs"][0]["originalUriBaseIds"]


def test_fingerprints_survive_lines_moving_and_tell_duplicates_apart(tmp_path: Path) -> None:
    head = "---\ntitle: A\nowner: x\nlast_reviewed: 2026-05-01\n---\n"
    body = "[one](gone.md) and [two](gone.md)\n"
    root = write_tree(tmp_path / "kb", {"a.md": head + body})
    before = sarif(run_kb(root).report)["runs"][0]["results"]
    (root / "a.md").write_text(head + "New intro.\n\nMore.\n\n" + body, encoding="utf-8")
    after = sarif(run_kb(root).report)["runs"][0]["results"]

    def prints(results: list[dict]) -> list[str]:
        return [r["partialFingerprints"]["kbcheckFingerprint/v1"] for r in results]

    assert prints(before) == prints(after)
    assert len(set(prints(before))) == 2  # the same broken link twice: two alerts
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after]
    assert lines == [10, 10]


def test_configured_severity_is_the_default_level(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": 'today = "2026-06-01"\n[rules."owner/missing"]\nseverity = "info"\n',
            "a.md": "---\ntitle: A\nlast_reviewed: 2026-05-01\n---\n# A\n",
        },
    )
    result = lint(
        [root], load_config(root / "kbcheck.toml"), LintOptions(select=("owner/missing",))
    )
    data = sarif(result.report)
    validate(data)
    assert [r["id"] for r in data["runs"][0]["tool"]["driver"]["rules"]] == ["owner/missing"]
    assert data["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"] == {
        "level": "note"
    }
    assert data["runs"][0]["results"][0]["level"] == "note"
