"""Parsing at scale: the cache re-parses only what changed, and worker processes give exactly
what a serial run gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kbcheck.incremental.parse_cache as parsing
from benchmarks.generate_kb import write_kb
from kbcheck.article import ParseSettings
from kbcheck.config import load_config
from kbcheck.engine import LintOptions, lint
from kbcheck.formats import RenderOptions, render
from kbcheck.incremental.article_codec import FIELDS
from kbcheck.incremental.folder import CacheFolder
from kbcheck.incremental.parse_cache import ParseStats, parse_articles, shard_document
from kbcheck.model import Article
from tests.conftest import write_tree

PAGE = "---\ntitle: {n}\nowner: a\nlast_reviewed: 2026-05-01\n---\n# {n}\n\n## Part one\n"


def parse(root: Path, settings: ParseSettings | None = None, **kwargs: object) -> ParseStats:
    stats = ParseStats()
    relatives = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    parse_articles(root, relatives, settings or ParseSettings(), stats=stats, **kwargs)
    return stats


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, CacheFolder]:
    root = write_tree(tmp_path / "kb", {f"a{n}.md": PAGE.format(n=n) for n in range(5)})
    return root, CacheFolder(tmp_path / "cache")


def test_second_run_parses_nothing_and_an_edit_reparses_one(small) -> None:
    root, cache = small
    assert parse(root, cache=cache).parsed == 5
    warm = parse(root, cache=cache)
    assert (warm.parsed, warm.from_cache) == (0, 5)
    (root / "a3.md").write_text(PAGE.format(n="three, edited"), encoding="utf-8")
    edited = parse(root, cache=cache)
    assert (edited.parsed, edited.from_cache) == (1, 4)


def test_parse_settings_and_version_invalidate_the_cache(small, monkeypatch) -> None:
    root, cache = small
    parse(root, cache=cache)
    assert parse(root, ParseSettings(anchor_style="mkdocs"), cache=cache).parsed == 5
    assert parse(root, ParseSettings(anchor_style="mkdocs"), cache=cache).parsed == 0
    monkeypatch.setattr(parsing, "__version__", "99.0.0")
    assert parse(root, ParseSettings(anchor_style="mkdocs"), cache=cache).parsed == 5


def test_cached_articles_equal_freshly_parsed_ones(small) -> None:
    root, cache = small
    (root / "rich.md").write_text(
        "---\ntitle: Rich\nowner: [a, b]\nlast_reviewed: 2026-05-01T10:00:00+02:00\n"
        "review_every: 6m\nexpires: 2027-01-01\nextra: {when: 2026-01-02, tags: [x]}\n"
        "kbcheck: {ignore: [age/stale]}\n---\n# Rich\n\n| a | b |\n|---|---|\n| [l](x.md) | 2 |\n"
        "<!-- kbcheck-disable-next-line links -->\n![i](i.png) <a name='n'></a>\n",
        encoding="utf-8",
    )
    relatives = sorted(p.name for p in root.glob("*.md"))
    fresh = parse_articles(root, relatives, ParseSettings(), cache=cache)
    cached = parse_articles(root, relatives, ParseSettings(), cache=cache)
    assert cached == fresh


def test_a_cache_written_on_another_machine_is_never_read(
    small, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request can commit a cache folder; only what this machine wrote is read back
    (each document carries a tag made with a secret kept in the user's cache folder)."""
    root, cache = small
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    assert parse(root, cache=cache).parsed == 5
    assert parse(root, cache=cache).parsed == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "here"))
    assert parse(root, cache=cache).parsed == 5
    assert parse(root, cache=cache).parsed == 0


def test_a_damaged_cache_is_ignored(small) -> None:
    root, cache = small
    parse(root, cache=cache)
    for shard in cache.path.glob("articles-*.json"):
        shard.write_text('{"version": 4, "key": "x", "articles": [1, 2', "utf-8")
    assert parse(root, cache=cache).parsed == 5
    path = cache.path / shard_document("a1.md")
    document = json.loads(path.read_text("utf-8"))
    document["articles"]["a1.md"]["article"] = ["a1.md"]  # a truncated entry
    path.write_text(json.dumps(document), "utf-8")
    assert parse(root, cache=cache).parsed == 1
    assert parse(root, cache=cache).parsed == 0  # and the entry was written again
    assert (cache.path / ".gitignore").read_text().strip().endswith("*")


def test_parallel_and_serial_runs_give_identical_json(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    write_kb(root, parsing.PARALLEL_THRESHOLD + 50)
    config = load_config(root / "kbcheck.toml")
    outputs = []
    for jobs in (1, 2):
        result = lint([root], config, LintOptions(cache=False, jobs=jobs))
        assert result.parse_stats.workers == jobs
        outputs.append(render(result.report, "json", RenderOptions(version="test")))
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["summary"]["findings"] > 0


def test_damaged_blocks_are_read_from_the_file_again(small) -> None:
    root, cache = small
    (root / "a1.md").write_text("# One\n\nRefunds take 30 days.\n", encoding="utf-8")
    relatives = sorted(p.name for p in root.glob("*.md"))
    fresh = parse_articles(root, relatives, ParseSettings(), cache=cache)
    path = cache.path / shard_document("a1.md")
    document = json.loads(path.read_text("utf-8"))
    article = document["articles"]["a1.md"]["article"]
    article[FIELDS.index("blocks")] = '[["paragraph", "trunc'
    path.write_text(json.dumps(document), "utf-8")
    stats = ParseStats()
    cached = parse_articles(root, relatives, ParseSettings(), cache=cache, stats=stats)
    assert stats.parsed == 0  # the damage is only found when the blocks are read
    assert [block.text for block in cached["a1.md"].blocks] == ["One", "Refunds take 30 days."]
    assert cached == fresh


def test_an_edit_rewrites_one_shard_and_a_deletion_is_forgotten(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {f"a{n}.md": PAGE.format(n=n) for n in range(200)})
    cache = CacheFolder(tmp_path / "cache")
    parse(root, cache=cache)
    shards = {path.name: path.stat().st_mtime_ns for path in cache.path.glob("articles-*.json")}
    assert len(shards) > 10
    (root / "a7.md").write_text(PAGE.format(n="seven, edited"), encoding="utf-8")
    (root / "a9.md").unlink()
    assert parse(root, cache=cache).parsed == 1
    rewritten = {
        path.name
        for path in cache.path.glob("articles-*.json")
        if path.stat().st_mtime_ns != shards[path.name]
    }
    assert rewritten == {shard_document("a7.md"), shard_document("a9.md")}
    stored = json.loads((cache.path / shard_document("a9.md")).read_text("utf-8"))
    assert "a9.md" not in stored["articles"]
    assert parse(root, cache=cache).parsed == 0


def test_a_config_change_that_matters_reparses_and_one_that_does_not_reuses(
    tmp_path: Path,
) -> None:
    root = write_tree(tmp_path / "kb", {f"a{n}.md": PAGE.format(n=n) for n in range(6)})

    def run(config_text: str) -> ParseStats:
        (root / "kbcheck.toml").write_text(config_text, encoding="utf-8")
        config = load_config(root / "kbcheck.toml")
        return lint([root], config, LintOptions(jobs=1)).parse_stats

    assert run('today = "2026-06-01"\n').parsed == 6
    assert run('today = "2026-06-01"\n').parsed == 0
    # Rule selection and severities do not change what a parse gives: nothing is parsed again.
    assert run('today = "2026-06-01"\nignore = ["age"]\n').parsed == 0
    # The anchor style and the front-matter key names do: every article is parsed again.
    assert run('today = "2026-06-01"\nanchor_style = "gitlab"\n').parsed == 6
    keys = 'today = "2026-06-01"\nanchor_style = "gitlab"\n[keys]\nowner = "maintainer"\n'
    assert run(keys).parsed == 6
    assert run(keys).parsed == 0


def test_an_article_built_from_its_fields_equals_one_built_by_init(small) -> None:
    """The codec builds cached articles without the dataclass __init__ (Article.from_fields):
    the result must be the same article, and a missing or unknown field an error, never an
    article that silently takes a class default."""
    root, _ = small
    parsed = parse_articles(root, ["a1.md"], ParseSettings())["a1.md"]
    fields = {name: getattr(parsed, name) for name in FIELDS}
    rebuilt = Article.from_fields(**fields)
    assert rebuilt == parsed and rebuilt.derived == {}
    assert rebuilt.derived is not Article.from_fields(**fields).derived
    with pytest.raises(TypeError):
        Article.from_fields(**{name: value for name, value in fields.items() if name != "title"})
    with pytest.raises(TypeError):
        Article.from_fields(**fields, colour="red")


def test_a_cached_entry_of_the_wrong_shape_is_parsed_again(small) -> None:
    root, cache = small
    parse(root, cache=cache)
    path = cache.path / shard_document("a2.md")
    document = json.loads(path.read_text("utf-8"))
    article = document["articles"]["a2.md"]["article"]
    article[FIELDS.index("links")] = [["link", "x.md", "text", 3]]  # a row too short
    path.write_text(json.dumps(document), "utf-8")
    assert parse(root, cache=cache).parsed == 1
    assert parse(root, cache=cache).parsed == 0
