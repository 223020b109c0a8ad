"""CODEOWNERS as GitHub and GitLab read it: patterns, last match wins, sections, locations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kbcheck.cli import app
from kbcheck.codeowners import CodeOwners, load_codeowners
from kbcheck.config import Config, load_config
from kbcheck.engine import LintOptions, lint
from tests.conftest import write_tree
from tests.git_repo import GitRepo

UNOWNED_ARTICLE = "---\ntitle: {title}\nlast_reviewed: 2026-05-01\n---\n# {title}\n"


def owners(codeowners: CodeOwners, path: str) -> tuple[str, ...] | None:
    match = codeowners.owners_of(path)
    return None if match is None else match.owners


def test_github_patterns_and_last_match_wins() -> None:
    parsed = CodeOwners.parse(
        "\n".join(
            [
                "# comment",
                "*                @acme/docs",
                "*.pdf            finance@example.com",
                "/billing/        @acme/billing-team",
                "docs/*           @acme/writers",
                "apps/            @acme/apps",
                "/billing/legal/  @acme/legal @ana",
                r"release\ notes/  @acme/product",
                r"\#hash.md        @hash",
            ]
        )
    )
    assert owners(parsed, "index.md") == ("@acme/docs",)
    assert owners(parsed, "guides/manual.pdf") == ("finance@example.com",)
    assert owners(parsed, "billing/refunds.md") == ("@acme/billing-team",)
    assert owners(parsed, "billing/plans/annual.md") == ("@acme/billing-team",)
    assert owners(parsed, "billing/invoice.pdf") == ("@acme/billing-team",)  # later line wins
    assert owners(parsed, "billing/legal/terms.md") == ("@acme/legal", "@ana")
    # docs/* is direct children only; apps/ is a folder named apps at any depth
    assert owners(parsed, "docs/intro.md") == ("@acme/writers",)
    assert owners(parsed, "docs/deep/intro.md") == ("@acme/docs",)
    assert owners(parsed, "kb/apps/mobile.md") == ("@acme/apps",)
    assert owners(parsed, "release notes/june.md") == ("@acme/product",)
    assert owners(parsed, "#hash.md") == ("@hash",)


def test_a_pattern_without_owners_leaves_the_path_unowned() -> None:
    parsed = CodeOwners.parse("* @acme/docs\n/drafts/\n")
    match = parsed.owners_of("drafts/idea.md")
    assert match is not None and match.owners == () and match.lines == (2,)
    assert CodeOwners.parse("/billing/ @b\n").owners_of("index.md") is None


def test_gitlab_sections_default_owners_and_combined_sections() -> None:
    parsed = CodeOwners.parse(
        "\n".join(
            [
                "* @everyone",
                "[Documentation] @docs-team",
                "docs/",
                "docs/api/ @api-team",
                "^[Security][2] @security",
                "docs/security/",
                "[documentation]",  # the same section as [Documentation]
                "docs/legal/ @legal",
            ]
        )
    )
    assert owners(parsed, "docs/intro.md") == ("@everyone", "@docs-team")
    assert owners(parsed, "docs/api/auth.md") == ("@everyone", "@api-team")
    assert owners(parsed, "docs/security/sso.md") == ("@everyone", "@docs-team", "@security")
    assert owners(parsed, "docs/legal/terms.md") == ("@everyone", "@legal")
    match = parsed.owners_of("docs/security/sso.md")
    assert match is not None and match.lines == (1, 3, 6)
    assert owners(parsed, "src/app.py") == ("@everyone",)


def test_lines_neither_host_accepts_are_skipped_with_a_notice() -> None:
    parsed = CodeOwners.parse(
        "* @docs # everyone\n!/drafts/ @nobody\n/billing/ billing-team @acme/billing\n",
        ".github/CODEOWNERS",
    )
    assert owners(parsed, "index.md") == ("@docs",)  # the inline comment is not an owner
    assert owners(parsed, "drafts/x.md") == ("@docs",)  # negation line skipped
    assert owners(parsed, "billing/x.md") == ("@acme/billing",)
    assert parsed.notices == (
        ".github/CODEOWNERS: line 2: negation ('!') is not supported; line skipped",
        ".github/CODEOWNERS: line 3: 'billing-team' is not an owner (@user, @org/team or an "
        "e-mail); ignored",
    )


def test_github_location_wins_and_paths_are_relative_to_the_repository_top(
    tmp_path: Path,
) -> None:
    repo = GitRepo(tmp_path / "repo")
    write_tree(
        repo.path,
        {
            ".github/CODEOWNERS": "/docs/kb/billing/ @acme/billing-team\n",
            "CODEOWNERS": "* @not-used\n",
            "docs/kb/billing/refunds.md": UNOWNED_ARTICLE.format(title="Refunds"),
            "docs/kb/index.md": UNOWNED_ARTICLE.format(title="Home"),
        },
    )
    found = load_codeowners(repo.path / "docs" / "kb", True, repo.path)
    assert found is not None
    assert found.codeowners.name == ".github/CODEOWNERS" and found.prefix == "docs/kb"
    options = LintOptions(select=("owner",))
    result = lint([repo.path / "docs" / "kb"], Config(age_source="frontmatter"), options)
    entries = {entry.path: entry for entry in result.report.articles}
    assert entries["billing/refunds.md"].owners == ("@acme/billing-team",)
    assert entries["billing/refunds.md"].owner_source == "codeowners"
    assert entries["index.md"].owner_source == "none"
    assert [(f.path, f.rule) for f in result.report.findings] == [("index.md", "owner/missing")]


@pytest.mark.parametrize("where", ["CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"])
def test_every_standard_location_is_found(tmp_path: Path, where: str) -> None:
    root = write_tree(tmp_path / "kb", {where: "* @acme/docs\n"})
    found = load_codeowners(root, True, root)
    assert found is not None and found.codeowners.name == where and found.prefix == ""


def test_codeowners_setting_names_a_file_or_turns_it_off(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "CODEOWNERS": "* @acme/docs\n",
            "owners/KB_OWNERS": "* @acme/kb\n",
            "a.md": UNOWNED_ARTICLE.format(title="A"),
        },
    )
    (root / "kbcheck.toml").write_text('today = "2026-06-01"\ncodeowners = false\n')
    result = lint([root], load_config(root / "kbcheck.toml"))
    assert [f.rule for f in result.report.findings] == ["owner/missing"]

    (root / "kbcheck.toml").write_text('today = "2026-06-01"\ncodeowners = "owners/KB_OWNERS"\n')
    result = lint([root], load_config(root / "kbcheck.toml"))
    assert result.report.articles[0].owners == ("@acme/kb",)
    assert result.report.findings == ()


def test_a_missing_configured_codeowners_file_is_a_one_line_error(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {"kbcheck.toml": 'codeowners = "CODEOWNRS"\n', "a.md": "# A\n"},
    )
    result = CliRunner().invoke(app, ["check", str(root)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "CODEOWNRS: CODEOWNERS file not found" in result.stderr


def test_notices_about_bad_lines_reach_the_report(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {"CODEOWNERS": "* docs-team\n", "a.md": UNOWNED_ARTICLE.format(title="A")},
    )
    result = CliRunner().invoke(
        app, ["check", str(root), "--today", "2026-06-01", "-f", "json"], env={"NO_COLOR": "1"}
    )
    assert "kbcheck: warning: CODEOWNERS: line 1: 'docs-team' is not an owner" in result.stderr
    assert json.loads(result.stdout)["articles"][0]["owner_source"] == "none"


SEGMENTS = ["docs", "billing", "api", "a b", "#x", "*", "**", "*.md", "read?e.md", "v1.2"]
PATH_PARTS = ["docs", "billing", "api", "a b", "#x", "readme.md", "guide.md", "v1.2", "x.pdf"]


@given(
    patterns=st.lists(
        st.tuples(
            st.booleans(),  # anchored with a leading /
            st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=3),
            st.booleans(),  # trailing / (a folder)
        ),
        min_size=1,
        max_size=12,
    ),
    sections=st.lists(st.sampled_from(["", "[Docs]", "^[Other] @o"]), min_size=1, max_size=12),
    paths=st.lists(
        st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=4), min_size=1, max_size=10
    ),
)
@settings(max_examples=150, deadline=None)
def test_one_combined_match_equals_trying_every_line_from_the_bottom(
    patterns: list[tuple[bool, list[str], bool]],
    sections: list[str],
    paths: list[list[str]],
) -> None:
    lines = []
    for index, (anchored, segments, folder) in enumerate(patterns):
        if sections[index % len(sections)]:
            lines.append(sections[index % len(sections)])
        pattern = ("/" if anchored else "") + "/".join(segments) + ("/" if folder else "")
        pattern = pattern.replace(" ", "\\ ").replace("#", "\\#")
        lines.append(f"{pattern} @owner{index}")
    parsed = CodeOwners.parse("\n".join(lines))
    for parts in paths:
        path = "/".join(parts)
        expected: dict[str, int] = {}
        for entry in reversed(parsed.entries):  # the definition: last matching line per section
            if entry.section not in expected and entry.regex.match(path):
                expected[entry.section] = entry.line
        match = parsed.owners_of(path)
        assert (match.lines if match else ()) == tuple(sorted(expected.values())), path
