"""Measure the CI features on a large generated knowledge base in a real git repository.

    python benchmarks/ci_features.py [--articles 10000]

Builds ARTICLES articles (front matter, headings, three links each) in 50 folders, commits
them, then on a branch modifies, renames and deletes a few and leaves some untracked. Prints
the time of a full run, of `--changed-since main` (and of its git part alone), of applying a
baseline that holds every finding, and of rendering each output format.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from kbcheck.baseline import baseline_text
from kbcheck.changes import articles_in_scope, changed_files
from kbcheck.config import parse_config
from kbcheck.engine import LintOptions, lint
from kbcheck.formats import FORMAT_MODULES, RenderOptions, render

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True)


def article(index: int, count: int) -> str:
    folder = index % 50
    links = [(index * 7 + step) % count for step in (1, 2, 3)]
    body = "\n".join(
        f"See [page {other}](../f{other % 50:02d}/a{other:05d}.md#details)." for other in links
    )
    reviewed = "2026-05-01" if index % 4 else "2024-01-01"  # a quarter are stale
    owner = f"owner: team-{folder % 7}\n" if index % 10 else ""  # a tenth have no owner
    return (
        f"---\ntitle: Article {index}\n{owner}last_reviewed: {reviewed}\n---\n"
        f"# Article {index}\n\nSome text about feature {index}.\n\n## Details\n\n{body}\n"
    )


def build(root: Path, count: int) -> Path:
    kb = root / "kb"
    for index in range(count):
        path = kb / f"f{index % 50:02d}" / f"a{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(index, count), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    for index in range(0, 20):
        path = kb / f"f{index % 50:02d}" / f"a{index:05d}.md"
        path.write_text(path.read_text().replace("## Details", "## More details"))
    for index in range(20, 25):
        git(
            root, "mv", f"kb/f{index % 50:02d}/a{index:05d}.md", f"kb/f{index % 50:02d}/r{index}.md"
        )
    for index in range(25, 30):
        git(root, "rm", "-q", f"kb/f{index % 50:02d}/a{index:05d}.md")
    git(root, "commit", "-q", "-am", "edits")
    (kb / "f00" / "new.md").write_text(article(count + 1, count), encoding="utf-8")
    return kb


def timed(label: str, action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = action()
    print(f"{label:<44} {time.perf_counter() - start:8.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    count = parser.parse_args().articles
    config = parse_config({"today": "2026-06-01"}, None)
    with tempfile.TemporaryDirectory(prefix="kbcheck-bench-") as folder:
        kb = timed(f"build {count} articles + git history", lambda: build(Path(folder), count))
        full = timed("full run", lambda: lint([kb], config, LintOptions()))
        print(f"  {len(full.report.articles)} articles, {len(full.report.findings)} findings")
        changes = timed(
            "git part of --changed-since (2 git calls)", lambda: changed_files(kb, "main")
        )
        timed(
            "articles in scope (link resolution)",
            lambda: articles_in_scope(full.corpus, changes, None),
        )
        scoped = timed(
            "--changed-since main", lambda: lint([kb], config, LintOptions(changed_since="main"))
        )
        print(f"  {len(scoped.report.articles)} articles in scope")
        baseline = Path(folder) / "baseline.json"
        timed("write baseline", lambda: baseline.write_text(baseline_text(full.unbaselined)))
        hidden = timed(
            "run with --baseline", lambda: lint([kb], config, LintOptions(baseline=baseline))
        )
        print(f"  {hidden.report.baselined} hidden, {len(hidden.report.findings)} shown")
        for name in FORMAT_MODULES:
            text = timed(
                f"render {name}", lambda name=name: render(full.report, name, RenderOptions())
            )
            print(f"  {len(text.encode()) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
