"""Rule documentation rendered from each rule's own docstring: `kbcheck explain`, the README's
rule table and the rule reference (docs/rules.md) come from here, so they cannot drift apart."""

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
        if built_in_only and not _built_in(registry, rule):
            continue
        summary = (rule.summary() + requirement_note(rule)).replace("|", "\\|")
        lines.append(f"| `{rule.id}` | {rule.severity.value} | {summary} |")
    return "\n".join(lines)


def rules_reference(registry: Registry) -> str:
    """The rule reference page: every built-in rule's docs, by family, as `explain` prints
    them but in Markdown (a heading per rule, so other pages can link to `#links-redirected`)."""
    lines = [
        "# Rule reference",
        "",
        "<!-- generated from the rules' docstrings by "
        "`python -m kbcheck.rule_docs --update-reference docs/rules.md`; do not edit -->",
        "",
        "Every built-in rule, as `kbcheck explain RULE` prints it. Select or ignore a rule by "
        "its id or its family (`--select links`, `--ignore age/stale`); change its severity "
        'or settings under `[rules."ID"]` in the configuration '
        "([configuration.md](configuration.md)).",
        "",
        rules_table(registry),
    ]
    family = ""
    for rule in registry.sorted():
        if not _built_in(registry, rule):
            continue
        if rule.id.split("/", 1)[0] != family:
            family = rule.id.split("/", 1)[0]
            lines += ["", f"## {family}"]
        docs = rule.docs()
        scope = "corpus" if isinstance(rule, CorpusRule) else "article"
        lines += [
            "",
            f"### {rule.id}",
            "",
            f"*{rule.severity.value}, {scope} rule{requirement_note(rule)}.* {docs.summary}",
        ]
        for title, body in (("Why it matters", docs.why), ("Fix", docs.fix)):
            if body:
                lines += ["", f"**{title}.** " + " ".join(body.split("\n\n")[0].split())]
                lines += ["", rest] if (rest := _after_first_paragraph(body)) else []
            if title == "Why it matters" and docs.example:
                fence = "~" * max(3, _longest_run(docs.example, "~") + 1)
                lines += ["", "**Example.**", "", f"{fence}text", docs.example, fence]
        if docs.options:
            lines += ["", "**Options.** " + " ".join(docs.options.split())]
        if rule.options:
            lines += ["", f'Settings, under `[rules."{rule.id}"]`:', ""]
            for option in rule.options:
                lines.append(f"- `{option.name} = {_as_toml(option.default)}`: {option.help}")
    return "\n".join(lines) + "\n"


def _built_in(registry: Registry, rule: Rule) -> bool:
    return registry.sources[rule.id].split(" ", 1)[1].startswith("(kbcheck_rules.")


def _after_first_paragraph(body: str) -> str:
    """Paragraphs after the first, each joined into one line (lists and code kept as written)."""
    paragraphs = body.split("\n\n")[1:]
    return "\n\n".join(
        paragraph
        if paragraph.lstrip().startswith(("-", "*", "```", "    ", "==>"))
        else " ".join(paragraph.split())
        for paragraph in paragraphs
    )


def _longest_run(text: str, char: str) -> int:
    longest = run = 0
    for found in text:
        run = run + 1 if found == char else 0
        longest = max(longest, run)
    return longest


def update_reference(path: str) -> bool:
    """Write the rule reference page; True when the file changed."""
    from kbcheck.registry import load_registry

    text = rules_reference(load_registry())
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.read() == text:
                return False
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return True


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

    actions = {"--update-readme": update_readme, "--update-reference": update_reference}
    if len(sys.argv) == 3 and sys.argv[1] in actions:
        changed = actions[sys.argv[1]](sys.argv[2])
        print(f"{sys.argv[2]}: {'updated' if changed else 'already up to date'}")
    else:
        print(
            "usage: python -m kbcheck.rule_docs --update-readme README.md\n"
            "       python -m kbcheck.rule_docs --update-reference docs/rules.md",
            file=sys.stderr,
        )
        sys.exit(2)
