"""The Docusaurus preset: values read from the config as text, URLs as Docusaurus makes
them, and a config it cannot read is one notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbcheck.site.detect import site_spec
from kbcheck.site.docusaurus import doc_slug, strip_number_prefix
from kbcheck.site.js_values import UNKNOWN, JsObject, read_js_values
from kbcheck.site.model import variant_of, variant_patterns
from tests.conftest import run_kb, write_tree

CONFIG = """
const LAST = '2.x';
export default {
  url: 'https://help.acme.example',
  "baseUrl": "/support/",
  staticDirectories: ['static', 'public'],
  presets: [['classic', /** @type {Options} */ ({
    docs: { path: 'kb', routeBasePath: 'articles', lastVersion: LAST },
    blog: false,
  }) satisfies Options]],
  plugins: [['client-redirects', {redirects: [{from: ['/old', '/older'], to: '/articles/a'}]}],
    ['@docusaurus/plugin-content-docs',
    { id: 'api', path: 'api', routeBasePath: isDev ? 'x' : 'api' }]],
};
"""


def test_literals_are_read_and_expressions_are_unknown() -> None:
    values = read_js_values(CONFIG)
    site = next(obj for obj in values.objects if "baseUrl" in obj)
    assert site.get("baseUrl") == "/support/"
    assert site.get("staticDirectories") == ["static", "public"]
    docs = next(obj.get("docs") for obj in values.objects if "docs" in obj)
    assert isinstance(docs, JsObject)
    assert docs.get("lastVersion") == "2.x"  # a top-level const stands in for its name
    plugin = next(values.arrays_starting_with(("content-docs",)))
    assert isinstance(plugin[1], JsObject)
    assert plugin[1].get("routeBasePath") is UNKNOWN


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("01-intro", "intro"),
        ("003 - my doc", "my doc"),
        ("2021-01-02-post", "2021-01-02-post"),
        ("8.0-notes", "8.0-notes"),
        ("intro", "intro"),
    ],
)
def test_number_prefixes_are_stripped_as_docusaurus_does(name: str, expected: str) -> None:
    assert strip_number_prefix(name) == expected


def test_doc_slugs() -> None:
    assert doc_slug("01-guides/02-setup.md", {}) == "/guides/setup"
    assert doc_slug("guides/index.md", {}) == "/guides/"
    assert doc_slug("guides/guides.mdx", {}) == "/guides/"
    assert doc_slug("guides/setup.md", {"id": "install"}) == "/guides/install"
    assert doc_slug("guides/setup.md", {"slug": "../start"}) == "/start"
    assert doc_slug("guides/setup.md", {"slug": "/setup"}) == "/setup"


def test_versions_routes_and_a_computed_value_notice(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "site",
        {
            "docusaurus.config.ts": CONFIG,
            "versions.json": '["2.x", "1.x"]',
            "versioned_docs/version-2.x/a.md": "# A\n",
            "versioned_docs/version-1.x/a.md": "# A\n",
            "kb/a.md": "# A\n",
            "api/a.md": "# A\n",
        },
    )
    spec = site_spec(root, None)
    assert spec.base == "/support"
    assert ("/articles/", "versioned_docs/version-2.x/") in spec.paths
    assert ("/articles/1.x/", "versioned_docs/version-1.x/") in spec.paths
    assert ("/articles/next/", "kb/") in spec.paths
    assert ("/docs/", "api/") in spec.paths  # the default route, with a notice
    assert spec.static == ("static/", "public/")
    assert spec.redirects == (("/old", "/articles/a"), ("/older", "/articles/a"))
    assert [n for n in spec.notices if "routeBasePath" in n]


def test_a_site_in_website_folder_is_found_and_a_broken_versions_file_is_one_notice(
    tmp_path: Path,
) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            "website/docusaurus.config.js": (
                "module.exports = {baseUrl: '/', presets: [['classic', {docs: {path: '../docs'"
            ),
            "website/versions.json": "{not json",
            "docs/intro.md": "# Intro\n\n[Setup](setup.md) and [gone](gone.md)\n",
            "docs/setup.md": "# Setup\n",
        },
    )
    result = run_kb(root, select=("links",))
    findings = sorted(f"{f.path}:{f.line}:{f.rule}" for f in result.report.findings)
    assert findings == ["docs/intro.md:3:links/broken-file"]
    assert any("versions.json" in n and "not valid JSON" in n for n in result.report.notices)


def test_each_docs_version_folder_is_a_variant(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "site",
        {
            "docusaurus.config.js": "module.exports = {presets: [['classic', {docs: {}}]]};",
            "versions.json": '["2.x", "1.x"]',
            "versioned_docs/version-2.x/setup/install.md": "# Install\n",
            "versioned_docs/version-1.x/setup/install.md": "# Install\n",
            "docs/setup/install.md": "# Install\n",
            "blog/2024-01-02-launch.md": "# Launch\n",
        },
    )
    spec = site_spec(root, None)
    patterns = variant_patterns(spec.variants)
    assert variant_of("versioned_docs/version-1.x/setup/install.md", patterns) == (
        "versioned_docs/version-1.x/"
    )
    assert variant_of("docs/setup/install.md", patterns) == "docs/"
    assert variant_of("blog/2024-01-02-launch.md", patterns) is None


def test_an_unversioned_site_has_no_variants(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "site",
        {
            "docusaurus.config.js": "module.exports = {presets: [['classic', {docs: {}}]]};",
            "docs/setup/install.md": "# Install\n",
        },
    )
    assert site_spec(root, None).variants == ()
