"""Age settings beyond what fixtures can express: severities and the `[age]` table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kbcheck.config import ConfigError, parse_config
from kbcheck.model import Severity
from tests.conftest import run_kb

STALE_BILLING = "---\ntitle: Plans\nowner: billing\nlast_reviewed: 2025-01-01\n---\n# Plans\n"


def test_policy_severity_applies_to_stale_articles_it_matches(
    kb: Callable[[dict[str, str | bytes]], Path],
) -> None:
    root = kb(
        {
            "kbcheck.toml": (
                '[[policy]]\npaths = ["billing/**"]\nreview_every = "90d"\nseverity = "info"\n'
            ),
            "billing/plans.md": STALE_BILLING,  # past 2x the interval: error by default
            "other.md": STALE_BILLING,  # 180d default, 516 days: error
        }
    )

    findings = {f.path: f for f in run_kb(root).report.findings}

    assert findings["billing/plans.md"].severity is Severity.INFO
    assert findings["other.md"].severity is Severity.ERROR


def test_stale_is_a_warning_then_an_error_past_twice_the_interval(
    kb: Callable[[dict[str, str | bytes]], Path],
) -> None:
    root = kb(
        {
            "warn.md": STALE_BILLING.replace("2025-01-01", "2025-10-01"),
            "error.md": STALE_BILLING.replace("2025-01-01", "2025-04-01"),
        }
    )

    severities = {f.path: f.severity for f in run_kb(root).report.findings}

    assert severities == {"warn.md": Severity.WARNING, "error.md": Severity.ERROR}


def test_rule_severity_in_the_configuration_beats_the_policy(
    kb: Callable[[dict[str, str | bytes]], Path],
) -> None:
    root = kb(
        {
            "kbcheck.toml": (
                '[[policy]]\npaths = ["billing/**"]\nseverity = "info"\n'
                '[rules."age/stale"]\nseverity = "warning"\n'
            ),
            "billing/plans.md": STALE_BILLING,
        }
    )

    [finding] = run_kb(root).report.findings

    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize("source", ["frontmatter", "git", "frontmatter-then-git"])
def test_age_source_setting(source: str) -> None:
    assert parse_config({"age": {"source": source}}, None).age_source == source


def test_age_source_defaults_to_frontmatter_then_git() -> None:
    config = parse_config({}, None)
    assert config.age_source == "frontmatter-then-git" and config.uses_git_dates


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"age": {"source": "gti"}}, "'age.source' is invalid: 'gti' is not one of"),
        ({"age": {"sorce": "git"}}, "did you mean 'source'"),
        ({"keys": {"last_reviewd": "ms.date"}}, "did you mean 'last_reviewed'"),
        ({"date_formats": "%m/%d/%Y", "today": "soon"}, "'today' is invalid"),
    ],
)
def test_bad_age_settings_are_named(data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        parse_config(data, Path("kbcheck.toml"))


def test_the_first_matching_policy_wins_every_time_it_is_asked() -> None:
    """The matcher remembers each path's answer (the engine, the owners and every age rule
    ask for every article): the remembered answer is the first-match-wins one, also for a
    path no policy matches."""
    from kbcheck.review import PolicyMatcher

    config = parse_config(
        {
            "policy": [
                {"paths": ["billing/refunds/**"], "review_every": "30d"},
                {"paths": ["billing/**"], "review_every": "90d"},
            ]
        },
        None,
    )
    matcher = PolicyMatcher(config.policies)
    for _ in range(2):
        refunds = matcher.match("billing/refunds/card.md")
        assert refunds is not None and str(refunds.review_every) == "30d"
        plans = matcher.match("billing/plans.md")
        assert plans is not None and str(plans.review_every) == "90d"
        assert matcher.match("other.md") is None
    assert PolicyMatcher(()).match("billing/plans.md") is None
