"""Where a cold parse spends its CPU, stage by stage, per article.

    python benchmarks/parse_profile.py /tmp/bench/kb-10000 [--articles 1000] [--repeat 1]

Parses the first N articles of a knowledge base (in discovery order) serially, in this
process, doing exactly what a parse worker does for each file (`parsing._parse_file`): read,
parse, compute the summaries the selected rules declare, pack. It prints the CPU time
(`time.process_time`) of each stage in milliseconds per article. The knowledge base is only
read, never written (no cache).

Stages are measured by wrapping the functions that do them, so nothing here re-implements the
parser. Indented stages are part of the stage above them; "front matter and rest" is
`parse_article` without the Markdown (decoding, front matter, typed keys, the Article), and
"token walk" is `parse_markdown` without markdown-it's tokenizer. With `--repeat`, the whole
pass runs again and each stage's best pass is shown (later passes find the per-process word
caches warm, as a worker does after its first chunks).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kbcheck import article as article_module
from kbcheck import markdown as markdown_module
from kbcheck.config import find_config, load_config
from kbcheck.corpus import discover
from kbcheck.engine import LintOptions, parse_settings, select_rules
from kbcheck.incremental import article_codec
from kbcheck.incremental import extracts as summaries
from kbcheck.registry import CorpusRule, load_registry

_clock = time.process_time


class StageClock:
    """Accumulated CPU seconds by stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        seconds = self.seconds

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = _clock()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += _clock() - start

        return timed

    def time(self, name: str, function: Callable[..., Any], *args: Any) -> Any:
        start = _clock()
        try:
            return function(*args)
        finally:
            self.seconds[name] += _clock() - start


def _instrument(clock: StageClock) -> None:
    """Wrap the parser's stages where the parser looks them up."""
    parser = markdown_module.markdown_parser()
    # An instance attribute shadows the method: only this process's shared parser is timed.
    parser.parse = clock.wrap("tokenize", type(parser).parse.__get__(parser))  # type: ignore[method-assign]
    article_module.parse_markdown = clock.wrap("markdown", markdown_module.parse_markdown)
    handler = article_module._YAML
    handler.load = clock.wrap("yaml", type(handler).load.__get__(handler))  # type: ignore[method-assign]
    markdown_module.scan_html = clock.wrap("html", markdown_module.scan_html)
    markdown_module.slug_text = clock.wrap("slug", markdown_module.slug_text)


def profile(root: Path, count: int, repeat: int) -> tuple[list[tuple[str, float]], int]:
    """(stage, ms per article) rows and the number of articles parsed."""
    config = load_config(find_config(root))
    settings = parse_settings(config)
    rules = select_rules(load_registry(), config, LintOptions())
    wanted = summaries.unique(
        summaries.for_rule(rule) for rule in rules if isinstance(rule, CorpusRule)
    )
    relatives = discover(root, config.exclude).articles[:count]
    best: dict[str, float] = {}
    for _ in range(repeat):
        clock = StageClock()
        _instrument(clock)
        for relative in relatives:
            try:
                raw = clock.time(
                    "read", article_module.read_article_bytes, root / relative, settings.max_size
                )
            except OSError:
                continue  # kbcheck reports it; there is nothing to parse
            parsed = clock.time(
                "parse_article", article_module.parse_article, raw, relative, settings
            )
            if parsed.readable:
                for summary in wanted:
                    # As summaries.compute_all: a failing summary is left out, the run goes on.
                    with contextlib.suppress(Exception):
                        clock.time(f"summary {summary.name}", summary.of, parsed)
                clock.time("pack summaries", summaries.pack, parsed, wanted)
            clock.time("pack blocks", article_codec.pack_blocks, parsed)
        _uninstrument()
        for name, seconds in clock.seconds.items():
            best[name] = min(best.get(name, seconds), seconds)
    return _rows(best, [f"summary {summary.name}" for summary in wanted]), len(relatives)


def _uninstrument() -> None:
    parser = markdown_module.markdown_parser()
    del parser.parse
    article_module.parse_markdown = markdown_module.parse_markdown
    del article_module._YAML.load
    markdown_module.scan_html = _ORIGINAL_SCAN_HTML
    markdown_module.slug_text = _ORIGINAL_SLUG_TEXT


_ORIGINAL_SCAN_HTML = markdown_module.scan_html
_ORIGINAL_SLUG_TEXT = markdown_module.slug_text


def _rows(seconds: dict[str, float], summary_names: list[str]) -> list[tuple[str, float]]:
    def get(name: str) -> float:
        return seconds.get(name, 0.0)

    rows = [
        ("read", get("read")),
        ("front matter and rest", get("parse_article") - get("markdown")),
        ("  yaml load", get("yaml")),
        ("markdown-it tokenize", get("tokenize")),
        ("token walk", get("markdown") - get("tokenize")),
        ("  html scan", get("html")),
        ("  slug text", get("slug")),
    ]
    rows += [(name, get(name)) for name in summary_names]
    rows += [("pack summaries", get("pack summaries")), ("pack blocks", get("pack blocks"))]
    top_level = [value for name, value in rows if not name.startswith(" ")]
    rows.append(("total", sum(top_level)))
    rows.append(("total without tokenize", sum(top_level) - get("tokenize")))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    rows, parsed = profile(args.root.resolve(), args.articles, max(1, args.repeat))
    print(f"{parsed} articles, CPU ms per article (best of {max(1, args.repeat)})")
    for name, seconds in rows:
        print(f"{name:<28}{1000 * seconds / max(parsed, 1):8.3f}")


if __name__ == "__main__":
    main()
