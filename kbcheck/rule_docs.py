"""Rule documentation rendered from each rule's own docstring: `kbcheck explain` and the
README's rule table come from here, so they cannot drift apart."""

from __future__ import annotations

import textwrap

from kbcheck.registry import Registry, Rule

README_BEGIN = "<!-- rules-table:begin (generated from the rules' docs; do not edit) -->"
README_END = "<!-- rules-table:end -->"


def explain_text(rule: Rule, source: str = "") -> str:
    docs = rule.docs()
    parts = [f"{rule.id}  ({rule.severity.value}, {rule.scope} rule)", "", docs.summary]
    for title, body in (
        ("Why it matters", docs.why),
        ("Example", docs.example),
        ("Fix", docs.fix),
        ("Options", docs.options),
    ):
        if not body:
            continue
        parts += ["", title, textwrap.indent(body, "    ")]
    if rule.options:
        parts += ["", f'Settings ([rules."{rule.id}"] in the configuration)']
        for option in rule.options:
            parts.append(f"    {option.name} = {option.default!r}  {option.help}")
    if source:
        parts += ["", f"Provided by: {source}"]
    return "\n".join(parts)


def rules_table(registry: Registry, built_in_only: bool = True) -> str:
    lines = [
        "| Rule | Default severity | What it finds |",
        "|---|---|---|",
    ]
    for rule in registry.sorted():
        if built_in_only and not registry.sources[rule.id].split(" ", 1)[1].startswith(
            "(kbcheck_rules."
        ):
            continue
        summary = rule.summary().replace("|", "\\|")
        lines.append(f"| `{rule.id}` | {rule.severity.value} | {summary} |")
    return "\n".join(lines)
