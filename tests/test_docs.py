"""kbcheck checks its own documentation: the README and every page under docs/ link only to
files and headings that exist, and the README stays a short front page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).parent.parent
PAGES = ["README.md", "SECURITY.md", "docs"]
OPTIONS = ["--select", "links", "--no-cache", "--format", "concise", "--fail-on", "warning"]


def test_the_documentation_has_no_broken_link_or_anchor() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kbcheck", "check", *PAGES, *OPTIONS],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_is_a_front_page_that_links_every_docs_page() -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300
    for page in sorted((REPOSITORY / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in readme, f"the README does not link docs/{page.name}"
