"""Per-article summaries: computed once per article content, kept in the parse cache, and
recomputed when the content, the summary's version or the stored data says so."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from benchmarks.generate_kb import write_kb
from kbcheck.article import ParseSettings
from kbcheck.config import load_config
from kbcheck.engine import LintOptions, lint
from kbcheck.formats import RenderOptions, render
from kbcheck.incremental.extracts import Extractor
from kbcheck.incremental.folder import CacheFolder
from kbcheck.incremental.parse_cache import ParseStats, parse_articles, shard_document
from kbcheck.model import Article, Finding
from tests.conftest import write_tree

CALLS: list[str] = []


def _count_words(article: Article) -> int:
    CALLS.append(article.path)
    return sum(len(block.text.split()) for block in article.blocks)


def _as_is(value: object) -> object:
    return value


def _strict_int(data: object) -> int:
    if not isinstance(data, int):
        raise TypeError("not a count")
    return data


def _unencodable(article: Article) -> set[str]:
    return {article.path}


def _broken(article: Article) -> int:
    raise RuntimeError("extraction bug")


WORDS: Extractor[int] = Extractor("test-words", 1, _count_words, _as_is, _strict_int)
WORDS_V2: Extractor[int] = Extractor("test-words", 2, _count_words, _as_is, _strict_int)
A_SET: Extractor[set[str]] = Extractor("test-set", 1, _unencodable, _as_is, _as_is)  # type: ignore[arg-type]
BROKEN: Extractor[int] = Extractor("test-broken", 1, _broken, _as_is, _strict_int)


@pytest.fixture
def kb(tmp_path: Path) -> tuple[Path, CacheFolder]:
    pages = {f"a{n}.md": f"# Page {n}\n\n" + "word " * (n + 1) + "\n" for n in range(5)}
    return write_tree(tmp_path / "kb", pages), CacheFolder(tmp_path / "cache")


def load(root: Path, cache: CacheFolder, *wanted: Extractor[object]) -> tuple[dict, ParseStats]:
    stats = ParseStats()
    relatives = sorted(path.name for path in root.glob("*.md"))
    articles = parse_articles(
        root, relatives, ParseSettings(), cache=cache, stats=stats, jobs=1, wanted=wanted
    )
    return articles, stats


def test_a_summary_is_computed_once_per_content(kb) -> None:
    root, cache = kb
    CALLS.clear()
    articles, stats = load(root, cache, WORDS)
    assert stats.summarised == 5 and len(CALLS) == 5
    articles, stats = load(root, cache, WORDS)
    assert (stats.parsed, stats.summarised) == (0, 0)
    assert [WORDS.of(articles[f"a{n}.md"]) for n in range(5)] == [3, 4, 5, 6, 7]
    assert len(CALLS) == 5  # decoded from the cache, not computed
    (root / "a2.md").write_text("# Edited\n\nfew words\n", encoding="utf-8")
    articles, stats = load(root, cache, WORDS)
    assert (stats.parsed, stats.summarised) == (1, 1)
    assert CALLS[5:] == ["a2.md"] and WORDS.of(articles["a2.md"]) == 3


def test_a_new_version_recomputes_and_replaces_the_old_one(kb) -> None:
    root, cache = kb
    load(root, cache, WORDS)
    _, stats = load(root, cache, WORDS_V2)
    assert stats.summarised == 5
    document = json.loads((cache.path / shard_document("a0.md")).read_text("utf-8"))
    stored = document["articles"]["a0.md"]["summaries"]
    assert list(stored) == [WORDS_V2.fingerprint]


def test_a_summary_nobody_asked_for_stays_in_the_cache(kb) -> None:
    root, cache = kb
    load(root, cache, WORDS)
    _, stats = load(root, cache)  # a run whose rules want no summary
    articles, stats = load(root, cache, WORDS)
    assert stats.summarised == 0 and WORDS.of(articles["a4.md"]) == 7


def test_damaged_summary_data_is_computed_again(kb) -> None:
    root, cache = kb
    load(root, cache, WORDS)
    path = cache.path / shard_document("a1.md")
    document = json.loads(path.read_text("utf-8"))
    document["articles"]["a1.md"]["summaries"][WORDS.fingerprint] = "garbage"
    path.write_text(json.dumps(document), "utf-8")
    CALLS.clear()
    articles, _ = load(root, cache, WORDS)
    assert WORDS.of(articles["a1.md"]) == 4 and CALLS == ["a1.md"]


def test_what_json_cannot_hold_is_not_cached_and_costs_nothing_else(kb) -> None:
    root, cache = kb
    load(root, cache, A_SET, WORDS)
    articles, stats = load(root, cache, A_SET, WORDS)
    assert stats.parsed == 0  # the articles and the other summary were cached
    assert stats.summarised == 5  # the set is computed again every run
    assert A_SET.of(articles["a0.md"]) == {"a0.md"}


def test_a_failing_summary_does_not_stop_the_parse_but_its_rule_fails(kb) -> None:
    root, cache = kb
    articles, stats = load(root, cache, BROKEN)
    assert stats.parsed == 5
    with pytest.raises(RuntimeError, match="extraction bug"):
        BROKEN.of(articles["a0.md"])


def test_warm_and_edited_runs_report_what_a_cold_run_reports(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    write_kb(root, 60)
    config = load_config(root / "kbcheck.toml")

    def run(cache: bool) -> tuple[str, ParseStats]:
        result = lint([root], config, LintOptions(cache=cache, jobs=1))
        return render(result.report, "json", RenderOptions(version="t")), result.parse_stats

    cold, _ = run(cache=False)
    first, stats = run(cache=True)
    assert first == cold and stats.summarised == 60
    warm, stats = run(cache=True)
    assert warm == cold and (stats.parsed, stats.summarised) == (0, 0)
    edited = next(root.rglob("*.md"))
    edited.write_text(edited.read_text("utf-8") + "\nOffer valid until March 31, 2020.\n")
    after_edit, stats = run(cache=True)
    assert (stats.parsed, stats.summarised) == (1, 1)
    assert after_edit == run(cache=False)[0]
    assert "expired-mention" in after_edit


def test_a_rule_defined_in_a_function_works_with_worker_processes(tmp_path: Path) -> None:
    """Its extract cannot travel to a worker (its class cannot be found there by name): it
    is computed in this process instead, and the run gives what a serial run gives."""
    from kbcheck.api import CorpusRule, RuleContext
    from kbcheck.incremental.parse_cache import PARALLEL_THRESHOLD
    from kbcheck.registry import load_registry

    class TitleLength(CorpusRule[int]):
        """Test rule."""

        id = "test/title-length"

        def extract(self, article: Article) -> int:
            return len(article.title)

        def check(self, extracts: Mapping[str, int], ctx: RuleContext) -> Iterable[Finding]:
            longest = max(extracts, key=lambda path: (extracts[path], path))
            yield ctx.report(longest, f"longest title: {extracts[longest]} characters")

    pages = {f"p{n:03d}.md": f"# Page number {'x' * (n % 37)}\n" for n in range(PARALLEL_THRESHOLD)}
    root = write_tree(tmp_path / "kb", pages)
    registry = load_registry()
    registry.add(TitleLength, "test")
    config = load_config(None)
    reports = []
    for jobs in (2, 1):
        options = LintOptions(jobs=jobs, cache=False, select=("test",))
        result = lint([root], config, options, registry)
        assert result.parse_stats.workers == jobs
        reports.append([f.message for f in result.report.findings])
    assert reports[0] == reports[1] == ["longest title: 48 characters"]
