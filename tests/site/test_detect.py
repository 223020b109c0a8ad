"""Which site a knowledge base is published as: detected, chosen, described by hand, or
plain files; and a broken site file is one notice, never a stopped run."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kbcheck.cli import app
from kbcheck.config import ConfigError, parse_config
from kbcheck.site.detect import site_spec
from kbcheck.site.yaml_data import load_toml
from tests.conftest import run_kb, write_tree

MKDOCS = "site_name: Help\nnav:\n  - Home: index.md\n"


def rules_of(result: object) -> list[str]:
    return sorted(f"{f.path}:{f.line}:{f.rule}" for f in result.report.findings)  # type: ignore[attr-defined]


def test_the_generator_is_detected_and_named_once(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {"mkdocs.yml": MKDOCS, "docs/index.md": "# Help\n"})
    result = run_kb(root, select=("links",))
    site_notices = [n for n in result.report.notices if n.startswith("reading the site as")]
    assert site_notices == [
        "reading the site as MkDocs, from mkdocs.yml (set [site] generator to change it)"
    ]


def test_a_knowledge_base_below_the_site_file_finds_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"repo/.git/HEAD": "ref: x\n", "repo/mkdocs.yml": MKDOCS})
    spec = site_spec((tmp_path / "repo" / "docs").resolve(), None)
    assert spec.generator == "mkdocs"
    assert spec.paths == (("/", ""),)  # the knowledge base is docs_dir itself


def test_generator_none_reads_plain_files(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "mkdocs.yml": MKDOCS,
            "kbcheck.toml": '[site]\ngenerator = "none"\n',
            "docs/index.md": "# Help\n\n[Refunds](/billing/refunds/)\n",
            "docs/billing/refunds.md": "# Refunds\n",
        },
    )
    result = run_kb(root, select=("links",))
    assert rules_of(result) == ["docs/index.md:3:links/broken-file"]
    assert not any(n.startswith("reading the site") for n in result.report.notices)


def test_site_settings_describe_a_custom_site(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "kbcheck.toml": (
                '[site]\npaths = { "/help/" = "kb/" }\nstatic = ["assets/"]\n'
                'redirects = "redirects.csv"\ncase_sensitive = false\n'
            ),
            "redirects.csv": "old,new\n/help/billing/refund-policy/,/help/billing/refunds/\n",
            "kb/index.md": (
                "# Help\n\n[Refunds](/help/Billing/Refunds/) and "
                "[policy](/help/billing/refund-policy/) and ![logo](/img/logo.png) and "
                "[API](/api/v2/) and [gone](/help/billing/gone/)\n"
            ),
            "kb/billing/refunds.md": "# Refunds\n",
            "assets/img/logo.png": b"\x89PNG",
        },
    )
    result = run_kb(root, select=("links",))
    assert rules_of(result) == ["kb/index.md:3:links/broken-file", "kb/index.md:3:links/redirected"]
    broken = next(f for f in result.report.findings if f.rule == "links/broken-file")
    assert "gone" in broken.message
    assert any("described in [site]" in n for n in result.report.notices)


def test_a_broken_site_file_is_one_notice_and_the_run_goes_on(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "kb",
        {
            "mkdocs.yml": "site_name: [unclosed\nnav:\n  - index.md\n",
            "docs/index.md": "# Help\n\n[Missing](nowhere.md)\n",
        },
    )
    result = run_kb(root, select=("links",))
    problems = [n for n in result.report.notices if n.startswith("mkdocs.yml")]
    assert len(problems) == 1 and "not valid YAML" in problems[0] and "line" in problems[0]
    assert rules_of(result) == ["docs/index.md:3:links/broken-file"]


def test_python_tags_in_mkdocs_yml_are_read_as_data(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": (
                "site_name: Help\ndocs_dir: pages\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                "  - toc:\n      permalink: !ENV [PERMALINK, true]\n"
            )
        },
    )
    spec = site_spec(tmp_path.resolve(), None)
    assert spec.generator == "mkdocs" and spec.notices == ()
    assert spec.paths == (("/", "pages/"),)


def test_an_unknown_generator_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match=r"site\.generator.*mkdocs"):
        parse_config({"site": {"generator": "sphinx"}}, None)


def test_init_writes_the_detected_generator(tmp_path: Path) -> None:
    write_tree(tmp_path, {"mkdocs.yml": MKDOCS, "docs/index.md": "# Help\n"})
    outcome = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    assert "site generator: mkdocs (detected from mkdocs.yml)" in outcome.output
    text = (tmp_path / "kbcheck.toml").read_text(encoding="utf-8")
    assert '[site]\ngenerator = "mkdocs"' in text
    assert "# Detected from mkdocs.yml" in text
    config = parse_config(load_toml(text), tmp_path / "kbcheck.toml")
    assert config.site.generator == "mkdocs"


def test_the_readme_site_example_is_a_valid_configuration() -> None:
    readme = (Path(__file__).parents[2] / "docs" / "links.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n[site]\n", 1)[1].split("```", 1)[0]
    config = parse_config(load_toml("[site]\n" + block), None)
    assert config.site.paths == (("/help/", "kb/"),)
    assert config.site.case_sensitive is False
    assert config.site_url == "https://help.example.com"
