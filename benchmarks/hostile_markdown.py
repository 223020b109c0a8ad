"""How long one hostile article takes to parse: about a megabyte of each construct that makes
Markdown parsers slow (runs of brackets, emphasis, HTML, deep nesting, huge paragraphs and
tables), plus a 10 MB article that `max_article_size` stops.

Each case runs in a fresh process with a time limit, so a pathological case shows as
"TIMEOUT" instead of stalling the benchmark. The figures bound what one article can cost a
run; SECURITY.md quotes them.

    python benchmarks/hostile_markdown.py [--limit-seconds 120] [CASE ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: name -> Python expression of the article's text (about 1 MB unless said otherwise).
CASES = {
    "ordinary prose with links": (
        '("Some text with a [link](a.md) and *emphasis* and `code`.\\n\\n# Heading\\n\\n"'
        ' "- item\\n- item [x](b.md#c)\\n\\n") * 10000'
    ),
    "one 1 MB line of words": '"word " * 200000',
    "one 1 MB line of links": '"[a](b.md) " * 100000',
    "a paragraph of 25,000 lines with links": '("word [l](x.md) word [o](y.md)\\n") * 25000',
    "a table of 60,000 rows": '"|a|b|\\n|-|-|\\n" + "|x [l](a.md)|y|\\n" * 60000',
    "a table 150,000 columns wide": '"|a" * 100000 + "\\n" + "|-" * 100000 + "\\n" + "|x" * 100000',
    "lists nested 1,000 deep": '"".join("  " * i + "- a\\n" for i in range(990))',
    "quotes nested 1,000,000 deep": '">" * 999000 + " a\\n"',
    "250,000 list items": '"- a\\n" * 249000',
    "250,000 setext headings": '"a\\n=\\n" * 249000',
    "a run of [": '"[" * 999000',
    "a run of ![": '"![" * 499000',
    "a run of [a](": '"[a](" * 249000',
    "a run of *a": '"*a " * 330000',
    "a run of <a in an HTML block": '"<div>\\n" + "<a " * 330000',
    "a run of <!--": '"<!--" * 249000',
    "a run of inline tags": '"<span>" * 160000',
    "entities and escapes": '"&lt;x *a* \\\\[y `c` " * 55000',
    "mixed delimiters": '"*_~`[!<&" * 120000',
    "10 MB article (over max_article_size)": '"A [link](x.md) and *emphasis*.\\n\\n" * 330000',
}

_MEASURE = """
import sys, time
from kbcheck.article import ParseSettings, parse_article
raw = eval(sys.argv[1]).encode("utf-8")
started = time.perf_counter()
article = parse_article(raw, "hostile.md", ParseSettings())
elapsed = time.perf_counter() - started
rules = ",".join(sorted({p.rule for p in article.problems})) or "-"
print(f"{len(raw) / 1e6:6.2f} MB {elapsed:8.2f} s  {len(article.links):>7} links  {rules}")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit-seconds", type=float, default=120.0)
    parser.add_argument("cases", nargs="*", help="substrings of case names (default: all)")
    arguments = parser.parse_args()
    for name, expression in CASES.items():
        if arguments.cases and not any(wanted in name for wanted in arguments.cases):
            continue
        try:
            result = subprocess.run(
                [sys.executable, "-c", _MEASURE, expression],
                capture_output=True,
                text=True,
                timeout=arguments.limit_seconds,
                cwd=ROOT,
            )
            shown = result.stdout.strip() or "ERROR " + result.stderr.strip().splitlines()[-1]
        except subprocess.TimeoutExpired:
            shown = f"TIMEOUT after {arguments.limit_seconds:g} s"
        print(f"{name:40} {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
