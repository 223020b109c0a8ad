"""`--format html`: one self-contained page for a support lead's weekly review.

Summary and fresh percent, a freshness chart (inline SVG), the worst articles with their
findings, per-owner and per-folder tables, and filters by rule and owner (a few lines of plain
JavaScript). Nothing is fetched: CSS and script are inline, and a Content-Security-Policy
allows exactly those two blocks (by hash) and nothing else, so the file opens from disk, from
an e-mail attachment or a CI artifact, and cannot load or run anything an article smuggled in.
Every piece of article text goes through `html.escape`: the page is built on the server side
and the script only shows and hides rows.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING

from kbcheck.model import Finding, Severity
from kbcheck.overview import GroupRow, by_folder, by_owner, folder_of, owners_of
from kbcheck.report import ArticleEntry, Report

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

STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --card: #f6f8fa;
  --error: #cf222e; --warning: #9a6700; --info: #0969da; --fresh: #1a7f37; --stale: #d4a72c;
  --overdue: #cf222e; --expired: #82071e; --missing: #8c959f; --future: #8250df; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 12px; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.meta, .muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 16px; min-width: 130px; }
.card .value { font-size: 24px; font-weight: 600; } .card .label { color: var(--muted); }
.sev-error { color: var(--error); } .sev-warning { color: var(--warning); }
.sev-info { color: var(--info); }
.legend { display: flex; flex-wrap: wrap; gap: 16px; margin: 8px 0; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
  margin-right: 6px; vertical-align: -1px; }
.fill-fresh { background: var(--fresh); fill: var(--fresh); }
.fill-stale { background: var(--stale); fill: var(--stale); }
.fill-overdue { background: var(--overdue); fill: var(--overdue); }
.fill-expired { background: var(--expired); fill: var(--expired); }
.fill-missing { background: var(--missing); fill: var(--missing); }
.fill-future { background: var(--future); fill: var(--future); }
svg.chart { width: 100%; height: auto; } svg.chart text { font-size: 12px; fill: var(--fg); }
.filters { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; margin-bottom: 12px; }
select { font: inherit; padding: 2px 6px; }
ol.articles { list-style: none; padding: 0; margin: 0; }
li.article { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 12px;
  overflow: hidden; }
.article-head { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: baseline;
  background: var(--card); padding: 8px 12px; border-bottom: 1px solid var(--line); }
.article-head .title { font-weight: 600; } .article-head .owners { margin-left: auto; }
.risk { font-weight: 700; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.findings { table-layout: fixed; }
table.findings td { border-bottom: 1px solid var(--card); overflow-wrap: anywhere; }
td.c-loc { width: 80px; } td.c-sev { width: 110px; } td.c-rule { width: 230px; }
.hint { color: var(--muted); font-style: italic; }
button.owner { font: inherit; background: none; border: 0; padding: 0; color: var(--info);
  cursor: pointer; text-decoration: underline; }
[hidden] { display: none !important; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --card: #151b23;
    --error: #ff7b72; --warning: #d29922; --info: #4493f8; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var ruleFilter = document.getElementById("filter-rule");
  var ownerFilter = document.getElementById("filter-owner");
  var status = document.getElementById("filter-status");
  var noMatch = document.getElementById("no-match");
  var articles = Array.prototype.slice.call(document.querySelectorAll("li.article"));

  function apply() {
    var rule = ruleFilter.value;
    var owner = ownerFilter.value;
    var shownArticles = 0;
    var shownFindings = 0;
    articles.forEach(function (article) {
      var owners = JSON.parse(article.getAttribute("data-owners"));
      var ownerMatches = owner === "" || owners.indexOf(owner) !== -1;
      var visible = 0;
      article.querySelectorAll("tr.finding").forEach(function (row) {
        var show = ownerMatches && (rule === "" || row.getAttribute("data-rule") === rule);
        row.hidden = !show;
        if (show) { visible += 1; }
      });
      article.hidden = visible === 0;
      if (visible > 0) { shownArticles += 1; shownFindings += visible; }
    });
    status.textContent = "Showing " + shownFindings + " findings in " + shownArticles +
      " of " + articles.length + " articles";
    noMatch.hidden = shownArticles !== 0;
  }

  ruleFilter.addEventListener("change", apply);
  ownerFilter.addEventListener("change", apply);
  document.querySelectorAll("button.owner").forEach(function (button) {
    button.addEventListener("click", function () {
      ownerFilter.value = button.getAttribute("data-owner");
      ruleFilter.value = "";
      apply();
      document.getElementById("worst").scrollIntoView();
    });
  });
  apply();
})();
"""


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
    """A 100%-stacked bar of review states for the whole knowledge base, then per folder."""
    rows: list[tuple[str, Counter[str]]] = [("all articles", Counter())]
    folders: dict[str, Counter[str]] = {}
    for entry in report.articles:
        rows[0][1][entry.review_state] += 1
        folders.setdefault(folder_of(entry)[0], Counter())[entry.review_state] += 1
    rows += sorted(folders.items())
    label_width, bar_width, row_height, right = 170, 520, 26, 110
    width = label_width + bar_width + right
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {row_height * len(rows) + 4}" role="img" '
        f'aria-label="Review state of the articles, overall and per folder" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (name, counts) in enumerate(rows):
        y = index * row_height + 2
        total = sum(counts.values())
        weight = ' font-weight="600"' if index == 0 else ""
        parts.append(f'<text x="0" y="{y + 16}"{weight}>{escape(name)}</text>')
        x = float(label_width)
        for state, label in STATES:
            count = counts.get(state, 0)
            if not count or not total:
                continue
            span = bar_width * count / total
            parts.append(
                f'<rect class="fill-{state}" x="{x:.1f}" y="{y + 3}" width="{span:.1f}" '
                f'height="{row_height - 8}"><title>{escape(name)}: {count} {escape(label)}'
                "</title></rect>"
            )
            x += span
        fresh = 100.0 * counts.get("fresh", 0) / total if total else 100.0
        parts.append(
            f'<text x="{label_width + bar_width + 10}" y="{y + 16}">'
            f"{fresh:.0f}% fresh · {total}</text>"
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span><span class="swatch fill-{state}"></span>{escape(label)}</span>'
        for state, label in STATES
    )
    return f'<div class="legend">{legend}</div>' + "".join(parts)


def _finding_row(finding: Finding) -> str:
    where = f"{finding.line or 1}" + (f":{finding.column}" if finding.column else "")
    hint = f'<div class="hint">→ {escape(finding.hint)}</div>' if finding.hint else ""
    severity = finding.severity.value
    return (
        f'<tr class="finding" data-rule="{escape(finding.rule)}">'
        f'<td class="num c-loc"><code>{where}</code></td>'
        f'<td class="c-sev sev-{severity}">{MARK[finding.severity]}&nbsp;{severity}</td>'
        f'<td class="c-rule"><code>{escape(finding.rule)}</code></td>'
        f"<td>{escape(finding.message)}{hint}</td></tr>"
    )


def _article(entry: ArticleEntry, findings: list[Finding], names: Mapping[str, str]) -> str:
    owners = json.dumps(list(owners_of(entry, names)), ensure_ascii=False)
    owner_text = ", ".join(entry.owners) if entry.owners else "no owner"
    worst = max(finding.severity for finding in findings).value
    views = f'<span class="muted">{entry.views:,} views</span>' if entry.views is not None else ""
    rows = "".join(_finding_row(finding) for finding in findings)
    return (
        f'<li class="article" data-owners="{escape(owners)}" data-path="{escape(entry.path)}">'
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
    head = (
        f'<tr><th>{kind}</th><th class="num">articles</th><th class="num">fresh</th>'
        '<th class="num">flagged</th><th class="num">✖ errors</th>'
        '<th class="num">▲ warnings</th><th class="num">● info</th><th class="num">risk</th></tr>'
    )
    body = []
    for row in rows:
        name = escape(row.name)
        if clickable:
            name = f'<button type="button" class="owner" data-owner="{name}">{name}</button>'
        body.append(
            f"<tr><td>{name}</td><td class='num'>{row.articles}</td>"
            f"<td class='num'>{row.fresh_percent:.1f}%</td><td class='num'>{row.flagged}</td>"
            f"<td class='num'>{row.errors}</td><td class='num'>{row.warnings}</td>"
            f"<td class='num'>{row.infos}</td><td class='num'>{row.risk:g}</td></tr>"
        )
    rows_html = "".join(body)
    return (
        f'<table class="groups" id="by-{kind}"><thead>{head}</thead>'
        f"<tbody>{rows_html}</tbody></table>"
    )


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
    articles = "".join(_article(entry, grouped[entry.path], report.owner_names) for entry in shown)
    articles += "".join(
        _article(ArticleEntry(path, "site file", (), None, "none", "none", None, 0.0), found, {})
        for path, found in report.site_file_findings().items()
    )
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
<title>kbcheck report: {escape(report.root)}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>kbcheck report: <code>{escape(report.root)}</code></h1>
<p class="meta">{meta}</p>
{_summary(report)}
</header>
<section id="freshness">
<h2>Freshness</h2>
{_chart(report)}
</section>
<section id="worst">
<h2>Worst articles</h2>
{listed}
<div class="filters">
<label>Rule <select id="filter-rule">{_options(rules, "all rules")}</select></label>
<label>Owner <select id="filter-owner">{_options(owners, "all owners")}</select></label>
<span id="filter-status" class="muted" aria-live="polite"></span>
</div>
<ol class="articles" id="articles">{articles}</ol>
<p id="no-match" class="muted" hidden>No finding matches these filters.</p>
</section>
<section id="owners">
<h2>By owner</h2>
{_group_table("owner", by_owner(report), clickable=True)}
</section>
<section id="folders">
<h2>By folder</h2>
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
