"""Rule documentation rendered from each rule's own docstring: `kbcheck explain` and the
README's rule table come from here, so they cannot drift apart."""

from __future__ import annotations

import textwrap

from kbcheck.registry import CAPABILITIES, Registry, Rule

README_BEGIN = "<!-- rules-table:begin (generated from the rules' docs; do not edit) -->"
README_END = "<!-- rules-table:end -->"


def requirement_note(rule: Rule) -> str:
    """' (only with --external)' for rules that need a flag to run, else ''."""
    if not rule.requires:
        return ""
    return f" (only with {', '.join(CAPABILITIES[need] for need in rule.requires)})"


def explain_text(rule: Rule, source: str = "") -> str:
    docs = rule.docs()
    header = f"{rule.id}  ({rule.severity.value}, {rule.scope} rule){requirement_note(rule)}"
    parts = [header, "", docs.summary]
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
        summary = (rule.summary() + requirement_note(rule)).replace("|", "\\|")
        lines.append(f"| `{rule.id}` | {rule.severity.value} | {summary} |")
    return "\n".join(lines)
