"""Whatever a pull request puts in a knowledge base, kbcheck gives a finding or a one-line
message and goes on with the rest: no traceback, no hang, nothing read outside the root, no
code run from YAML. Each hostile file has a test of its own, and one run reads them all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from kbcheck.article import (
    MAX_FRONTMATTER_DEPTH,
    MAX_FRONTMATTER_VALUES,
    ParseSettings,
    parse_article,
)
from kbcheck.config import DEFAULT_MAX_ARTICLE_SIZE, ConfigError
from kbcheck.incremental.article_codec import Uncacheable, encode_article
from kbcheck.incremental.parse_cache import shard_document
from kbcheck.model import Article, Finding
from kbcheck.owners import read_owners_file
from kbcheck.verify import record_review
from tests.conftest import run_kb, write_tree

FRONT = "---\ntitle: Fine\nowner: support-team\nlast_reviewed: 2026-05-01\n---\n"
#: Generous bounds: they tell a hang or a quadratic blow-up from a slow machine.
QUICK = 10.0
TODAY = ("--today", "2026-06-01")

BILLION_LAUGHS = """---
title: Laughs
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
---
# Laughs
"""


def parse(text: str | bytes, path: str = "a.md", **settings: object) -> object:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_article(raw, path, ParseSettings(**settings))  # type: ignore[arg-type]


def findings(root: Path, **options: object) -> dict[str, list[Finding]]:
    by_path: dict[str, list[Finding]] = {}
    for finding in run_kb(root, **options).report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    return by_path


def rules_of(found: list[Finding]) -> set[str]:
    return {finding.rule for finding in found}


# --- front matter ------------------------------------------------------------------------------


def test_malformed_yaml_is_a_finding_on_its_line() -> None:
    article = parse("---\ntitle: Fine\nowner: [unclosed\nlast_reviewed: x\n---\n# T\n")
    (problem,) = article.problems
    assert problem.rule == "frontmatter/invalid"
    assert problem.line == 4 and "not valid YAML" in problem.message
    assert article.title == "T"  # the body is still read


@pytest.mark.parametrize(
    "line",
    ["last_reviewed: 2026-02-30", "expires: 2026-13-01", "when: 0000-01-01", "x: !!timestamp "],
)
def test_a_date_yaml_cannot_build_is_a_finding_not_a_crash(line: str, tmp_path: Path) -> None:
    """Found by the fuzzing run: PyYAML reads `2026-02-30` as a date and then raises a plain
    ValueError (an empty `!!timestamp`, an AttributeError); one such article stopped the
    whole run with an internal error."""
    kb = write_tree(tmp_path / "kb", {"bad.md": f"---\n{line}\n---\n# Bad\n", "fine.md": FRONT})
    found = findings(kb)
    assert set(found) == {"bad.md"}
    assert [(f.rule, f.line) for f in found["bad.md"]] == [("frontmatter/invalid", 1)]
    assert "YAML cannot read" in found["bad.md"][0].message
    verify = subprocess.run(
        [sys.executable, "-m", "kbcheck", "verify", str(kb / "bad.md"), *TODAY],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 2 and len(verify.stderr.splitlines()) == 1
    assert verify.stderr.endswith("; not changed\n")


def test_a_reviewer_name_that_looks_like_a_broken_date_is_quoted() -> None:
    result = record_review("# Page\n", date(2026, 6, 1), "2026-02-30")
    assert 'reviewed_by: "2026-02-30"' in result


def test_an_owners_file_with_a_broken_date_is_a_configuration_error(tmp_path: Path) -> None:
    owners = tmp_path / "owners.yaml"
    owners.write_text("people:\n  - name: Ana\n    since: 2026-02-30\n")
    with pytest.raises(ConfigError, match="not valid YAML: day is out of range"):
        read_owners_file(owners)


def test_a_yaml_error_after_a_next_line_character_stays_on_its_line() -> None:
    """Found by the fuzzing run: YAML also ends lines at U+0085 (and U+2028, U+2029), so its
    own line count put the error below the end of the file."""
    article = parse('---\ntitle: "a\x85b\u2028c"\nowner: [x\n---\n')
    (problem,) = article.problems
    assert (problem.rule, problem.line, problem.column) == ("frontmatter/invalid", 3, 10)


def test_unterminated_fence() -> None:
    article = parse("---\ntitle: never closed\n\n# Heading\n[a](b.md)\n")
    assert [(p.rule, p.line) for p in article.problems] == [("frontmatter/invalid", 1)]
    assert [link.target for link in article.links] == ["b.md"]


def test_alias_bomb_is_refused_quickly_and_the_cache_survives_it(tmp_path: Path) -> None:
    """Nine aliases of nine aliases: 387 million strings once expanded. The loader shares
    them; without a bound the parse cache's encoder walked every one of them (it never ended)."""
    kb = write_tree(tmp_path / "kb", {"bomb.md": BILLION_LAUGHS, "fine.md": FRONT + "# Fine\n"})
    started = time.monotonic()
    first = findings(kb, cache=True)
    second = findings(kb, cache=True)  # read back from the cache written by the first run
    assert time.monotonic() - started < QUICK
    assert first == second
    (problem,) = first["bomb.md"]
    assert problem.rule == "frontmatter/invalid"
    assert f"more than {MAX_FRONTMATTER_VALUES:,} values" in problem.message
    assert "fine.md" not in first
    assert (kb / ".kbcheck-cache" / shard_document("fine.md")).is_file()


def test_the_cache_encoder_refuses_an_alias_bomb_built_by_hand() -> None:
    """A second guard: an article made some other way than by the parser (a plugin, a test)
    cannot make the encoder expand shared values without end either."""
    bomb = yaml.safe_load(BILLION_LAUGHS.split("---\n")[1])
    article = Article(path="bomb.md", title="Laughs", meta=bomb)
    started = time.monotonic()
    with pytest.raises(Uncacheable):
        encode_article(article)
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(Uncacheable):
        encode_article(Article(path="loop.md", title="Loop", meta={"loop": loop}))
    assert time.monotonic() - started < QUICK


def test_a_value_that_contains_itself_is_refused() -> None:
    article = parse("---\ntitle: Loop\nloop: &x [1, *x]\n---\n")
    (problem,) = article.problems
    assert f"nested more than {MAX_FRONTMATTER_DEPTH} levels" in problem.message
    assert article.meta == {}


def test_a_front_matter_of_ordinary_size_with_aliases_is_fine() -> None:
    article = parse("---\ntitle: T\nowner: &o billing-team\nreviewers: [*o, *o]\n---\n")
    assert article.problems == ()
    assert article.meta["reviewers"] == ["billing-team", "billing-team"]


@pytest.mark.parametrize(
    "tag",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
        "!!python/name:os.system",
        '!!python/object/new:os.system ["touch {marker}"]',
    ],
)
def test_python_tags_are_never_executed(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    kb = write_tree(
        tmp_path / "kb",
        {"evil.md": f"---\ntitle: {tag.format(marker=marker)}\n---\n# Evil\n"},
    )
    found = findings(kb)
    assert not marker.exists()
    assert "frontmatter/invalid" in rules_of(found["evil.md"])


# --- encodings and line endings ------------------------------------------------------------------


def test_non_utf8_bytes_are_located_and_the_rest_is_read() -> None:
    article = parse(b"# Caf\xe9\n\nSee [x](y.md).\n")
    (problem,) = article.problems
    assert (problem.rule, problem.line, problem.column) == ("file/unreadable", 1, 6)
    assert [(link.target, link.line) for link in article.links] == [("y.md", 3)]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_bom_and_crlf_or_lone_cr_keep_line_numbers(newline: str) -> None:
    text = "\ufeff" + newline.join(
        ["---", "title: T", "owner: [", "---", "", "# Head", "", "[x](y.md)", ""]
    )
    article = parse(text)
    assert [(p.rule, p.line) for p in article.problems] == [("frontmatter/invalid", 4)]
    assert [(h.text, h.line) for h in article.headings] == [("Head", 6)]
    assert [(link.line, link.column) for link in article.links] == [(8, 1)]


def test_an_empty_file() -> None:
    article = parse(b"")
    assert article.problems == () and article.title == "a"


def test_a_binary_file_named_md() -> None:
    article = parse(bytes(range(256)) * 64)
    assert [p.rule for p in article.problems] == ["file/unreadable"]
    assert not article.readable


# --- sizes and shapes --------------------------------------------------------------------------


def test_a_10_mb_article_is_too_large_and_costs_nothing(tmp_path: Path) -> None:
    """Its front matter is read (title and owner still show in reports); its Markdown, which
    markdown-it-py would need minutes for, is not."""
    body = "A sentence with a [link](missing.md) and *emphasis*.\n\n# Heading\n\n" * 160_000
    assert len(body) > 10 * DEFAULT_MAX_ARTICLE_SIZE
    kb = write_tree(
        tmp_path / "kb",
        {"huge.md": FRONT + body, "linker.md": FRONT + "[in](huge.md#no-such-heading)\n"},
    )
    started = time.monotonic()
    result = run_kb(kb)
    assert time.monotonic() - started < QUICK
    huge = result.corpus.articles["huge.md"]
    assert (huge.title, huge.owners) == ("Fine", ("support-team",))
    found = {f.path: rules_of([f]) for f in result.report.findings}
    # one finding, and no broken anchor for a page whose headings were not read
    assert found == {"huge.md": {"file/too-large"}}
    (finding,) = result.report.findings
    assert "larger than 1 MB (max_article_size)" in finding.message


def test_the_size_limit_is_configurable() -> None:
    text = FRONT + "# Big enough\n" + "word " * 400
    assert parse(text).problems == ()
    (problem,) = parse(text, max_size=1000).problems
    assert problem.rule == "file/too-large" and "larger than 1 KB" in problem.message


def test_a_character_cut_by_the_limit_is_no_encoding_error() -> None:
    (problem,) = parse(FRONT + "é" * 1000, max_size=len(FRONT) + 11).problems
    assert problem.rule == "file/too-large"


def test_a_one_megabyte_line_is_parsed_with_exact_columns() -> None:
    line = "".join(f"word {i % 10} " * 100 + f"[link {i}](page-{i}.md) " for i in range(1300))
    assert 900_000 < len(line) < DEFAULT_MAX_ARTICLE_SIZE
    started = time.monotonic()
    article = parse(line)
    assert time.monotonic() - started < QUICK
    assert len(article.links) == 1300
    for link in article.links[::97]:
        assert line[link.column - 1 :].startswith(f"[{link.text}]({link.target})")


def test_a_paragraph_of_many_lines_and_links_is_linear() -> None:
    """Mapping each piece of text back to its line was a scan of all lines per piece: 40,000
    lines of links took minutes."""
    text = ("word [link](x.md) word [other](y.md)\n") * 25_000
    started = time.monotonic()
    article = parse(text)
    assert time.monotonic() - started < 3 * QUICK
    assert len(article.links) == 50_000
    assert (article.links[-1].line, article.links[-1].column) == (25_000, 24)


def test_text_the_parser_rewrote_does_not_make_a_paragraph_quadratic() -> None:
    text = "&lt;x *a* \\[y `c` " * 20_000  # entities and escapes are not in the source as such
    started = time.monotonic()
    article = parse(text)
    assert time.monotonic() - started < QUICK
    assert article.blocks[0].text.startswith("<x a [y")


@pytest.mark.parametrize(
    "text",
    [
        "".join("  " * depth + "- item\n" for depth in range(900)),
        ">" * 100_000 + " deep\n",
        "".join(">" * depth + " line\n" for depth in range(1, 1200)),
        "- " * 300_000 + "x\n",
        "[" * 50_000 + "x" + "]" * 50_000 + "(y.md)\n",
        "*a **b " * 20_000,
    ],
    ids=["nested-lists", "quote-run", "nested-quotes", "list-markers", "brackets", "emphasis"],
)
def test_deep_nesting_ends_without_recursion_errors(text: str) -> None:
    started = time.monotonic()
    article = parse(text)
    assert time.monotonic() - started < 3 * QUICK
    assert article.readable and article.problems == ()


def test_unfinished_html_in_a_block_is_linear() -> None:
    """`html.parser` rescans an unclosed tag or comment on every call: 60 KB of `<a ` took
    over a minute, a megabyte would take hours."""
    text = "<div>\n" + "<a " * 300_000 + "\n\n<!--" * 1000
    started = time.monotonic()
    parse(text)
    assert time.monotonic() - started < QUICK


# --- the file system -----------------------------------------------------------------------------


def test_a_symlink_loop_is_unreadable_with_its_reason(tmp_path: Path) -> None:
    kb = write_tree(tmp_path / "kb", {"fine.md": FRONT})
    (kb / "loop-a.md").symlink_to("loop-b.md")
    (kb / "loop-b.md").symlink_to("loop-a.md")
    (kb / "self.md").symlink_to("self.md")
    (kb / "folder-loop").symlink_to(".", target_is_directory=True)
    found = findings(kb)
    for name in ("loop-a.md", "loop-b.md", "self.md"):
        (finding,) = found[name]
        assert finding.rule == "file/unreadable"
        assert "too many levels of symbolic links" in finding.message.lower()
    assert "fine.md" not in found


def test_a_symlink_out_of_the_root_is_never_read(tmp_path: Path) -> None:
    secret = write_tree(tmp_path / "outside", {"secret.md": "# TOP-SECRET-42\n[x](y.md)\n"})
    kb = write_tree(tmp_path / "kb", {"fine.md": FRONT + "[s](leak.md) [f](leak-folder/)\n"})
    (kb / "leak.md").symlink_to(secret / "secret.md")
    (kb / "leak-folder").symlink_to(secret, target_is_directory=True)
    result = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", str(kb), "-f", "json", "--no-cache", *TODAY],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "TOP-SECRET-42" not in result.stdout + result.stderr
    data = json.loads(result.stdout)
    by_path = {(f["path"], f["rule"]) for f in data["findings"]}
    assert ("leak.md", "file/unreadable") in by_path
    assert ("fine.md", "links/outside-root") in by_path
    assert all(not f["path"].startswith("leak-folder/") for f in data["findings"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_called_md_does_not_hang_the_run(tmp_path: Path) -> None:
    """Reading a FIFO blocks until someone writes to it: forever. It is unreadable for root
    too, which makes it the unreadable file this suite can check as any user."""
    kb = write_tree(tmp_path / "kb", {"fine.md": FRONT})
    os.mkfifo(kb / "pipe.md")
    result = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", str(kb), "-f", "json", "--no-cache", *TODAY],
        capture_output=True,
        text=True,
        timeout=120,
    )
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["path"] == "pipe.md" and finding["rule"] == "file/unreadable"
    assert finding["message"] == "cannot read file: not a regular file (a pipe)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_settings_files_that_never_end_are_not_read(tmp_path: Path) -> None:
    """A repository can hold `.gitignore -> /dev/zero` or a pipe where a baseline or traffic
    file is expected: each is refused (one line) or skipped, never read for ever."""
    kb = write_tree(tmp_path / "kb", {"fine.md": FRONT + "[x](gone.md)\n"})
    if Path("/dev/zero").exists():
        (kb / ".gitignore").symlink_to("/dev/zero")
    os.mkfifo(kb / "pipe")
    command = [sys.executable, "-m", "kbcheck", "check", str(kb), "--no-cache", *TODAY]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "links/broken-file" in result.stdout
    for option in ("--baseline", "--traffic"):
        result = subprocess.run(
            [*command, option, str(kb / "pipe")], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 2
        assert result.stderr.endswith(": not a regular file (a pipe)\n"), result.stderr
        assert len(result.stderr.splitlines()) == 1


def test_a_folder_named_md_is_a_folder(tmp_path: Path) -> None:
    kb = write_tree(
        tmp_path / "kb", {"fine.md": FRONT + "[g](guide.md/)\n", "guide.md/x.md": FRONT}
    )
    assert findings(kb) == {}


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads a file whatever its mode; the named pipe test covers unreadable files",
)
def test_a_file_without_read_permission(tmp_path: Path) -> None:
    kb = write_tree(tmp_path / "kb", {"fine.md": FRONT, "locked.md": FRONT})
    (kb / "locked.md").chmod(0)
    try:
        found = findings(kb)
    finally:
        (kb / "locked.md").chmod(0o644)
    (finding,) = found["locked.md"]
    assert finding.rule == "file/unreadable" and "Permission denied" in finding.message


def test_paths_with_spaces_and_non_ascii_characters(tmp_path: Path) -> None:
    name = "Guías de pago/Reembolsos y facturas 日本.md"
    kb = write_tree(
        tmp_path / "kb",
        {
            name: FRONT + "# Reembolsos\n\n[missing](<no such file.md>)\n",
            "index.md": FRONT
            + "[a](<Guías de pago/Reembolsos y facturas 日本.md#reembolsos>)\n"
            + "[b](Gu%C3%ADas%20de%20pago/Reembolsos%20y%20facturas%20%E6%97%A5%E6%9C%AC.md)\n",
        },
    )
    found = findings(kb)
    assert set(found) == {name}
    (finding,) = found[name]
    assert (finding.rule, finding.line) == ("links/broken-file", 8)
    sarif = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", str(kb), "-f", "sarif", "--no-cache", *TODAY],
        capture_output=True,
        text=True,
        timeout=120,
    )
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "Gu%C3%ADas%20de%20pago/Reembolsos%20y%20facturas%20%E6%97%A5%E6%9C%AC.md"


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_notice(tmp_path: Path) -> None:
    kb = write_tree(tmp_path / "kb", {"fine.md": FRONT})
    try:
        (kb / os.fsdecode(b"caf\xe9 menu.md")).write_bytes(b"# Menu\n")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system accepts only UTF-8 names")
    for format_name in ("json", "sarif", "pretty"):
        result = subprocess.run(
            [sys.executable, "-m", "kbcheck", "check", str(kb), "-f", format_name, *TODAY],
            capture_output=True,
            timeout=120,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        assert result.returncode == 0, result.stderr
        result.stdout.decode("utf-8")  # valid UTF-8, whatever the file names
        assert result.stderr.decode("utf-8") == (
            "kbcheck: warning: caf\ufffd menu.md: the file name is not valid UTF-8; "
            "not checked (rename it)\n"
        )


# --- all of them in one run -----------------------------------------------------------------


def test_one_run_over_every_hostile_file(tmp_path: Path) -> None:
    """Each hostile file gets its finding, the good article beside them keeps exactly its own,
    the command ends with findings (exit 1), not an error, and prints no traceback."""
    kb = write_tree(
        tmp_path / "kb",
        {
            "good.md": FRONT + "# Good\n\n[gone](gone.md)\n",
            "bad-yaml.md": "---\ntitle: [unclosed\n---\n# x\n",
            "fence.md": "---\ntitle: never closed\n",
            "bomb.md": BILLION_LAUGHS,
            "python-tag.md": "---\ntitle: !!python/object/apply:os.system [id]\n---\n",
            "latin1.md": FRONT.encode() + "caf\xe9\n".encode("latin-1"),
            "bom-crlf.md": ("\ufeff" + FRONT + "\n[x](gone.md)\n").replace("\n", "\r\n"),
            "lone-cr.md": (FRONT + "\n[x](gone.md)\n").replace("\n", "\r"),
            "empty.md": "",
            "huge.md": FRONT + "word " * 250_000,
            "binary.md": bytes(range(256)),
            "nested.md": FRONT + "".join("  " * i + "- x\n" for i in range(500)),
            "quotes.md": FRONT + ">" * 50_000 + "\n",
            "long line.md": FRONT + "x " * 300_000 + "[y](gone.md)\n",
            "html.md": FRONT + "<div>\n" + "<a " * 50_000 + "\n",
        },
    )
    (kb / "loop.md").symlink_to("loop.md")
    outside = write_tree(tmp_path / "outside", {"secret.md": "# Secret\n"})
    (kb / "outside.md").symlink_to(outside / "secret.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(kb / "pipe.md")
    result = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", str(kb), "-f", "json", *TODAY],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert result.stderr == ""
    rules: dict[str, set[str]] = {}
    lines: dict[str, set[int | None]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        rules.setdefault(finding["path"], set()).add(finding["rule"])
        lines.setdefault(finding["path"], set()).add(finding["line"])
    assert rules.pop("good.md") == {"links/broken-file"}
    assert lines["bom-crlf.md"] == lines["lone-cr.md"] == {7}
    assert rules.pop("bom-crlf.md") == rules.pop("lone-cr.md") == {"links/broken-file"}
    assert rules.pop("long line.md") == {"links/broken-file"}
    assert rules.pop("empty.md") == {"owner/missing", "age/missing-review-date"}
    for name in ("bad-yaml.md", "fence.md", "bomb.md", "python-tag.md"):
        assert "frontmatter/invalid" in rules.pop(name), name
    assert rules.pop("huge.md") == {"file/too-large"}
    for name in ("latin1.md", "binary.md", "loop.md", "outside.md", "pipe.md"):
        assert "file/unreadable" in rules.pop(name, {"file/unreadable"}), name
    assert rules == {}  # nested.md, quotes.md, html.md: nothing to report
