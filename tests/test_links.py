"""Internal link resolution and the link rules' details that fixtures cannot show: columns,
related locations, hints, symbolic links out of the root, configuration and the cache folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kbcheck.config import ConfigError, parse_config
from kbcheck.engine import LintOptions, lint
from kbcheck.incremental.folder import CacheFolder
from kbcheck.link_targets import (
    EXTERNAL,
    INTERNAL,
    OTHER,
    OUTSIDE,
    candidates,
    linked_files,
    resolve,
)
from kbcheck.model import Location
from kbcheck.registry import load_registry
from tests.conftest import FIXTURE_TODAY, run_kb, split_example, write_tree
from tests.link_server import link_server

FRONT_MATTER = "---\ntitle: T\nowner: support-team\nlast_reviewed: 2026-05-01\n---\n"
Make = Callable[[dict[str, str | bytes]], Path]


def articles(files: dict[str, str]) -> dict[str, str | bytes]:
    return {
        path: FRONT_MATTER + body if path.endswith(".md") else body for path, body in files.items()
    }


# --- resolution -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind", "path", "fragment"),
    [
        ("../account/export.md", INTERNAL, "account/export.md", None),
        ("/billing/refunds.md?utm=x#partial", INTERNAL, "billing/refunds.md", "partial"),
        ("my%20file.md", INTERNAL, "billing/my file.md", None),
        ("#caf%C3%A9", INTERNAL, "billing/plans.md", "café"),
        ("./", INTERNAL, "billing/", None),
        ("https://help.example.com/docs/billing/", INTERNAL, "billing/", None),
        ("https://help.example.com/docs", INTERNAL, "", None),
        ("https://other.example.com/x", EXTERNAL, None, None),
        ("//cdn.example.com/x.png", EXTERNAL, None, None),
        ("../../etc/passwd", OUTSIDE, "../etc/passwd", None),
        ("file:///etc/passwd", OUTSIDE, None, None),
        ("mailto:help@example.com", OTHER, None, None),
    ],
)
def test_resolve(url: str, kind: str, path: str | None, fragment: str | None) -> None:
    target = resolve(url, "billing/plans.md", "https://help.example.com/docs")
    assert (target.kind, target.path, target.fragment) == (kind, path, fragment)


def test_candidates_per_link_style() -> None:
    assert candidates("billing/refunds", "file")[:1] == ["billing/refunds"]
    assert "billing/refunds.md" not in candidates("billing/refunds", "file")
    pretty = candidates("billing/refunds/", "pretty")
    assert pretty[:2] == ["billing/refunds.md", "billing/refunds.markdown"]
    assert "billing/refunds/index.md" in pretty
    assert candidates("guide.html", "pretty")[1] == "guide.md"
    assert candidates("images/a.png", "pretty", image=True) == ["images/a.png"]


def test_linked_files_for_changed_since(kb: Make) -> None:
    root = kb(
        articles(
            {
                "index.md": "[a](billing/) [b](billing/plans.md#x) [c](missing.md) [d](https://x.io)",
                "billing/index.md": "# Billing",
                "billing/plans.md": "# Plans",
            }
        )
    )
    result = run_kb(root)
    corpus = result.corpus
    reached = linked_files(corpus.articles["index.md"], corpus, None)
    assert reached == {"billing/index.md", "billing/plans.md"}


# --- findings: positions, related, hints ----------------------------------------------------


def test_positions_related_and_hints(kb: Make) -> None:
    root = kb(
        articles(
            {
                "billing/plans.md": "# Plans\n\n## Annual plans\n",
                "billing/Refunds.md": "# Refunds\n",
                "images/logo.png": "PNG",
                "index.md": (
                    "# Home\n\n"
                    "See [plans](billing/plans.md#annual) and [refunds](billing/refunds.md).\n\n"
                    '  <img src="images/logo.PNG"> ![old](images/log.png)\n\n'
                    "[pricing](billing/pricing)\n"
                ),
            }
        )
    )
    findings = {(f.rule, f.line, f.column): f for f in run_kb(root).report.findings}
    anchor = findings[("links/broken-anchor", 8, 5)]
    assert anchor.hint == "did you mean #annual-plans?"
    assert anchor.related == (Location("billing/plans.md"),)
    case = findings[("links/case-mismatch", 8, 42)]
    assert case.related == (Location("billing/Refunds.md"),)
    assert case.hint == "write it as billing/Refunds.md"
    assert ("links/case-mismatch", 10, 3) in findings  # the HTML image
    image = findings[("links/broken-image", 10, 31)]
    assert image.hint == "did you mean images/logo.png?"
    broken = findings[("links/broken-file", 12, 1)]
    assert broken.hint is not None and "billing/pricing.md" not in broken.hint
    assert all(f.line and f.column for f in findings.values())


def test_a_kept_hint_follows_the_files(kb: Make) -> None:
    """A finding kept from the last run is reused only while the files stay the same: a
    kept "did you mean" must never name a file that is gone or hide a better one."""
    root = kb(
        articles(
            {
                "index.md": "# Home\n\nSee [the guide](guide-v1.md).\n",
                "guide-v2.md": "# Guide\n",
            }
        )
    )

    def hint() -> str | None:
        findings = run_kb(root, cache=True, replay=False).report.findings
        (finding,) = [f for f in findings if f.rule == "links/broken-file"]
        return finding.hint

    assert hint() == "did you mean guide-v2.md?"
    assert hint() == "did you mean guide-v2.md?"
    (root / "guide-v1.markdown").write_text("# Guide, first version\n", encoding="utf-8")
    assert hint() == "did you mean guide-v1.markdown?"
    (root / "guide-v1.markdown").unlink()
    assert hint() == "did you mean guide-v2.md?"


def test_extensionless_link_in_file_style_suggests_pretty(kb: Make) -> None:
    root = kb(articles({"refunds.md": "# Refunds\n", "index.md": "[r](refunds)\n"}))
    (finding,) = run_kb(root).report.findings
    assert finding.rule == "links/broken-file"
    assert finding.hint is not None and 'link_style = "pretty"' in finding.hint


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlinks_out_of_the_root_are_reported_and_never_read(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"secret.md": "# Secret\n\n## Inside\n"})
    root = write_tree(
        tmp_path / "kb",
        articles(
            {
                "index.md": (
                    "# Home\n\n[folder](shared/secret.md#inside)\n\n[file](linked.md#inside)\n"
                ),
            }
        ),
    )
    os.symlink(outside, root / "shared")
    os.symlink(outside / "secret.md", root / "linked.md")
    result = lint([root], parse_config({}, None), LintOptions(today=FIXTURE_TODAY))
    found = sorted(
        (f.path, f.line, f.rule) for f in result.report.findings if f.rule.startswith("links/")
    )
    assert found == [
        ("index.md", 8, "links/outside-root"),
        ("index.md", 10, "links/outside-root"),
    ]
    assert "secret.md" not in {article.title for article in result.corpus}


# --- rule documentation ---------------------------------------------------------------------

INTERNAL_LINK_RULES = [
    "links/broken-file",
    "links/broken-anchor",
    "links/broken-image",
    "links/case-mismatch",
    "links/outside-root",
]


@pytest.mark.parametrize("rule_id", INTERNAL_LINK_RULES)
def test_docs_example_fires(rule_id: str, tmp_path: Path) -> None:
    rule = load_registry().rules[rule_id]
    root = write_tree(tmp_path / "kb", split_example(rule.docs().example))
    fired = [f for f in run_kb(root).report.findings if f.rule == rule_id]
    assert fired


def test_external_dead_docs_example_fires(tmp_path: Path) -> None:
    """Its example links to port 9 on 127.0.0.1, where nothing listens: refused, so dead."""
    rule = load_registry().rules["links/external-dead"]
    root = write_tree(tmp_path / "kb", split_example(rule.docs().example))
    options = LintOptions(today=FIXTURE_TODAY, external=True, cache=False)
    findings = lint([root], parse_config({"external": {"retries": 0}}, None), options)
    assert [f.rule for f in findings.report.findings if f.rule.startswith("links/")] == [
        "links/external-dead"
    ]


# --- configuration and cache ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"link_style": "pretty-urls"}, "'link_style' is invalid"),
        ({"external": {"per_host": 0}}, "'external.per_host' is invalid"),
        ({"external": {"timeout": "soon"}}, "'external.timeout' is invalid"),
        ({"external": {"timeout": 0}}, "'external.timeout' must be more than zero"),
        ({"external": {"accept": [42]}}, "'external.accept' is invalid"),
        ({"external": {"cache_max_age": "1m"}}, "'external.cache_max_age' is invalid"),
        ({"external": {"header": {}}}, "did you mean 'headers'?"),
        ({"external": {"headers": {"x.io": {"Auth": 3}}}}, "'external.headers.\"x.io\".Auth'"),
    ],
)
def test_external_configuration_is_validated(data: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, Path("kbcheck.toml"))
    assert message in str(caught.value)


def test_cache_folder(tmp_path: Path) -> None:
    folder = CacheFolder.for_root(tmp_path)
    assert folder.read_json("doc.json", 1) is None
    folder.write_json("doc.json", 1, {"entries": {"a": 1}})
    assert folder.read_json("doc.json", 1) == {"version": 1, "entries": {"a": 1}}
    assert folder.read_json("doc.json", 2) is None  # another format version: ignored
    assert (folder.path / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder.path / "CACHEDIR.TAG").read_text().startswith("Signature: ")
    (folder.path / "doc.json").write_bytes(b"\xff\xfe garbage")
    assert folder.read_json("doc.json", 1) is None


def test_unwritable_cache_is_a_notice_not_a_crash(tmp_path: Path) -> None:
    """A cache_dir that cannot be created (a file is in the way) is reported and skipped."""
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    with link_server() as server:
        root = write_tree(tmp_path / "kb", articles({"a.md": f"[x]({server.url('/ok')})\n"}))
        config = parse_config({"cache_dir": str(blocker / "cache")}, tmp_path / "k.toml")
        result = lint([root], config, LintOptions(today=FIXTURE_TODAY, external=True))
    assert result.report.findings == ()
    assert any("cannot write the link cache" in notice for notice in result.report.notices)
