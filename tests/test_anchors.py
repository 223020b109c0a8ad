"""Tests for kbcheck.anchors.

Every expected slug below is what the real renderer produced, not what kbcheck computes:

* github / docusaurus: github-slugger 2.0.0 and 1.5.0 (the version Docusaurus 3 depends on)
  run under Node, plus the fixture sequence Flet/github-slugger keeps in
  ``test/fixtures.json``, whose values were scraped from github.com;
* gitlab: comrak 0.54 with ``header_ids`` (the engine behind GitLab >= 17.0 Markdown), plus the
  example in GitLab's "Heading IDs and links" documentation;
* mkdocs: Python-Markdown 3.11's ``markdown.extensions.toc`` (``slugify`` + ``unique``, and a
  full ``markdown(..., extensions=["toc", "attr_list"])`` render for the reserve case).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbcheck.anchors import ANCHOR_STYLES, Slugger, closest, slugify

# database=None: no failing examples are saved under .hypothesis/ between runs.
PROPERTY = settings(database=None, deadline=None, max_examples=300)

# heading text -> (github, gitlab, mkdocs, docusaurus)
RENDERED: dict[str, tuple[str, str, str, str]] = {
    # punctuation
    "What's new?": ("whats-new", "whats-new", "whats-new", "whats-new"),
    "Q&A: billing": ("qa-billing", "qa-billing", "qa-billing", "qa-billing"),
    "C++ / C#": ("c--c", "c--c", "c-c", "c--c"),
    "Step 1: install — then run…": (
        "step-1-install--then-run",
        "step-1-install--then-run",
        "step-1-install-then-run",
        "step-1-install--then-run",
    ),
    # inline code reaches us as its text
    "Using the config.yaml file": (
        "using-the-configyaml-file",
        "using-the-configyaml-file",
        "using-the-configyaml-file",
        "using-the-configyaml-file",
    ),
    "__init__.py": ("__init__py", "__init__py", "__init__py", "__init__py"),
    # emoji
    "🎉 Launch day": ("-launch-day", "-launch-day", "launch-day", "-launch-day"),
    "Done ✅": ("done-", "done-", "done", "done-"),
    # shortcodes are slugged as written (GitHub and GitLab slug before emoji rendering)
    ":tada: Launch day": (
        "tada-launch-day",
        "tada-launch-day",
        "tada-launch-day",
        "tada-launch-day",
    ),
    # accents, non-Latin scripts, case mapping
    "Café résumé": ("café-résumé", "café-résumé", "cafe-resume", "café-résumé"),
    "日本語の見出し": ("日本語の見出し", "日本語の見出し", "", "日本語の見出し"),
    "Привет non-latin 你好": (
        "привет-non-latin-你好",
        "привет-non-latin-你好",
        "non-latin",
        "привет-non-latin-你好",
    ),
    "ΟΔΟΣ": ("οδος", "οδος", "", "οδος"),
    "MiXeD CaSe Heading": (
        "mixed-case-heading",
        "mixed-case-heading",
        "mixed-case-heading",
        "mixed-case-heading",
    ),
    # whitespace: only mkdocs trims or collapses; tab and NBSP are deleted, not hyphenated
    " Leading and trailing ": (
        "-leading-and-trailing-",
        "-leading-and-trailing-",
        "leading-and-trailing",
        "-leading-and-trailing-",
    ),
    "Multiple   spaces": (
        "multiple---spaces",
        "multiple---spaces",
        "multiple-spaces",
        "multiple---spaces",
    ),
    "tab\there": ("tabhere", "tabhere", "tab-here", "tabhere"),
    "non\u00a0breaking": ("nonbreaking", "nonbreaking", "non-breaking", "nonbreaking"),
    # hyphens and underscores
    "foo -- bar": ("foo----bar", "foo----bar", "foo-bar", "foo----bar"),
    "snake_case": ("snake_case", "snake_case", "snake_case", "snake_case"),
    "-a-": ("-a-", "-a-", "-a-", "-a-"),
    # numbers: github-slugger drops Other_Number, comrak keeps every N*, NFKD spells them out
    "2024": ("2024", "2024", "2024", "2024"),
    "½ off, x² faster": ("-off-x-faster", "½-off-x²-faster", "12-off-x2-faster", "-off-x-faster"),
    # So letter-likes are Alphabetic, so github-slugger keeps them; comrak does not
    "Ⓐ circled": ("ⓐ-circled", "-circled", "a-circled", "ⓐ-circled"),
    # empty
    "": ("", "", "", ""),
}

#: The styles of the RENDERED table. markdig (docfx) has no renderer to run here: its cases,
#: from docfx's own test and markdig's `LinkHelper.UrilizeAsGfm`, are in tests/site/test_docfx.py.
#: Hugo's styles have their own table below.
RENDERED_STYLES = ("github", "gitlab", "mkdocs", "docusaurus")

SLUG_CASES = [
    pytest.param(text, style, expected, id=f"{style}:{text!r}")
    for text, row in RENDERED.items()
    for style, expected in zip(RENDERED_STYLES, row, strict=True)
]


@pytest.mark.parametrize(("text", "style", "expected"), SLUG_CASES)
def test_slugify_matches_renderer(text: str, style: str, expected: str) -> None:
    assert slugify(text, style) == expected


def test_default_style_is_github() -> None:
    assert slugify("C++ / C#") == "c--c"
    assert Slugger().slug("C++ / C#") == "c--c"


# (heading, slug) in document order, from Flet/github-slugger test/fixtures.json. The order
# matters: " a " makes "-a-" taken before the heading "-a-" arrives.
GITHUB_FIXTURE_SEQUENCE: list[tuple[str, str]] = [
    ("alpha", "alpha"),
    ("alpha", "alpha-1"),
    ("bravoCharlieDelta", "bravocharliedelta"),
    ("__proto__", "__proto__"),
    ("__proto__", "__proto__-1"),
    ("hasOwnProperty", "hasownproperty"),
    ("echo", "echo"),
    ("echo", "echo-1"),
    ("echo 1", "echo-1-1"),
    ("echo-1", "echo-1-2"),
    ("echo", "echo-2"),
    ("foxtrot-1", "foxtrot-1"),
    ("foxtrot", "foxtrot"),
    ("foxtrot", "foxtrot-2"),
    ("heading with a - dash", "heading-with-a---dash"),
    ("heading with an _ underscore", "heading-with-an-_-underscore"),
    ("heading with a period.txt", "heading-with-a-periodtxt"),
    (
        "exchange.bind_headers(exchange, routing [, bindCallback])",
        "exchangebind_headersexchange-routing--bindcallback",
    ),
    (" ", "-"),
    (" a", "-a"),
    ("a ", "a-"),
    (" a ", "-a-"),
    ("-a-", "-a--1"),
    ("apostrophe’s should be trimmed", "apostrophes-should-be-trimmed"),
    ("golf", "golf"),
    ("golf", "golf-1"),
    ("golf", "golf-2"),
    ("I ♥ unicode", "i--unicode"),
    ("dash-dash", "dash-dash"),
    ("en–dash", "endash"),
    ("em–dash", "emdash"),
    ("😄 unicode emoji", "-unicode-emoji"),
    ("😄-😄 unicode emoji", "--unicode-emoji"),
    ("😄_😄 unicode emoji", "_-unicode-emoji"),
    ("😄 - an emoji", "---an-emoji"),
    (":smile: - a gemoji", "smile---a-gemoji"),
    ("Привет", "привет"),
    ("Профили пользователей", "профили-пользователей"),
    ("Привет non-latin 你好", "привет-non-latin-你好"),
    (":ok: No underscore", "ok-no-underscore"),
    (":ok_hand: Single", "ok_hand-single"),
    (
        ":ok_hand::hatched_chick: Two in a row with no spaces",
        "ok_handhatched_chick-two-in-a-row-with-no-spaces",
    ),
    (":ok_hand: :hatched_chick: Two in a row", "ok_hand-hatched_chick-two-in-a-row"),
]


@pytest.mark.parametrize("style", ["github", "docusaurus"])
def test_github_slugger_fixture_sequence(style: str) -> None:
    slugger = Slugger(style)
    got = [slugger.slug(text) for text, _ in GITHUB_FIXTURE_SEQUENCE]
    assert got == [slug for _, slug in GITHUB_FIXTURE_SEQUENCE]


def test_gitlab_docs_example() -> None:
    # docs/user/markdown.md "Heading IDs and links": the prose still says runs of hyphens are
    # collapsed, the example output (and comrak) keep them.
    headings = [
        "This heading has spaces in it",
        "This heading has a :thumbsup: in it",
        "This heading has Unicode in it: 한글",
        "This heading has spaces in it",
        "This heading has spaces in it",
        "This heading has 3.5 in it (and parentheses)",
        "This heading has  multiple spaces and --- hyphens",
    ]
    slugger = Slugger("gitlab")
    assert [slugger.slug(h) for h in headings] == [
        "this-heading-has-spaces-in-it",
        "this-heading-has-a-thumbsup-in-it",
        "this-heading-has-unicode-in-it-한글",
        "this-heading-has-spaces-in-it-1",
        "this-heading-has-spaces-in-it-2",
        "this-heading-has-35-in-it-and-parentheses",
        "this-heading-has--multiple-spaces-and-----hyphens",
    ]


DUPLICATES = {
    "github": ["getting-started", "getting-started-1", "getting-started-2"],
    "gitlab": ["getting-started", "getting-started-1", "getting-started-2"],
    "mkdocs": ["getting-started", "getting-started_1", "getting-started_2"],
    "docusaurus": ["getting-started", "getting-started-1", "getting-started-2"],
    # markdig's AutoIdentifierExtension: `-1`, `-2` until the id is unused
    "markdig": ["getting-started", "getting-started-1", "getting-started-2"],
    "kramdown": ["getting-started", "getting-started-1", "getting-started-2"],
    "kramdown-gfm": ["getting-started", "getting-started-1", "getting-started-2"],
    **{
        style: ["getting-started", "getting-started-1", "getting-started-2"]
        for style in ("hugo", "hugo-ascii", "hugo-blackfriday")
    },
}


@pytest.mark.parametrize("style", ANCHOR_STYLES)
def test_three_identical_headings(style: str) -> None:
    slugger = Slugger(style)
    assert [slugger.slug("Getting Started") for _ in range(3)] == DUPLICATES[style]


# Sequences checked against each renderer: a heading whose own text collides with a
# generated suffix, digits-only headings, and headings that slug to nothing.
SEQUENCES = {
    "github": ["overview", "overview-1", "overview-2", "overview-1-1", "123", "123-1", "", "-1"],
    "gitlab": ["overview", "overview-1", "overview-2", "overview-1-1", "123", "123-1", "", "-1"],
    "mkdocs": ["overview", "overview_1", "overview_2", "overview-1", "123", "123_1", "_1", "_2"],
    "docusaurus": [
        "overview",
        "overview-1",
        "overview-2",
        "overview-1-1",
        "123",
        "123-1",
        "",
        "-1",
    ],
    # markdig (from its source, no renderer run here): an empty id is "section"
    "markdig": [
        "overview",
        "overview-1",
        "overview-2",
        "overview-1-1",
        "123",
        "123-1",
        "section",
        "section-1",
    ],
    # kramdown counts per id and never checks the ids handed out (so `overview-1` twice);
    # its own parser drops leading digits and names an empty id `section`
    "kramdown": [
        *("overview", "overview-1", "overview-2", "overview-1"),
        *("section", "section-1", "section-2", "section-3"),
    ],
    "kramdown-gfm": [
        "overview",
        "overview-1",
        "overview-2",
        "overview-1",
        "123",
        "123-1",
        "",
        "-1",
    ],
    # goldmark's idFactory: an id that slugs to nothing is "heading"
    **{
        style: [
            *("overview", "overview-1", "overview-2", "overview-1-1"),
            *("123", "123-1", "heading", "heading-1"),
        ]
        for style in ("hugo", "hugo-ascii", "hugo-blackfriday")
    },
}


@pytest.mark.parametrize("style", ANCHOR_STYLES)
def test_collisions_digits_and_empty(style: str) -> None:
    slugger = Slugger(style)
    texts = ["Overview", "Overview", "Overview", "Overview 1", "123", "123", "", "!!!"]
    assert [slugger.slug(t) for t in texts] == SEQUENCES[style]


def test_mkdocs_suffix_bumps_existing_counter() -> None:
    # toc.unique(): a taken "setup_1" becomes "setup_2", not "setup_1_1".
    slugger = Slugger("mkdocs")
    assert [slugger.slug(t) for t in ["Setup", "Setup", "Setup_1"]] == [
        "setup",
        "setup_1",
        "setup_2",
    ]


def test_mkdocs_reserve_matches_attr_list_render() -> None:
    # markdown("# Setup\n\n# Setup\n\n# Other {#setup}\n\n# Setup_1\n\n#\n\n# !!!",
    #          extensions=["toc", "attr_list"]) gives ids
    # setup_1, setup_2, setup, setup_3, _1, _2: explicit ids are collected before any slug.
    slugger = Slugger("mkdocs")
    slugger.reserve("setup")
    got = [slugger.slug(t) for t in ["Setup", "Setup", "Setup_1", "", "!!!"]]
    assert got == ["setup_1", "setup_2", "setup_3", "_1", "_2"]


@pytest.mark.parametrize("style", ["github", "gitlab", "docusaurus"])
def test_reserve_is_ignored_where_renderer_ignores_explicit_ids(style: str) -> None:
    slugger = Slugger(style)
    slugger.reserve("setup")
    assert [slugger.slug("Setup"), slugger.slug("Setup")] == ["setup", "setup-1"]


def test_unknown_style_is_rejected_with_the_valid_names() -> None:
    with pytest.raises(ValueError, match="github, gitlab, mkdocs, docusaurus"):
        slugify("x", "sphinx")
    with pytest.raises(ValueError, match="'GitHub'"):
        Slugger("GitHub")


@pytest.mark.parametrize(
    ("anchor", "candidates", "expected"),
    [
        ("annual", ["billing", "annual-plans", "faq"], "annual-plans"),
        ("#annual", ["billing", "annual-plans", "faq"], "annual-plans"),
        ("instalation", ["installation", "usage"], "installation"),
        ("Setup", ["setup", "usage"], "setup"),
        # ratio 0.5, but a word-boundary prefix of exactly one heading
        (
            "configuration",
            ["configuration-reference-for-all-options", "usage"],
            "configuration-reference-for-all-options",
        ),
        # a prefix that stops mid-word is not a hint
        ("install", ["installation-on-linux-and-macos", "usage"], None),
        ("zzzzzz", ["billing", "annual-plans", "faq"], None),
        ("pricing", [], None),
        ("", ["billing"], None),
    ],
)
def test_closest(anchor: str, candidates: list[str], expected: str | None) -> None:
    assert closest(anchor, candidates) == expected


def test_closest_accepts_any_iterable() -> None:
    assert closest("billng", (c for c in ["billing", "faq"])) == "billing"


# Any code point, lone surrogates included: heading text comes from arbitrary files.
ANY_TEXT = st.text(st.characters(exclude_categories=()))
# A tiny alphabet so that collisions ("a", "a 1", "a-1", "a_1", "") are frequent.
COLLIDING_TEXT = st.text(alphabet="aA 1-_!", max_size=5)


@PROPERTY
@given(text=ANY_TEXT, style=st.sampled_from(ANCHOR_STYLES))
def test_slugify_never_raises(text: str, style: str) -> None:
    assert isinstance(slugify(text, style), str)


@PROPERTY
@given(text=ANY_TEXT)
def test_github_slug_is_lowercase_without_whitespace(text: str) -> None:
    slug = slugify(text, "github")
    # "No uppercase" means lowercasing changes nothing: a few Lu letters (e.g. U+1D400
    # MATHEMATICAL BOLD CAPITAL A) have no lowercase mapping and GitHub keeps them as is.
    assert slug.lower() == slug
    assert not any(ch.isspace() for ch in slug)


@PROPERTY
@given(text=ANY_TEXT, style=st.sampled_from(ANCHOR_STYLES))
def test_slugify_is_idempotent(text: str, style: str) -> None:
    # All four algorithms are: their output is already lowercase (lower() is idempotent per
    # code point), contains nothing they delete, and has no space left to convert (mkdocs
    # has also trimmed and collapsed). Only the duplicate suffixes of Slugger are not.
    once = slugify(text, style)
    assert slugify(once, style) == once


@PROPERTY
@given(
    texts=st.lists(st.one_of(COLLIDING_TEXT, ANY_TEXT), max_size=40),
    reserved=st.lists(COLLIDING_TEXT.map(lambda t: slugify(t, "mkdocs")), max_size=5),
    style=st.sampled_from(ANCHOR_STYLES),
)
def test_slugger_never_repeats_a_slug(texts: list[str], reserved: list[str], style: str) -> None:
    slugger = Slugger(style)
    for anchor in reserved:
        slugger.reserve(anchor)
    slugs = [slugger.slug(t) for t in texts]
    if style.startswith("kramdown"):
        # kramdown counts per id and never checks the ids it handed out: an empty heading's
        # second copy ("-1") and a heading written "-1" share an id there too
        return
    assert len(set(slugs)) == len(slugs)
    if style == "mkdocs":
        assert not set(slugs) & set(reserved)


# gohugoio/hugo markup/goldmark/autoid_test.go (TestSanitizeAnchorName: "generated manually
# on github.com"; the ASCII and Blackfriday cases), plus marks, which Go's IsLetter drops.
HUGO_CASES = [
    ("God is good: 神真美好", "hugo", "god-is-good-神真美好"),
    ("Number 32", "hugo", "number-32"),
    ("Question?", "hugo", "question"),
    ("1+2=3", "hugo", "123"),
    ('Special !"#$%&(parens)=?´* chars', "hugo", "special-parens-chars"),
    ("Resumé", "hugo", "resumé"),
    ("Multiple--Hyphens", "hugo", "multiple--hyphens"),
    ("Trailing hyphen-", "hugo", "trailing-hyphen-"),
    ("Many   spaces  here", "hugo", "many---spaces--here"),
    ("Forward/slash", "hugo", "forwardslash"),
    ("Backward\\slash", "hugo", "backwardslash"),
    ("Under_score", "hugo", "under_score"),
    ("Nonbreaking\u00a0Space", "hugo", "nonbreakingspace"),
    ("Tab\tSpace", "hugo", "tabspace"),
    ("Trailing Space ", "hugo", "trailing-space"),
    ("Cafe\u0301", "hugo", "cafe"),
    ("god is神真美好 good", "hugo-ascii", "god-is-good"),
    ("Resumé", "hugo-ascii", "resume"),
    ("Let's try this, shall we?", "hugo-blackfriday", "let-s-try-this-shall-we"),
    ("  ½ off!  ", "hugo-blackfriday", "½-off"),
]


@pytest.mark.parametrize(("text", "style", "expected"), HUGO_CASES)
def test_hugo_ids_match_goldmark(text: str, style: str, expected: str) -> None:
    assert slugify(text, style) == expected


def test_hugo_explicit_ids_count_from_where_they_stand() -> None:
    # goldmark's idFactory: `## Setup {#setup}` takes "setup" from the headings after it
    # only; a heading with no letters is "heading", a definition term "term"
    slugger = Slugger("hugo")
    first = slugger.slug("Setup")
    slugger.reserve("setup")
    assert [first, slugger.slug("Setup"), slugger.slug("!!"), slugger.slug("", empty="term")] == [
        "setup",
        "setup-1",
        "heading",
        "term",
    ]
