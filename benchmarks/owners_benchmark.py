"""How long ownership takes on a large knowledge base: resolving every article's owners through
a long CODEOWNERS file, the owner rules, `--owner` and `--group-by owner`.

Generates (benchmarks/generate_kb.py) a knowledge base of ARTICLES articles in `docs/kb` of a
git repository with COMMITS commits, a CODEOWNERS of about LINES lines at the repository top
(folder, sub-folder and glob patterns, most of which match nothing, as in a product
repository), and a configuration whose teams list the history's authors as members, so that
owner/inactive judges every team. Then it times each step on its own.

    python benchmarks/owners_benchmark.py [--articles 10000] [--commits 30000] [--lines 500]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_kb import AUTHORS, FOLDERS, OWNERS, write_history, write_kb

from kbcheck.codeowners import CodeOwners
from kbcheck.config import load_config
from kbcheck.engine import load_corpus, parse_settings, run_rules
from kbcheck.formats import RenderOptions, render
from kbcheck.owners import assign_owners, canonical_owner_names, select_owned
from kbcheck.registry import load_registry
from kbcheck.report import ArticleEntry, Report
from kbcheck.review import PolicyMatcher

T = TypeVar("T")
TODAY = date(2026, 11, 22)


def timed(label: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    print(f"  {label:<48} {time.perf_counter() - start:8.3f} s")
    return result


def codeowners_text(lines: int) -> str:
    """A product repository's CODEOWNERS: code owners first (folders, and 20 globs that may
    match anywhere), the knowledge base's folders last."""
    rows = ["* @acme/engineering"]
    index = 0
    while len(rows) < lines - len(FOLDERS) * 2:
        rows.append(f"/services/service-{index}/ @acme/team-{index % 40}")
        if index < 20:  # a few globs that may match anywhere; the rest is anchored
            rows.append(f"*.tmpl{index} @acme/tooling")
        rows.append(f"/apps/app-{index}/src/**/*.ts @acme/frontend-{index % 9}")
        index += 1
    for number, folder in enumerate(FOLDERS):
        rows.append(f"/docs/kb/{folder}/ @acme/{OWNERS[number % len(OWNERS)]}")
        rows.append(f"/docs/kb/{folder}/archive/ @acme/docs-archive")
    return "\n".join(rows) + "\n"


def configuration() -> str:
    people = "".join(
        f'[[people]]\nname = "{name}"\nemail = "{email}"\nteams = {list(OWNERS)!r}\n'
        for name, email in AUTHORS
    )
    teams = "".join(f'[[teams]]\nname = "{team}"\nhandle = "@acme/{team}"\n' for team in OWNERS)
    return f'today = "{TODAY.isoformat()}"\n[age]\nsource = "frontmatter"\n{people}{teams}'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=30_000)
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        kb = repo / "docs" / "kb"
        print(f"building {args.articles} articles, {args.commits} commits ...")
        paths = write_kb(kb, args.articles)
        (kb / "kbcheck.toml").write_text(configuration(), encoding="utf-8")
        write_history(repo, [f"docs/kb/{path}" for path in paths], args.commits)
        text = codeowners_text(args.lines)
        (repo / ".github").mkdir()
        (repo / ".github" / "CODEOWNERS").write_text(text, encoding="utf-8")
        config = load_config(kb / "kbcheck.toml")
        print(f"{len(paths)} articles, CODEOWNERS of {len(text.splitlines())} lines")

        parsed = timed("parse CODEOWNERS", lambda: CodeOwners.parse(text))
        repo_paths = [f"docs/kb/{path}" for path in paths]
        timed(
            f"match {len(repo_paths)} article paths",
            lambda: [parsed.owners_of(path) for path in repo_paths],
        )
        # The worst case: paths only the first line matches, so every line is tried.
        elsewhere = [f"docs/other/{path}" for path in paths]
        timed(
            f"match {len(elsewhere)} paths only line 1 matches",
            lambda: [parsed.owners_of(path) for path in elsewhere],
        )

        corpus, _ = load_corpus([kb], config, parse_settings(config))
        corpus = dataclasses.replace(corpus, policies=PolicyMatcher(config.policies))
        ownership, directory, _ = timed(
            "assign_owners (resolve every article)", lambda: assign_owners(corpus, config)
        )
        corpus = dataclasses.replace(corpus, ownership=ownership, owner_directory=directory)
        registry = load_registry()
        for rule_id in ("owner/missing", "owner/unknown"):
            rule = registry.rules[rule_id]
            timed(rule_id, lambda rule=rule: run_rules([rule], corpus, config, TODAY, []))
        inactive = registry.rules["owner/inactive"]
        timed("history index (the one git log pass)", lambda: corpus.history)
        found = timed(
            "owner/inactive, history already read",
            lambda: run_rules([inactive], corpus, config, TODAY, []),
        )
        print(f"    {len(found)} owner/inactive findings")
        timed("--owner li.wei@example.com", lambda: select_owned(corpus, "li.wei@example.com"))
        names = timed(
            "owner names for grouping",
            lambda: canonical_owner_names(corpus, corpus.selected),
        )
        entries = tuple(
            ArticleEntry(
                path=path,
                title=path,
                owners=corpus.ownership_of(path).owners,
                last_reviewed=None,
                review_source="none",
                review_state="missing",
                due=None,
                risk=1.0,
            )
            for path in sorted(corpus.selected)
        )
        report = Report(root="kb", today=TODAY, articles=entries, findings=(), owner_names=names)
        for form in ("pretty", "markdown"):
            options = RenderOptions(version="bench", group_by="owner")
            timed(
                f"render --group-by owner ({form})",
                lambda form=form, options=options: render(report, form, options),
            )


if __name__ == "__main__":
    main()
