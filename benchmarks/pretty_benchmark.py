"""How long the text reports take to render on a large report: `pretty` (plain, coloured,
narrow, `--group-by owner|folder`) and `markdown`.

    python benchmarks/pretty_benchmark.py [--articles 4000] [--findings 9000] [--repeat 3]

Generates (benchmarks/generate_kb.py) a knowledge base, lints it once without the cache, then
renders the same report in each form REPEAT times and prints the best time of each with the
size of the output. Rendering is what this measures, not linting.

The generated knowledge base gives about one finding per flagged article; real ones often
have several. `--findings N` tops the report up to about N findings by repeating flagged
articles' findings further down the same articles (same rules, messages and hints, other
lines), so that the cost per finding shows as well as the cost per article.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_kb import write_kb

from kbcheck.config import find_config, load_config
from kbcheck.engine import LintOptions, lint
from kbcheck.formats import RenderOptions, render
from kbcheck.report import Report

FORMS = (
    ("pretty", RenderOptions(width=100)),
    ("pretty", RenderOptions(width=100, color=True)),
    ("pretty", RenderOptions(width=80)),
    ("pretty", RenderOptions(width=100, group_by="owner")),
    ("pretty", RenderOptions(width=100, group_by="folder")),
    ("markdown", RenderOptions()),
    ("markdown", RenderOptions(group_by="owner")),
)


def with_more_findings(report: Report, target: int) -> Report:
    """`report` with its findings repeated, 1,000 lines further down each time, until there
    are about `target` of them."""
    findings = list(report.findings)
    copy = 1
    while findings and len(findings) < target:
        for finding in report.findings[: target - len(findings)]:
            findings.append(replace(finding, line=(finding.line or 1) + 1000 * copy))
        copy += 1
    return replace(report, findings=tuple(sorted(findings, key=lambda item: item.sort_key)))


def describe(format_name: str, options: RenderOptions) -> str:
    parts = [format_name, f"width {options.width}" if format_name == "pretty" else ""]
    if options.color:
        parts.append("colour")
    if options.group_by:
        parts.append(f"--group-by {options.group_by}")
    return " ".join(part for part in parts if part)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--findings", type=int, default=0, help="top up to about N findings")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kbcheck-pretty-") as folder:
        root = Path(folder) / "kb"
        write_kb(root, args.articles)
        config = load_config(find_config(root))
        report = lint([root], config, LintOptions(cache=False)).report
    report = with_more_findings(report, args.findings)
    flagged = len(report.findings_by_path())
    print(
        f"{len(report.articles)} articles, {flagged} flagged, {len(report.findings)} findings "
        f"(best of {args.repeat})"
    )
    for format_name, options in FORMS:
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            text = render(report, format_name, options)
            best = min(best, time.perf_counter() - start)
        size = len(text.encode()) / 1e6
        print(f"{describe(format_name, options):<36} {best:8.3f} s  {size:6.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
