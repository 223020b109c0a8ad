"""The command line as users meet it: exit codes, output files, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kbcheck import __version__
from kbcheck.cli import app
from tests.conftest import write_tree

runner = CliRunner()
FRESH = "---\ntitle: {title}\nowner: support-team\nlast_reviewed: 2026-05-01\n---\n# {title}\n"


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "kb",
        {
            "ok.md": FRESH.format(title="Fine"),
            "stale.md": FRESH.format(title="Old").replace("2026-05-01", "2025-10-01"),
            "broken.md": FRESH.format(title="Broken") + "\n[gone](gone.md)\n",
        },
    )


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def test_exit_codes_follow_fail_on(small_kb: Path) -> None:
    base = ("check", str(small_kb), "--today", "2026-06-01")
    assert invoke(*base)[0] == 1  # an error (broken link)
    assert invoke(*base, "--ignore", "links")[0] == 0  # only a warning left
    assert invoke(*base, "--ignore", "links", "--fail-on", "warning")[0] == 1
    assert invoke(*base, "--fail-on", "never")[0] == 0


def test_json_is_byte_identical_between_runs(small_kb: Path, tmp_path: Path) -> None:
    outputs = []
    for name in ("one.json", "two.json"):
        target = tmp_path / name
        invoke("check", str(small_kb), "--today", "2026-06-01", "-f", "json", "-o", str(target))
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    assert data["schema"] == 1
    assert data["summary"] == {
        "articles": 3,
        "findings": 2,
        "by_severity": {"error": 1, "warning": 1, "info": 0},
        "fresh_percent": 66.7,
    }
    assert [f["rule"] for f in data["findings"]] == ["links/broken-file", "age/stale"]
    assert data["articles"][0]["review_source"] == "frontmatter"


def test_today_from_environment(small_kb: Path) -> None:
    result = runner.invoke(
        app, ["check", str(small_kb), "-f", "json"], env={"KBCHECK_TODAY": "2026-06-01"}
    )
    assert json.loads(result.stdout)["today"] == "2026-06-01"


def test_select_and_owner_filters(small_kb: Path) -> None:
    code, out, _ = invoke(
        "check", str(small_kb), "--today", "2026-06-01", "-f", "json", "--select", "age"
    )
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["age/stale"]
    code, out, _ = invoke(
        "check", str(small_kb), "--today", "2026-06-01", "-f", "json", "--owner", "nobody"
    )
    assert out == ""
    assert code == 2  # an owner who owns nothing is a usage error, not a green run


def test_unknown_rule_is_a_usage_error_with_a_suggestion(small_kb: Path) -> None:
    code, _, err = invoke("check", str(small_kb), "--select", "links/broken-fil")
    assert code == 2
    assert err.strip() == (
        "kbcheck: error: unknown rule or prefix 'links/broken-fil' "
        "(did you mean 'links/broken-file'?)"
    )


def test_configuration_error_names_file_and_key(small_kb: Path) -> None:
    (small_kb / "kbcheck.toml").write_text('exlude = ["drafts/**"]\n')
    code, _, err = invoke("check", str(small_kb))
    assert code == 2
    assert err.count("\n") == 1
    assert "kbcheck.toml: 'exlude' is not a known setting (did you mean 'exclude'?)" in err


def test_bad_values_and_unknown_rule_options(small_kb: Path) -> None:
    config = small_kb / "kbcheck.toml"
    config.write_text('[age]\nreview_every = "soon"\n')
    code, _, err = invoke("check", str(small_kb))
    assert code == 2 and "'age.review_every' is invalid" in err
    config.write_text('[rules."age/stale"]\nseverty = "error"\n')
    code, _, err = invoke("check", str(small_kb))
    assert code == 2 and "has no option 'severty' (did you mean 'severity'?)" in err
    config.write_text('[rules."age/stal"]\nseverity = "error"\n')
    code, _, err = invoke("check", str(small_kb))
    assert code == 2 and "unknown rule 'age/stal' in [rules] (did you mean 'age/stale'?)" in err


def test_severity_override_from_config(small_kb: Path) -> None:
    (small_kb / "kbcheck.toml").write_text(
        'today = "2026-06-01"\n[rules."links/broken-file"]\nseverity = "info"\n'
    )
    code, out, _ = invoke("check", str(small_kb), "-f", "json")
    findings = {f["rule"]: f["severity"] for f in json.loads(out)["findings"]}
    assert findings == {"links/broken-file": "info", "age/stale": "warning"}
    assert code == 0


def test_missing_path_is_one_line(tmp_path: Path) -> None:
    code, _, err = invoke("check", str(tmp_path / "nope"))
    assert code == 2
    assert err.strip().endswith("nope: no such file or folder")


def test_pretty_report_lists_worst_first(small_kb: Path) -> None:
    code, out, _ = invoke("check", str(small_kb), "--today", "2026-06-01")
    assert code == 1
    assert out.index("broken.md") < out.index("stale.md")
    assert "3 articles" in out and "fresh 66.7%" in out
    assert "→ fix or remove the link" in out


def test_rules_explain_and_init(tmp_path: Path) -> None:
    code, out, _ = invoke("rules")
    assert code == 0 and "links/broken-anchor" in out and "age/stale" in out
    code, out, _ = invoke("explain", "age/stale")
    assert code == 0 and "Why it matters" in out and "Fix" in out
    code, _, err = invoke("explain", "age/stal")
    assert code == 2 and "did you mean 'age/stale'" in err

    code, out, _ = invoke("init", str(tmp_path))
    assert code == 0
    written = (tmp_path / "kbcheck.toml").read_text()
    assert "review_every" in written
    (tmp_path / "kbcheck.toml").write_text("# mine\n")
    code, _, err = invoke("init", str(tmp_path))
    assert code == 2 and "already exists" in err
    assert (tmp_path / "kbcheck.toml").read_text() == "# mine\n"


def test_starter_config_is_valid(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    write_tree(tmp_path, {"a.md": FRESH.format(title="A")})
    code, _, err = invoke("check", str(tmp_path), "--today", "2026-06-01")
    assert code == 0, err


def test_version_and_no_traceback_on_hostile_files(tmp_path: Path) -> None:
    kb = write_tree(
        tmp_path / "kb",
        {
            "bad-yaml.md": "---\ntitle: [unclosed\n---\n# x\n",
            "fence.md": "---\ntitle: never closed\n",
            "latin1.md": "caf\xe9".encode("latin-1"),
            "binary.md": b"\x00\x01\x02",
            "empty.md": "",
        },
    )
    result = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", str(kb), "-f", "json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    rules: dict[str, set[str]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        rules.setdefault(finding["path"], set()).add(finding["rule"])
    assert rules["bad-yaml.md"] == {"frontmatter/invalid"}
    assert rules["fence.md"] == {"frontmatter/invalid"}
    assert "file/unreadable" in rules["latin1.md"]
    assert rules["binary.md"] == {"file/unreadable"}
    assert rules["empty.md"] == {"owner/missing", "age/missing-review-date"}
    version = subprocess.run(
        [sys.executable, "-m", "kbcheck", "--version"], capture_output=True, text=True
    )
    assert version.stdout.strip() == f"kbcheck {__version__}"


def test_a_folder_without_articles_is_a_usage_error_and_leaves_no_cache(tmp_path: Path) -> None:
    folder = tmp_path / "typo"
    folder.mkdir()
    (folder / "notes.txt").write_text("not an article\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", str(folder)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"kbcheck: error: {folder}: no articles found")
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]


def test_explain_a_family_lists_its_rules() -> None:
    code, out, _ = invoke("explain", "links")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("links/broken-anchor ")
    assert any(line.startswith("links/redirected ") and "info" in line for line in lines)
    assert not any(line.startswith(("age/", "owner/")) for line in lines)
    code, _, err = invoke("explain", "link")
    assert code == 2
    assert "did you mean 'links'?" in err


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_short_and_long(flag: str) -> None:
    code, out, _ = invoke(flag)
    assert (code, out.strip()) == (0, f"kbcheck {__version__}")


def test_output_file_and_baseline_say_what_they_wrote_in_one_line(
    small_kb: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    code, out, err = invoke(
        "check", str(small_kb), "--today", "2026-06-01", "-f", "json", "-o", str(report)
    )
    assert out == ""
    assert f"kbcheck: wrote the json report to {report} (" in err
    assert json.loads(report.read_text(encoding="utf-8"))["findings"]
    baseline = tmp_path / "baseline.json"
    code, out, err = invoke(
        "check", str(small_kb), "--today", "2026-06-01", "--write-baseline", str(baseline)
    )
    assert code == 0
    assert out == ""  # not the report of every finding it accepted
    assert f"findings to baseline {baseline}" in err


@pytest.mark.parametrize("command", [[], ["check"], ["verify"], ["rules"], ["explain"], ["init"]])
def test_help_speaks_plainly(command: list[str]) -> None:
    """No Python types (`<list[str]>`), Click ranges (`[x>=1]`) or library error prefixes."""
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    for leak in ("<list[", "<str>", "<path>", "<int>", "[x>=", "Value error"):
        assert leak not in result.stdout, (command, leak)


def test_a_count_option_below_one_is_one_plain_line() -> None:
    result = CliRunner().invoke(app, ["check", "--top", "0"])
    assert result.exit_code == 2
    assert "must be 1 or more" in result.output


def test_shell_completion_is_offered() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


def test_config_shows_each_setting_and_where_it_came_from(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    (kb / "articles").mkdir(parents=True)
    (kb / "kbcheck.toml").write_text(
        'exclude = ["drafts/**"]\n[age]\nreview_every = "90d"\n'
        '[[policy]]\npaths = ["billing/**"]\nreview_every = "30d"\n'
    )
    (kb / "_config.yml").write_text("title: Help\n")  # a Jekyll site
    result = CliRunner().invoke(app, ["config", str(kb / "articles")])
    assert result.exit_code == 0, result.output
    lines = {line.split("  ", 1)[0]: line for line in result.stdout.splitlines()}
    assert lines["exclude"].endswith("drafts/**  (kbcheck.toml)")
    assert lines["review every"].endswith("90d  (kbcheck.toml)")
    assert lines["fail on"].endswith("error  (default)")
    assert "jekyll  (detected from " in lines["site generator"]
    assert lines["site generator"].endswith("_config.yml)")
    assert "last_reviewed then last_modified_at" in lines["key last_reviewed"]
    assert "paths billing/**; review every 30d" in lines["policy 1"]
    assert "node_modules" in lines["always skipped"]


def test_config_of_a_missing_path_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["config", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
