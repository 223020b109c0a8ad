"""`--format html`: one self-contained page, checked as text and in a real headless Chromium.

Without a browser the browser tests skip and say how to install one, except in CI (`CI` set,
as `.ci/run` runs), where a missing browser fails: the HTML report is only tested when a real
browser has rendered it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kbcheck.config import find_config, load_config
from kbcheck.engine import lint
from kbcheck.formats import RenderOptions, render
from tests.conftest import run_kb
from tests.headless_browser import INSTALL_HINT, Browser, find_browser

EXAMPLE = Path(__file__).parent.parent / "examples" / "helpcenter"
HOSTILE_TITLE = '</code><script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">'


def example_html(**options: object) -> str:
    report = lint([EXAMPLE], load_config(find_config(EXAMPLE))).report
    return render(report, "html", RenderOptions(version="0.1.0", **options))  # type: ignore[arg-type]


def hostile_kb(root: Path) -> Path:
    """An article whose title, owner and link try to become markup."""
    from tests.conftest import write_tree

    return write_tree(
        root,
        {
            "evil.md": (
                "---\n"
                f"title: '{HOSTILE_TITLE}'\n"
                "owner: '<b>\"team\"</b>'\n"
                "---\n"
                "# Evil\n\n[gone](gone.md?q=</script><script>alert(1)</script>)\n"
            ),
            "fine.md": "---\ntitle: Fine\nowner: ana\nlast_reviewed: 2026-05-01\n---\n# Fine\n",
        },
    )


# --- as text ---------------------------------------------------------------------------------


def test_report_is_self_contained() -> None:
    page = example_html()
    assert page.startswith("<!doctype html>")
    # Nothing is fetched: no external script, stylesheet, image or font, whatever the host.
    assert not re.search(r"""<(script|link|img|iframe)[^>]*\s(src|href)=""", page)
    assert "@import" not in page and "url(" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "default-src 'none'" in csp.group(1)


def test_report_has_summary_chart_articles_and_tables() -> None:
    page = example_html()
    assert '<div class="value">85.7%</div><div class="label">fresh</div>' in page
    assert '<div class="chart"' in page and page.count('<rect class="fill-') >= 9
    assert page.count('<li class="article"') == 15
    assert page.count('<tr class="finding"') == 16
    assert 'data-path="billing/taxes-and-vat.md"' in page
    assert '<table class="groups" id="by-owner">' in page
    assert '<table class="groups" id="by-folder">' in page
    # Worst first: the article contradicting a configured fact (highest risk) leads.
    first = re.search(r'<li class="article"[^>]*data-path="([^"]+)"', page)
    assert first and first.group(1) == "account/closing-your-account.md"


def test_top_limits_the_article_list() -> None:
    page = example_html(top=3)
    assert page.count('<li class="article"') == 3
    assert "The 3 riskiest of 15 flagged articles." in page


def test_article_text_is_escaped(tmp_path: Path) -> None:
    report = run_kb(hostile_kb(tmp_path / "kb")).report
    page = render(report, "html", RenderOptions())
    assert "<script>window.pwned" not in page
    assert "<img src=" not in page
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # the report's own script, nothing else


# --- in a browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_browser()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a browser for the HTML report test: {INSTALL_HINT}")
        pytest.skip(f"no Chromium found: {INSTALL_HINT}")
    with Browser(executable) as running:
        yield running


def open_page(browser: Browser, path: Path) -> None:
    browser.open(path.resolve().as_uri())


def visible(browser: Browser, selector: str) -> list[str]:
    """data-path / data-rule of the elements matching `selector` that are not hidden."""
    script = (
        f"Array.from(document.querySelectorAll({json.dumps(selector)}))"
        ".filter(e => e.offsetParent !== null)"
        ".map(e => e.getAttribute('data-path') || e.getAttribute('data-rule'))"
    )
    return browser.evaluate(script)


def choose(browser: Browser, select_id: str, value: str) -> None:
    browser.evaluate(
        f"(() => {{ const s = document.getElementById({json.dumps(select_id)});"
        f" s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change')); }})()"
    )


def test_browser_renders_example_report_without_errors(browser: Browser, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text(example_html(), encoding="utf-8")
    open_page(browser, target)

    assert browser.evaluate("document.title").startswith("kbcheck report: ")
    articles = visible(browser, "li.article")
    assert len(articles) == 15 and articles[0] == "account/closing-your-account.md"
    assert len(visible(browser, "tr.finding")) == 16
    # The script ran: it wrote the status line.
    status = browser.evaluate("document.getElementById('filter-status').textContent")
    assert status == "Showing 16 findings in 15 of 15 articles"
    assert browser.evaluate("document.querySelectorAll('.chart rect').length") >= 9
    owner_rows = browser.evaluate("document.querySelectorAll('#by-owner tbody tr').length")
    folder_rows = browser.evaluate("document.querySelectorAll('#by-folder tbody tr').length")
    assert (owner_rows, folder_rows) == (8, 8)

    choose(browser, "filter-rule", "links/broken-anchor")
    assert visible(browser, "li.article") == [
        "getting-started/creating-your-account.md",
        "integrations/stripe.md",
    ]
    assert visible(browser, "tr.finding") == ["links/broken-anchor", "links/broken-anchor"]

    choose(browser, "filter-rule", "")
    choose(browser, "filter-owner", "billing-team")
    assert sorted(visible(browser, "li.article")) == [
        "billing/changing-your-plan.md",
        "billing/downloading-receipts.md",
        "billing/invoices-and-receipts.md",
        "billing/plans.md",
        "billing/taxes-and-vat.md",
    ]
    choose(browser, "filter-rule", "owner/missing")  # billing-team has none of these
    assert visible(browser, "li.article") == []
    assert browser.evaluate("document.getElementById('no-match').hidden") is False

    # Clicking an owner in the per-owner table filters the list by that owner.
    browser.evaluate(
        "document.querySelector('#by-owner button[data-owner=\"(no owner)\"]').click()"
    )
    assert visible(browser, "li.article") == ["getting-started/quick-tour.md"]

    assert browser.problems.all_errors == []
    assert [url for url in browser.problems.requests if not url.startswith("file:")] == []


def test_browser_keeps_hostile_article_text_as_text(browser: Browser, tmp_path: Path) -> None:
    report = run_kb(hostile_kb(tmp_path / "kb")).report
    target = tmp_path / "hostile.html"
    target.write_text(render(report, "html", RenderOptions()), encoding="utf-8")
    open_page(browser, target)

    assert browser.evaluate("typeof window.pwned") == "undefined"
    titles = browser.evaluate(
        "Array.from(document.querySelectorAll('li.article .title')).map(e => e.textContent)"
    )
    assert titles == [HOSTILE_TITLE]
    owners = browser.evaluate(
        "Array.from(document.getElementById('filter-owner').options).map(o => o.value)"
    )
    assert '<b>"team"</b>' in owners
    choose(browser, "filter-owner", '<b>"team"</b>')
    assert visible(browser, "li.article") == ["evil.md"]
    assert browser.problems.all_errors == []
    assert [url for url in browser.problems.requests if not url.startswith("file:")] == []


def test_browser_harness_sees_console_errors(browser: Browser, tmp_path: Path) -> None:
    """The 'no console errors' checks above would pass vacuously if the harness were deaf:
    a page that logs an error, throws, and breaks its own security policy is caught."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!doctype html><html><head>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'\"></head><body>"
        '<img src="https://example.invalid/pixel.png">'
        "<script>console.error('logged'); setTimeout(() => { throw new Error('thrown'); });"
        "</script></body></html>",
        encoding="utf-8",
    )
    open_page(browser, page)
    browser.evaluate("new Promise(resolve => setTimeout(resolve, 50))")
    assert browser.problems.console_errors == ["logged"]
    assert any("thrown" in text for text in browser.problems.exceptions)
    assert any("Content Security Policy" in text for text in browser.problems.log_errors)
