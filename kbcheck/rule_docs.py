"""Rule documentation rendered from each rule's own docstring: `kbcheck explain` and the
README's rule table come from here, so they cannot drift apart."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from kbcheck.registry import CAPABILITIES, CorpusRule, Registry, Rule

README_BEGIN = "<!-- rules-table:begin (generated from the rules' docs; do not edit) -->"
README_END = "<!-- rules-table:end -->"


def requirement_note(rule: Rule) -> str:
    """' (only with --external)' for rules that need a flag to run, else ''."""
    if not rule.requires:
        return ""
    return f" (only with {', '.join(CAPABILITIES[need] for need in rule.requires)})"


def explain_text(rule: Rule, source: str = "") -> str:
    docs = rule.docs()
    scope = "corpus" if isinstance(rule, CorpusRule) else "article"
    header = f"{rule.id}  ({rule.severity.value}, {scope} rule){requirement_note(rule)}"
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
            parts.append(f"    {option.name} = {_as_toml(option.default)}  {option.help}")
    if source:
        parts += ["", f"Provided by: {source}"]
    return "\n".join(parts)


def _as_toml(value: Any) -> str:
    """A default as it would be written in the configuration (an interval as "365d")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str, list)):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(str(value), ensure_ascii=False)


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


def update_readme(path: str) -> bool:
    """Rewrite the generated table between the markers; True when the file changed."""
    from kbcheck.registry import load_registry

    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    before, rest = text.split(README_BEGIN, 1)
    _, after = rest.split(README_END, 1)
    table = rules_table(load_registry())
    updated = f"{before}{README_BEGIN}\n{table}\n{README_END}{after}"
    if updated == text:
        return False
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(updated)
    return True


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--update-readme":
        changed = update_readme(sys.argv[2])
        print(f"{sys.argv[2]}: {'updated' if changed else 'already up to date'}")
    else:
        print("usage: python -m kbcheck.rule_docs --update-readme README.md", file=sys.stderr)
        sys.exit(2)
