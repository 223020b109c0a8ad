"""The owner's and the support lead's views on the command line: `--owner NAME` and
`--group-by owner|folder` (pretty and markdown)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from kbcheck.cli import app
from tests.conftest import write_tree

runner = CliRunner()
CONFIG = """\
today = "2026-06-01"

[[people]]
name = "Ana Lopez"
email = "ana@example.com"
handle = "@ana"

[[teams]]
name = "billing-team"
handle = "@acme/billing-team"

[[teams]]
handle = "@acme/support"
"""


def page(owner: str | None, reviewed: str = "2026-05-01", body: str = "") -> str:
    owner_line = f"owner: {owner}\n" if owner else ""
    return f"---\ntitle: Page\n{owner_line}last_reviewed: {reviewed}\n---\n# Page\n{body}"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": CONFIG,
            ".github/CODEOWNERS": "/support/ @acme/support\n",
            "billing/refunds.md": page("billing-team", reviewed="2025-10-01"),
            "billing/plans.md": page('"@acme/billing-team"'),
            "billing/vat.md": page("Ana Lopez", body="\n[rates](rates.md)\n"),
            "support/contact.md": page(None),
            "guide.md": page("ANA@example.com", reviewed="2024-01-01"),
        },
    )


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def owned(kb: Path, owner: str) -> list[str]:
    code, out, _ = invoke("check", str(kb), "-f", "json", "--owner", owner)
    assert code in (0, 1)
    return [article["path"] for article in json.loads(out)["articles"]]


def test_owner_matches_a_person_by_any_spelling_and_case(kb: Path) -> None:
    # written as "Ana Lopez" in one article and "ANA@example.com" in another
    assert owned(kb, "ana@example.com") == ["billing/vat.md", "guide.md"]
    assert owned(kb, "@ana") == ["billing/vat.md", "guide.md"]
    assert owned(kb, "ana lopez") == ["billing/vat.md", "guide.md"]


def test_owner_matches_a_team_by_name_or_handle(kb: Path) -> None:
    expected = ["billing/plans.md", "billing/refunds.md"]
    assert owned(kb, "billing-team") == expected
    assert owned(kb, "@acme/billing-team") == expected
    assert owned(kb, "BILLING-TEAM") == expected
    assert owned(kb, "@acme/support") == ["support/contact.md"]  # owned through CODEOWNERS


def test_owner_without_articles_is_a_usage_error_with_a_suggestion(kb: Path) -> None:
    code, out, err = invoke("check", str(kb), "-f", "json", "--owner", "biling-team")
    assert code == 2  # a misspelt owner must not pass a CI job green
    assert out == ""
    assert err.strip() == (
        "kbcheck: error: --owner 'biling-team' owns none of the checked articles "
        "(did you mean 'billing-team'?)"
    )


def test_owner_keeps_only_that_owners_findings(kb: Path) -> None:
    code, out, _ = invoke("check", str(kb), "-f", "json", "--owner", "ana@example.com")
    assert code == 1
    rules = sorted((f["path"], f["rule"]) for f in json.loads(out)["findings"])
    assert rules == [("billing/vat.md", "links/broken-file"), ("guide.md", "age/stale")]


def sections(text: str) -> dict[str, str]:
    """Pretty output split at the section rules (`name ── ...`)."""
    parts = re.split(r"^(\S[^\n]*?) (?:risk [\d.]+ )?─+$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_group_by_owner_in_the_terminal(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(kb)
    code, out, _ = invoke("check", ".", "--group-by", "owner")
    assert code == 1
    found = sections(out)
    assert list(found) == ["Ana Lopez", "billing-team", "@acme/support"]  # riskiest first
    ana = found["Ana Lopez"]
    assert ana.splitlines()[1:3] == [
        "2 articles · 1 stale · 0 never reviewed · ✖ 2 errors · ▲ 0 warnings · ● 0 info",
        "oldest review 2024-01-01 (guide.md)",
    ]
    assert "billing/vat.md" in ana and "guide.md" in ana and "links/broken-file" in ana
    assert found["billing-team"].splitlines()[1].startswith("2 articles · 1 stale")
    assert "billing/refunds.md" in found["billing-team"]
    assert "billing/plans.md" not in found["billing-team"]  # clean: not in the list to fix
    assert "✔ nothing to fix" in found["@acme/support"]
    assert "3 findings in 3 articles" in out


def test_group_by_folder_markdown_is_a_task_list_digest(
    kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(kb)  # paths are printed as they open from where kbcheck runs
    code, out, _ = invoke("check", ".", "--group-by", "folder", "-f", "markdown", "--top", "1")
    assert code == 1
    assert out.startswith("## kbcheck: ")
    assert ", by folder\n" in out.splitlines()[0] + "\n"
    assert "### `billing`\n\n3 articles · 1 stale · 0 never reviewed · ✖ 1 error" in out
    assert "To fix (2), riskiest first:\n\n- [ ] `billing/vat.md` Page — risk 3\n" in out
    assert "  - ✖ **error** `links/broken-file` (line 8:1): link to 'rates.md'" in out
    assert "- … and 1 more article" in out
    assert "### `support`\n\n1 article · 0 stale · 0 never reviewed" in out
    assert "✔ Nothing to fix." in out
    html = MarkdownIt("commonmark").render(out)
    billing = html.split("<h3><code>billing</code></h3>", 1)[1].split("<h3>", 1)[0]
    # one task per article, its findings nested under it
    assert re.search(r"<li>\[ \] <code>billing/vat.md</code> Page — risk 3\n<ul>\n<li>✖", billing)


def test_group_by_needs_a_format_that_can_show_it(kb: Path) -> None:
    code, _, err = invoke("check", str(kb), "--group-by", "owner", "-f", "json")
    assert code == 2
    assert err == ("kbcheck: error: --group-by works with --format pretty and markdown, not json\n")
    code, _, err = invoke("check", str(kb), "--group-by", "team")
    assert code == 2


REPOSITORY = Path(__file__).parent.parent
README = REPOSITORY / "docs" / "owners.md"  # the owners page shows what the views print


def readme_sample(command: str) -> str:
    """The sample output the README shows under `$ <command>`."""
    text = README.read_text(encoding="utf-8")
    block = text.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    return block


def readme_block(opening: str) -> str:
    text = README.read_text(encoding="utf-8")
    return opening + text.split(opening, 1)[1].split("```", 1)[0]


def example_output(monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(REPOSITORY)
    result = runner.invoke(app, ["check", "examples/helpcenter", *args], env={"COLUMNS": "100"})
    return result.stdout


def test_readme_shows_what_the_views_print(monkeypatch: pytest.MonkeyPatch) -> None:
    owner = readme_sample("kbcheck check examples/helpcenter --owner platform-team --quiet")
    assert example_output(monkeypatch, "--owner", "platform-team", "--quiet") == owner

    grouped = readme_sample("kbcheck check examples/helpcenter --group-by owner --top 1")
    shown = grouped.removesuffix("...\n")
    actual = example_output(monkeypatch, "--group-by", "owner", "--top", "1")
    assert actual.startswith(shown)

    digest = readme_block("## kbcheck: examples/helpcenter, by owner\n")
    actual = example_output(monkeypatch, "--group-by", "owner", "--top", "1", "-f", "markdown")
    assert actual.startswith(digest)
