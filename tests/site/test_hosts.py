"""The host's redirects beside a site: exact ones for the URL table, placeholder ones as
patterns, fallbacks and rewrites left out, a broken file one notice."""

from __future__ import annotations

from pathlib import Path

from kbcheck.site.hosts import host_redirects
from tests.conftest import write_tree


def test_vercel_netlify_and_redirects_files(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "vercel.json": (
                '{"redirects": [{"source": "/docs/old-page", "destination": "/docs/new-page"},'
                ' {"source": "/docs/:version/setup", "destination": "/guides/setup"},'
                ' {"source": "/:path*", "destination": "/index.html"}]}'
            ),
            "netlify.toml": '[[redirects]]\nfrom = "/billing"\nto = "/docs/billing"\n',
            "static/_redirects": "/2.x/*  /:splat  302\n/app/*  /index.html  200\n",
        },
    )
    notices: list[str] = []
    found = host_redirects([root], [root / "static"], root, notices)
    assert found.exact == (("/docs/old-page", "/docs/new-page"), ("/billing", "/docs/billing"))
    assert found.patterns[0].apply("/docs/next/setup") == "/guides/setup"
    assert found.patterns[1].apply("/2.x/cli/add") == "/cli/add"
    assert len(found.patterns) == 2  # the catch-all and the 200 rewrite are not redirects
    assert not notices


def test_a_broken_host_file_is_one_notice(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"vercel.json": '{"redirects": [', "netlify.toml": "[[x"})
    notices: list[str] = []
    found = host_redirects([root], [], root, notices)
    assert found.exact == () and found.patterns == ()
    assert len(notices) == 2 and all("no redirects" in notice for notice in notices)
