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
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from kbcheck.corpus import CONFIG, TODAY
from kbcheck.model import Article, Finding, Location, Severity

if TYPE_CHECKING:
    from kbcheck.config import Config
    from kbcheck.corpus import CorpusView
    from kbcheck.external_links import ExternalLinks

T = TypeVar("T")

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
    """What every rule has: an id, a severity, options, capabilities and its documentation
    (the docstring, with the sections "Why it matters:", "Example:", "Fix:" and optionally
    "Options:"). A rule subclasses `ArticleRule` or `CorpusRule`, never this class."""

    id: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    options: ClassVar[tuple[Option, ...]] = ()
    #: Capabilities the run must have been asked for (see CAPABILITIES), e.g. ("external",)
    #: for rules that make network requests.
    requires: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def docs(cls) -> RuleDocs:
        return parse_docs(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.docs().summary


class ArticleRule(Rule):
    """A rule that judges one selected article at a time. `check` may look at other articles
    (the page a link points into) through `ctx.corpus`, and must depend on nothing else than
    what it is given: the article, the context and its options."""

    def check(self, article: Article, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError


class CorpusRule(Rule, Generic[T]):
    """A rule that compares articles with each other. `extract` takes from one article what
    the comparison needs (claims, a signature); it is called once per readable article and
    must depend on that article alone. `check` gets every readable article's extract by path,
    the unselected ones included, and reports on the selected ones (`ctx.corpus.selected`).
    Annotate what `extract` returns with plain data (str, int, tuples, lists, frozen
    dataclasses, named tuples...): kbcheck can then keep it between runs."""

    def extract(self, article: Article) -> T:
        raise NotImplementedError

    def check(self, extracts: Mapping[str, T], ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError


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


class RuleContext:
    """What a rule may know besides the article: today, its resolved options and severity,
    the configuration and the corpus (a read-only view: see `kbcheck.corpus.CorpusView`).
    `report` fills in the rule's id and severity.

    The engine notes what each check reads (today, the configuration, other articles, their
    reviews and owners, git) so that it can tell when a finding kept from an earlier run
    still holds; a rule never has to declare any of it."""

    __slots__ = (
        "_config",
        "_reads",
        "_today",
        "corpus",
        "external",
        "options",
        "rule",
        "severity",
        "severity_fixed",
    )

    def __init__(
        self,
        rule: Rule,
        today: date,
        severity: Severity,
        severity_fixed: bool,
        options: Mapping[str, Any],
        config: Config,
        corpus: CorpusView,
        external: ExternalLinks | None = None,
    ) -> None:
        self.rule, self.options, self.corpus = rule, options, corpus
        #: The rule's severity in force, and whether the configuration fixed it.
        self.severity, self.severity_fixed = severity, severity_fixed
        #: Verdicts of external links, present only when the run was asked for `--external`.
        self.external = external
        self._reads, self._today, self._config = corpus.reads, today, config

    @property
    def today(self) -> date:
        """The run's date (`--today`, `today` in the configuration, or the clock)."""
        self._reads.note(TODAY)
        return self._today

    @property
    def config(self) -> Config:
        self._reads.note(CONFIG)
        return self._config

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
    if not issubclass(candidate, (ArticleRule, CorpusRule)):
        return f"{rule_id}: a rule subclasses ArticleRule or CorpusRule"
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


class ProblemRule(ArticleRule):
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
