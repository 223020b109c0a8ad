"""A long fuzzing run over the article parser and the front-matter reader (not part of
`pytest`: the suite runs the same properties with a few hundred examples).

    python tests/fuzz/fuzz_parser.py                     # 20,000 inputs per target
    python tests/fuzz/fuzz_parser.py --examples 200000   # a longer run
    python tests/fuzz/fuzz_parser.py --target frontmatter --seed 7

Targets, each fed by hypothesis:

- `bytes`: arbitrary bytes as a file (encodings, NULs, BOMs, stray CRs);
- `markdown`: documents assembled from the constructs that stress a Markdown parser (runs of
  brackets, backticks, emphasis, HTML, deep lists and quotes, tables, entities, long lines);
- `frontmatter`: YAML-like front matter (anchors and aliases, tags, flow and block styles,
  the recognised keys with values of every type);
- `html`: raw HTML for the tag scanner.

For every input: no exception, every position inside the file, a parse under the deadline,
and the article identical after a round trip through the parse cache's JSON codec. A failure
prints hypothesis's smallest failing input and exits with status 1.
"""

from __future__ import annotations

import argparse
import string
import sys
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import orjson
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from kbcheck.article import ParseSettings, parse_article
from kbcheck.html_scanner import scan_html
from kbcheck.incremental.article_codec import Uncacheable, decode_article, encode_article

STYLES = ("github", "gitlab", "mkdocs", "docusaurus")

# --- inputs --------------------------------------------------------------------------------------

_MARKDOWN_PIECES = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "<",
        ">",
        "*",
        "**",
        "_",
        "__",
        "`",
        "```",
        "~~",
        "\\",
        "&amp;",
        "&#x0;",
        "&#xD800;",
        "&bogus;",
        "#",
        "# ",
        "> ",
        "- ",
        "1. ",
        "    ",
        "\t",
        "|",
        "|---|",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "<!--",
        "-->",
        '<a href="x.md">',
        "</a>",
        "<img src=",
        "<div>",
        "<script>",
        "</script>",
        "{#id}",
        "{: #x .y}",
        "[x]: /u",
        "[x]",
        "[x][y]",
        "<https://e.com/a>",
        "http://x.y",
        "a.md#frag",
        " ",
        "text",
        "日本",
        "😀",
        "\u202e",
        "\x1b[31m",
        "\x00",
        "\ufeff",
        "---",
        "...",
        "-->",
        "<?",
        "<!X",
        "kbcheck-disable",
        "<!-- kbcheck-disable-next-line links -->",
    ]
)
_REPEATED = st.tuples(_MARKDOWN_PIECES, st.integers(1, 400)).map(lambda pair: pair[0] * pair[1])
_MARKDOWN = st.lists(st.one_of(_MARKDOWN_PIECES, _REPEATED, st.text(max_size=20)), max_size=60).map(
    "".join
)

_YAML_PIECES = st.sampled_from(
    [
        "title: ",
        "owner: ",
        "last_reviewed: ",
        "review_every: ",
        "expires: ",
        "kbcheck: ",
        "ignore: ",
        "&a ",
        "*a",
        "&b ",
        "*b",
        "!!python/object/apply:os.system ['true']",
        "!!binary ",
        "!!set ",
        "!!omap ",
        "!!timestamp ",
        "!custom ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "- ",
        "  ",
        "\n",
        ": ",
        "? ",
        "|",
        ">",
        "'",
        '"',
        "\\u0000",
        "\\ud800",
        "#",
        "2026-02-30",
        "2026-01-01T10:00:00+02:00",
        "90d",
        "6m",
        "0d",
        "-1y",
        "1e309",
        ".nan",
        "null",
        "~",
        "yes",
        "0x1F",
        "<<: *a",
        "---",
        "...",
        "%YAML 1.1",
        "\t",
        "日本",
        "\x85",
        "\u2028",
    ]
)
_FRONTMATTER = st.builds(
    lambda block, body: f"---\n{block}\n---\n{body}",
    st.lists(st.one_of(_YAML_PIECES, st.text(string.printable, max_size=10)), max_size=40).map(
        "".join
    ),
    st.text(max_size=30),
)

_HTML = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<",
                ">",
                "</",
                "<!--",
                "-->",
                "--!>",
                "<a",
                "<img",
                " href=",
                " src=",
                " id=",
                " name=",
                "'",
                '"',
                "=",
                "/",
                "<script>",
                "</script>",
                "<style>",
                "<!DOCTYPE",
                "<![CDATA[",
                "]]>",
                "&amp;",
                "&#",
                "\n",
                " ",
                "x.md",
            ]
        ),
        st.text(max_size=8),
    ),
    max_size=80,
).map("".join)

# --- checks --------------------------------------------------------------------------------------


def check_article(raw: bytes, style: str) -> None:
    article = parse_article(raw, "fuzz.md", ParseSettings(anchor_style=style))
    text = raw.decode("utf-8", "replace")
    line_count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for located in (*article.links, *article.headings):
        assert 1 <= located.line <= line_count, located
        assert located.column >= 1, located
    for problem in article.problems:
        assert problem.line is None or 1 <= problem.line <= line_count, problem
    try:
        encoded = encode_article(article)
    except Uncacheable:
        return
    assert decode_article(orjson.loads(orjson.dumps(encoded))) == article


def check_html(text: str) -> None:
    line_count = text.count("\n") + 1
    for kind, _value, line, column in scan_html(text):
        assert kind in ("anchor", "link", "image", "comment")
        assert 0 <= line < line_count and column >= 0


# --- running -------------------------------------------------------------------------------------


def target(strategy: st.SearchStrategy, check: Callable[..., None]) -> Callable[..., int]:
    def run(examples: int, chosen_seed: int | None) -> int:
        tried = 0

        @settings(
            max_examples=examples,
            deadline=timedelta(seconds=20),
            database=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
        )
        @given(strategy)
        def fuzz(value: object) -> None:
            nonlocal tried
            tried += 1
            check(*value) if isinstance(value, tuple) else check(value)

        if chosen_seed is not None:
            fuzz = seed(chosen_seed)(fuzz)
        fuzz()
        return tried

    return run


TARGETS = {
    "bytes": target(st.tuples(st.binary(max_size=2000), st.sampled_from(STYLES)), check_article),
    "markdown": target(
        st.tuples(
            _MARKDOWN.map(lambda text: text.encode("utf-8", "replace")), st.sampled_from(STYLES)
        ),
        check_article,
    ),
    "frontmatter": target(
        st.tuples(
            _FRONTMATTER.map(lambda text: text.encode("utf-8", "replace")), st.just("github")
        ),
        check_article,
    ),
    "html": target(_HTML, check_html),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20_000, help="inputs per target")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--seed", type=int, default=None)
    arguments = parser.parse_args()
    chosen = list(TARGETS) if arguments.target == "all" else [arguments.target]
    total = 0
    for name in chosen:
        started = time.monotonic()
        try:
            tried = TARGETS[name](arguments.examples, arguments.seed)
        except Exception as error:  # the notes hold hypothesis's smallest failing input
            traceback.print_exception(error)
            print(f"{name}: FAILED: {type(error).__name__}: {error}", flush=True)
            return 1
        total += tried
        elapsed = time.monotonic() - started
        print(f"{name:12} {tried:>9,} inputs  {elapsed:8.1f} s  no failure", flush=True)
    print(f"{'total':12} {total:>9,} inputs", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
