"""`--format markdown`: a digest for a PR comment. Rendered here with markdown-it (tables on,
as GitHub does) to check what a reader would see, not just the source text."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from kbcheck.config import find_config, load_config
from kbcheck.engine import lint
from kbcheck.formats import RenderOptions, render
from kbcheck.formats.markdown import code, text
from tests.conftest import run_kb, write_tree

EXAMPLE = Path(__file__).parent.parent / "examples" / "helpcenter"
GFM = MarkdownIt("commonmark", {"html": True}).enable("table")


def example_markdown(**options: object) -> str:
    report = lint([EXAMPLE], load_config(find_config(EXAMPLE))).report
    return render(report, "markdown", RenderOptions(version="0.1.0", **options))  # type: ignore[arg-type]


def test_example_digest() -> None:
    digest = example_markdown()
    assert (
        "**16 findings** in 15 of 28 articles · ✖ 6 errors · ▲ 8 warnings · ● 2 info · "
        "fresh **85.7%** · 2 suppressed"
    ) in digest
    worst = digest.split("### Worst articles", 1)[1]
    assert worst.index("billing/taxes-and-vat.md") < worst.index("integrations/quickbooks.md")
    assert (
        "#### 1. `examples/helpcenter/account/closing-your-account.md` — Closing your account"
        in digest
    )
    assert (
        "#### 2. `examples/helpcenter/billing/taxes-and-vat.md` — Taxes and VAT on your "
        "subscription" in digest
    )
    assert "- ✖ **error** `links/broken-file` (line 29:43): link to" in digest
    assert "  → did you mean ../account/exporting-data.md?" in digest
    html = GFM.render(digest)
    owner_table = html.split("By owner", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", owner_table, re.S)
    assert len(rows) == 1 + 8  # header + one row per owner, "(no owner)" included
    assert "<code>(no owner)</code>" in owner_table
    folder_table = html.split("By folder", 1)[1].split("</table>", 1)[0]
    cells = re.sub(r"<td[^>]*>", "<td>", folder_table).replace("\n", "")
    assert "<td><code>billing</code></td><td>7</td><td>85.7%</td><td>5</td><td>2</td>" in cells


def test_top_limits_the_worst_articles() -> None:
    digest = example_markdown(top=2)
    assert "The 2 riskiest of 15 flagged articles." in digest
    assert digest.count("#### ") == 2


def test_article_text_cannot_become_markup(tmp_path: Path) -> None:
    title = "Pipes | and [a link](https://evil.example) <img src=x onerror=alert(1)> *bold* `tick`"
    root = write_tree(
        tmp_path / "kb",
        {
            "evil.md": f"---\ntitle: '{title}'\nowner: '@org/team | x'\n---\n# Evil\n",
        },
    )
    digest = render(run_kb(root).report, "markdown", RenderOptions())
    html = GFM.render(digest)
    assert "<img" not in html and "<a " not in html and "<em>" not in html
    table = html.split("Worst articles", 1)[1].split("</table>", 1)[0]
    body_row = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1]
    assert body_row.count("<td") == 5  # the '|' in the title did not add a cell
    assert "Pipes | and [a link](https://evil.example) &lt;img src=x" in body_row
    assert "<code>@org/team | x</code>" in body_row  # shown, not a mention


def test_code_spans_hold_backticks_and_pipes() -> None:
    rendered = GFM.render(f"| a |\n|---|\n| {code('a`b|c')} |\n")
    assert "<code>a`b|c</code>" in rendered
    assert GFM.render(text("*a* [b](c) <d> & e")).strip() == "<p>*a* [b](c) &lt;d&gt; &amp; e</p>"


def test_baseline_and_scope_are_said(tmp_path: Path) -> None:
    from dataclasses import replace

    report = lint([EXAMPLE], load_config(find_config(EXAMPLE))).report
    digest = render(
        replace(report, baselined=3, changed_since="origin/main"), "markdown", RenderOptions()
    )
    assert "3 hidden by baseline" in digest
    assert (
        "Only articles changed since `origin/main`, and the articles that link to them." in digest
    )


def test_no_findings() -> None:
    from datetime import date

    from kbcheck.report import Report

    digest = render(
        Report(root="kb", today=date(2026, 6, 1), articles=(), findings=()),
        "markdown",
        RenderOptions(),
    )
    assert "✔ No findings." in digest
