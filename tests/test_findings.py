"""A rule's findings are reused, without running its check, while everything the check read
is unchanged (kbcheck/incremental/findings.py). Each case edits a copy of the bundled example
help center, then compares the cached run with a run made without the cache: a stale reuse
fails it, and the record of which checks ran shows that the reuse happened."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from kbcheck.config import load_config
from kbcheck.engine import LintOptions, LintResult, lint
from kbcheck.formats import RenderOptions, render
from kbcheck.incremental import findings
from kbcheck.incremental.folder import CACHE_FOLDER_NAME
from kbcheck.link_targets import article_links
from kbcheck.model import Article, Finding
from kbcheck.registry import ArticleRule, CorpusRule, RuleContext, load_registry

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "helpcenter"
RULES = [rule for rule in load_registry().sorted() if not rule.requires]
CORPUS_RULES = sorted(rule.id for rule in RULES if isinstance(rule, CorpusRule))
ARTICLE_RULES = sorted(rule.id for rule in RULES if not isinstance(rule, CorpusRule))
#: What a corpus rule's check is recorded as having been asked about.
WHOLE = "*"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "helpcenter"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(CACHE_FOLDER_NAME))
    return root


#: The rules whose check ran, each with the articles it checked (WHOLE for a corpus rule).
Checked = dict[str, set[str]]


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Checked:
    asked: Checked = {}
    for rule in RULES:
        original = type(rule).check
        if isinstance(rule, CorpusRule):

            def counted_corpus(
                self: CorpusRule[Any], extracts: Any, ctx: RuleContext, original: Any = original
            ) -> Iterable[Finding]:
                asked.setdefault(self.id, set()).add(WHOLE)
                return original(self, extracts, ctx)  # type: ignore[no-any-return]

            monkeypatch.setattr(type(rule), "check", counted_corpus)
        else:

            def counted(
                self: ArticleRule, article: Article, ctx: RuleContext, original: Any = original
            ) -> Iterable[Finding]:
                asked.setdefault(self.id, set()).add(article.path)
                return original(self, article, ctx)  # type: ignore[no-any-return]

            monkeypatch.setattr(type(rule), "check", counted)
    return asked


def _check(root: Path, paths: Iterable[Path] = (), **options: object) -> LintResult:
    config = load_config(root / "kbcheck.toml")
    # Never replayed: these tests are about the rules that run when a report is not.
    chosen = LintOptions(jobs=1, replay=False, **options)  # type: ignore[arg-type]
    return lint(list(paths) or [root], config, chosen)


def _json(result: LintResult) -> str:
    return render(result.report, "json", RenderOptions(version="test"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_an_edit_checks_again_only_what_it_touched(kb: Path, checked: Checked) -> None:
    first = _check(kb)
    assert sorted(checked) == sorted(rule.id for rule in first.report.rules)
    checked.clear()
    plans = "billing/plans.md"
    _append(kb / plans, "\nThis page was tidied up.\n")
    second = _check(kb)
    # The prose changed, so near-duplicates are measured again; the claims did not, so
    # conflicting values are not; every article rule checks the edited page alone, and the
    # anchor rule also the pages whose links read its headings.
    corpus_rules = sorted(rule for rule in checked if rule in CORPUS_RULES)
    assert corpus_rules == ["contradiction/near-duplicate"]
    for rule in ARTICLE_RULES:
        if rule != "links/broken-anchor":
            assert checked.get(rule, set()) <= {plans}, rule
    assert _json(second) == _json(_check(kb, cache=False)) == _json(first)
    checked.clear()
    _check(kb)
    assert checked == {}


def test_a_link_rule_checks_again_only_the_edited_article_and_those_linking_into_it(
    kb: Path, checked: Checked
) -> None:
    first = _check(kb)
    plans = "billing/plans.md"
    linking = {
        article.path
        for article in first.corpus
        for resolved in article_links(article, first.corpus, None)
        if resolved.target.fragment and resolved.located and resolved.located.file == plans
    }
    assert linking - {plans}  # the example has pages linking to its sections
    checked.clear()
    _append(kb / plans, "\n## Annual billing\n\nYearly.\n")
    second = _check(kb)
    assert checked["links/broken-anchor"] == linking | {plans}
    assert checked["links/broken-file"] == {plans}  # reads no other page
    assert _json(second) == _json(_check(kb, cache=False))


CHANGES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    # A heading the example's broken anchor link asks for.
    "heading added": (
        lambda root: _append(root / "billing" / "plans.md", "\n## Annual billing\n\nYearly.\n"),
        {"links/broken-anchor"},
    ),
    "link changed": (
        lambda root: _edit(
            root / "billing" / "changing-your-plan.md",
            "../account/export-data.md",
            "../account/exporting-data.md",
        ),
        {"links/broken-file"},
    ),
    # The example's conflicting value made to agree.
    "claim changed": (
        lambda root: _edit(
            root / "troubleshooting" / "emails-not-delivered.md", "24 hours", "60 minutes"
        ),
        {"contradiction/conflicting-values"},
    ),
    "duplicate reworded": (
        lambda root: (root / "billing" / "downloading-receipts.md").write_text(
            "---\ntitle: Downloading receipts\nowner: billing-team\n"
            "last_reviewed: 2026-10-01\n---\n# Downloading receipts\n\n"
            "Open Billing, pick a month and press Download.\n",
            encoding="utf-8",
        ),
        {"contradiction/near-duplicate"},
    ),
    "missing file added": (
        lambda root: (root / "account" / "export-data.md").write_text(
            "# Export\n", encoding="utf-8"
        ),
        {"links/broken-file"},
    ),
    "image deleted": (
        lambda root: (root / "images" / "dashboard.png").unlink(),
        {"links/broken-image"},
    ),
    "option changed": (
        lambda root: _append(
            root / "kbcheck.toml", '\n[rules."contradiction/near-duplicate"]\nthreshold = 0.9\n'
        ),
        {"contradiction/near-duplicate"},
    ),
    "severity changed": (
        lambda root: _append(
            root / "kbcheck.toml", '\n[rules."links/broken-file"]\nseverity = "info"\n'
        ),
        {"links/broken-file"},
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_changed_input_runs_the_rules_that_read_it(
    kb: Path, checked: Checked, change: str
) -> None:
    """Each change alters the findings of the rules named with it: a reused stale finding
    would show in the comparison with a run without the cache."""
    edit, altered = CHANGES[change]
    before = _check(kb)
    edit(kb)
    checked.clear()
    after = _check(kb)
    assert altered <= set(checked)
    fresh = _check(kb, cache=False)
    assert _json(after) == _json(fresh)
    changed = {f.rule for f in set(before.report.findings) ^ set(fresh.report.findings)}
    assert altered <= changed


def test_runs_over_other_paths_do_not_share_findings(kb: Path) -> None:
    """Corpus rules report on the selected articles only: the findings of a run over one
    folder are not those of the whole knowledge base, nor the other way round."""
    # Two folders: the root stays the configuration's folder, only the selection changes.
    only = [kb / "billing", kb / "getting-started"]
    for paths in (only, [kb], only):
        assert _json(_check(kb, paths)) == _json(_check(kb, paths, cache=False))


class FailsOnce(CorpusRule[int]):
    """Test rule."""

    id = "test/fails-once"
    calls = 0

    def extract(self, article: Article) -> int:
        return len(article.title)

    def check(self, extracts: Mapping[str, int], ctx: RuleContext) -> Iterable[Finding]:
        FailsOnce.calls += 1
        if FailsOnce.calls == 1:
            raise RuntimeError("flaky")
        return [ctx.report("index.md", "checked")]


def test_a_rule_that_failed_is_run_again(kb: Path) -> None:
    registry = load_registry()
    registry.add(FailsOnce, "test")
    config = load_config(kb / "kbcheck.toml")
    options = LintOptions(jobs=1, replay=False)
    first = lint([kb], config, options, registry)
    assert any("failed: RuntimeError: flaky" in notice for notice in first.report.notices)
    second = lint([kb], config, options, registry)
    third = lint([kb], config, options, registry)
    assert FailsOnce.calls == 2  # the failure was not kept; the success was
    assert [f.message for f in second.report.findings if f.rule == FailsOnce.id] == ["checked"]
    assert second.report.findings == third.report.findings


def test_a_findings_document_this_machine_did_not_write_is_ignored(
    kb: Path, checked: Checked
) -> None:
    _check(kb)
    document = kb / CACHE_FOLDER_NAME / findings.document("links/broken-file")
    assert document.exists()
    # A document committed with the repository, claiming there is nothing to report.
    document.write_text('{"version": 2, "rule": "x", "entry": {}}', encoding="utf-8")
    checked.clear()
    result = _check(kb)
    assert list(checked) == ["links/broken-file"]  # every other rule's document is its own
    assert checked["links/broken-file"] == set(result.corpus.selected)
    assert _json(result) == _json(_check(kb, cache=False))
