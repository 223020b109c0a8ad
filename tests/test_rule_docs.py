"""Rule documentation is one source: the docstring. `explain` prints it, the README's table is
generated from it, and each Example really triggers its rule."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from kbcheck.registry import load_registry
from kbcheck.rule_docs import README_BEGIN, README_END, rules_reference, rules_table
from tests.conftest import HISTORY_EXAMPLE, build_history, run_kb, split_example, write_tree
from tests.link_server import link_server

REGISTRY = load_registry()
BUILT_IN = [
    rule
    for rule in REGISTRY.sorted()
    if REGISTRY.sources[rule.id].split(" ", 1)[1].startswith("(kbcheck_rules.")
]
README = Path(__file__).parent.parent / "README.md"
REFERENCE = Path(__file__).parent.parent / "docs" / "rules.md"


@pytest.mark.parametrize("rule", BUILT_IN, ids=lambda rule: rule.id)
def test_rule_has_complete_docs(rule) -> None:
    docs = rule.docs()
    assert docs.summary and docs.summary.endswith(".")
    assert docs.why, "missing 'Why it matters:'"
    assert docs.example, "missing 'Example:'"
    assert docs.fix, "missing 'Fix:'"


#: The behaviour of the local test server that each network rule's Example illustrates: the
#: Example's real-world URLs are pointed at it, since tests never leave 127.0.0.1.
EXAMPLE_SERVER_PATHS = {
    "links/external-redirect": "/moved",
    "links/external-unverified": "/linkedin-style",
}
_HTTP_URL = re.compile(rb"https?://[^\s)\]>\"']+")


@pytest.mark.parametrize("rule", BUILT_IN, ids=lambda rule: rule.id)
def test_rule_example_fires(rule, tmp_path: Path) -> None:
    files = split_example(rule.docs().example)
    history = files.pop(HISTORY_EXAMPLE, None)  # `==> git log <==`: the commits to make
    with contextlib.ExitStack() as stack:
        if rule.id in EXAMPLE_SERVER_PATHS:
            server = stack.enter_context(link_server())
            local = server.url(EXAMPLE_SERVER_PATHS[rule.id]).encode()
            files = {name: _HTTP_URL.sub(local, content) for name, content in files.items()}
        root = write_tree(tmp_path / "kb", files)
        if history is not None:
            build_history(root, history.decode("utf-8"))
        result = run_kb(root, select=(rule.id,), external="external" in rule.requires)
    assert any(finding.rule == rule.id for finding in result.report.findings), (
        f"the Example of {rule.id} does not trigger it"
    )


def test_readme_rule_table_matches_the_rules() -> None:
    text = README.read_text(encoding="utf-8")
    assert README_BEGIN in text and README_END in text, "README lacks the generated rule table"
    current = text.split(README_BEGIN, 1)[1].split(README_END, 1)[0].strip()
    expected = rules_table(REGISTRY)
    assert current == expected, (
        "README rule table is out of date; regenerate it with: "
        "python -m kbcheck.rule_docs --update-readme README.md"
    )


def test_rule_reference_page_matches_the_rules() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == rules_reference(REGISTRY), (
        "docs/rules.md is out of date; regenerate it with: "
        "python -m kbcheck.rule_docs --update-reference docs/rules.md"
    )
