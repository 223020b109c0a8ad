"""Reports are safe whatever the articles say: no control character from an article reaches a
terminal (pretty), a workflow log (github) or a digest (markdown); HTML stays escaped text;
JSON and SARIF stay valid, and every report valid UTF-8, with any Unicode in titles, owners,
headings, link targets and file names."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbcheck.formats import RenderOptions, render
from kbcheck.report import Report
from tests.conftest import run_kb, write_tree

#: C0 and C1 controls (tab and newline are layout, not article text), bidi overrides and
#: isolates, zero-width characters, line and paragraph separators.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egnp.exe\u2028\u2029\x08\x00"
FORMATS = ("pretty", "json", "sarif", "github", "markdown", "html")
TEXT_FORMATS = ("pretty", "github", "markdown")


def hostile_kb(root: Path) -> Path:
    """Hostile text everywhere an article's words reach a report: title, owner (an unknown
    owner is quoted in a message), heading (the title fallback), link target, file name."""
    escaped = json.dumps(HOSTILE)  # a YAML double-quoted string: \u001b and friends
    kb = write_tree(
        root,
        {
            "kbcheck.toml": 'today = "2026-06-01"\nowners = ["support-team"]\n',
            "title.md": f"---\ntitle: {escaped}\nowner: {escaped}\nexpires: 2020-01-01\n---\n",
            "heading.md": f"# Heading {HOSTILE}\n\n[x](<missing {HOSTILE}.md>)\n[y](#{HOSTILE})\n",
        },
    )
    with contextlib.suppress(OSError):  # a file system may refuse such names
        (kb / f"name {HOSTILE.replace(chr(0), '')}.md").write_text("# N\n[z](gone.md)\n")
    return kb


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    report = run_kb(hostile_kb(tmp_path_factory.mktemp("hostile") / "kb")).report
    assert len(report.findings) >= 6
    return report


@pytest.mark.parametrize("format_name", TEXT_FORMATS)
def test_no_control_character_reaches_the_terminal(
    hostile_report: Report, format_name: str
) -> None:
    text = render(hostile_report, format_name, RenderOptions(color=False, width=100))
    assert UNSAFE.findall(text) == []
    assert "pwned" in text and "gnp.exe" in text  # shown, defused


def test_colour_output_has_only_its_own_escape_sequences(hostile_report: Report) -> None:
    text = render(hostile_report, "pretty", RenderOptions(color=True, width=100))
    # Rich's own styling is ESC [ ... m; nothing else: no title change, no clearing the screen
    assert UNSAFE.findall(re.sub(r"\x1b\[[0-9;]*m", "", text)) == []


def test_each_annotation_is_one_workflow_command(hostile_report: Report) -> None:
    lines = render(hostile_report, "github", RenderOptions()).splitlines()
    assert len(lines) == len(hostile_report.findings) + len(hostile_report.notices)
    for line in lines:
        assert re.match(r"::(error|warning|notice) [^:]*::", line), line


@pytest.mark.parametrize("format_name", ["json", "sarif"])
def test_machine_formats_keep_the_text_exactly(hostile_report: Report, format_name: str) -> None:
    """JSON escapes control characters itself, so nothing is removed: a script sees what the
    article says."""
    data = json.loads(render(hostile_report, format_name, RenderOptions()))
    assert any(HOSTILE in text for text in _strings(data))


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for value in data.values() for text in _strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in _strings(value)]
    return []


# --- any Unicode -------------------------------------------------------------------------------

_ANY_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)


@given(title=_ANY_TEXT, owner=_ANY_TEXT, heading=_ANY_TEXT)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_format_is_valid_with_any_unicode(
    tmp_path_factory: pytest.TempPathFactory, title: str, owner: str, heading: str
) -> None:
    kb = write_tree(
        tmp_path_factory.mktemp("unicode"),
        {
            "kbcheck.toml": 'today = "2026-06-01"\nowners = ["nobody"]\n',
            "a.md": f"---\ntitle: {json.dumps(title)}\nowner: {json.dumps(owner)}\n---\n"
            f"# {heading}\n\n[x](missing.md)\n",
        },
    )
    report = run_kb(kb).report
    for format_name in FORMATS:
        text = render(report, format_name, RenderOptions(width=80))
        text.encode("utf-8")  # no lone surrogate, whatever came in
        if format_name in ("json", "sarif"):
            json.loads(text)
        if format_name in TEXT_FORMATS:
            assert UNSAFE.findall(text) == []
        if format_name == "html":
            assert _tags(text) <= HTML_TAGS  # article text never became an element


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)


def _tags(html: str) -> set[str]:
    collector = _TagCollector()
    collector.feed(html)
    return collector.tags


#: Every element the HTML report uses, from the example help center's report.
HTML_TAGS = _tags(
    render(
        run_kb(Path(__file__).parent.parent / "examples" / "helpcenter").report,
        "html",
        RenderOptions(),
    )
)


def test_a_root_whose_name_is_not_utf8_still_gives_valid_utf8(tmp_path: Path) -> None:
    try:
        kb = Path(os.fsdecode(bytes(tmp_path) + b"/kb\xff"))
        write_tree(kb, {"a.md": "# A\n\n[x](missing.md)\n"})
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system accepts only UTF-8 names")
    for format_name in FORMATS:
        result = subprocess.run(
            [sys.executable, "-m", "kbcheck", "check", str(kb), "-f", format_name, "--no-cache"],
            capture_output=True,
            timeout=120,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},  # strict: a surrogate would raise
        )
        assert result.returncode == 1, result.stderr
        assert b"Traceback" not in result.stderr
        output = result.stdout.decode("utf-8")
        assert "kb\ufffd" in output or format_name == "github"
        if format_name in ("json", "sarif"):
            json.loads(output)
