"""The pure core: paths and configuration in, a `Report` out.

It never prints, never exits and never imports the CLI or the formatters, so it can be called
from tests, from other programs and from any future front end.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbcheck import conventions
from kbcheck.baseline import Baseline, BaselineError, load_baseline
from kbcheck.changes import (
    ChangesError,
    Scope,
    articles_in_scope,
    changed_files,
    work_tree_prefix,
)
from kbcheck.config import Config, ConfigError
from kbcheck.corpus import Corpus, CorpusView, Discovery, HistorySource, discover
from kbcheck.history import load_history
from kbcheck.history import state as history_state
from kbcheck.incremental import extracts, keys, replay
from kbcheck.incremental.extracts import Extractor
from kbcheck.incremental.findings import Checks, FindingsStore
from kbcheck.incremental.folder import CacheFolder, inside_repository
from kbcheck.incremental.parse_cache import ParseStats, parse_articles
from kbcheck.incremental.session import ReplayInputs, Session
from kbcheck.model import Article, Finding, Problem, Severity
from kbcheck.owners import assign_owners, canonical_owner_names, ownership_files, select_owned
from kbcheck.publication import unpublished_reason
from kbcheck.registry import (
    CAPABILITIES,
    ArticleRule,
    CorpusRule,
    Registry,
    Rule,
    RuleContext,
    load_registry,
    rule_matches,
)
from kbcheck.report import ArticleEntry, Report, RuleInfo
from kbcheck.review import PolicyMatcher, assess
from kbcheck.risk import article_risk
from kbcheck.site.detect import site_spec
from kbcheck.site.model import PLAIN, SITE_NOTICE, Site, SiteSpec
from kbcheck.suggestions import suggest
from kbcheck.suppressions import directives, suppressed_by, unknown_rules
from kbcheck.traffic import TrafficError, load_traffic

if TYPE_CHECKING:
    from kbcheck.article import ParseSettings
    from kbcheck.external_links import ExternalLinks


#: The steps `LintOptions.steps` is told about.
PARSING = "parsing articles"
RULES = "running rules"


class UsageError(Exception):
    """A problem with what was asked (a missing path, an unknown rule id): exit code 2."""


@dataclass(frozen=True)
class LintOptions:
    """What the caller asks for on top of the configuration (CLI flags)."""

    today: date | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    owner: str | None = None
    changed_since: str | None = None  # a git ref: only articles changed since, and their linkers
    baseline: Path | None = None  # hide the findings this baseline file lists
    traffic: Path | None = None  # CSV of page views that weights risk
    #: Check http(s) links over the network (`--external`); rules that declare
    #: `requires = ("external",)` run only then.
    external: bool = False
    #: Read and write the cache folder (`--no-cache` turns it off).
    cache: bool = True
    #: Told (done, total) while external links are checked; the CLI draws a progress bar.
    progress: Callable[[int, int], None] | None = None
    #: Told (step, done, total) as the run goes: files parsed (`PARSING`), rules run
    #: (`RULES`); the CLI draws a progress display from it. Never told on a replayed run.
    steps: Callable[[str, int, int], None] | None = None
    #: Worker processes for parsing (`--jobs`); None means one per available core.
    jobs: int | None = None
    #: Return the last run's report when nothing it depends on changed (see
    #: kbcheck/incremental/replay.py); needs the cache.
    replay: bool = True
    #: List the findings suppressions hide, and the suppressions that hide nothing.
    show_suppressed: bool = False
    #: A cache folder the user vouches for (`--cache-dir`, `KBCHECK_CACHE_DIR`): a CI cache
    #: restored there is used whatever machine wrote it, unless it lies inside the repository
    #: (see SECURITY.md). It takes the place of the configured `cache_dir`.
    cache_dir: Path | None = None

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset({"external"} if self.external else ())


@dataclass
class LintResult:
    report: Report
    root: Path
    #: Every article under the root (selected or not): what an output must never replace.
    article_paths: frozenset[str]
    #: Every finding before the baseline hid any: what --write-baseline records.
    unbaselined: tuple[Finding, ...] = ()
    #: How many articles were parsed, taken from the cache, and by how many workers.
    parse_stats: ParseStats = field(default_factory=ParseStats)
    #: The articles the report was made from; None for a replayed report, which read none.
    corpus: Corpus | None = field(default=None, repr=False)


def resolve_root(paths: Sequence[Path], config: Config) -> Path:
    """The folder root-relative links and report paths are relative to: the configured `root`,
    else the single folder being checked, else the configuration's folder, else the common
    parent of the checked paths."""
    if config.root is not None:
        return config.root
    if len(paths) == 1 and paths[0].is_dir():
        return paths[0].resolve()
    if config.path is not None:
        return config.path.parent.resolve()
    resolved = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    return Path(os.path.commonpath([str(p) for p in resolved]))


def parse_settings(config: Config, site: SiteSpec = PLAIN) -> ParseSettings:
    from kbcheck.article import ParseSettings  # the parser is imported only to parse

    return ParseSettings(
        keys=dict(config.keys),
        date_formats=(*config.date_formats, *conventions.date_formats(site.generator)),
        anchor_style=config.anchor_style or site.anchor_style or "github",
        max_size=config.max_article_size,
        templates=site.templates,
        dialect=site.dialect,
        fallbacks=conventions.fallbacks(site.generator),
        inherited=site.inherited,
        inherited_from="docfx.json" if site.inherited else "",
    )


def site_discovery(root: Path, config: Config, site: SiteSpec) -> Discovery:
    """The files under the root, and which of them the site publishes as articles."""
    return discover(
        root,
        (*config.exclude, *site.excluded),
        suffixes=site.suffixes,
        content=site.content,
        not_articles=site.not_articles,
    )


def _with_site(config: Config, site: SiteSpec) -> Config:
    """The configuration with what the site generator implies wherever it says nothing."""
    return dataclasses.replace(
        config,
        anchor_style=config.anchor_style or site.anchor_style or "github",
        link_style=config.link_style or site.link_style or "file",
        site_url=config.site_url or site.url,
    )


def _site_notice(site: SiteSpec) -> str | None:
    if site.generator == "none":
        return None
    names = {"docfx": "docfx", "jekyll": "Jekyll", "hugo": "Hugo", "docusaurus": "Docusaurus"}
    names |= {"mkdocs": "MkDocs", "gitbook": "GitBook", "custom": "described in [site]"}
    name = names.get(site.generator, site.generator)
    where = f", from {site.source}" if site.source else ""
    return f"{SITE_NOTICE}{name}{where} (set [site] generator to change it)"


def select_rules(
    registry: Registry, config: Config, options: LintOptions, notices: list[str] | None = None
) -> list[Rule]:
    """ruff's model: `select` (CLI replaces config) narrows, then `ignore` (CLI adds) removes.
    Rules that require a capability the run lacks (`--external`) are left out; a notice says
    so when they were selected by name."""
    select = options.select or config.select
    ignore = (*config.ignore, *options.ignore)
    for pattern in (*select, *ignore):
        if not registry.matching(pattern):
            raise UsageError(
                f"unknown rule or prefix '{pattern}'{suggest(pattern, list(registry.rules))}"
            )
    chosen = []
    for rule in registry.sorted():
        if select and not any(rule_matches(rule.id, pattern) for pattern in select):
            continue
        if any(rule_matches(rule.id, pattern) for pattern in ignore):
            continue
        missing = [need for need in rule.requires if need not in options.capabilities]
        if missing:
            if notices is not None and rule.id in select:
                flag = CAPABILITIES[missing[0]]
                notices.append(f"rule '{rule.id}' runs only with {flag}; skipped")
            continue
        chosen.append(rule)
    return chosen


def _rule_options(rule: Rule, config: Config) -> tuple[dict[str, object], Severity | None]:
    settings = config.rules.get(rule.id)
    values = {option.name: option.default for option in rule.options}
    if settings is None:
        return values, None
    where = config.path or "configuration"
    known = [option.name for option in rule.options]
    for name, raw in settings.options.items():
        option = next((option for option in rule.options if option.name == name), None)
        if option is None:
            choices = ", ".join(["severity", *known])
            raise ConfigError(
                f"{where}: rule '{rule.id}' has no option '{name}'"
                f"{suggest(name, ['severity', *known])} (options: {choices})"
            )
        try:
            values[name] = option.parse(raw)
        except (TypeError, ValueError) as error:
            raise ConfigError(f'{where}: rules."{rule.id}".{name} is invalid: {error}') from None
    return values, settings.severity


def check_rule_settings(registry: Registry, config: Config) -> None:
    where = config.path or "configuration"
    for rule_id in config.rules:
        if rule_id not in registry.rules:
            hint = suggest(rule_id, list(registry.rules))
            raise ConfigError(f"{where}: unknown rule '{rule_id}' in [rules]{hint}")


def load_corpus(
    paths: Sequence[Path],
    config: Config,
    settings: ParseSettings,
    *,
    cache: CacheFolder | None = None,
    jobs: int | None = None,
    stats: ParseStats | None = None,
    summaries: Sequence[Extractor[Any]] = (),
    discovery: Discovery | None = None,
    digests: Mapping[str, str] | None = None,
    history: HistorySource | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Corpus, list[str]]:
    """The corpus under the root of `paths`, and notices about paths it skipped.
    `discovery` and `digests` (see parse_cache.file_digests), when the caller has them
    already, save walking and hashing again."""
    _check_paths_exist(paths)
    root = resolve_root(paths, config)
    discovery = discovery or discover(root, config.exclude)
    # One parse for the articles and the fragments they paste in: they share cache shards.
    articles = parse_articles(
        root,
        (*discovery.articles, *discovery.fragments),
        settings,
        cache=cache,
        jobs=jobs,
        stats=stats,
        wanted=summaries,
        digests=digests,
        progress=progress,
    )
    fragments = {path: articles.pop(path) for path in discovery.fragments if path in articles}
    for relative in discovery.outside_articles:
        problem = Problem(
            "file/unreadable", "symbolic link to a file outside the knowledge base; not read"
        )
        articles[relative] = Article(
            path=relative, title=relative, problems=(problem,), readable=False
        )
    notices: list[str] = [
        f"{name}: the file name is not valid UTF-8; not checked (rename it)"
        for name in sorted(discovery.undecodable)
    ]
    for path in paths:
        resolved = path.resolve()
        if resolved.is_file() and not resolved.name.lower().endswith((".md", ".markdown")):
            notices.append(f"{path}: not a Markdown file; skipped")
    corpus = Corpus(
        root=root,
        articles=articles,
        files=discovery.files,
        fragments=fragments,
        selected=_selected(paths, root, articles),
        outside=discovery.outside_links,
        history_source=history or HistorySource(root, cache, bulk_commit=config.bulk_commit),
    )
    return corpus, notices


def _check_paths_exist(paths: Sequence[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")


def _selected(paths: Sequence[Path], root: Path, articles: dict[str, Article]) -> frozenset[str]:
    prefixes = []
    for path in paths:
        try:
            relative = path.resolve().relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{path}: outside the knowledge-base root {root}") from None
        prefixes.append("" if relative == "." else relative)
    chosen = set()
    for article_path in articles:
        for prefix in prefixes:
            if not prefix or article_path == prefix or article_path.startswith(prefix + "/"):
                chosen.add(article_path)
                break
    return frozenset(chosen)


def _rule_context(
    rule: Rule, corpus: Corpus, config: Config, today: date, external: ExternalLinks | None
) -> RuleContext:
    values, severity = _rule_options(rule, config)
    return RuleContext(
        rule=rule,
        today=today,
        severity=severity or rule.severity,
        severity_fixed=severity is not None,
        options=values,
        config=config,
        corpus=CorpusView(corpus),
        external=external,
    )


def run_rules(
    rules: Iterable[Rule],
    corpus: Corpus,
    config: Config,
    today: date,
    notices: list[str],
    external: ExternalLinks | None = None,
    store: FindingsStore | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Finding]:
    """Every rule's findings, before suppressions and the selection filter. With a `store`,
    findings whose inputs are unchanged since they were kept are reused instead of checked
    again (see `kbcheck.incremental.findings`): the findings are the same either way.
    `progress` is told (RULES, rules run, rules) before each rule and at the end."""
    findings: list[Finding] = []
    rules = list(rules)
    for number, rule in enumerate(rules):
        if progress is not None:
            progress(RULES, number, len(rules))
        ctx = _rule_context(rule, corpus, config, today, external)
        key = None
        if store is not None and not rule.requires:
            key = keys.rule_key(rule, ctx.options, ctx.severity, ctx.severity_fixed)
        try:
            if isinstance(rule, CorpusRule):
                findings.extend(_run_corpus_rule(rule, ctx, corpus, store, key))
            else:
                findings.extend(_run_article_rule(rule, ctx, corpus, store, key, notices))
        except Exception as error:  # a rule's bug must not take the run down
            notices.append(f"rule '{rule.id}' failed: {type(error).__name__}: {error}")
    if progress is not None:
        progress(RULES, len(rules), len(rules))
    return findings


def _run_article_rule(
    rule: Rule,
    ctx: RuleContext,
    corpus: Corpus,
    store: FindingsStore | None,
    key: str | None,
    notices: list[str],
) -> list[Finding]:
    assert isinstance(rule, ArticleRule)
    articles = corpus.articles

    def failed(path: str, error: Exception) -> None:
        notices.append(f"rule '{rule.id}' failed on {path}: {type(error).__name__}: {error}")

    def check(path: str) -> list[Finding]:
        try:
            return list(rule.check(articles[path], ctx))
        except Exception as error:  # one article must not take the rule down
            failed(path, error)
            raise _Failed from None

    def check_all(paths: Sequence[str]) -> list[Finding]:
        found: list[Finding] = []
        for path in paths:
            try:
                found.extend(rule.check(articles[path], ctx))
            except Exception as error:  # its other articles are still checked
                failed(path, error)
        return found

    paths = sorted(corpus.selected)
    if store is None or key is None:
        return check_all(paths)
    before = len(notices)
    try:
        checks = Checks(check, check_all)
        return store.article_findings(rule.id, key, paths, ctx.corpus.reads, checks)
    except _Failed:  # nothing of a failed run is kept: run it again without the store
        del notices[before:]
        return _run_article_rule(rule, ctx, corpus, None, None, notices)


class _Failed(Exception):
    """A rule raised on one article (and was reported): its other findings still count."""


def _run_corpus_rule(
    rule: CorpusRule[Any],
    ctx: RuleContext,
    corpus: Corpus,
    store: FindingsStore | None,
    key: str | None,
) -> list[Finding]:
    summary = extracts.for_rule(rule)
    values = extracts.Extracts(corpus.articles, summary)

    def check() -> list[Finding]:
        return list(rule.check(values, ctx))

    if store is None or key is None:
        return check()
    return store.corpus_findings(
        rule.id,
        key,
        lambda: extracts.extracts_digest(corpus.articles.values(), summary),
        ctx.corpus.reads,
        check,
    )


@dataclass(frozen=True)
class _Plan:
    """What a run was asked for, settled before anything is read."""

    paths: Sequence[Path]
    config: Config
    options: LintOptions
    registry: Registry
    rules: Sequence[Rule]
    today: date
    root: Path
    notices: tuple[str, ...]
    site: SiteSpec = PLAIN


def _plan(paths: Sequence[Path], config: Config, options: LintOptions, registry: Registry) -> _Plan:
    check_rule_settings(registry, config)
    _check_paths_exist(paths)
    keys.new_run()
    notices: list[str] = []
    rules = select_rules(registry, config, options, notices)
    today = options.today or config.today or date.today()
    root = resolve_root(paths, config)
    site = site_spec(root, config.site)
    notice = _site_notice(site)
    notices.extend([*([notice] if notice else []), *site.notices])
    config = _with_site(config, site)
    return _Plan(paths, config, options, registry, rules, today, root, tuple(notices), site)


@dataclass(frozen=True)
class _Loaded:
    corpus: Corpus
    notices: list[str]
    session: Session | None


@dataclass(frozen=True)
class _Replayed:
    last: replay.Replay
    article_paths: frozenset[str]


def _load(plan: _Plan, stats: ParseStats) -> _Loaded | _Replayed:
    """Discover and parse the articles, or give the last report when nothing it depends on
    changed. Git's history is read in a thread meanwhile when review dates may come from it,
    so the walk costs (almost) no extra wall time."""
    config, options, root = plan.config, plan.options, plan.root
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kbcheck-history")
    try:
        session = None
        discovery = site_discovery(root, config, plan.site)
        if not discovery.articles and not discovery.outside_articles:
            # a wrong path must not pass green (nor leave a cache folder behind)
            shown = ", ".join(str(path) for path in plan.paths)
            suffixes = "/".join(plan.site.suffixes) if plan.site.suffixes else ".md"
            raise UsageError(
                f"{shown}: no articles found ({suffixes} files outside excluded folders); "
                "check the path, or the exclude and [site] settings"
            )
        if options.cache:
            folder = _cache_folder(root, config, options)
            stats.cache_path, stats.cache_vouched = str(folder.path), folder.vouched
            # Two quick git calls: enough to know whether the last report still holds,
            # without loading (or importing the library that reads) the history.
            state = pool.submit(history_state, root)
            session = Session(folder, root, stats, state.result)
        if session is not None:
            session.hash_articles(discovery, config.max_article_size)
            replayed = session.replay(discovery, _replay_inputs(plan))
            if replayed is not None:
                pool.shutdown(wait=False)
                paths = frozenset((*discovery.articles, *discovery.outside_articles))
                return _Replayed(replayed, paths)
        kept = session.folder if session else None
        history = HistorySource(root, kept, bulk_commit=config.bulk_commit)
        if config.uses_git_dates or (session is not None and session.wants_history()):
            prefetched = pool.submit(load_history, root, kept, config.bulk_commit)
            history = HistorySource(root, None, prefetched)
        wanted = [
            extracts.for_rule(rule)
            for rule in plan.rules
            if isinstance(rule, CorpusRule) and extracts.travels(rule)
        ]
        corpus, notices = load_corpus(
            plan.paths,
            config,
            parse_settings(config, plan.site),
            cache=session.folder if session else None,
            jobs=options.jobs,
            stats=stats,
            summaries=wanted,
            discovery=discovery,
            digests=session.digests if session else None,
            history=history,
            progress=_parsing(options.steps),
        )
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    # The history walk, when started, goes on: a rule or the age source reads it next.
    pool.shutdown(wait=False)
    if plan.site.variants:
        corpus = dataclasses.replace(corpus, variants=plan.site.variants)
    if plan.site.generator != "none":
        metas = {path: article.meta for path, article in corpus.articles.items()}
        corpus = dataclasses.replace(corpus, site=Site(plan.site, discovery.files, metas))
    return _Loaded(corpus, [*plan.registry.notices, *plan.notices, *notices], session)


def _parsing(steps: Callable[[str, int, int], None] | None) -> Callable[[int, int], None] | None:
    if steps is None:
        return None
    return lambda done, total: steps(PARSING, done, total)


def _replay_inputs(plan: _Plan) -> ReplayInputs | None:
    """What the whole report depends on; None when this run must never be replayed: the
    network (`--external`) or the git index and refs (`--changed-since`) can change under
    it, or a rule's code cannot be found to key it by."""
    options = plan.options
    if not options.replay or options.external or options.changed_since:
        return None
    if any(keys.rule_code_digest(rule) is None for rule in plan.rules):
        return None
    extra = ownership_files(plan.root, plan.config)
    extra += [path for path in (options.baseline, options.traffic) if path is not None]
    extra += [Path(path) for path in plan.site.inputs]
    described = {
        "show_suppressed": options.show_suppressed,
        "select": options.select,
        "ignore": options.ignore,
        "owner": options.owner,
        "baseline": options.baseline,
        "traffic": options.traffic,
    }
    return ReplayInputs(
        plan.rules, plan.registry.notices, plan.config, described, plan.today, plan.paths, extra
    )


def _enrich(plan: _Plan, corpus: Corpus, notices: list[str]) -> tuple[Corpus, Scope | None]:
    """The corpus with each article's review and owners, and the articles to report on
    narrowed by `--owner` and `--changed-since` (with, for the latter, which findings on
    them the change can have caused)."""
    config, options = plan.config, plan.options
    if not config.check_unpublished:
        corpus = _without_unpublished(plan, corpus, notices)
    matcher = PolicyMatcher(config.policies, plan.site.case_sensitive)
    for policy in matcher.unmatched(sorted(corpus.articles)):
        notices.append(
            f"[[policy]] with paths {list(policy.paths)} matches no article "
            "(paths are relative to the knowledge-base root, as in .gitignore)"
        )
    history = corpus.history if config.uses_git_dates else None
    reviews = {
        article.path: assess(article, config, matcher, plan.today, history) for article in corpus
    }
    corpus = dataclasses.replace(corpus, reviews=reviews, policies=matcher)
    ownership, directory, owner_notices = assign_owners(corpus, config)
    notices.extend(owner_notices)
    corpus = dataclasses.replace(corpus, ownership=ownership, owner_directory=directory)
    selected = corpus.selected
    if options.owner:
        selected, owner_notice = select_owned(corpus, options.owner)
        if owner_notice:  # a misspelt name must not pass green with nothing checked
            raise UsageError(owner_notice)
    scope = None
    if options.changed_since:
        try:
            changes = changed_files(corpus.root, options.changed_since)
        except ChangesError as error:
            raise UsageError(str(error)) from None
        scope = articles_in_scope(corpus, changes, config.site_url)
        selected &= scope.articles
    return dataclasses.replace(corpus, selected=selected), scope


def _without_unpublished(plan: _Plan, corpus: Corpus, notices: list[str]) -> Corpus:
    """The corpus without the articles customers cannot read (drafts, unpublished pages,
    repository files): they stay files a link may name, but no rule reports on them or
    compares them. A file named on the command line is checked whatever it says."""
    named = set()
    for path in plan.paths:
        resolved = path.resolve()
        if resolved.is_file():
            with contextlib.suppress(ValueError):
                named.add(resolved.relative_to(corpus.root).as_posix())
    top = [path for path in corpus.files if "/" not in path]
    reasons: dict[str, str] = {}
    for article in corpus:
        if article.path in named:
            continue
        reason = unpublished_reason(article, plan.today, plan.site.generator, top)
        if reason is not None:
            reasons[article.path] = reason
    if not reasons:
        return corpus
    counts = Counter(reason.split(":")[0] for reason in reasons.values())
    why = ", ".join(f"{key} {count}" for key, count in sorted(counts.items()))
    first = min(reasons)
    notices.append(
        f"{len(reasons)} unpublished article(s) not checked ({why}; e.g. {first}: "
        f"{reasons[first]}); set check_unpublished = true to check them"
    )
    return dataclasses.replace(
        corpus,
        articles={path: a for path, a in corpus.articles.items() if path not in reasons},
        selected=corpus.selected - reasons.keys(),
    )


def _external_links(plan: _Plan, corpus: Corpus) -> ExternalLinks | None:
    if not plan.options.external:
        return None
    from kbcheck.external_links import ExternalLinks  # imports httpx: only when asked

    options = plan.options
    named = _cache_folder(plan.root, plan.config, options) if options.cache_dir else None
    return ExternalLinks(
        corpus,
        plan.config,
        use_cache=options.cache,
        progress=options.progress,
        cache_folder=named,
    )


def _page_views(plan: _Plan, corpus: Corpus, notices: list[str]) -> dict[str, int] | None:
    if plan.options.traffic is None:
        return None
    try:
        traffic = load_traffic(
            plan.options.traffic, corpus.articles.keys(), plan.config.site_url, corpus.site
        )
    except TrafficError as error:
        raise UsageError(str(error)) from None
    notices.extend(traffic.notices)
    return traffic.views


def _assemble(
    plan: _Plan,
    corpus: Corpus,
    raw: Iterable[Finding],
    notices: Sequence[str],
    views: Mapping[str, int] | None,
    baseline: Baseline | None,
    scope: Scope | None = None,
) -> tuple[Report, tuple[Finding, ...]]:
    """The report: suppressions applied, the baseline's findings hidden, each selected
    article with its review, owners and risk; and every finding before the baseline. With
    a `--changed-since` scope, unchanged articles keep only what the change caused."""
    findings: list[Finding] = []
    suppressed = 0
    hidden: list[Finding] = []
    used: set[tuple[str, object]] = set()
    # Findings on the site's own files (a navigation entry in toc.yml) count when the whole
    # knowledge base is checked: no article's selection covers them.
    whole = len(corpus.selected) == len(corpus.articles)
    for finding in raw:
        if finding.path not in corpus.selected and (not whole or finding.path in corpus.articles):
            continue
        if scope is not None and not scope.caused(finding):
            continue
        source = suppressed_by(finding, corpus.articles.get(finding.path))
        if source is not None:
            suppressed += 1
            if plan.options.show_suppressed:
                hidden.append(finding)
                used.add((finding.path, source))
            continue
        findings.append(finding)
    findings.sort(key=lambda finding: finding.sort_key)
    unused = _unused_suppressions(plan, corpus, used) if plan.options.show_suppressed else []
    unbaselined = tuple(findings)
    baselined = 0
    if baseline is not None:
        findings, baselined = baseline.split(findings)
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.path, []).append(finding)
    entries = []
    for path in sorted(corpus.selected):
        review = corpus.reviews[path]
        ownership = corpus.ownership_of(path)
        seen = views.get(path) if views is not None else None
        article = corpus.articles[path]
        entries.append(
            ArticleEntry(
                path=path,
                title=article.title,
                owners=ownership.owners,
                last_reviewed=review.last_reviewed,
                review_source=review.source,
                review_state="expired" if review.expired else review.state,
                due=review.due,
                risk=article_risk(grouped.get(path, []), review, plan.today, seen),
                views=seen,
                owner_source=ownership.source,
                review_key=(
                    article.key_names.get("last_reviewed")
                    if review.source == "frontmatter"
                    else None
                ),
                owner_key=(
                    article.key_names.get("owner") if ownership.source == "frontmatter" else None
                ),
            )
        )
    report = Report(
        root=_display_root(corpus.root),
        today=plan.today,
        articles=tuple(entries),
        findings=tuple(findings),
        suppressed=suppressed,
        notices=tuple(notices),
        baselined=baselined,
        rules=tuple(rule_info(rule, plan.config) for rule in plan.rules),
        changed_since=plan.options.changed_since,
        root_in_repo=work_tree_prefix(corpus.root),
        owner_names=canonical_owner_names(corpus, corpus.selected),
        suppressed_findings=tuple(sorted(hidden, key=lambda finding: finding.sort_key)),
        unused_suppressions=tuple(unused),
    )
    return report, unbaselined


#: How `--show-suppressed` lists a suppression that hides nothing (not a finding: it is never
#: counted, selected or failed on).
UNUSED_SUPPRESSION = "kbcheck/unused-suppression"


def _unused_suppressions(
    plan: _Plan, corpus: Corpus, used: set[tuple[str, object]]
) -> list[Finding]:
    """The suppressions of the selected articles that hid nothing this run, among those whose
    rules all ran (one for a rule left out by `--select` may still be needed), like ruff's
    RUF100."""
    ran = {rule.id for rule in plan.rules}
    registered = set(plan.registry.rules)
    unused = []
    for path in sorted(corpus.selected):
        article = corpus.articles[path]
        for source, rules, line in directives(article):
            if (path, source) in used:
                continue
            covered = {
                rule_id
                for rule_id in registered
                if not rules or any(rule_matches(rule_id, pattern) for pattern in rules)
            }
            if not covered or not covered <= ran:
                continue
            what = ", ".join(rules) if rules else "every rule"
            where = "front matter ignore" if source[0] == "ignore" else "kbcheck-disable comment"
            unused.append(
                Finding(
                    UNUSED_SUPPRESSION,
                    Severity.INFO,
                    path,
                    line,
                    None,
                    f"the {where} for {what} suppresses nothing",
                    hint="remove it, or fix the rule id it names",
                )
            )
    return unused


def _suppression_notices(plan: _Plan, corpus: Corpus) -> list[str]:
    """One warning per rule id a suppression of a checked article names that no rule is."""
    known = list(plan.registry.rules)
    notices = []
    for path in sorted(corpus.selected):
        article = corpus.articles[path]
        if not (article.ignore or article.suppressions):
            continue
        for line, pattern, hint in unknown_rules(article, known):
            notices.append(
                f"{path}:{line}: a suppression names '{pattern}', which is no rule{hint}; it "
                "suppresses nothing"
            )
    return notices


def lint(
    paths: Sequence[Path],
    config: Config,
    options: LintOptions | None = None,
    registry: Registry | None = None,
) -> LintResult:
    """Check the knowledge base: plan, load (or replay), enrich, run the rules, assemble."""
    plan = _plan(paths, config, options or LintOptions(), registry or load_registry())
    try:
        baseline = load_baseline(plan.options.baseline) if plan.options.baseline else None
    except BaselineError as error:
        raise UsageError(str(error)) from None
    stats = ParseStats()
    with _collector_paused():
        loaded = _load(plan, stats)
    if isinstance(loaded, _Replayed):
        return LintResult(
            report=dataclasses.replace(loaded.last.report, root=_display_root(plan.root)),
            root=plan.root,
            article_paths=loaded.article_paths,
            unbaselined=loaded.last.unbaselined,
            parse_stats=stats,
        )
    with _heap_frozen():
        notices = loaded.notices
        views = _page_views(plan, loaded.corpus, notices)
        corpus, scope = _enrich(plan, loaded.corpus, notices)
        external = _external_links(plan, corpus)
        store = _findings_store(plan, loaded.session, corpus)
        notices.extend(_suppression_notices(plan, corpus))
        raw = run_rules(
            plan.rules,
            corpus,
            plan.config,
            plan.today,
            notices,
            external,
            store,
            plan.options.steps,
        )
        del store  # the digests of every article's inputs: not needed for the report
        # What the rules shared (a million resolved links on a large knowledge base) is not
        # needed for the report: freed before the report is built and stored.
        corpus.derived.clear()
        if external is not None:
            notices.extend(external.notices)
        if corpus.history_loaded:  # read for the age source or by a rule: say if unreliable
            notices.extend(corpus.history.notices)
        report, unbaselined = _assemble(plan, corpus, raw, notices, views, baseline, scope)
        if loaded.session is not None:
            loaded.session.keep(report, unbaselined, read_git=corpus.history_loaded)
            stats.foreign = loaded.session.folder.foreign
    return LintResult(
        report=report,
        root=corpus.root,
        article_paths=frozenset(corpus.articles),
        unbaselined=unbaselined,
        parse_stats=stats,
        corpus=corpus,
    )


def _cache_folder(root: Path, config: Config, options: LintOptions) -> CacheFolder:
    """The folder named on the command line, vouched for when outside the repository; else
    the configured one, which a pull request can change, so it is never vouched for."""
    if options.cache_dir is None:
        return CacheFolder.for_root(root, config.cache_dir)
    where = options.cache_dir.resolve()
    return CacheFolder(where, vouched=not inside_repository(where, root))


def _findings_store(plan: _Plan, session: Session | None, corpus: Corpus) -> FindingsStore | None:
    """Where the rules' findings are kept between runs (see kbcheck/incremental/findings.py)."""
    if session is None:
        return None
    owner_files = ownership_files(corpus.root, plan.config)
    settings = parse_settings(plan.config, plan.site)
    return session.findings_store(corpus, plan.config, plan.today, settings, owner_files)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading builds millions of objects that all stay alive (no cycles among them): the
    cyclic collector would walk the growing heap again and again for nothing, about a fifth
    of a warm run."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextlib.contextmanager
def _heap_frozen() -> Iterator[None]:
    """The loaded corpus is frozen, so the collector no longer walks it while the rules
    allocate, and young objects are collected less often: the rules keep most of what they
    allocate (resolved links, claim groups) until the end of the run. Undone on the way out,
    so a program that calls lint() can still collect the corpus."""
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 20_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def rule_info(rule: Rule, config: Config) -> RuleInfo:
    docs = rule.docs()
    _, severity = _rule_options(rule, config)
    return RuleInfo(
        id=rule.id,
        name=type(rule).__name__,
        summary=docs.summary,
        why=docs.why,
        fix=docs.fix,
        severity=severity or rule.severity,
    )


def _display_root(root: Path) -> str:
    try:
        relative = root.relative_to(Path.cwd().resolve())
    except ValueError:
        return root.as_posix()
    text = relative.as_posix()
    return text or "."
