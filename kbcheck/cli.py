"""The command line: options in, `engine.lint()` called, a formatter's text out, an exit code.

Wiring only. Anything worth testing without a terminal lives in the engine or a formatter.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from kbcheck import __version__

if TYPE_CHECKING:
    from kbcheck.engine import LintResult
    from kbcheck.incremental.parse_cache import ParseStats

app = typer.Typer(
    name="kbcheck",
    help="Find the help-center articles most likely to give customers wrong answers.",
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    pretty = "pretty"
    concise = "concise"
    json = "json"
    sarif = "sarif"
    github = "github"
    markdown = "markdown"
    html = "html"
    gitlab = "gitlab"
    junit = "junit"


class GroupBy(str, Enum):
    owner = "owner"
    folder = "folder"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"kbcheck: error: {message}", err=True)
    raise typer.Exit(code)


def _split(values: list[str] | None) -> tuple[str, ...]:
    """`--select a,b --select c` → ("a", "b", "c")."""
    items: list[str] = []
    for value in values or []:
        items.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(items)


def _parse_today(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--today / KBCHECK_TODAY: '{value}' is not a date (expected YYYY-MM-DD)")


def _write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from kbcheck.atomic_files import replace_file

    try:  # atomic: a full disk or a crash leaves the previous report whole
        replace_file(output, text.encode("utf-8"))
    except OSError as error:
        _fail(f"{output}: cannot write report: {error.strerror or error}")


def _write_baseline(target: Path, text: str) -> None:
    """Replace the baseline atomically: an interrupted run never leaves half a file."""
    from kbcheck.atomic_files import replace_file

    try:
        replace_file(target, text.encode("utf-8"))
    except OSError as error:
        _fail(f"{target}: cannot write baseline: {error.strerror or error}")


def _refuse_overwriting_articles(result: LintResult, targets: dict[str, Path | None]) -> None:
    """`-o kb/refunds.md` meant as `-f markdown` must not replace an article with a report."""
    for option, target in targets.items():
        if target is None:
            continue
        try:
            relative = Path(os.path.realpath(target)).relative_to(result.root).as_posix()
        except ValueError:
            continue
        if relative in result.article_paths:
            _fail(f"{option} {target}: is an article of the knowledge base; not overwritten")


def _append_step_summary(text: str) -> None:
    """GitHub Actions shows `$GITHUB_STEP_SUMMARY` on the run's page; other steps may have
    written to it already, so append."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        typer.echo(f"kbcheck: warning: {target}: cannot write the step summary: {error}", err=True)


def _use_color(output: Path | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _interactive_stderr() -> bool:
    """A person is watching: stderr is a terminal and no CI system says otherwise."""
    if os.environ.get("CI") or os.environ.get("KBCHECK_NO_PROGRESS"):
        return False
    return sys.stderr.isatty()


class _ProgressDisplay:
    """What a long run is doing, on stderr: files parsed, rules run, external links checked.
    Shown only when enabled and the run has already taken `DELAY` seconds, so a small or
    replayed run shows nothing; transient, so the report follows on a clean screen. The
    engine only calls `step` and `links`."""

    DELAY = 0.5
    MIN_URLS = 20

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._started = time.monotonic()
        self._progress: Any = None
        self._task: Any = None
        self._links: Any = None

    def __enter__(self) -> _ProgressDisplay:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _show(self) -> Any:
        if self._progress is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
                refresh_per_second=4,  # enough to watch; less output over a slow link
            )
            self._progress.start()
        return self._progress

    def step(self, what: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        waiting = done >= total or time.monotonic() - self._started < self.DELAY
        if self._progress is None and waiting:
            return
        progress = self._show()
        if self._task is None:
            self._task = progress.add_task(what, total=total)
        progress.update(self._task, description=what, completed=done, total=total)

    def links(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._links is None:
            if total - done < self.MIN_URLS:
                return
            self._links = self._show().add_task("checking external links", total=total)
        self._show().update(self._links, completed=done, total=total)


def _at_least_one(value: int | None) -> int | None:
    """A count option's check, as a plain sentence (Click's range shows `[x>=1]`)."""
    if value is not None and value < 1:
        raise typer.BadParameter("must be 1 or more")
    return value


@app.command()
def check(
    paths: Annotated[
        list[Path] | None,
        # hidden from the argument list (Typer would print its Python type there); the
        # command's help says what PATH is
        typer.Argument(metavar="PATH", hidden=True, show_default=False),
    ] = None,
    output_format: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Output format: pretty, concise, json, sarif, github, gitlab, junit, markdown "
            "or html.",
        ),
    ] = Format.pretty,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file."),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            metavar="SEVERITY",
            help="Exit 1 when a finding is at or above this severity: error (the default), "
            "warning, info or never.",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", metavar="RULES", help="Only these rule ids or prefixes (comma-separated)."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", metavar="RULES", help="Skip these rule ids or prefixes (comma-separated)."
        ),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", metavar="NAME", help="Only articles this owner owns.")
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today", envvar="KBCHECK_TODAY", metavar="DATE", help="Pretend today is YYYY-MM-DD."
        ),
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", metavar="FILE", help="Configuration file to use.")
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="GIT_REF",
            help="Only articles changed since the merge base with GIT_REF (committed, staged, "
            "unstaged, untracked), and the unchanged articles that link to them.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline", metavar="FILE", help="Hide the findings recorded in this baseline file."
        ),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Record today's findings in this file, and exit 0.",
        ),
    ] = None,
    traffic: Annotated[
        Path | None,
        typer.Option(
            "--traffic",
            metavar="CSV",
            help="Page views per article (columns path or url, and views) to weight risk.",
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            metavar="N",
            callback=_at_least_one,
            help="List only the N riskiest articles.",
        ),
    ] = None,
    external: Annotated[
        bool,
        typer.Option(
            "--external/--no-external",
            help="Also check http(s) links over the network (each URL once).",
        ),
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the results cache.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            envvar="KBCHECK_CACHE_DIR",
            metavar="DIR",
            help="Keep the cache in DIR and trust it whatever machine wrote it (a CI cache "
            "restored outside the repository; see SECURITY.md).",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            callback=_at_least_one,
            help="Parse with N processes (default: cores).",
        ),
    ] = None,
    group_by: Annotated[
        GroupBy | None,
        typer.Option(
            "--group-by",
            metavar="owner|folder",
            help="One section per owner or per top-level folder, each with its articles to "
            "fix (pretty and markdown).",
        ),
    ] = None,
    show_suppressed: Annotated[
        bool,
        typer.Option(
            "--show-suppressed",
            help="Also list the findings suppressions hide, and the suppressions that hide "
            "nothing.",
        ),
    ] = False,
    progress: Annotated[
        bool,
        typer.Option(
            "--progress/--no-progress",
            help="Show what a long run is doing on stderr when it is a terminal (never in CI).",
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Findings only.")] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Say what the run took from the cache; tracebacks for internal errors."
        ),
    ] = False,
) -> None:
    """Check a knowledge base and report its riskiest articles, worst first.

    PATH: the articles or folders to check (default: the current folder).
    """
    from kbcheck.config import ConfigError, load_config
    from kbcheck.engine import LintOptions, UsageError, lint
    from kbcheck.formats import RenderOptions, render
    from kbcheck.model import Severity

    targets = paths or [Path(".")]
    if group_by is not None and output_format not in (Format.pretty, Format.markdown):
        _fail(f"--group-by works with --format pretty and markdown, not {output_format.value}")
    try:
        config_path = config_file if config_file is not None else _config_for(targets)
        if config_file is not None and not config_file.is_file():
            _fail(f"{config_file}: configuration file not found")
        config = load_config(config_path)
        targets = _inside_knowledge_base(targets, config_path, config.root)
        show_progress = progress and not quiet and _interactive_stderr()
        with _ProgressDisplay(enabled=show_progress) as display:
            options = LintOptions(
                today=_parse_today(today),
                select=_split(select),
                ignore=_split(ignore),
                owner=owner,
                changed_since=changed_since,
                baseline=baseline,
                traffic=traffic,
                external=external,
                cache=not no_cache,
                cache_dir=cache_dir,
                jobs=jobs,
                progress=display.links if external else None,
                steps=display.step if show_progress else None,
                show_suppressed=show_suppressed,
            )
            result = lint(targets, config, options)
    except (ConfigError, UsageError) as error:
        _fail(str(error))
    except typer.Exit:
        raise
    except Exception as error:
        if debug:
            raise
        _fail(f"internal error: {type(error).__name__}: {error} (run with --debug for details)")

    _refuse_overwriting_articles(result, {"--output": output, "--write-baseline": write_baseline})
    report = result.report
    if debug:
        typer.echo(_cache_statistics(result.parse_stats), err=True)
    if result.parse_stats.foreign and not quiet:
        typer.echo(_foreign_cache_warning(result.parse_stats), err=True)
    if not quiet:
        from kbcheck.formats import clean
        from kbcheck.site.model import SITE_NOTICE

        for notice in report.notices:  # may quote a file's text: no control characters
            kind = "" if notice.startswith(SITE_NOTICE) else "warning: "
            typer.echo(f"kbcheck: {kind}{clean(notice)}", err=True)
    if write_baseline is not None:
        from kbcheck.baseline import baseline_text

        _write_baseline(write_baseline, baseline_text(result.unbaselined))
        if not quiet:
            count = len(result.unbaselined)
            typer.echo(f"kbcheck: wrote {count} findings to baseline {write_baseline}", err=True)
    width = shutil.get_terminal_size((100, 24)).columns if output is None else 100
    render_options = RenderOptions(
        color=_use_color(output),
        width=width,
        version=__version__,
        quiet=quiet,
        top=top,
        group_by=group_by.value if group_by else None,
    )
    if write_baseline is not None and output is None:
        # recording a baseline is the job: its one-line summary above is the output, not a
        # report of every finding it just accepted
        _finish(0)
    text = render(report, output_format.value, render_options)
    _write_output(text, output)
    if output is not None and not quiet:
        findings = len(report.findings)
        typer.echo(
            f"kbcheck: wrote the {output_format.value} report to {output} "
            f"({findings} finding{'s' if findings != 1 else ''})",
            err=True,
        )
    if output_format is Format.github:
        from kbcheck.formats.github import step_summary

        _append_step_summary(step_summary(report, render_options))

    if write_baseline is not None:
        _finish(0)  # recording a baseline accepts what it recorded
    threshold = (fail_on.value if fail_on else None) or config.fail_on
    if threshold == "never":
        _finish(0)
    worst = report.worst_severity()
    _finish(1 if worst is not None and worst >= Severity(threshold) else 0)


def _cache_statistics(stats: ParseStats) -> str:
    """One line for `--debug`: what the run took from the cache, so a CI user can see that a
    restored cache is used."""
    from kbcheck.formats import clean

    if stats.cache_path is None:
        return "kbcheck: cache: off"
    trust = "vouched for" if stats.cache_vouched else "this machine's documents only"
    if stats.replayed:
        work = "report replayed (nothing it depends on changed)"
    else:
        work = (
            f"report not replayed; articles: {stats.parsed} parsed, {stats.from_cache} reused, "
            f"{stats.hashed} hashed; rules: {stats.rules_run} run again, "
            f"{stats.rules_reused} reused; article checks: {stats.checks_run} run, "
            f"{stats.checks_reused} reused"
        )
    foreign = f"; {stats.foreign} documents from another machine ignored" if stats.foreign else ""
    return f"kbcheck: cache: {clean(stats.cache_path)} ({trust}); {work}{foreign}"


def _foreign_cache_warning(stats: ParseStats) -> str:
    """The one line for a cache written elsewhere that this run could not use."""
    from kbcheck.formats import clean

    where = clean(stats.cache_path or "")
    return (
        f"kbcheck: warning: the cache in {where} was written on another machine and was not "
        "used (only this machine's documents are trusted there); restore a CI cache outside "
        "the repository and pass --cache-dir DIR or set KBCHECK_CACHE_DIR (see SECURITY.md)"
    )


#: Set by `main` (the console script), never by an in-process caller such as a test runner.
_exit_at_once = False


def _finish(code: int) -> NoReturn:
    """End a check with `code` once everything is written. From the console script the
    process ends at once: freeing a large knowledge base object by object costs a quarter of
    a second and changes nothing (mypy ends the same way)."""
    if _exit_at_once:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise typer.Exit(code)


@app.command()
def verify(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", hidden=True)],
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="NAME",
            help="Who reviewed them (sets reviewed_by). Without it, an article that names an "
            "earlier reviewer gets your git user.email (else user.name).",
        ),
    ] = None,
    review_date: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="Review date YYYY-MM-DD (default: today)."),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today", envvar="KBCHECK_TODAY", metavar="DATE", help="Pretend today is YYYY-MM-DD."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the change as a diff; write nothing.")
    ] = False,
    config_file: Annotated[
        Path | None, typer.Option("--config", metavar="FILE", help="Configuration file to use.")
    ] = None,
) -> None:
    """Record a review: set last_reviewed (and reviewed_by) and change nothing else.

    PATH: the articles you reviewed, inside one knowledge base.
    """
    from kbcheck.config import ConfigError, find_config, load_config
    from kbcheck.verify import (
        ReviewKeys,
        VerifyError,
        read_snapshot,
        record_review,
        review_key_in,
        unified_diff,
        write_snapshot,
    )

    try:
        config_path = config_file if config_file is not None else find_config(paths[0])
        if config_file is not None and not config_file.is_file():
            _fail(f"{config_file}: configuration file not found")
        config = load_config(config_path)
    except ConfigError as error:
        _fail(str(error))
    now = _parse_today(today) or config.today or date.today()
    reviewed = now
    if review_date:
        try:
            reviewed = date.fromisoformat(review_date)
        except ValueError:
            _fail(f"--date: '{review_date}' is not a date (expected YYYY-MM-DD)")
        if reviewed > now:
            _fail(f"--date: {reviewed.isoformat()} is after today ({now.isoformat()})")
    if by is not None and (not by.strip() or any(ord(c) < 32 for c in by)):
        _fail("--by: give a name on one line, such as --by ana@example.com")
    base = config.root or (config_path.parent if config_path is not None else None)
    keys = ReviewKeys(config.keys["last_reviewed"], config.keys["reviewed_by"])
    if config.age_source == "git":
        typer.echo(
            f"kbcheck: warning: [age] source = \"git\" ignores '{keys.reviewed}'; "
            "the review counts once the article is committed",
            err=True,
        )

    refused = 0
    for path in paths:
        try:
            if base is not None and not _is_under(path, base):
                raise VerifyError(
                    f"{path}: outside the knowledge base at {base} (its configuration is "
                    f"{config_path}); not changed"
                )
            snapshot = read_snapshot(path)
            earlier, reviewer = _recorded_review(snapshot.raw, path, config, keys.reviewer)
            who = by
            if who is None and reviewer is not None:
                # the earlier reviewer's name must not stay on a review someone else made
                who = _git_identity(path)
                if who is None:
                    typer.echo(
                        f"kbcheck: warning: {path}: keeps {keys.reviewer}: {reviewer} from the "
                        "earlier review; give --by NAME to name who reviewed it now",
                        err=True,
                    )
            if earlier is not None and reviewed < earlier:
                typer.echo(
                    f"kbcheck: warning: {path}: moves the review back from "
                    f"{earlier.isoformat()} to {reviewed.isoformat()}",
                    err=True,
                )
            try:
                new_text = record_review(snapshot.text, reviewed, who, keys, config.date_formats)
            except VerifyError as error:
                raise VerifyError(f"{path}: {error}; not changed") from None
            if new_text == snapshot.text:
                typer.echo(f"{path}: review already recorded ({reviewed.isoformat()})")
                continue
            if dry_run:
                typer.echo(unified_diff(snapshot, new_text), nl=False)
                continue
            write_snapshot(snapshot, new_text)
        except VerifyError as error:
            typer.echo(f"kbcheck: error: {error}", err=True)
            refused += 1
            continue
        named = f" by {who}" if who else ""
        used = review_key_in(snapshot.text, keys.reviewed)
        typer.echo(f"{path}: review recorded, {used} {reviewed.isoformat()}{named}")
    raise typer.Exit(2 if refused else 0)


def _git_identity(path: Path) -> str | None:
    """Who the reviewer is when `--by` is not given: git's `user.email`, else `user.name`, as
    set for the repository that holds `path` (None outside git or when neither is set)."""
    folder = path.resolve().parent
    for key in ("user.email", "user.name"):
        try:
            done = subprocess.run(
                ["git", "config", "--get", key],
                cwd=folder if folder.is_dir() else None,
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        value = done.stdout.strip()
        if done.returncode == 0 and value and "\n" not in value:
            return value
    return None


def _is_under(path: Path, base: Path) -> bool:
    try:
        path.resolve().relative_to(base.resolve())
    except ValueError:
        return False
    return True


def _recorded_review(
    raw: bytes, path: Path, config: Any, reviewer_key: str
) -> tuple[date | None, str | None]:
    """The review date the article has now, read as `check` reads it, and the reviewer it
    names (None for either when absent or unreadable)."""
    from kbcheck.article import parse_article
    from kbcheck.engine import parse_settings

    try:
        article = parse_article(raw, path.name, parse_settings(config))
    except Exception:  # the write itself reports what is wrong with the file
        return None, None
    reviewer = article.meta.get(reviewer_key)
    return article.last_reviewed, str(reviewer) if reviewer not in (None, "") else None


@app.command("config")
def show_config(
    folder: Annotated[Path, typer.Argument(metavar="PATH", hidden=True, show_default=False)] = Path(
        "."
    ),
) -> None:
    """Show the settings in force for a knowledge base, and where each came from.

    PATH: the knowledge base, or a file or folder in it (default: the current folder).
    """
    from kbcheck.config import ConfigError, load_config
    from kbcheck.engine import resolve_root
    from kbcheck.settings_view import render_settings, settings_in_force
    from kbcheck.site.detect import site_spec

    if not folder.exists():
        _fail(f"{folder}: no such file or folder")
    try:
        config = load_config(_config_for([folder]))
    except ConfigError as error:
        _fail(str(error))
    root = resolve_root([folder], config)
    site = site_spec(root, config.site)
    rows = settings_in_force(config, root, site, os.environ.get("KBCHECK_CACHE_DIR") or None)
    typer.echo(render_settings(rows), nl=False)
    for notice in site.notices:
        typer.echo(f"kbcheck: warning: {notice}", err=True)


@app.command("rules")
def list_rules() -> None:
    """List every rule, plugins included."""
    from rich.console import Console
    from rich.table import Table

    from kbcheck.registry import load_registry
    from kbcheck.rule_docs import requirement_note

    registry = load_registry()
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("rule", style="cyan", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("summary")
    table.add_column("from", style="dim", no_wrap=True)
    for rule in registry.sorted():
        source = registry.sources[rule.id].split(" ", 1)[0]
        table.add_row(rule.id, rule.severity.value, rule.summary() + requirement_note(rule), source)
    Console(highlight=False).print(table)
    for notice in registry.notices:
        typer.echo(f"kbcheck: warning: {notice}", err=True)


@app.command()
def explain(
    rule_id: str = typer.Argument(..., metavar="RULE", hidden=True),
) -> None:
    """Why a rule matters, an example that triggers it, and how to fix it.

    RULE: a rule id such as links/broken-anchor, or a family such as links.
    """
    from kbcheck.registry import load_registry
    from kbcheck.rule_docs import explain_text, requirement_note
    from kbcheck.suggestions import suggest

    registry = load_registry()
    rule = registry.rules.get(rule_id)
    if rule is None:
        family = rule_id.rstrip("/")
        members = [found for found in registry.sorted() if found.id.startswith(family + "/")]
        if members:  # a family, as --select takes it: list its rules
            width = max(len(found.id) for found in members)
            for found in members:
                summary = found.summary() + requirement_note(found)
                typer.echo(f"{found.id:<{width}}  {found.severity.value:<7}  {summary}")
            typer.echo(f"\nkbcheck explain {members[0].id}: one rule in full")
            return
        families = sorted({known.split("/", 1)[0] for known in registry.rules})
        _fail(f"unknown rule '{rule_id}'{suggest(rule_id, [*registry.rules, *families])}")
    typer.echo(explain_text(rule, registry.sources[rule.id]))


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", hidden=True, show_default=False)
    ] = Path("."),
) -> None:
    """Write a commented starter kbcheck.toml (never overwrites an existing file).

    FOLDER: where to write it (default: the current folder).
    """
    from kbcheck.atomic_files import create_file
    from kbcheck.site.detect import site_spec
    from kbcheck.starter import starter_config

    target = folder / "kbcheck.toml"
    site = site_spec(folder.resolve(), None) if folder.is_dir() else None
    try:  # never over an existing file, never half a file
        create_file(target, starter_config(site).encode("utf-8"))
    except FileExistsError:
        _fail(f"{target}: already exists; not overwritten")
    except OSError as error:
        _fail(f"{target}: cannot write: {error.strerror or error}")
    typer.echo(f"wrote {target}")
    if site is not None and site.generator != "none":
        typer.echo(f"site generator: {site.generator} (detected from {site.source})")


def _config_for(targets: list[Path]) -> Path | None:
    """The configuration for the paths given: the most specific one found above them. The
    pre-commit hook passes staged files in any order, and a README.md at the repository's top
    listed first must not hide the knowledge base's own kbcheck.toml."""
    from kbcheck.config import find_config

    found = {config for config in map(find_config, targets) if config is not None}
    if not found:
        return None
    deepest = max(found, key=lambda config: len(config.resolve().parts))
    for config in found:
        if not deepest.resolve().parent.is_relative_to(config.resolve().parent):
            _fail(
                f"the paths belong to two knowledge bases ({config} and {deepest}); "
                "run kbcheck once for each"
            )
    return deepest


def _inside_knowledge_base(
    targets: list[Path], config_path: Path | None, root: Path | None
) -> list[Path]:
    """Staged files outside the knowledge base (a repository README) are left out, said once
    on stderr, when others remain: they are not articles of it."""
    if config_path is None:
        return targets
    top = (root or config_path.parent).resolve()
    inside = [path for path in targets if path.resolve().is_relative_to(top)]
    if inside and len(inside) < len(targets):
        left = [str(path) for path in targets if path not in inside]
        typer.echo(
            f"kbcheck: note: {len(left)} path(s) outside the knowledge base {top} not checked: "
            + ", ".join(left[:3])
            + (" ..." if len(left) > 3 else ""),
            err=True,
        )
        return inside
    return targets


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"kbcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version_callback, is_eager=True, help="Show version."
        ),
    ] = False,
) -> None:
    """Find the help-center articles most likely to give customers wrong answers."""


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which Click turns into "Aborted!" and exit 1: kbcheck
    ends with 130, the shell's code for a process stopped by SIGINT, and no traceback."""


def _interrupted(signum: int, frame: object) -> None:
    raise Interrupted


def main() -> None:
    global _exit_at_once
    if sys.argv[1:] in (["--version"], ["-V"]):  # answer before importing anything else
        print(f"kbcheck {__version__}")
        return
    _exit_at_once = True
    signal.signal(signal.SIGINT, _interrupted)
    try:
        app()
    except Interrupted:
        # Workers ignore SIGINT (see parse_cache) and the pool was shut down on the way out;
        # the cache's files are written whole or not at all, so nothing is left half-done.
        print("\nkbcheck: interrupted", file=sys.stderr)
        sys.exit(130)  # a normal exit: the pool's semaphores are released, git has stopped
