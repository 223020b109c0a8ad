"""The core never imports the CLI's or the formatters' libraries, so it stays usable (and
fast to import) from other programs and worker processes."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "kbcheck"
FRONT_END = {"kbcheck/cli.py", "kbcheck/__main__.py"}
FORBIDDEN_IN_CORE = ("typer", "rich", "click", "kbcheck.cli", "kbcheck.formats")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_does_not_import_front_end_libraries() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        if relative in FRONT_END or relative.startswith("kbcheck/formats/"):
            continue
        for module in imported_modules(path):
            if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN_IN_CORE):
                offenders.append(f"{relative} imports {module}")
    assert not offenders, "\n".join(offenders)


def test_formatters_do_not_print() -> None:
    for path in sorted((PACKAGE / "formats").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
        ]
        assert not calls, f"{path.name} calls print()"


RULES = PACKAGE.parent / "rules"
PLUGINS = PACKAGE.parent / "tests" / "plugins"


def test_rules_never_reach_the_incremental_layer() -> None:
    """Caching, replay and incrementality live behind the engine: a rule that imported them
    could make a cached report differ from an uncached one."""
    offenders = [
        f"{path.name} imports {module}"
        for path in sorted(RULES.glob("*.py"))
        for module in imported_modules(path)
        if module == "kbcheck.incremental" or module.startswith("kbcheck.incremental.")
    ]
    assert not offenders, "\n".join(offenders)


def test_the_example_plugins_import_only_the_api() -> None:
    offenders = [
        f"{path.relative_to(PLUGINS)} imports {module}"
        for path in sorted(PLUGINS.rglob("*.py"))
        if "build" not in path.parts
        for module in imported_modules(path)
        if module.startswith("kbcheck") and module != "kbcheck.api"
    ]
    assert not offenders, "\n".join(offenders)


def test_the_rule_base_classes_carry_no_cache_attributes() -> None:
    from kbcheck.api import ArticleRule, CorpusRule, Rule, RuleContext

    allowed = {"id", "severity", "options", "requires", "docs", "summary", "check", "extract"}
    for base in (Rule, ArticleRule, CorpusRule):
        public = {name for name in vars(base) if not name.startswith("_")}
        assert public <= allowed, f"{base.__name__}: {sorted(public - allowed)}"
    context = {name for name in dir(RuleContext) if not name.startswith("_")}
    assert context == {
        "config",
        "corpus",
        "external",
        "options",
        "report",
        "rule",
        "severity",
        "severity_fixed",
        "today",
    }
