"""The contradiction and content rule families end to end: configuration, documentation
examples, messages, related locations, and the example knowledge base."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kbcheck.cli import app
from kbcheck.config import ConfigError, load_config, parse_config
from kbcheck.engine import LintOptions, lint
from kbcheck.registry import load_registry
from tests.conftest import run_kb, split_example, write_tree

FAMILIES = ("contradiction", "content")
NEW_RULES = sorted(
    rule_id
    for rule_id in load_registry().rules
    if rule_id.startswith(tuple(f + "/" for f in FAMILIES))
)
EXAMPLES = Path(__file__).parent.parent / "examples"

MakeKb = Callable[[dict[str, str | bytes]], Path]


def test_all_five_rules_are_registered() -> None:
    assert NEW_RULES == [
        "content/expired-mention",
        "content/retired-term",
        "contradiction/conflicting-values",
        "contradiction/fact-mismatch",
        "contradiction/near-duplicate",
    ]


@pytest.mark.parametrize("rule_id", NEW_RULES)
def test_documentation_example_fires(rule_id: str, tmp_path: Path) -> None:
    rule = load_registry().rules[rule_id]
    docs = rule.docs()
    assert docs.why and docs.example and docs.fix
    write_tree(tmp_path, split_example(docs.example))
    result = run_kb(tmp_path, select=(rule_id,))
    assert [finding.rule for finding in result.report.findings], f"{rule_id} example is silent"


# --- configuration -----------------------------------------------------------------------------


def test_facts_and_retired_terms_are_read() -> None:
    config = parse_config(
        {
            "facts": {"refund_window": {"value": "30 days", "match": "Refund (window|period)"}},
            "retired_terms": {"Classic Dashboard": "use the Insights page"},
        },
        None,
    )
    (fact,) = config.facts
    assert fact.name == "refund_window"
    assert fact.value.describe() == "30 days"
    assert fact.pattern.search("the REFUND WINDOW is")
    assert config.retired_terms == {"Classic Dashboard": "use the Insights page"}


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            {"facts": {"refund_window": {"valeu": "30 days", "match": "refund"}}},
            "'facts.refund_window.valeu' is not a known setting (did you mean 'value'?)",
        ),
        (
            {"facts": {"refund_window": {"value": "30 days", "match": "refund (window"}}},
            "'facts.refund_window.match' is not a valid regular expression",
        ),
        (
            {"facts": {"refund_window": {"value": "30 days", "match": "refund|"}}},
            "'facts.refund_window.match' 'refund|' matches empty text",
        ),
        (
            {"facts": {"refund_window": {"match": "refund"}}},
            "'facts.refund_window.value' is required",
        ),
        (
            {"facts": {"refund_window": {"value": "30 days"}}},
            "'facts.refund_window.match' is required",
        ),
        (
            {"facts": {"refund_window": {"value": "about a month", "match": "refund"}}},
            "'facts.refund_window.value' 'about a month' is not one value kbcheck can read",
        ),
        (
            {"facts": {"refund_window": {"value": 30, "match": "refund"}}},
            "'facts.refund_window.value' is invalid: expected a string",
        ),
        ({"facts": {"refund_window": "30 days"}}, "'facts.refund_window' must be a table"),
        ({"retired_terms": ["Classic"]}, "'retired_terms' must be a table"),
        ({"retired_terms": {"Classic": 3}}, "must be a string (the replacement note)"),
        ({"retired_terms": {"--": "x"}}, "is not a term"),
        ({"fact": {}}, "'fact' is not a known setting (did you mean 'facts'?)"),
        ({"retired_term": {}}, "(did you mean 'retired_terms'?)"),
    ],
)
def test_configuration_errors_name_the_setting(table: dict, expected: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(table, Path("kbcheck.toml"))
    assert expected in str(error.value)
    assert str(error.value).startswith("kbcheck.toml: ")


def test_a_bad_fact_is_a_one_line_error_with_exit_code_2(kb: MakeKb) -> None:
    root = kb(
        {
            "kbcheck.toml": '[facts.refund_window]\nvalue = "30 days"\nmatch = "refund ("\n',
            "a.md": "# A\n",
        }
    )
    result = CliRunner().invoke(app, ["check", str(root)])
    assert result.exit_code == 2
    assert "facts.refund_window.match" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("rule_id", "option", "value"),
    [
        ("contradiction/conflicting-values", "similarity", 1.5),
        ("contradiction/near-duplicate", "threshold", "high"),
        ("contradiction/near-duplicate", "min_words", 0),
    ],
)
def test_rule_options_are_validated(
    tmp_path: Path, rule_id: str, option: str, value: object
) -> None:
    write_tree(
        tmp_path,
        {
            "kbcheck.toml": f'[rules."{rule_id}"]\n{option} = {json.dumps(value)}\n',
            "a.md": "# A\n",
        },
    )
    with pytest.raises(ConfigError, match=re.escape(f'rules."{rule_id}".{option} is invalid')):
        run_kb(tmp_path)


# --- contradiction/fact-mismatch ---------------------------------------------------------------


def test_fact_mismatch_names_the_fact_and_both_values(kb: MakeKb) -> None:
    root = kb(
        {
            "kbcheck.toml": '[facts.refund_window]\nvalue = "30 days"\nmatch = "refund window"\n',
            "refunds.md": "# Refunds\n\nThe refund window is two weeks.\n",
        }
    )
    (finding,) = run_kb(root, select=("contradiction",)).report.findings
    assert (finding.line, finding.column) == (3, 22)
    assert finding.message == (
        "states refund_window as 'two weeks' (14 days), but the configured value is '30 days'"
    )
    assert "[facts.refund_window]" in (finding.hint or "")


# --- contradiction/conflicting-values ----------------------------------------------------------


def test_conflict_is_reported_on_every_article_with_the_others_related(kb: MakeKb) -> None:
    root = kb(
        {
            "a.md": "# A\n\nRefunds are accepted within 30 days.\n",
            "b.md": "# B\n\nRefunds are accepted within 14 days.\n",
            "c.md": "# C\n\nRefunds are accepted within 30 days.\n",
            "d.md": "# D\n\nThe free trial lasts 14 days.\n",
        }
    )
    findings = run_kb(root, select=("contradiction",)).report.findings
    by_path = {finding.path: finding for finding in findings}
    assert sorted(by_path) == ["a.md", "b.md", "c.md"]
    assert [location.path for location in by_path["b.md"].related] == ["a.md", "c.md"]
    assert by_path["b.md"].message.startswith(
        '"Refunds are accepted within 14 days" here, but 2 other articles say otherwise: '
        '"Refunds are accepted within 30 days" (a.md)'
    )
    assert by_path["a.md"].message == (
        '"Refunds are accepted within 30 days" here, but b.md says '
        '"Refunds are accepted within 14 days"'
    )
    assert by_path["a.md"].related[0].line == 3


def test_an_article_repeating_a_claim_gets_one_finding(kb: MakeKb) -> None:
    root = kb(
        {
            "a.md": "# A\n\nRefunds are accepted within 30 days.\n\nAgain: refunds are accepted"
            " within 30 days.\n",
            "b.md": "# B\n\nRefunds are accepted within 14 days.\n",
        }
    )
    findings = run_kb(root, select=("contradiction",)).report.findings
    assert [(finding.path, finding.line) for finding in findings] == [("a.md", 3), ("b.md", 3)]
    assert [location.line for location in findings[1].related] == [3]


def test_unselected_articles_count_as_evidence(kb: MakeKb) -> None:
    root = kb(
        {
            "kbcheck.toml": 'root = "."\nselect = ["contradiction"]\n',
            "billing/a.md": "# A\n\nRefunds are accepted within 30 days.\n",
            "help/b.md": "# B\n\nRefunds are accepted within 14 days.\n",
        }
    )
    config = load_config(root / "kbcheck.toml")
    result = lint([root / "help"], config, LintOptions(today=date(2026, 6, 1)))
    (finding,) = result.report.findings
    assert finding.path == "help/b.md"
    assert finding.related[0].path == "billing/a.md"


def test_a_subject_with_many_values_is_a_template_not_a_conflict(kb: MakeKb) -> None:
    files: dict[str, str | bytes] = {
        f"plan-{index}.md": f"# Plan {index}\n\nThe add-on costs ${10 + index} per month.\n"
        for index in range(5)
    }
    assert run_kb(kb(files), select=("contradiction",)).report.findings == ()


def test_an_article_giving_two_values_shows_the_subject_varies(kb: MakeKb) -> None:
    root = kb(
        {
            "a.md": "# A\n\nThe export link is valid for 7 days.\n\nThe export link is valid for"
            " 30 days if you ask support.\n",
            "b.md": "# B\n\nThe export link is valid for 14 days.\n",
        }
    )
    assert run_kb(root, select=("contradiction",)).report.findings == ()


def test_one_distinguishing_word_keeps_subjects_apart(kb: MakeKb) -> None:
    root = kb(
        {
            "a.md": "# A\n\nThe scheduled export download link expires after 7 days.\n",
            "b.md": "# B\n\nThe scheduled invoice download link expires after 3 days.\n",
        }
    )
    assert run_kb(root, select=("contradiction",)).report.findings == ()


# --- contradiction/near-duplicate --------------------------------------------------------------

_PARAGRAPH = (
    "Connect a payment account to let your customers pay invoices online by card and bank "
    "debit. The money goes straight to your account and we never hold it. Open the settings, "
    "choose integrations, select connect and follow the steps on the screen. When the "
    "connection is ready every invoice gets a pay now button and payments are matched to "
    "their invoices automatically, so your reports stay correct without any manual work."
)


def test_near_duplicates_are_reported_once_per_article_with_similarity(kb: MakeKb) -> None:
    root = kb(
        {
            "a.md": f"# Payments\n\n{_PARAGRAPH}\n",
            "b.md": f"# Online payments\n\n{_PARAGRAPH} Contact us with questions.\n",
            "c.md": f"# Payments\n\n{_PARAGRAPH}\n",
            "d.md": "# Other\n\n" + " ".join(f"word{index}" for index in range(120)) + "\n",
        }
    )
    findings = run_kb(root, select=("contradiction",)).report.findings
    by_path = {finding.path: finding for finding in findings}
    assert sorted(by_path) == ["a.md", "b.md", "c.md"]
    assert by_path["a.md"].message == "nearly the same text as c.md (100% similar) (and 1 more)"
    assert [location.path for location in by_path["a.md"].related] == ["c.md", "b.md"]
    assert re.fullmatch(
        r"nearly the same text as a\.md \(\d\d% similar\) \(and 1 more\)", by_path["b.md"].message
    )


def test_copies_of_one_page_in_two_folders_are_told_to_reconcile_not_merge(kb: MakeKb) -> None:
    root = kb(
        {
            "pro/payments.md": f"# Payments\n\n{_PARAGRAPH}\n",
            "team/payments.md": f"# Payments\n\n{_PARAGRAPH} Ask your admin first.\n",
            "team/getting-paid.md": f"# Getting paid\n\n{_PARAGRAPH}\n",
        }
    )
    findings = run_kb(root, select=("contradiction/near-duplicate",)).report.findings
    hints = {finding.path: finding.hint or "" for finding in findings}
    # the nearest copy of pro/payments.md is team/getting-paid.md (100%): a second answer
    assert hints["pro/payments.md"].startswith("merge them")
    # team/payments.md is nearest to pro/payments.md, its copy for another audience
    assert hints["team/payments.md"].startswith("reconcile the two copies")


def test_template_families_siblings_series_and_posts_are_not_near_duplicates(
    kb: MakeKb,
) -> None:
    page = f"# Page\n\n{_PARAGRAPH}\n"
    root = kb(
        {
            # one page per container, from one template: a family
            **{f"images/container-{name}.md": page for name in "abcdef"},
            # sibling reference pages, one word swapped in their names
            "methods/IsAncestor.md": page,
            "methods/IsDescendant.md": page,
            # one page per year, and two blog posts
            "events/summit-2024.md": page,
            "events/summit-2025.md": page,
            "blog/launch-week.md": page,
            "blog/spring-update.md": page,
        }
    )
    assert run_kb(root, select=("contradiction/near-duplicate",)).report.findings == ()


def test_near_duplicate_threshold_option(kb: MakeKb) -> None:
    half = " ".join(_PARAGRAPH.split()[:40])
    other = " ".join(f"other{index}" for index in range(40))
    root = kb(
        {
            "kbcheck.toml": '[rules."contradiction/near-duplicate"]\nthreshold = 0.3\n',
            "a.md": f"# A\n\n{half} {other}\n",
            "b.md": f"# B\n\n{half} {other.upper()} different words again\n",
        }
    )
    assert len(run_kb(root, select=("contradiction",)).report.findings) == 2


# --- the example knowledge base ----------------------------------------------------------------


def _readme_rows() -> list[tuple[str, int, str]]:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    section = text.split("## Deliberate problems", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (\d+) \| `([^`]+)` \|", section, re.MULTILINE)
    return [(path, int(line), rule) for path, line, rule in rows]


def test_example_readme_lists_exactly_what_kbcheck_reports() -> None:
    result = CliRunner().invoke(app, ["check", str(EXAMPLES / "helpcenter"), "--format", "json"])
    report = json.loads(result.stdout)  # a cache warning may go to stderr
    reported = sorted((f["path"], f["line"], f["rule"]) for f in report["findings"])
    assert reported == sorted(_readme_rows())


def test_example_shows_every_new_rule() -> None:
    assert set(NEW_RULES) <= {rule for _, _, rule in _readme_rows()}
