"""`--format github`: workflow commands GitHub turns into annotations on the PR diff, escaped
the way the runner decodes them, plus a job summary appended to $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from kbcheck.cli import app
from kbcheck.formats import RenderOptions, render
from kbcheck.formats.github import annotation, escape_data, escape_property
from kbcheck.model import Finding, Severity
from kbcheck.report import Report

EXAMPLE = Path(__file__).parent.parent / "examples" / "helpcenter"
runner = CliRunner()


def decode(text: str) -> str:
    """What the Actions runner does to a command's message or property value."""
    for encoded, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(encoded, plain)
    return text


def test_escaping_round_trips_through_the_runner_decoding() -> None:
    nasty = "50% off: a,b\r\nnext line %0A literal ::error::x"
    assert decode(escape_data(nasty)) == nasty
    assert decode(escape_property(nasty)) == nasty
    escaped = escape_property(nasty)
    assert not any(character in escaped for character in ":,\r\n")
    assert "\n" not in escape_data(nasty) and "%250A" in escape_data(nasty)


def test_an_article_cannot_inject_a_command() -> None:
    report = Report(
        root="kb", today=__import__("datetime").date(2026, 6, 1), articles=(), findings=()
    )
    finding = Finding(
        rule="links/broken-file",
        severity=Severity.ERROR,
        path="dir,with:odd/na%me.md",
        line=3,
        column=7,
        message="link to 'x'\n::set-env name=EVIL::1",
        hint="fix, or: remove",
    )
    line = annotation(report, finding)
    assert "\n" not in line
    assert line.startswith("::error file=kb/dir%2Cwith%3Aodd/na%25me.md,line=3,col=7,")
    assert line.count("::") == 2 + 2  # the command's own two, plus the text's, escaped apart
    properties, message = line[len("::error ") :].split("::", 1)
    assert decode(message) == "link to 'x'\n::set-env name=EVIL::1\n→ fix, or: remove"
    assert dict(part.split("=", 1) for part in properties.split(","))["title"] == (
        "kbcheck links/broken-file"
    )


def test_example_annotations(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(EXAMPLE.parent.parent)
    result = runner.invoke(app, ["check", "examples/helpcenter", "-f", "github"], env={})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 16
    assert lines[3] == (
        "::error file=examples/helpcenter/billing/changing-your-plan.md,line=29,col=43,"
        "title=kbcheck links/broken-file::link to '../account/export-data.md' but "
        "'account/export-data.md' does not exist%0A→ did you mean ../account/exporting-data.md?"
    )
    kinds = sorted(line.split(" ", 1)[0] for line in lines)
    assert kinds == ["::error"] * 6 + ["::notice"] * 2 + ["::warning"] * 8
    assert all(",line=" in line for line in lines)


def test_paths_are_repository_relative_from_any_working_directory(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(EXAMPLE / "billing")
    result = runner.invoke(app, ["check", "..", "-f", "github"], env={})
    assert "file=examples/helpcenter/billing/changing-your-plan.md," in result.stdout


def test_step_summary_is_appended(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["check", str(EXAMPLE), "-f", "github"],
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n## kbcheck: ")
    assert "**16 findings** in 15 of 28 articles" in text
    assert "### Worst articles" in text and "### By owner" in text


def test_notices_become_warnings() -> None:
    report = Report(
        root=".", today=date(2026, 6, 1), articles=(), findings=(), notices=("plugin 'x' failed",)
    )
    assert (
        render(report, "github", RenderOptions()) == "::warning title=kbcheck::plugin 'x' failed\n"
    )
