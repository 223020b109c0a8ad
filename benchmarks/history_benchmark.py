"""How long the git history index takes on a large knowledge base.

Builds, in a temporary folder, a repository whose knowledge base (in `docs/kb`, beside other
code, as in a product repository) has 10,000 articles and 30,000 commits spread over six years,
with renames and commits outside the knowledge base, using `git fast-import` (seconds, where
30,000 `git commit` calls would take many minutes). Then it times `load_history`, which reads
the whole history with one `git log` and one `git status`, and reports its peak memory.

    python benchmarks/history_benchmark.py [--articles 10000] [--commits 30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kbcheck.history import load_history

START = int(datetime(2020, 1, 1, tzinfo=timezone.utc).timestamp())
SIX_YEARS = 6 * 365 * 24 * 3600
AUTHORS = [(f"Author {n}", f"author{n}@example.com") for n in range(40)]
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n%s\n" % (len(raw), raw)


def _article(path: str, revision: int) -> str:
    return (
        f"---\ntitle: {path}\nowner: team-{revision % 7}\n---\n# {path}\n\n"
        f"Revision {revision} of this article. " + "Some help text. " * 12 + "\n"
    )


def fast_import_stream(articles: int, commits: int, seed: int = 1) -> bytes:
    """A fast-import stream: a few commits that add the articles, then edits, renames and
    unrelated code changes, with strictly increasing dates over six years."""
    rng = random.Random(seed)
    paths = [f"docs/kb/section-{n % 40:02}/article-{n:05}.md" for n in range(articles)]
    step = SIX_YEARS // commits
    chunks: list[bytes] = []
    adding = 10
    for number in range(commits):
        when = START + number * step + rng.randrange(step)
        name, mail = AUTHORS[rng.randrange(len(AUTHORS))]
        chunks.append(b"commit refs/heads/main\n")
        chunks.append(f"author {name} <{mail}> {when} +0000\n".encode())
        chunks.append(f"committer {name} <{mail}> {when} +0000\n".encode())
        chunks.append(_data(f"change {number}"))
        if number < adding:
            batch = paths[number * articles // adding : (number + 1) * articles // adding]
            for path in batch:
                chunks.append(f"M 100644 inline {path}\n".encode() + _data(_article(path, 0)))
            continue
        roll = rng.random()
        if roll < 0.1:
            chunks.append(b"M 100644 inline src/app.py\n" + _data(f"version = {number}"))
        elif roll < 0.12:
            index = rng.randrange(len(paths))
            old = paths[index]
            new = old.replace(".md", f"-r{number}.md")
            chunks.append(f"R {old} {new}\n".encode())
            paths[index] = new
        else:
            for _ in range(rng.randint(1, 3)):
                path = paths[rng.randrange(len(paths))]
                chunks.append(f"M 100644 inline {path}\n".encode() + _data(_article(path, number)))
        chunks.append(b"\n")
    return b"".join(chunks)


def build_repository(folder: Path, articles: int, commits: int) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True, env=GIT_ENV)
    stream = fast_import_stream(articles, commits)
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=folder, input=stream, check=True, env=GIT_ENV
    )
    subprocess.run(["git", "checkout", "-q", "main"], cwd=folder, check=True, env=GIT_ENV)
    return folder / "docs" / "kb"


def measure(kb: Path, runs: int, articles: int) -> None:
    """Time `load_history`; run in a fresh process so the memory figures are its own."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        history = load_history(kb)
        timings.append(time.perf_counter() - started)
    git_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    tracemalloc.start()  # a separate run: tracing slows Python down several times
    load_history(kb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    dated = sum(
        1 for path in kb.rglob("*.md") if history.last_change(path.relative_to(kb).as_posix())
    )
    print(
        f"history index: median {statistics.median(timings):.2f} s over {runs} runs "
        f"(min {min(timings):.2f} s, max {max(timings):.2f} s); "
        f"{dated} of {articles} articles dated"
    )
    print(
        f"peak memory: {peak / 2**20:.1f} MiB in Python (tracemalloc), "
        f"{git_peak:.0f} MiB max RSS of the git processes it ran"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options.measure, options.runs, options.articles)
        return

    with tempfile.TemporaryDirectory(prefix="kbcheck-history-") as temporary:
        started = time.perf_counter()
        kb = build_repository(Path(temporary) / "repo", options.articles, options.commits)
        built = time.perf_counter() - started
        count = subprocess.run(
            ["git", "rev-list", "--count", "HEAD", "--", "docs/kb"],
            cwd=kb.parent.parent,
            capture_output=True,
            text=True,
            check=True,
            env=GIT_ENV,
        ).stdout.strip()
        print(
            f"repository: {options.articles} articles, {options.commits} commits "
            f"({count} touch the knowledge base), built in {built:.1f} s"
        )
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                str(kb),
                "--runs",
                str(options.runs),
                "--articles",
                str(options.articles),
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
