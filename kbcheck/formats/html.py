"""`--format html`: one self-contained page for a support lead's weekly review.

Summary and fresh percent, a freshness chart, the worst articles with their findings,
per-owner and per-folder tables; a text search, severity, rule, owner and folder filters,
sortable tables and pages of articles (a few lines of plain JavaScript). Articles past the
first page are sent `hidden`, so a 10,000-article report paints its first screen without
laying out the rest. The layout reflows from a 360 px phone to a wide screen: no fixed-width
column squeezes a message, and chart labels are HTML text that never scales down.

Nothing is fetched: CSS and script are inline, and a Content-Security-Policy allows exactly
those two blocks (by hash) and nothing else, so the file opens from disk, from an e-mail
attachment or a CI artifact, and cannot load or run anything an article smuggled in. Every
piece of article text goes through `html.escape`: the page is built on the server side and the
script only shows, hides and reorders elements (it never writes markup).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from kbcheck.model import Finding, Severity
from kbcheck.overview import GroupRow, by_folder, by_owner, folder_of, owners_of
from kbcheck.report import ArticleEntry, Report
from kbcheck.risk import (
    MISSING_REVIEW_STALENESS,
    RULE_WEIGHT,
    SEVERITY_WEIGHT,
    STALENESS_CAP,
    STALENESS_SLOPE,
)

if TYPE_CHECKING:
    from kbcheck.formats import RenderOptions

#: Review states in chart order, with their legend labels.
STATES = (
    ("fresh", "fresh"),
    ("stale", "stale"),
    ("overdue", "overdue (past 2× interval)"),
    ("expired", "expired"),
    ("missing", "no review date"),
    ("future", "future date"),
)
MARK = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "●"}

#: Articles per page: enough to review in one sitting, few enough to lay out at once.
PAGE_SIZE = 50

STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --card: #f6f8fa;
  --error: #cf222e; --warning: #9a6700; --info: #0969da; --fresh: #1a7f37; --stale: #d4a72c;
  --overdue: #cf222e; --expired: #82071e; --missing: #8c959f; --future: #8250df; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 1200px; padding: 16px; }
h1 { font-size: 24px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 19px; margin: 32px 0 12px; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  overflow-wrap: anywhere; }
.meta, .muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 8px 14px; min-width: 96px; flex: 1 1 96px; }
.card .value { font-size: 22px; font-weight: 600; } .card .label { color: var(--muted); }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); }
.sev-info { color: var(--info); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 0; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
  margin-right: 6px; vertical-align: -1px; }
.fill-fresh { background: var(--fresh); fill: var(--fresh); }
.fill-stale { background: var(--stale); fill: var(--stale); }
.fill-overdue { background: var(--overdue); fill: var(--overdue); }
.fill-expired { background: var(--expired); fill: var(--expired); }
.fill-missing { background: var(--missing); fill: var(--missing); }
.fill-future { background: var(--future); fill: var(--future); }
.bar-row { display: grid; grid-template-columns: 13em 1fr 9.5em; gap: 2px 12px;
  align-items: center; margin-bottom: 6px; }
.bar-row .name { grid-column: 1; grid-row: 1; overflow-wrap: anywhere; }
.bar-row .note { grid-column: 3; grid-row: 1; color: var(--muted); white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.bar-row svg { grid-column: 2; grid-row: 1; display: block; width: 100%; height: 18px; }
.chart .all { font-weight: 600; }
details.explain { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 6px 12px; margin-bottom: 12px; }
details.explain summary { cursor: pointer; font-weight: 600; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center;
  margin-bottom: 12px; }
.filters label { display: flex; gap: 6px; align-items: center; }
select, input, button { font: inherit; padding: 2px 6px; max-width: 100%; }
input[type=search] { width: 16em; max-width: 100%; }
.pager { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin: 12px 0; }
ol.articles { list-style: none; padding: 0; margin: 0; }
li.article { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 12px;
  overflow: hidden; }
.article-head { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline;
  background: var(--card); padding: 8px 12px; border-bottom: 1px solid var(--line); }
.article-head .title { font-weight: 600; overflow-wrap: anywhere; }
.article-head .owners { margin-left: auto; }
.risk { font-weight: 700; white-space: nowrap; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
  color: inherit; cursor: pointer; }
th[aria-sort=ascending] button::after { content: " ▲"; }
th[aria-sort=descending] button::after { content: " ▼"; }
table.findings td { border-bottom: 1px solid var(--card); }
table.findings td:nth-child(-n+2) { white-space: nowrap; width: 1%; }
table.findings td:first-child, table.findings td:nth-child(3) {
  font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table.findings td:first-child { text-align: right; font-variant-numeric: tabular-nums; }
table.findings td:nth-child(3) { width: 1%; min-width: 12em;
  overflow-wrap: anywhere; }
@media (min-width: 1000px) { table.findings td:nth-child(3) { white-space: nowrap; }
  table.findings wbr { display: none; } }
table.findings td:nth-child(4) { overflow-wrap: anywhere; }
.hint { color: var(--muted); font-style: italic; }
button.owner { background: none; border: 0; padding: 0; color: var(--info);
  cursor: pointer; text-decoration: underline; text-align: left; }
[hidden] { display: none !important; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
@media (max-width: 640px) {
  body { padding: 10px; }
  .bar-row { grid-template-columns: 1fr max-content; }
  .bar-row .note { grid-column: 2; }
  .bar-row svg { grid-column: 1 / -1; grid-row: 2; }
  table.findings, table.findings tbody, table.findings tr, table.findings td { display: block;
    width: auto; max-width: none; min-width: 0; }
  table.findings tr { padding: 6px 10px; border-bottom: 1px solid var(--line); }
  table.findings td { border: 0; padding: 0; }
  table.findings td:nth-child(-n+3) { display: inline-block; margin-right: 10px;
    width: auto; min-width: 0; max-width: none; }
  .article-head .owners { margin-left: 0; }
}
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --card: #151b23;
    --error: #ff7b72; --warning: #d29922; --info: #4493f8; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var PAGE = PAGE_SIZE_VALUE;
  function byId(id) { return document.getElementById(id); }
  var search = byId("filter-text");
  var filters = ["filter-severity", "filter-rule", "filter-owner", "filter-folder"].map(byId);
  var sortBy = byId("sort-articles");
  var status = byId("filter-status");
  var noMatch = byId("no-match");
  var list = byId("articles");
  var pageLabel = byId("page-label");
  var prev = byId("page-prev");
  var next = byId("page-next");
  var articles = Array.prototype.slice.call(list.children);
  articles.forEach(function (article, rank) { article.kbRank = rank; });
  var matched = articles;
  var page = 0;

  function text(element) {
    if (element.kbText === undefined) { element.kbText = element.textContent.toLowerCase(); }
    return element.kbText;
  }

  function show() {
    var pages = Math.max(1, Math.ceil(matched.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    articles.forEach(function (article) { article.hidden = true; });
    matched.slice(page * PAGE, (page + 1) * PAGE).forEach(function (article) {
      article.hidden = false;
    });
    pageLabel.textContent = "Page " + (page + 1) + " of " + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    byId("pager").hidden = pages < 2;
  }

  function apply() {
    var query = search.value.trim().toLowerCase();
    var severity = filters[0].value, rule = filters[1].value;
    var owner = filters[2].value, folder = filters[3].value;
    var findings = 0;
    matched = articles.filter(function (article) {
      if (folder !== "" && article.getAttribute("data-folder") !== folder) { return false; }
      if (owner !== "" &&
          JSON.parse(article.getAttribute("data-owners")).indexOf(owner) === -1) {
        return false;
      }
      var headMatches = query === "" ||
        text(article.querySelector(".article-head")).indexOf(query) !== -1;
      var visible = 0;
      article.querySelectorAll("tr.finding").forEach(function (row) {
        var keep = (rule === "" || row.getAttribute("data-rule") === rule) &&
          (severity === "" || row.getAttribute("data-severity") === severity) &&
          (headMatches || text(row).indexOf(query) !== -1);
        row.hidden = !keep;
        if (keep) { visible += 1; }
      });
      findings += visible;
      return visible > 0;
    });
    status.textContent = "Showing " + findings + " findings in " + matched.length +
      " of " + articles.length + " articles";
    noMatch.hidden = matched.length !== 0;
    page = 0;
    show();
  }

  function sortArticles() {
    var key = sortBy.value;
    var value = function (article) {
      if (key === "path") { return article.getAttribute("data-path"); }
      if (key === "findings") { return -article.querySelectorAll("tr.finding").length; }
      return -Number(article.getAttribute("data-" + key) || 0);
    };
    var order = function (a, b) {
      var x = value(a), y = value(b);
      if (x < y) { return -1; }
      if (x > y) { return 1; }
      return a.kbRank - b.kbRank;
    };
    articles.sort(order);
    matched.sort(order);
    articles.forEach(function (article) { list.appendChild(article); });
    page = 0;
    show();
  }

  function sortTable(table, column, header) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var numeric = header.classList.contains("num");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var cell = function (row) {
      var td = row.cells[column];
      return numeric ? Number(td.getAttribute("data-value")) : td.textContent.toLowerCase();
    };
    rows.sort(function (a, b) {
      var x = cell(a), y = cell(b);
      var result = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? result : -result;
    });
    table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }

  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  filters.forEach(function (select) { select.addEventListener("change", apply); });
  sortBy.addEventListener("change", sortArticles);
  prev.addEventListener("click", function () { page -= 1; show(); list.scrollIntoView(); });
  next.addEventListener("click", function () { page += 1; show(); list.scrollIntoView(); });
  document.querySelectorAll("table.groups").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, column) {
      th.querySelector("button").addEventListener("click", function () {
        sortTable(table, column, th);
      });
    });
  });
  document.querySelectorAll("button.owner").forEach(function (button) {
    button.addEventListener("click", function () {
      filters.forEach(function (select) { select.value = ""; });
      search.value = "";
      filters[2].value = button.getAttribute("data-owner");
      apply();
      byId("worst").scrollIntoView();
    });
  });
  // Nothing is filtered yet and the server already hid every page but the first: only the
  // status line is left to write, so a large report is ready as soon as it is parsed.
  status.textContent = "Showing " + list.querySelectorAll("tr.finding").length +
    " findings in " + articles.length + " of " + articles.length + " articles";
  show();
})();
""".replace("PAGE_SIZE_VALUE", str(PAGE_SIZE))


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _card(value: str, label: str, css: str = "") -> str:
    return (
        f'<div class="card{" " + css if css else ""}"><div class="value">{value}</div>'
        f'<div class="label">{label}</div></div>'
    )


def _summary(report: Report) -> str:
    counts = report.by_severity
    cards = [
        _card(str(len(report.articles)), "articles"),
        _card(f"{report.fresh_percent:.1f}%", "fresh"),
        _card(str(len(report.findings)), "findings"),
        _card(str(counts["error"]), "✖ errors", "sev-error"),
        _card(str(counts["warning"]), "▲ warnings", "sev-warning"),
        _card(str(counts["info"]), "● info", "sev-info"),
    ]
    if report.suppressed:
        cards.append(_card(str(report.suppressed), "suppressed"))
    if report.baselined:
        cards.append(_card(str(report.baselined), "hidden by baseline"))
    return f'<div class="cards" id="summary">{"".join(cards)}</div>'


def _chart(report: Report) -> str:
    """A 100%-stacked bar of review states for the whole knowledge base, then per folder.

    Labels are HTML text beside a bar-only SVG, so they keep the page's font size on a phone
    instead of shrinking with a scaled drawing."""
    rows: list[tuple[str, Counter[str]]] = [("all articles", Counter())]
    folders: dict[str, Counter[str]] = {}
    for entry in report.articles:
        rows[0][1][entry.review_state] += 1
        folders.setdefault(folder_of(entry)[0], Counter())[entry.review_state] += 1
    rows += sorted(folders.items())
    parts = [
        '<div class="chart" role="img" aria-label="Review state of the articles, overall '
        'and per folder">'
    ]
    for index, (name, counts) in enumerate(rows):
        total = sum(counts.values())
        strong = " all" if index == 0 else ""
        parts.append(f'<div class="bar-row"><span class="name{strong}">{escape(name)}</span>')
        parts.append(
            '<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
            'xmlns="http://www.w3.org/2000/svg">'
        )
        x = 0.0
        for state, label in STATES:
            count = counts.get(state, 0)
            if not count or not total:
                continue
            span = 100 * count / total
            parts.append(
                f'<rect class="fill-{state}" x="{x:.2f}" y="0" width="{span:.2f}" height="10">'
                f"<title>{escape(name)}: {count} {escape(label)}</title></rect>"
            )
            x += span
        parts.append("</svg>")
        fresh = 100.0 * counts.get("fresh", 0) / total if total else 100.0
        parts.append(f'<span class="note">{fresh:.0f}% fresh · {total}</span></div>')
    parts.append("</div>")
    legend = "".join(
        f'<span><span class="swatch fill-{state}"></span>{escape(label)}</span>'
        for state, label in STATES
    )
    return f'<div class="legend">{legend}</div>' + "".join(parts)


def _risk_explained() -> str:
    """What the number every list is sorted by means, from the constants that compute it."""
    weights = ", ".join(
        f"{severity.value} {weight:g}" for severity, weight in SEVERITY_WEIGHT.items()
    )
    heavier = ", ".join(
        f"<code>{escape(rule)}</code> ×{weight:g}" for rule, weight in RULE_WEIGHT.items()
    )
    cap = 1 + STALENESS_SLOPE * STALENESS_CAP
    return (
        '<details class="explain" id="risk-help"><summary>What is “risk”?</summary>'
        "<p>How likely an article is to give a reader a wrong answer; the lists are sorted by "
        "it, highest first. <b>risk = findings × staleness × traffic</b>.</p><ul>"
        f"<li><b>findings</b>: each finding counts by severity ({weights}), weighted by how "
        f"directly its rule misleads a reader ({heavier}; other rules ×1).</li>"
        "<li><b>staleness</b>: 1 while the review is within its interval, rising to "
        f"{cap:g} as it falls overdue; {MISSING_REVIEW_STALENESS:g} with no review date.</li>"
        "<li><b>traffic</b>: 1 + log10(1 + page views) with <code>--traffic</code>, "
        "else 1.</li></ul>"
        "<p>An article with no findings has risk 0, however old: risk ranks what was found. "
        "In the owner and folder tables it is the sum over their articles.</p></details>"
    )


def _finding_row(finding: Finding) -> str:
    where = f"{finding.line or 1}" + (f":{finding.column}" if finding.column else "")
    hint = f'<div class="hint">→ {escape(finding.hint)}</div>' if finding.hint else ""
    severity = finding.severity.value
    # Cells carry no classes (the style sheet addresses them by position): a 10,000-article
    # report has tens of thousands of these rows.
    return (
        f'<tr class="finding" data-rule="{escape(finding.rule)}" data-severity="{severity}">'
        f'<td>{where}</td><td class="sev-{severity}">{MARK[finding.severity]}&nbsp;{severity}</td>'
        f"<td>{escape(finding.rule).replace('/', '/<wbr>')}</td>"
        f"<td>{escape(finding.message)}{hint}</td></tr>"
    )


def _article(
    entry: ArticleEntry,
    findings: list[Finding],
    names: Mapping[str, str],
    rank: int,
) -> str:
    owners = json.dumps(list(owners_of(entry, names)), ensure_ascii=False)
    owner_text = ", ".join(entry.owners) if entry.owners else "no owner"
    worst = max(finding.severity for finding in findings).value
    views = f'<span class="muted">{entry.views:,} views</span>' if entry.views is not None else ""
    rows = "".join(_finding_row(finding) for finding in findings)
    # Only the first page is laid out on opening; the script pages through the rest.
    hidden = " hidden" if rank >= PAGE_SIZE else ""
    views_data = f' data-views="{entry.views}"' if entry.views is not None else ""
    return (
        f'<li class="article" data-owners="{escape(owners)}" data-path="{escape(entry.path)}"'
        f' data-folder="{escape(folder_of(entry)[0])}" data-risk="{entry.risk:g}"'
        f"{views_data}{hidden}>"
        f'<div class="article-head"><span class="risk sev-{worst}">risk {entry.risk:g}</span>'
        f"<code>{escape(entry.path)}</code>"
        f'<span class="title">{escape(entry.title)}</span>{views}'
        f'<span class="owners muted">{escape(owner_text)}</span></div>'
        f'<table class="findings"><tbody>{rows}</tbody></table></li>'
    )


def _options(values: list[str], everything: str) -> str:
    options = [f'<option value="">{escape(everything)}</option>']
    options += [f'<option value="{escape(value)}">{escape(value)}</option>' for value in values]
    return "".join(options)


def _group_table(kind: str, rows: list[GroupRow], clickable: bool) -> str:
    columns = [(kind, "")] + [
        (label, "num")
        for label in ("articles", "fresh", "flagged", "✖ errors", "▲ warnings", "● info", "risk")
    ]
    head = "".join(
        f'<th{f" class={css!r}" if css else ""}><button type="button">{label}</button></th>'
        for label, css in columns
    )
    body = []
    for row in rows:
        name = escape(row.name)
        if clickable:
            name = f'<button type="button" class="owner" data-owner="{name}">{name}</button>'
        numbers = (
            (row.articles, str(row.articles)),
            (row.fresh_percent, f"{row.fresh_percent:.1f}%"),
            (row.flagged, str(row.flagged)),
            (row.errors, str(row.errors)),
            (row.warnings, str(row.warnings)),
            (row.infos, str(row.infos)),
            (row.risk, f"{row.risk:g}"),
        )
        cells = "".join(
            f"<td class='num' data-value='{value:g}'>{text}</td>" for value, text in numbers
        )
        body.append(f"<tr><td>{name}</td>{cells}</tr>")
    rows_html = "".join(body)
    return (
        f'<div class="scroll"><table class="groups" id="by-{kind}"><thead><tr>{head}</tr>'
        f"</thead><tbody>{rows_html}</tbody></table></div>"
    )


def kb_name(root: str) -> str:
    """The knowledge base's folder name for the title: `kbcheck check .` run inside
    `helpcenter` is titled `helpcenter`, not `.`."""
    resolved = Path(root).resolve()
    return resolved.name or resolved.as_posix()


def render(report: Report, options: RenderOptions) -> str:
    grouped = report.findings_by_path()
    flagged = [entry for entry in report.worst_first() if entry.path in grouped]
    shown = flagged if options.top is None else flagged[: options.top]
    rules = sorted({finding.rule for entry in shown for finding in grouped[entry.path]})
    owners = sorted(
        {owner for entry in report.articles for owner in owners_of(entry, report.owner_names)}
    )

    meta = f"today {report.today.isoformat()}"
    if options.version:
        meta += f" · kbcheck {escape(options.version)}"
    if report.changed_since:
        meta += (
            f" · only articles changed since <code>{escape(report.changed_since)}</code> "
            "and the articles that link to them"
        )
    listed = ""
    if len(shown) < len(flagged):
        listed = f"<p class='muted'>The {len(shown)} riskiest of {len(flagged)} flagged articles."
    listed_entries = [(entry, grouped[entry.path], report.owner_names) for entry in shown]
    listed_entries += [
        (ArticleEntry(path, "site file", (), None, "none", "none", None, 0.0), found, {})
        for path, found in report.site_file_findings().items()
    ]
    articles = "".join(
        _article(entry, found, names, rank)
        for rank, (entry, found, names) in enumerate(listed_entries)
    )
    severities = [
        severity.value
        for severity in Severity
        if any(finding.severity is severity for _, found, _ in listed_entries for finding in found)
    ]
    folders = sorted({folder_of(entry)[0] for entry, _, _ in listed_entries})
    name = escape(kb_name(report.root))
    notices = "".join(f"<li>{escape(notice)}</li>" for notice in report.notices)
    csp = (
        f"default-src 'none'; style-src {_csp_hash(STYLE)}; script-src {_csp_hash(SCRIPT)}; "
        "base-uri 'none'; form-action 'none'"
    )
    body = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kbcheck report: {name}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>kbcheck report: {name}</h1>
<p class="meta"><code>{escape(report.root)}</code> · {meta}</p>
{_summary(report)}
</header>
<section id="freshness">
<h2>Freshness</h2>
{_chart(report)}
</section>
<section id="worst">
<h2>Worst articles</h2>
{listed}
{_risk_explained()}
<div class="filters">
<label>Search <input type="search" id="filter-text" placeholder="path, title, message…"></label>
<label>Severity <select id="filter-severity">{_options(severities, "all")}</select></label>
<label>Rule <select id="filter-rule">{_options(rules, "all rules")}</select></label>
<label>Owner <select id="filter-owner">{_options(owners, "all owners")}</select></label>
<label>Folder <select id="filter-folder">{_options(folders, "all folders")}</select></label>
<label>Sort <select id="sort-articles"><option value="risk">risk</option>
<option value="findings">most findings</option><option value="views">most views</option>
<option value="path">path</option></select></label>
<span id="filter-status" class="muted" aria-live="polite"></span>
</div>
<ol class="articles" id="articles">{articles}</ol>
<p id="no-match" class="muted" hidden>No finding matches these filters.</p>
<div class="pager" id="pager" hidden><button type="button" id="page-prev">← previous</button>
<span id="page-label"></span><button type="button" id="page-next">next →</button>
<span class="muted">{PAGE_SIZE} articles a page</span></div>
</section>
<section id="owners">
<h2>By owner</h2>
<p class="muted">Click a column to sort, an owner to list their articles.</p>
{_group_table("owner", by_owner(report), clickable=True)}
</section>
<section id="folders">
<h2>By folder</h2>
<p class="muted">Click a column to sort.</p>
{_group_table("folder", by_folder(report), clickable=False)}
</section>
<footer>
{f"<ul class='notices'>{notices}</ul>" if notices else ""}
<p>Generated by kbcheck. <code>kbcheck explain RULE</code> says why a rule matters and how to
fix what it found.</p>
</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""
    return body
