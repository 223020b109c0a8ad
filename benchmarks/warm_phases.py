"""Where a warm run after one edited article spends its time, phase by phase.

    python benchmarks/warm_phases.py /tmp/bench/kb-10000 [--rounds 3] [--cli]

Each round appends a line to one article, runs `lint()` in this process with the knowledge
base's own configuration and the cache, and puts the article back byte for byte (even when
the run fails). Phases are timed by wrapping the functions the engine calls, so nothing here
re-implements the engine; it prints the median wall time of each phase over the rounds
(nested phases are indented: they are part of the phase above). With `--cli`, the same edit
is also measured as a whole `kbcheck check -f json` process: wall time and peak memory, which
include start-up, imports, option parsing and writing the report.

The knowledge base must not be one somebody else is measuring: runs update its cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_benchmark import kbcheck_command, measure

#: (module, function, label): what the engine calls, in the order it calls it.
PHASES = (
    ("kbcheck.engine", "discover", "discover"),
    ("kbcheck.incremental.session", "file_digests", "file_digests"),
    ("kbcheck.engine", "load_corpus", "load_corpus"),
    ("kbcheck.engine", "parse_articles", "  parse_articles"),
    ("kbcheck.engine", "assess", "assess (reviews)"),
    ("kbcheck.engine", "assign_owners", "assign_owners"),
    ("kbcheck.engine", "run_rules", "run_rules"),
    ("kbcheck.engine", "_assemble", "report"),
)


class PhaseClock:
    """Wall seconds per phase, per round."""

    def __init__(self) -> None:
        self.rounds: list[dict[str, float]] = []

    def start_round(self) -> None:
        self.rounds.append(defaultdict(float))

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.rounds[-1][label] += time.perf_counter() - start

        return timed

    def median(self, label: str) -> float:
        return statistics.median(round_.get(label, 0.0) for round_ in self.rounds)


def _edited(kb: Path) -> Path:
    """An article of the knowledge base, always the same one, that git does not show as
    modified already."""
    articles = sorted(path for path in kb.rglob("*.md") if ".kbcheck-cache" not in path.parts)
    return articles[len(articles) // 2]


def _edit(article: Path, round_number: int) -> bytes:
    original = article.read_bytes()
    article.write_bytes(
        original + f"\nEdited in round {round_number} at {time.time_ns()}.\n".encode()
    )
    return original


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kb", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cli", action="store_true", help="also time whole kbcheck processes")
    args = parser.parse_args(argv)
    kb = args.kb.resolve()

    started = time.perf_counter()
    import importlib

    from kbcheck.config import find_config, load_config
    from kbcheck.engine import LintOptions, lint

    imports = time.perf_counter() - started
    clock = PhaseClock()
    for module_name, function_name, label in PHASES:
        module = importlib.import_module(module_name)
        setattr(module, function_name, clock.wrap(label, getattr(module, function_name)))

    article = _edited(kb)
    totals = []
    os.chdir(kb)
    for round_number in range(args.rounds):
        original = _edit(article, round_number)
        try:
            clock.start_round()
            start = time.perf_counter()
            result = lint([kb], load_config(find_config(kb)), LintOptions())
            totals.append(time.perf_counter() - start)
        finally:
            article.write_bytes(original)
        stats = result.parse_stats
        print(
            f"round {round_number + 1}: {totals[-1]:.3f} s, parsed {stats.parsed}, "
            f"from cache {stats.from_cache}, replayed {stats.replayed}",
            file=sys.stderr,
        )

    print(f"\none article edited, {args.rounds} rounds, median wall seconds")
    print(f"{'imports (kbcheck.engine, config)':34} {imports:7.3f}  (once)")
    print(f"{'lint':34} {statistics.median(totals):7.3f}")
    for _, _, label in PHASES:
        print(f"{'  ' + label:34} {clock.median(label):7.3f}")

    if args.cli:
        seconds, peaks = [], []
        for round_number in range(args.rounds):
            original = _edit(article, round_number)
            try:
                elapsed, peak = measure(kbcheck_command(kb), kb)
            finally:
                article.write_bytes(original)
            seconds.append(elapsed)
            peaks.append(peak)
        print(
            f"{'kbcheck check -f json (process)':34} {statistics.median(seconds):7.3f}"
            f"  peak {max(peaks) / 1024:.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
