"""The rule plugin API and the loader that finds every rule through the `kbcheck.rules`
entry-point group, built-ins included, so a third-party rule is a first-class citizen.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import re
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from kbcheck.incremental.extracts import Summary
from kbcheck.model import Article, Finding, Location, Severity

if TYPE_CHECKING:
    from kbcheck.config import Config
    from kbcheck.corpus import Corpus
    from kbcheck.external_links import ExternalLinks

ENTRY_POINT_GROUP = "kbcheck.rules"
RULE_ID = re.compile(r"[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*")
DOC_SECTIONS = ("Why it matters", "Example", "Fix", "Options")
#: What a rule may declare in `requires`, and the command-line flag that provides it. A rule
#: that requires something the run was not asked for is skipped, like an ignored rule.
CAPABILITIES = {"external": "--external"}
_SECTION_HEADER = re.compile(r"^({}):\s*$".format("|".join(DOC_SECTIONS)))


@dataclass(frozen=True)
class Option:
    """A typed rule option, set in `[rules."id"]`; `parse` turns the TOML value into the type
    the rule uses and raises ValueError/TypeError with a readable reason."""

    name: str
    default: Any
    help: str
    parse: Callable[[Any], Any] = lambda value: value


@dataclass(frozen=True)
class RuleDocs:
    summary: str
    why: str
    example: str
    fix: str
    options: str = ""


class Rule:
    """Base class of every rule. Subclasses set the class attributes and override `check`
    (scope "article") or `check_corpus` (scope "corpus"); the docstring is the documentation,
    with the sections "Why it matters:", "Example:", "Fix:" and optionally "Options:"."""

    id: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    scope: ClassVar[str] = "article"
    options: ClassVar[tuple[Option, ...]] = ()
    #: Capabilities the run must have been asked for (see CAPABILITIES), e.g. ("external",)
    #: for rules that make network requests.
    requires: ClassVar[tuple[str, ...]] = ()
    #: Per-article summaries the rule reads with `SUMMARY.of(article)`: computed in the parse
    #: workers and kept in the cache with each article (see `kbcheck.incremental.extracts`).
    summaries: ClassVar[tuple[Summary[Any], ...]] = ()
    #: False for a rule whose findings depend on more than the articles, the files under the
    #: root, the configuration, the date, ownership files and git: a data file of its own,
    #: an environment variable, a service. A run with such a rule never replays the last
    #: report (see `kbcheck.incremental.replay`), so the rule always sees the world as it is now.
    replayable: ClassVar[bool] = True
    #: True for a corpus rule whose findings depend on nothing but its options and severity,
    #: the configuration, today's date, the files under the root, which articles are
    #: selected, and what its `summaries` hold for every article (and whether each article
    #: is readable). The engine then keeps its findings in the cache and, while none of that
    #: changed, reuses them without running the rule (see `kbcheck.incremental.replay.RuleFindings`):
    #: after an edit that leaves every summary as it was, the rule costs nothing. A rule that
    #: reads anything else of an article must declare a summary that fingerprints it.
    reuse_findings: ClassVar[bool] = False
    #: True for a corpus rule that sets `reuse_findings` and checks each selected article on
    #: its own: its findings on an article are reported while checking that article, and
    #: depend only on that article and on the articles it names with `ctx.depends_on` (the
    #: page a link's anchor is looked up in). After an edit the engine then has it check only
    #: `ctx.recheck`: the articles whose inputs, or whose dependencies' inputs, changed. The
    #: others keep their last findings.
    per_article: ClassVar[bool] = False

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        return ()

    def check_corpus(self, corpus: Corpus, ctx: RuleContext) -> Iterable[Finding]:
        return ()

    @classmethod
    def docs(cls) -> RuleDocs:
        return parse_docs(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.docs().summary


def parse_docs(docstring: str) -> RuleDocs:
    text = inspect.cleandoc(docstring)
    lines = text.split("\n")
    summary = lines[0].strip() if lines else ""
    sections: dict[str, list[str]] = {name: [] for name in DOC_SECTIONS}
    current: str | None = None
    for line in lines[1:]:
        header = _SECTION_HEADER.match(line)
        if header:
            current = header.group(1)
        elif current:
            sections[current].append(line)
    body = {name: inspect.cleandoc("\n".join(value)) for name, value in sections.items()}
    return RuleDocs(
        summary=summary,
        why=body["Why it matters"],
        example=body["Example"],
        fix=body["Fix"],
        options=body["Options"],
    )


@dataclass
class RuleContext:
    """What a rule may know besides the article: today, its resolved options and severity,
    the configuration and the whole corpus. `report` fills in the rule's id and severity."""

    rule: Rule
    today: date
    severity: Severity
    severity_fixed: bool
    options: Mapping[str, Any]
    config: Config
    corpus: Corpus
    #: Verdicts of external links, present only when the run was asked for `--external`.
    external: ExternalLinks | None = None
    #: For a `per_article` rule: the articles to check (the others keep their last
    #: findings); None means every selected article.
    recheck: frozenset[str] | None = None
    #: For a `per_article` rule: article path -> the other articles its findings read.
    dependencies: dict[str, set[str]] = field(default_factory=dict)

    def checks(self, article: Article) -> bool:
        """Whether a `per_article` rule must check `article` in this run."""
        return self.recheck is None or article.path in self.recheck

    def depends_on(self, article: Article, other: str) -> None:
        """Record that the findings on `article` read the article at path `other`: when that
        one changes, `article` is checked again."""
        if other != article.path:
            self.dependencies.setdefault(article.path, set()).add(other)

    def report(
        self,
        where: Article | str,
        message: str,
        *,
        line: int | None = 1,
        column: int | None = None,
        hint: str | None = None,
        related: Iterable[Location] = (),
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule. A rule may raise its own severity (age/stale past 2x);
        an explicit `severity` in the configuration wins over that."""
        path = where if isinstance(where, str) else where.path
        chosen = self.severity if self.severity_fixed or severity is None else severity
        return Finding(
            rule=self.rule.id,
            severity=chosen,
            path=path,
            line=line,
            column=column,
            message=message,
            hint=hint,
            related=tuple(related),
        )


@dataclass
class Registry:
    rules: dict[str, Rule] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # rule id -> plugin name
    notices: list[str] = field(default_factory=list)

    def add(self, rule_class: type[Rule], source: str) -> None:
        problem = _validate_rule_class(rule_class)
        if problem:
            self.notices.append(f"plugin '{source}': {problem}; rule skipped")
            return
        if rule_class.id in self.rules:
            other = self.sources[rule_class.id]
            self.notices.append(
                f"plugin '{source}': rule id '{rule_class.id}' is already defined by "
                f"'{other}'; skipped"
            )
            return
        self.rules[rule_class.id] = rule_class()
        self.sources[rule_class.id] = source

    def sorted(self) -> list[Rule]:
        return [self.rules[key] for key in sorted(self.rules)]

    def matching(self, pattern: str) -> list[str]:
        return [rule_id for rule_id in sorted(self.rules) if rule_matches(rule_id, pattern)]


def rule_matches(rule_id: str, pattern: str) -> bool:
    """`links` and `links/` select a family, `links/broken-file` one rule, `all` everything."""
    pattern = pattern.strip().rstrip("/")
    if pattern.lower() in ("all", "*"):
        return True
    return rule_id == pattern or rule_id.startswith(pattern + "/")


def _validate_rule_class(candidate: Any) -> str | None:
    if not (inspect.isclass(candidate) and issubclass(candidate, Rule)):
        return f"{candidate!r} is not a kbcheck Rule subclass"
    rule_id = getattr(candidate, "id", None)
    if not isinstance(rule_id, str) or not RULE_ID.fullmatch(rule_id):
        return f"{candidate.__name__} has no valid id (expected 'family/name')"
    if candidate.scope not in ("article", "corpus"):
        return f"{rule_id}: scope must be 'article' or 'corpus'"
    if not isinstance(candidate.severity, Severity):
        return f"{rule_id}: severity must be a kbcheck Severity"
    requires = candidate.requires
    if not isinstance(requires, tuple) or any(item not in CAPABILITIES for item in requires):
        known = ", ".join(sorted(CAPABILITIES))
        return f"{rule_id}: requires must be a tuple of capabilities ({known})"
    return None


def _rules_of(loaded: Any) -> Iterator[Any]:
    if isinstance(loaded, types.ModuleType):
        rules = getattr(loaded, "RULES", None)
        if rules is None:
            raise TypeError("module has no RULES list")
        yield from rules
    elif inspect.isclass(loaded):
        yield loaded
    else:
        yield from loaded


def load_registry(
    entry_points: Iterable[importlib.metadata.EntryPoint] | None = None,
) -> Registry:
    """Every rule from every installed plugin. A plugin that fails to import is named in a
    notice and skipped: one broken package must not take the run down."""
    registry = Registry()
    if entry_points is None:
        entry_points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    for entry_point in sorted(entry_points, key=lambda ep: (ep.name, ep.value)):
        name = f"{entry_point.name} ({entry_point.value})"
        try:
            loaded = entry_point.load()
            classes = list(_rules_of(loaded))
        except Exception as error:  # a plugin's bug, whatever it is, must not stop the run
            registry.notices.append(
                f"plugin '{name}' failed to load: {type(error).__name__}: {error}; skipped"
            )
            continue
        for rule_class in classes:
            registry.add(rule_class, name)
    return registry


class ProblemRule(Rule):
    """A rule whose findings are the problems the parser recorded under its id, so reading
    errors are documented, selectable and suppressible like any other finding."""

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        for problem in article.problems:
            if problem.rule == self.id:
                yield ctx.report(
                    article,
                    problem.message,
                    line=problem.line,
                    column=problem.column,
                    hint=problem.hint,
                )
