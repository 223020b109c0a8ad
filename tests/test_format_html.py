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
from kbcheck.formats.html import PAGE_SIZE
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


WIDTHS = (360, 1280)  # a small phone, a laptop


def open_page(browser: Browser, path: Path, width: int = 1280) -> None:
    browser.set_viewport(width)
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
    # Searching for the markup finds it as text and runs nothing.
    browser.evaluate(
        "(() => { const s = document.getElementById('filter-text');"
        " s.value = '<script>window.pwned'; s.dispatchEvent(new Event('input')); })()"
    )
    browser.evaluate("new Promise(resolve => setTimeout(resolve, 200))")
    assert visible(browser, "li.article") == ["evil.md"]
    assert browser.evaluate("typeof window.pwned") == "undefined"
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


# --- reading on any screen, finding, sorting, paging ------------------------------------------

LAYOUT = """(() => {
  const shown = selector => Array.from(document.querySelectorAll(selector))
    .filter(element => element.offsetParent !== null);
  const messages = shown('tr.finding td:nth-child(4)').map(c => c.getBoundingClientRect());
  // Lines a row needs for its text at ~9 px a character, plus the cells above the message.
  const excess = shown('tr.finding').map(r => r.getBoundingClientRect().height /
    (23 * (r.textContent.length * 9 / r.cells[3].getBoundingClientRect().width + 3)));
  const labels = shown('.chart .name, .chart .note');
  // Location, severity and rule sit side by side (or stacked), never on top of each other.
  const overlaps = shown('tr.finding').filter(row => {
    const cells = Array.from(row.cells).slice(0, 3);
    const [a, b, c] = cells.map(x => x.getBoundingClientRect());
    const apart = (x, y) => x.right <= y.left + 0.5 || x.bottom <= y.top + 0.5;
    const spills = cells.some(x => x.scrollWidth > x.clientWidth + 1);
    return spills || !apart(a, b) || !apart(b, c);
  }).length;
  return {
    page: document.documentElement.scrollWidth,
    message: Math.min(...messages.map(r => r.width)),
    excess: Math.max(...excess),
    overlaps: overlaps,
    labelFont: Math.min(...labels.map(l => parseFloat(getComputedStyle(l).fontSize))),
    labelsOutside: labels.filter(l => l.getBoundingClientRect().right > innerWidth).length,
    bar: Math.min(...shown('.chart svg').map(s => s.getBoundingClientRect().width)),
  };
})()"""


@pytest.mark.parametrize("width", WIDTHS)
def test_browser_layout_reads_on_phone_and_wide_screen(
    browser: Browser, tmp_path: Path, width: int
) -> None:
    target = tmp_path / "report.html"
    target.write_text(example_html(), encoding="utf-8")
    open_page(browser, target, width)
    layout = browser.evaluate(LAYOUT)
    # Nothing pushes the page sideways; wide tables scroll inside their own box.
    assert layout["page"] <= width
    # Every message gets most of the line: at 360 px the cells stack above it, on a wide
    # screen the location, severity and rule columns take only what they need.
    assert layout["message"] >= (0.8 * (width - 40) if width < 600 else 0.5 * width)
    assert layout["excess"] <= 1  # no finding becomes a tall, nearly empty box
    assert layout["overlaps"] == 0
    # Chart labels keep the page's font size and stay on screen; bars keep a usable width.
    assert layout["labelFont"] >= 14 and layout["labelsOutside"] == 0
    assert layout["bar"] >= min(0.8 * (width - 40), 300)
    assert browser.problems.all_errors == []

    image = browser.image_ink(browser.screenshot())
    assert image["width"] == width
    assert 0.02 < image["ink"] < 0.9  # text and colour on screen, not a blank page


def test_wide_screen_sees_the_old_squeeze_fixed() -> None:
    """The fixed 80 + 110 + 230 px columns that left a message 15 px wide at 420 px are gone."""
    page = example_html()
    assert "table-layout: fixed" not in page and "width: 230px" not in page


@pytest.mark.parametrize("width", WIDTHS)
def test_browser_search_and_filters_really_filter(
    browser: Browser, tmp_path: Path, width: int
) -> None:
    target = tmp_path / "report.html"
    target.write_text(example_html(), encoding="utf-8")
    open_page(browser, target, width)

    def search(text: str) -> None:
        browser.evaluate(
            "(() => { const s = document.getElementById('filter-text');"
            f" s.value = {json.dumps(text)}; s.dispatchEvent(new Event('input')); }})()"
        )
        browser.evaluate("new Promise(resolve => setTimeout(resolve, 200))")  # debounce

    # Search reads paths, titles, owners, messages and hints, ignoring case.
    search("PLATFROM")
    assert visible(browser, "li.article") == ["integrations/webhooks.md"]
    search("password reset")
    assert visible(browser, "li.article") == [
        "troubleshooting/emails-not-delivered.md",
        "account/resetting-your-password.md",
    ]
    # Within an article, only the findings that match are left when the head does not match.
    assert visible(browser, "tr.finding") == [
        "contradiction/conflicting-values",
        "contradiction/conflicting-values",
    ]
    search("no match for this anywhere")
    assert visible(browser, "li.article") == []
    assert browser.evaluate("document.getElementById('no-match').hidden") is False
    search("")
    assert len(visible(browser, "li.article")) == 15

    choose(browser, "filter-severity", "info")
    assert visible(browser, "li.article") == [
        "billing/downloading-receipts.md",
        "billing/invoices-and-receipts.md",
    ]
    choose(browser, "filter-severity", "")
    choose(browser, "filter-folder", "integrations")
    assert sorted(visible(browser, "li.article")) == [
        "integrations/api-overview.md",
        "integrations/quickbooks.md",
        "integrations/stripe.md",
        "integrations/webhooks.md",
    ]
    choose(browser, "filter-severity", "error")
    assert visible(browser, "li.article") == ["integrations/stripe.md"]
    status = browser.evaluate("document.getElementById('filter-status').textContent")
    assert status == "Showing 1 findings in 1 of 15 articles"
    assert browser.problems.all_errors == []


def column(browser: Browser, table: str, index: int) -> list[str]:
    return browser.evaluate(
        f"Array.from(document.querySelectorAll('#{table} tbody tr'))"
        f".map(r => r.cells[{index}].textContent)"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_browser_tables_and_articles_really_sort(
    browser: Browser, tmp_path: Path, width: int
) -> None:
    target = tmp_path / "report.html"
    target.write_text(example_html(), encoding="utf-8")
    open_page(browser, target, width)

    def click_header(table: str, index: int) -> None:
        browser.evaluate(f"document.querySelectorAll('#{table} thead th button')[{index}].click()")

    click_header("by-folder", 1)  # articles, ascending
    counts = [int(value) for value in column(browser, "by-folder", 1)]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    click_header("by-folder", 1)  # again: descending
    assert [int(value) for value in column(browser, "by-folder", 1)] == sorted(counts, reverse=True)
    click_header("by-owner", 0)  # by name, as text
    names = column(browser, "by-owner", 0)
    assert names == sorted(names, key=str.lower) and len(names) == 8
    fresh = [float(value.rstrip("%")) for value in column(browser, "by-owner", 2)]
    click_header("by-owner", 2)
    assert [float(v.rstrip("%")) for v in column(browser, "by-owner", 2)] == sorted(fresh)
    header = "document.querySelectorAll('#by-owner thead th')[2].getAttribute('aria-sort')"
    assert browser.evaluate(header) == "ascending"

    choose(browser, "sort-articles", "path")
    paths = visible(browser, "li.article")
    assert paths == sorted(paths) and len(paths) == 15
    choose(browser, "sort-articles", "findings")
    assert visible(browser, "li.article")[0] == "troubleshooting/emails-not-delivered.md"
    choose(browser, "sort-articles", "risk")
    assert visible(browser, "li.article")[0] == "account/closing-your-account.md"
    assert browser.problems.all_errors == []


def many_flagged_kb(root: Path, count: int) -> Path:
    """`count` articles without an owner (one finding each) in three folders."""
    from tests.conftest import write_tree

    folders = ("billing", "account", "mobile")
    return write_tree(
        root,
        {
            f"{folders[index % 3]}/page-{index:03}.md": (
                f"---\ntitle: Page {index}\nlast_reviewed: 2026-09-01\n---\n# Page {index}\n\n"
                "How to change your plan.\n"
            )
            for index in range(count)
        },
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_browser_pages_a_large_report(browser: Browser, tmp_path: Path, width: int) -> None:
    report = run_kb(many_flagged_kb(tmp_path / "kb", 120)).report
    page = render(report, "html", RenderOptions())
    # Before any script runs, only the first page is laid out.
    assert page.count('<li class="article"') == 120
    assert len(re.findall(r'<li class="article"[^>]* hidden>', page)) == 120 - PAGE_SIZE
    target = tmp_path / "report.html"
    target.write_text(page, encoding="utf-8")
    open_page(browser, target, width)

    first = visible(browser, "li.article")
    assert len(first) == PAGE_SIZE
    label = "document.getElementById('page-label').textContent"
    assert browser.evaluate(label) == "Page 1 of 3"
    browser.evaluate("document.getElementById('page-next').click()")
    second = visible(browser, "li.article")
    assert len(second) == PAGE_SIZE and not set(first) & set(second)
    browser.evaluate("document.getElementById('page-next').click()")
    third = visible(browser, "li.article")
    assert len(third) == 120 - 2 * PAGE_SIZE and browser.evaluate(label) == "Page 3 of 3"
    assert browser.evaluate("document.getElementById('page-next').disabled") is True
    assert len(set(first) | set(second) | set(third)) == 120

    # Filters see every page and start again on the first one.
    choose(browser, "filter-folder", "mobile")
    shown = visible(browser, "li.article")
    assert len(shown) == 40 and all(path.startswith("mobile/") for path in shown)
    assert browser.evaluate("document.getElementById('pager').hidden") is True
    assert browser.problems.all_errors == []


def test_title_names_the_folder_not_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = many_flagged_kb(tmp_path / "helpcenter", 2)
    monkeypatch.chdir(kb)
    report = lint([Path(".")], load_config(None)).report
    assert report.root == "."
    page = render(report, "html", RenderOptions())
    assert "<title>kbcheck report: helpcenter</title>" in page
    assert "<h1>kbcheck report: helpcenter</h1>" in page


def test_browser_explains_risk(browser: Browser, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text(example_html(), encoding="utf-8")
    open_page(browser, target, 360)
    explained = "document.getElementById('risk-help')"
    assert "risk = findings × staleness × traffic" in browser.evaluate(f"{explained}.textContent")
    browser.evaluate(f"{explained}.querySelector('summary').click()")
    assert browser.evaluate(f"{explained}.open") is True
    height = browser.evaluate(f"{explained}.getBoundingClientRect().height")
    assert height > 100


def test_folder_names_are_escaped_in_filters_and_chart(tmp_path: Path) -> None:
    """A folder name is article-controlled text too: it lands in the folder filter, the
    chart and a data attribute, always as text."""
    from tests.conftest import write_tree

    folder = "<img src=x onerror=alert(1)>"
    kb = write_tree(tmp_path / "kb", {f"{folder}/page.md": "---\ntitle: Page\n---\n# Page\n"})
    page = render(run_kb(kb).report, "html", RenderOptions())
    assert "<img src=" not in page
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    assert f'<option value="{escaped}">{escaped}</option>' in page
    assert f'data-folder="{escaped}"' in page
    assert f'<span class="name">{escaped}</span>' in page
