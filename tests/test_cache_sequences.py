"""The cache is invisible: whatever is edited between two runs, a run with the cache gives the
report, byte for byte, that a run without it (`--no-cache`) gives on the same files.

Hypothesis builds a small help center in a real git repository (articles with owners and
review dates, headings, links with anchors, screenshots, stated values, a kbcheck.toml), then
edits it step by step the way a team does: headings renamed under the links that point at
them, links retargeted, values restated, files added, deleted and renamed (articles,
screenshots, .gitignore and CODEOWNERS files), settings, facts, rule options and the date
changed, files touched, commits made. After each step the cached run (which replays or
reuses what the previous runs stored) must equal an uncached one.
"""

from __future__ import annotations

import os
import posixpath
import re
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbcheck.config import load_config
from kbcheck.engine import LintOptions, LintResult, lint
from kbcheck.formats import RenderOptions, json_report
from tests.git_repo import GitRepo

TODAY = date(2026, 6, 1)
MAX_STEPS = 8
#: kbcheck takes a file's recorded status (size, times, inode) for its content only once the
#: file is older than a margin (2 s: RACY_MARGIN_NS in kbcheck/incremental/parse_cache.py);
#: younger files are read again. One test waits this long before its first run, so its runs
#: take both ways.
SETTLE_SECONDS = 2.2
DAYS = (date(2024, 3, 1), date(2025, 6, 1), date(2026, 2, 1), TODAY, date(2026, 9, 1))
FOLDERS = ("billing", "account", "support")
TOPICS = ("refunds", "invoices", "password", "exports", "sso", "plans", "contact", "trial")
PATHS = tuple(f"{folder}/{topic}.md" for folder in FOLDERS for topic in TOPICS)
SECTIONS = (
    "Before you start",
    "Steps",
    "Annual plans",
    "Troubleshooting",
    "Limits",
    "Setup",
    "Café résumé",
    "What's new?",
)
OWNERS = ("ana@example.com", "bo@example.com", "billing-team", "support-team", "nobody-team")
REVIEWED = (None, date(2026, 5, 1), date(2025, 6, 1), date(2024, 1, 1), date(2026, 7, 1))
IMAGES = ("images/dashboard.png", "images/sidebar.png")
#: Files that are no articles: (path, content).
OTHER_FILES = (
    ("notes.txt", "Move the billing pages on Friday.\n"),
    ("notes.txt", "Ask Ana first.\n"),
    (".gitignore", "images/sidebar.png\n"),
    (".gitignore", "support/\n"),
    ("billing/.gitignore", "plans.md\n"),
    (".github/CODEOWNERS", "/billing/ @acme/billing-team\n"),
    (".github/CODEOWNERS", "* bo@example.com\n/account/ nobody@example.com\n"),
)
AGE_SOURCES = ("frontmatter", "git", "frontmatter-then-git")
AUTHORS = (("Ana Lopez", "ana@example.com"), ("Bo Berg", "bo@example.com"))
#: Long enough for contradiction/near-duplicate: two articles that are mostly this are alike.
BOILERPLATE = (
    "Our support team answers every message within one working day. Email us from the "
    "address on your account and include the page you were on, what you tried and what you "
    "expected to see. Screenshots help us understand the problem faster, and a short "
    "recording of the screen helps even more when the problem comes and goes. We keep every "
    "conversation in one thread, so reply to our last message rather than writing a new one."
)
FACTS = {
    "refund_window": (("30 days", "14 days"), ("refunds? (are|is) accepted", "refund window")),
    "reset_link": (("24 hours", "1 day", "2 hours"), ("reset links?", "links? expires?")),
}
#: [rules."id"] settings the steps change: (rule, key, TOML values).
RULE_SETTINGS = (
    ("links/broken-anchor", "severity", ('"info"', '"warning"', '"error"')),
    ("age/stale", "severity", ('"info"', '"error"')),
    ("owner/inactive", "after", ('"30d"', '"2y"')),
    ("contradiction/near-duplicate", "min_words", ("10", "200")),
    ("contradiction/near-duplicate", "threshold", ("0.3", "0.95")),
    ("contradiction/conflicting-values", "similarity", ("0.2", "0.95")),
)


@dataclass
class Link:
    target: str  # the article's path when the link was written
    anchor: str | None  # the slug of one of its headings then
    #: "file" (refunds.md), "pretty" (refunds), "root" (/billing/refunds.md), "case"
    #: (Refunds.md) or "outside" (a page of the same name outside the knowledge base)
    form: str


@dataclass
class Page:
    title: str
    owner: str | None
    reviewed: date | None
    sections: list[str]
    links: list[Link] = field(default_factory=list)
    image: str | None = None
    refund_days: int | None = None
    reset_hours: int | None = None
    boilerplate: bool = False
    offer_until: str | None = None  # "Annual plans are 20% off until ..."
    retired_term: bool = False  # names the Classic Dashboard
    us_date: bool = False  # last_reviewed written 05/01/2026


@dataclass
class Settings:
    today: date = TODAY
    anchor_style: str = "github"
    link_style: str = "file"
    exclude: tuple[str, ...] = ()
    age_source: str = "frontmatter-then-git"
    review_every: str = "180d"
    retired_terms: bool = False
    owner_key: str = "owner"  # "author": the articles' owner: lines are not read
    date_formats: tuple[str, ...] = ()
    max_article_size: str = "1MB"
    facts: dict[str, tuple[str, str]] = field(default_factory=dict)
    rules: dict[str, dict[str, str]] = field(default_factory=dict)


def slug(heading: str) -> str:
    """Roughly GitHub's anchor for a heading: right for most, wrong for some styles."""
    kept = re.sub(r"[^\w\- ]", "", heading.lower())
    return kept.replace(" ", "-")


def render_page(path: str, page: Page) -> str:
    folder = posixpath.dirname(path)
    lines = ["---", f"title: {page.title}"]
    if page.owner is not None:
        lines.append(f"owner: {page.owner}")
    if page.reviewed is not None:
        written = page.reviewed.strftime("%m/%d/%Y" if page.us_date else "%Y-%m-%d")
        lines.append(f"last_reviewed: {written}")
    lines += ["---", f"# {page.title}", ""]
    if page.refund_days is not None:
        lines += [f"Refunds are accepted within {page.refund_days} days of purchase.", ""]
    if page.reset_hours is not None:
        lines += [f"Password reset links expire after {page.reset_hours} hours.", ""]
    if page.boilerplate:
        lines += [BOILERPLATE, ""]
    if page.offer_until is not None:
        lines += [f"Annual plans are 20% off until {page.offer_until}.", ""]
    if page.retired_term:
        lines += ["Open the Classic Dashboard to see every report.", ""]
    for link in page.links:
        if link.form == "root":
            url = "/" + link.target
        elif link.form == "outside":
            url = "../" * (folder.count("/") + 2) + "handbook/" + posixpath.basename(link.target)
        else:
            url = posixpath.relpath(link.target, folder or ".")
            if link.form == "pretty":
                url = url.removesuffix(".md")
            elif link.form == "case":
                head, name = posixpath.split(url)
                url = posixpath.join(head, name.capitalize())
        if link.anchor is not None:
            url += "#" + link.anchor
        lines += [f"See [the {posixpath.basename(link.target)[:-3]} page]({url}).", ""]
    if page.image is not None:
        lines += [f"![Screenshot]({posixpath.relpath(page.image, folder or '.')})", ""]
    for section in page.sections:
        lines += [f"## {section}", "", f"What to know about {section.lower()}.", ""]
    return "\n".join(lines)


def render_config(config: Settings) -> str:
    lines = [
        f'today = "{config.today.isoformat()}"',
        f'anchor_style = "{config.anchor_style}"',
        f'link_style = "{config.link_style}"',
        "exclude = [" + ", ".join(f'"{glob}"' for glob in config.exclude) + "]",
        "date_formats = [" + ", ".join(f'"{form}"' for form in config.date_formats) + "]",
        f'max_article_size = "{config.max_article_size}"',
        "",
        f'[keys]\nowner = "{config.owner_key}"\n',
        f'[age]\nsource = "{config.age_source}"\nreview_every = "{config.review_every}"\n',
        '[[people]]\nname = "Ana Lopez"\nemail = "ana@example.com"\n',
        '[[people]]\nname = "Bo Berg"\nemail = "bo@example.com"\n',
        '[[teams]]\nname = "billing-team"\nmembers = ["ana@example.com", "bo@example.com"]\n',
        '[[teams]]\nname = "support-team"\nmembers = ["bo@example.com"]\n',
    ]
    if config.retired_terms:
        lines += ["[retired_terms]", '"Classic Dashboard" = "use the Insights page"', ""]
    for name, (value, match) in sorted(config.facts.items()):
        lines += [f"[facts.{name}]", f'value = "{value}"', f"match = '{match}'", ""]
    for rule, values in sorted(config.rules.items()):
        lines += [f'[rules."{rule}"]', *(f"{key} = {value}" for key, value in values.items()), ""]
    return "\n".join(lines)


class KnowledgeBase:
    """The model of the help center, and the files it was last written as (so only what
    changed is written again, and a renamed file keeps its modification time)."""

    def __init__(self, repo: GitRepo) -> None:
        self.repo = repo
        self.root = repo.path
        self.pages: dict[str, Page] = {}
        self.images: set[str] = {IMAGES[0]}
        #: Files that are no articles but may change what is found: path -> content.
        self.others: dict[str, str] = {}
        self.config = Settings()
        self.written: dict[str, bytes] = {}

    def files(self) -> dict[str, bytes]:
        files = {path: render_page(path, page).encode() for path, page in self.pages.items()}
        files.update({image: b"\x89PNG\r\n\x1a\n" + image.encode() for image in self.images})
        files["kbcheck.toml"] = render_config(self.config).encode()
        files.update({path: content.encode() for path, content in self.others.items()})
        return files

    def sync(self) -> None:
        files = self.files()
        for gone in sorted(set(self.written) - set(files)):
            (self.root / gone).unlink()
        for relative, content in sorted(files.items()):
            if self.written.get(relative) != content:
                target = self.root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        self.written = files

    def rename(self, old: str, new: str) -> None:
        """Moved on disk, not rewritten: the file keeps its content and its times."""
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.root / old, self.root / new)
        self.written[new] = self.written.pop(old)
        self.pages[new] = self.pages.pop(old)


def _json(result: LintResult) -> str:
    return json_report.render(result.report, RenderOptions(version="test"))


def assert_cache_invisible(root: Path, history: list[str]) -> None:
    config = load_config(root / "kbcheck.toml")
    cached = lint([root], config, LintOptions(jobs=1))
    uncached = lint([root], config, LintOptions(jobs=1, cache=False))
    assert _json(cached) == _json(uncached), "after: " + " / ".join(history)


def draw_link(data: st.DataObject, kb: KnowledgeBase) -> Link:
    target = data.draw(st.sampled_from([*sorted(kb.pages), "billing/gone.md"]))
    page = kb.pages.get(target)
    anchor = None
    if page is not None and page.sections and data.draw(st.booleans()):
        anchor = slug(data.draw(st.sampled_from(page.sections)))
    forms = ("file", "file", "file", "pretty", "root", "case", "outside")
    return Link(target, anchor, data.draw(st.sampled_from(forms)))


def draw_page(data: st.DataObject, path: str) -> Page:
    return Page(
        title=posixpath.basename(path)[:-3].capitalize(),
        owner=data.draw(st.sampled_from((None, *OWNERS))),
        reviewed=data.draw(st.sampled_from(REVIEWED)),
        sections=data.draw(st.lists(st.sampled_from(SECTIONS), min_size=1, max_size=3)),
        image=data.draw(st.sampled_from((None, *IMAGES))),
        refund_days=data.draw(st.sampled_from((None, 14, 30))),
        reset_hours=data.draw(st.sampled_from((None, 2, 24))),
        boilerplate=data.draw(st.booleans()),
        offer_until=data.draw(st.sampled_from((None, None, "March 31, 2026", "May 31, 2027"))),
        retired_term=data.draw(st.sampled_from((False, False, True))),
        us_date=data.draw(st.sampled_from((False, False, True))),
    )


def step(data: st.DataObject, kb: KnowledgeBase) -> str:
    """One edit, drawn and applied to the model (and to the files for renames and
    commits); returns what it did, for the failure message."""
    kind = data.draw(
        st.sampled_from(
            (
                "rename heading",
                "change link",
                "change value",
                "add file",
                "delete file",
                "rename file",
                "change settings",
                "change fact",
                "change rule",
                "change today",
                "commit",
                "touch",
                "nothing",
            )
        )
    )
    paths = sorted(kb.pages)
    if kind == "rename heading":
        # Preferably a heading some link points at.
        anchors = {(link.target, link.anchor) for page in kb.pages.values() for link in page.links}
        headings = [
            (path, index) for path in paths for index in range(len(kb.pages[path].sections))
        ]
        linked = [
            (path, index)
            for path, index in headings
            if (path, slug(kb.pages[path].sections[index])) in anchors
        ]
        if not headings:
            return "no heading to rename"
        path, index = data.draw(st.sampled_from(linked or headings))
        sections = kb.pages[path].sections
        sections[index] = data.draw(st.sampled_from(SECTIONS))
        return f"heading {index} of {path} now {sections[index]!r}"
    if kind == "change link":
        path = data.draw(st.sampled_from(paths))
        links = kb.pages[path].links
        link = draw_link(data, kb)
        if links and data.draw(st.booleans()):
            links[data.draw(st.integers(0, len(links) - 1))] = link
        else:
            links.append(link)
        return f"{path} links to {link}"
    if kind == "change value":
        path = data.draw(st.sampled_from(paths))
        page = kb.pages[path]
        if data.draw(st.booleans()):
            page.refund_days = data.draw(st.sampled_from((None, 7, 14, 30)))
        else:
            page.reset_hours = data.draw(st.sampled_from((None, 1, 2, 24)))
        return f"{path} states refunds {page.refund_days} days, reset {page.reset_hours} hours"
    if kind == "add file":
        what = data.draw(st.sampled_from(("article", "image", "other")))
        free = [path for path in PATHS if path not in kb.pages]
        if what == "article" and free:
            path = data.draw(st.sampled_from(free))
            kb.pages[path] = draw_page(data, path)
            count = data.draw(st.integers(0, 2))
            kb.pages[path].links = [draw_link(data, kb) for _ in range(count)]
            return f"added {path}"
        if what == "image":
            image = data.draw(st.sampled_from(IMAGES))
            kb.images.add(image)
            return f"added {image}"
        path, content = data.draw(st.sampled_from(OTHER_FILES))
        kb.others[path] = content
        return f"wrote {path}: {content!r}"
    if kind == "delete file":
        if len(paths) > 1 and data.draw(st.booleans()):
            path = data.draw(st.sampled_from(paths))
            del kb.pages[path]
            return f"deleted {path}"
        gone = data.draw(st.sampled_from(sorted([*kb.images, *kb.others]) or [""]))
        kb.images.discard(gone)
        kb.others.pop(gone, None)
        return f"deleted {gone}" if gone else "nothing to delete"
    if kind == "rename file":
        free = [path for path in PATHS if path not in kb.pages]
        old = data.draw(st.sampled_from(paths))
        new = data.draw(st.sampled_from(free))
        kb.sync()
        kb.rename(old, new)
        return f"renamed {old} to {new}"
    if kind == "change settings":
        setting = data.draw(
            st.sampled_from(
                (
                    "anchor_style",
                    "link_style",
                    "exclude",
                    "age_source",
                    "review_every",
                    "retired_terms",
                    "owner_key",
                    "date_formats",
                    "max_article_size",
                )
            )
        )
        config = kb.config
        if setting == "anchor_style":
            styles = ("github", "gitlab", "mkdocs", "docusaurus")
            config.anchor_style = data.draw(st.sampled_from(styles))
        elif setting == "link_style":
            config.link_style = data.draw(st.sampled_from(("file", "pretty")))
        elif setting == "exclude":
            choices = ((), ("support/**",), ("account/",), ("support/**", "billing/plans.md"))
            config.exclude = data.draw(st.sampled_from(choices))
        elif setting == "age_source":
            config.age_source = data.draw(st.sampled_from(AGE_SOURCES))
        elif setting == "review_every":
            config.review_every = data.draw(st.sampled_from(("30d", "180d", "2y")))
        elif setting == "retired_terms":
            config.retired_terms = not config.retired_terms
        elif setting == "owner_key":
            config.owner_key = "author" if config.owner_key == "owner" else "owner"
        elif setting == "date_formats":
            config.date_formats = () if config.date_formats else ("%m/%d/%Y",)
        else:
            config.max_article_size = data.draw(st.sampled_from(("1MB", "700B", "400B")))
        return f"{setting} = {getattr(config, setting)!r}"
    if kind == "change fact":
        name = data.draw(st.sampled_from(sorted(FACTS)))
        values, matches = FACTS[name]
        if name in kb.config.facts and data.draw(st.booleans()):
            del kb.config.facts[name]
            return f"removed [facts.{name}]"
        fact = (data.draw(st.sampled_from(values)), data.draw(st.sampled_from(matches)))
        kb.config.facts[name] = fact
        return f"[facts.{name}] = {fact}"
    if kind == "change rule":
        rule, key, values = data.draw(st.sampled_from(RULE_SETTINGS))
        current = kb.config.rules.setdefault(rule, {})
        if key in current and data.draw(st.booleans()):
            del current[key]
            if not current:
                del kb.config.rules[rule]
            return f'[rules."{rule}"] {key} removed'
        current[key] = data.draw(st.sampled_from(values))
        return f'[rules."{rule}"] {key} = {current[key]}'
    if kind == "change today":
        kb.config.today = data.draw(st.sampled_from(DAYS))
        return f"today = {kb.config.today}"
    if kind == "commit":
        day = data.draw(st.sampled_from(DAYS[:4]))
        author, email = data.draw(st.sampled_from(AUTHORS))
        kb.sync()
        kb.repo.commit(day, author=author, email=email)
        return f"commit by {author} on {day}"
    if kind == "touch":
        relative = data.draw(st.sampled_from(sorted(kb.written)))
        kb.sync()
        stat = (kb.root / relative).stat()
        os.utime(kb.root / relative, ns=(stat.st_atime_ns, stat.st_mtime_ns + 3_000_000_000))
        return f"touched {relative}"
    return "nothing changed"


def check_edits(data: st.DataObject, settle: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        kb = KnowledgeBase(GitRepo(Path(folder) / "kb"))
        # Where review dates come from decides whether a run reads git at all (and so whether
        # `git status` alone would already tell an edited article from the stored one).
        kb.config.age_source = data.draw(st.sampled_from(AGE_SOURCES))
        chosen = data.draw(st.lists(st.sampled_from(PATHS), min_size=6, max_size=10, unique=True))
        for path in chosen:
            kb.pages[path] = draw_page(data, path)
        for path in chosen:
            count = data.draw(st.integers(0, 3))
            kb.pages[path].links = [draw_link(data, kb) for _ in range(count)]
        kb.sync()
        kb.repo.commit(DAYS[1])
        history = ["the first commit"]
        if settle:
            time.sleep(SETTLE_SECONDS)
            history.append("files left to settle")
        assert_cache_invisible(kb.root, history)
        for _ in range(data.draw(st.integers(1, MAX_STEPS))):
            history.append(step(data, kb))
            kb.sync()
            assert_cache_invisible(kb.root, history)


def _examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@_examples(60)
@given(data=st.data())
def test_a_cached_run_reports_what_an_uncached_run_reports(data: st.DataObject) -> None:
    check_edits(data, settle=False)


@_examples(6)
@given(data=st.data())
def test_a_cached_run_on_settled_files_reports_what_an_uncached_run_reports(
    data: st.DataObject,
) -> None:
    """As above, on files old enough that kbcheck trusts their recorded status: those the
    steps leave alone are not read again."""
    check_edits(data, settle=True)


def _rules(root: Path) -> set[str]:
    config = load_config(root / "kbcheck.toml")
    return {f.rule for f in lint([root], config, LintOptions(jobs=1, cache=False)).report.findings}


def test_the_generated_help_center_gives_what_the_steps_change(tmp_path: Path) -> None:
    """The help center the property builds is not a clean one the cache could hardly get
    wrong: its parts give findings of every family, and the steps take them away again."""
    kb = KnowledgeBase(GitRepo(tmp_path / "kb"))
    kb.pages["billing/refunds.md"] = Page(
        "Refunds", "ana@example.com", TODAY, ["Steps", "Limits"], refund_days=30, boilerplate=True
    )
    kb.pages["support/contact.md"] = Page(
        "Contact",
        "nobody-team",
        date(2024, 1, 1),
        ["Setup"],
        links=[
            Link("billing/refunds.md", "steps", "file"),
            Link("billing/gone.md", None, "pretty"),
            Link("billing/refunds.md", None, "case"),
            Link("billing/refunds.md", None, "outside"),
        ],
        image=IMAGES[1],
        refund_days=14,
        boilerplate=True,
        offer_until="March 31, 2026",
        retired_term=True,
    )
    kb.pages["account/sso.md"] = Page("Sso", None, date(2026, 7, 1), [], image=IMAGES[0])
    kb.config.retired_terms = True
    kb.config.rules["contradiction/near-duplicate"] = {"threshold": "0.3"}
    kb.config.facts["refund_window"] = ("30 days", "refunds? (are|is) accepted")
    kb.sync()
    kb.repo.commit(DAYS[1])
    assert _rules(kb.root) == {
        "age/future-date",
        "age/stale",
        "content/expired-mention",
        "content/retired-term",
        "contradiction/conflicting-values",
        "contradiction/fact-mismatch",
        "contradiction/near-duplicate",
        "links/broken-file",
        "links/broken-image",
        "links/case-mismatch",
        "links/outside-root",
        "owner/missing",
        "owner/unknown",
    }
    kb.pages["billing/refunds.md"].sections[0] = "Before you start"
    kb.sync()
    assert "links/broken-anchor" in _rules(kb.root)
    kb.config.exclude = ("support/**",)
    kb.sync()
    assert _rules(kb.root) == {"age/future-date", "owner/missing"}
