"""Heading text -> URL fragment, computed the way each site renderer computes it.

A link such as ``page.md#some-heading`` is only valid if the renderer that publishes
``page.md`` gives one of its headings exactly that id. Guessing "roughly lowercase and
hyphenated" is the usual source of false positives in link checkers, so every style below
re-implements its renderer's algorithm step by step, in the renderer's order.

``text`` is the heading's plain text as the renderer sees it: Markdown already parsed and
reduced to text (inline code without backticks, link text without the URL, no HTML tags, no
image alt text, emoji as Unicode characters). Leading/trailing whitespace is significant for
every style except ``mkdocs``: the Markdown parser has already trimmed the heading content,
and whatever whitespace survives (an ``&#x20;`` entity, say) does end up in the slug.

Emoji shortcodes such as ``:tada:`` should be passed literally. GitHub and GitLab compute
the id from the source text before the shortcode becomes an emoji, so ``## :tada: Launch``
is ``#tada-launch`` on both (github-slugger's ``test/fixtures.json`` "Gemoji" cases were
captured from github.com; GitLab's docs example turns ``:thumbsup:`` into ``thumbsup``).
MkDocs and Docusaurus do not expand shortcodes by default, so they see the same text.

Styles, and where each rule comes from:

``github``
    github-slugger (Flet/github-slugger, ``index.js`` + ``script/generate-regex.mjs``),
    whose fixtures are scraped from github.com: lowercase (full Unicode mapping), delete
    every character in the removal set, replace each ASCII space with ``-``. No trimming,
    no collapsing of ``-``. The removal set is General_Category No, Pd, Ps, Pe, Pi, Pf, Po,
    S*, Cc, Cf, Co, Cn and Z*, minus the Alphabetic property, minus space and ``-``. Letters
    of every script, marks, decimal and letter numbers and connector punctuation (``_``)
    survive. Duplicates become ``x-1``, ``x-2``, skipping any id already handed out.
``docusaurus``
    The same github-slugger code (``@docusaurus/utils`` ``createSlugger``, github-slugger
    ^1.5.0, whose removal regex is identical to 2.0.0). Explicit ``{#id}`` heading ids
    bypass the slugger entirely (``docusaurus-mdx-loader`` ``remark/headings``), so they
    do not push later generated slugs to ``-1``. The optional
    ``markdown.anchors.maintainCase`` setting is not modelled (default: off).
``gitlab``
    GitLab >= 17.0 renders Markdown with comrak (``header_ids`` option of the
    gitlab-glfm-markdown gem), i.e. comrak's ``Anchorizer``: lowercase, keep only Unicode
    letters, marks, numbers (all N*, so ``½`` and ``²`` survive), connector punctuation,
    space and ``-``, then spaces to ``-``. The "Heading IDs and links" docs still list
    "two or more hyphens are converted to one", but their own example output
    (``this-heading-has--multiple-spaces-and-----hyphens``) and comrak do not collapse.
    The pre-17.0 Ruby rules (strip, squeeze ``-``, ``123`` -> ``anchor-123``) are gone, so
    a digits-only heading is just its digits and an empty one is ``""``. Duplicates as for
    github (comrak checks the set of ids it has already returned).
``mkdocs``
    Python-Markdown ``markdown/extensions/toc.py`` defaults (what MkDocs uses unless
    ``toc.slugify`` is configured): NFKD, drop non-ASCII, delete ``[^\\w\\s-]``, strip,
    lowercase, collapse ``[-\\s]+`` to ``-``; then ``unique()``: an empty slug or a taken
    one gets ``_1``, and a slug already ending in ``_<n>`` is bumped to ``_<n+1>``.
``markdig``
    docfx (Microsoft Learn): markdig's AutoIdentifierExtension with
    ``AutoIdentifierOptions.GitHub`` (docfx's own test ``AutoIdentifierTest_DocfxDefault``:
    "docfx use `AutoIdentifierOptions.GitHub` as default options", ``# This - is a &@!
    heading _ with . and ! -`` -> ``this---is-a--heading-_-with--and---``), i.e.
    ``LinkHelper.UrilizeAsGfm``: per UTF-16 code unit, keep ``char.IsLetterOrDigit``
    (letters L*, decimal digits Nd; not marks, not No), space (as ``-``), ``-`` and ``_``,
    lower-cased; nothing else, no trimming or collapsing. An empty result is ``section``
    (``HeadingBlock_ProcessInlinesEnd``), and a taken id gets ``-1``, ``-2``... retrying
    until unused, as github-slugger does. Code points outside the BMP are two surrogates
    to .NET, neither a letter, so emoji and supplementary-plane letters are dropped.
``kramdown``
    kramdown's own parser (Jekyll with ``kramdown: input: kramdown``):
    ``Converter::Base#generate_id`` over the heading's *raw source text*
    (gettalong/kramdown ``lib/kramdown/converter/base.rb`` ``basic_generate_id``): delete
    leading characters up to the first ASCII letter, delete everything but ``a-zA-Z0-9``,
    space and ``-``, spaces to ``-``, lowercase; an empty id is ``section``. Duplicates
    count per id (``x``, ``x-1``, ``x-2``) without checking the ids already handed out.
    ``transliterated_header_ids`` is not modelled.
``kramdown-gfm``
    kramdown-parser-gfm (Jekyll's and GitHub Pages' default ``input: GFM``):
    ``generate_gfm_header_id`` over the heading's text (``auto_id_stripping``: text, code,
    entities and typographic symbols as characters, so ``--`` is an en dash and goes):
    lowercase, delete ``[^\\p{Word}\\- \\t]`` (Ruby's Word: letters, marks, decimal
    digits, connector punctuation), spaces and tabs to ``-``. Empty stays empty; duplicates
    as for ``kramdown``.
``hugo``, ``hugo-ascii``, ``hugo-blackfriday``
    Hugo's goldmark ids, ``markup.goldmark.parser.autoIDType`` (formerly
    ``autoHeadingIDType``) "github" (the default), "github-ascii" and "blackfriday"
    (gohugoio/hugo ``markup/goldmark/autoid.go``, ``markup/blackfriday/anchors.go``).
    ``hugo``: trim Unicode white space, then per character ``-`` and space become ``-``,
    ``_``, letters (L*) and decimal digits (Nd) are kept lowercased (Go's one-to-one
    ``unicode.ToLower``), everything else (marks included) is deleted. ``hugo-ascii``:
    the same after removing accents (NFD, drop Mn, NFC), keeping ASCII only.
    ``hugo-blackfriday``: runs of anything but letters and numbers (N*) become one ``-``,
    never at the start or the end. A heading that slugs to nothing is ``heading``;
    duplicates get ``-1``, ``-2``... skipping every id already handed out, explicit
    ``{#id}`` ids included, in document order (``idFactory.Generate``/``Put``).

Approximation: character classes come from this Python's ``unicodedata`` (no Alphabetic
property, so the four blocks of Alphabetic symbols are listed by hand). github-slugger's table
is frozen at Unicode 13.0, comrak's is newer than any CPython's, so code points assigned in
between are classified differently: on Python 3.11+ github/docusaurus keep letters that
github-slugger deletes as unassigned, and gitlab deletes letters newer than this Python that
comrak keeps. Nothing else differs: every code point assigned by Unicode 13.0 gives
github-slugger's result on CPython 3.10 - 3.13, and every one this Python knows gives comrak
0.54's result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from kbcheck import suggestions

__all__ = ["ANCHOR_STYLES", "Slugger", "closest", "gitbook_ids", "slugify"]

ANCHOR_STYLES: tuple[str, ...] = (
    "github",
    "gitlab",
    "mkdocs",
    "docusaurus",
    "markdig",
    "kramdown",
    "kramdown-gfm",
    "hugo",
    "hugo-ascii",
    "hugo-blackfriday",
)
#: Hugo's goldmark id types: explicit ids count as taken, in document order.
HUGO_STYLES = frozenset({"hugo", "hugo-ascii", "hugo-blackfriday"})
#: Go's `unicode.IsSpace`, which `bytes.TrimSpace` trims (Python's `strip` also trims
#: U+001C..U+001F, which Go keeps).
_GO_SPACES = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# General categories github-slugger deletes (its generate-regex script: Other_Number, the
# Punctuation subcategories except Connector_Punctuation, Symbol, Control, Private_Use, Format,
# Unassigned and Separator). Marks, letters, Nd, Nl and Pc survive.
_GITHUB_DROP_CATEGORIES = frozenset(
    {"No", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So"}
    | {"Cc", "Cf", "Co", "Cn", "Zs", "Zl", "Zp"}
)

# The script then un-deletes every Alphabetic code point. Alphabetic = L* + Nl +
# Other_Alphabetic; the only Other_Alphabetic code points in a deleted category are these So
# letter-likes (circled, squared, negative circled and negative squared Latin letters).
_ALPHABETIC_SYMBOL_RANGES: tuple[tuple[int, int], ...] = (
    (0x24B6, 0x24E9),
    (0x1F130, 0x1F149),
    (0x1F150, 0x1F169),
    (0x1F170, 0x1F189),
)

_SPACE = ord(" ")
_HYPHEN = ord("-")


def _github_maps_to(cp: int) -> int | None:
    if cp == _SPACE:
        return _HYPHEN
    if cp == _HYPHEN:
        return cp
    if unicodedata.category(chr(cp)) not in _GITHUB_DROP_CATEGORIES:
        return cp
    for low, high in _ALPHABETIC_SYMBOL_RANGES:
        if low <= cp <= high:
            return cp
    return None


def _gitlab_maps_to(cp: int) -> int | None:
    if cp == _SPACE:
        return _HYPHEN
    if cp == _HYPHEN:
        return cp
    category = unicodedata.category(chr(cp))
    if category[0] in "LMN" or category == "Pc":
        return cp
    return None


_Classifier = Callable[[int], int | None]


class _LazyTable(dict[int, int | None]):
    """A ``str.translate`` table filled on first sight of each code point.

    Classifying all 1.1M code points at import would cost a noticeable fraction of a second;
    real headings use a few hundred distinct characters, so each one is looked up once.
    """

    __slots__ = ("_classify",)

    def __init__(self, classify: _Classifier) -> None:
        super().__init__()
        self._classify = classify
        for cp in range(128):
            self[cp] = classify(cp)

    def __missing__(self, cp: int) -> int | None:
        value = self._classify(cp)
        self[cp] = value
        return value


def _markdig_maps_to(cp: int) -> int | None:
    if cp == _SPACE:
        return _HYPHEN
    if cp in (_HYPHEN, ord("_")):
        return cp
    if cp > 0xFFFF:  # a surrogate pair in .NET: neither half is a letter or digit
        return None
    category = unicodedata.category(chr(cp))
    if category[0] == "L" or category == "Nd":
        return cp
    return None


def _ascii_deletions(classify: _Classifier) -> bytes:
    return bytes(cp for cp in range(128) if classify(cp) is None)


_GITHUB_TABLE = _LazyTable(_github_maps_to)
_GITLAB_TABLE = _LazyTable(_gitlab_maps_to)
_MARKDIG_TABLE = _LazyTable(_markdig_maps_to)
# Most headings are ASCII; bytes.translate is about three times faster than str.translate.
_SPACE_TO_HYPHEN = bytes.maketrans(b" ", b"-")
_GITHUB_ASCII_DROP = _ascii_deletions(_github_maps_to)
_GITLAB_ASCII_DROP = _ascii_deletions(_gitlab_maps_to)
_MARKDIG_ASCII_DROP = _ascii_deletions(_markdig_maps_to)

# Same pattern strings as Python-Markdown's toc.slugify, so re's idea of \w and \s is
# identical to the renderer's by construction.
_MKDOCS_DROP = re.compile(r"[^\w\s-]")
_MKDOCS_SEPARATORS = re.compile(r"[-\s]+")
_MKDOCS_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")
# basic_generate_id: `gsub(/^[^a-zA-Z]+/, '')` then `tr('^a-zA-Z0-9 -', '')`
_KRAMDOWN_LEADING = re.compile(r"^[^a-zA-Z]+", re.MULTILINE)
_KRAMDOWN_DROP = re.compile(r"[^a-zA-Z0-9 -]")
# kramdown-parser-gfm NON_WORD_RE `[^\p{Word}\- \t]`, for ASCII text; Ruby's Word is
# L*, M*, Nd and Pc (Python's \w differs outside ASCII: it has No and Nl, not marks).
_GFM_ASCII_DROP = re.compile(r"[^A-Za-z0-9_\- \t]")
_GFM_WORD_CATEGORIES = ("L", "M")


def _check_style(style: str) -> str:
    if style not in ANCHOR_STYLES:
        raise ValueError(
            f"unknown anchor style {style!r}; expected one of: {', '.join(ANCHOR_STYLES)}"
        )
    return style


def slugify(text: str, style: str = "github") -> str:
    """One heading's slug, before duplicate handling.

    ``str.lower`` applies the same full Unicode mapping as JavaScript's ``toLowerCase`` and
    Rust's ``to_lowercase`` (multi-character results, context-dependent final sigma), so it
    can stand in for both.
    """
    _check_style(style)
    if style == "kramdown":
        value = _KRAMDOWN_DROP.sub("", _KRAMDOWN_LEADING.sub("", text))
        return value.replace(" ", "-").lower()
    if style == "kramdown-gfm":
        value = text.lower()
        if value.isascii():
            value = _GFM_ASCII_DROP.sub("", value)
        else:
            value = "".join(ch for ch in value if _gfm_word(ch))
        return value.replace(" ", "-").replace("\t", "-")
    if style in HUGO_STYLES:
        return _hugo_slug(text, style)
    if style == "mkdocs":
        value = text
        if not value.isascii():  # NFKD and the ASCII filter leave ASCII unchanged
            value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
        value = _MKDOCS_DROP.sub("", value).strip().lower()
        return _MKDOCS_SEPARATORS.sub("-", value)
    if style == "markdig":
        return _markdig_slug(text)
    gitlab = style == "gitlab"
    lowered = text.lower()
    if lowered.isascii():
        drop = _GITLAB_ASCII_DROP if gitlab else _GITHUB_ASCII_DROP
        return lowered.encode("ascii").translate(_SPACE_TO_HYPHEN, drop).decode("ascii")
    return lowered.translate(_GITLAB_TABLE if gitlab else _GITHUB_TABLE)


def _markdig_slug(text: str) -> str:
    """`UrilizeAsGfm`: the kept characters are filtered first, then each is lower-cased
    on its own (`char.ToLowerInvariant`, one code unit to one)."""
    if text.isascii():
        kept = text.encode("ascii").translate(_SPACE_TO_HYPHEN, _MARKDIG_ASCII_DROP)
        return kept.decode("ascii").lower()
    kept_text = text.translate(_MARKDIG_TABLE)
    return "".join(_lower_one(char) for char in kept_text)


def _lower_one(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def _gfm_word(ch: str) -> bool:
    if ch in "- \t":
        return True
    category = unicodedata.category(ch)
    return category[0] in _GFM_WORD_CATEGORIES or category in ("Nd", "Pc")


def _go_lower(char: str) -> str:
    """Go's `unicode.ToLower`: one code point to one (`İ` is `i`, not `i̇`)."""
    lowered = char.lower()
    return lowered if len(lowered) == 1 else lowered[0]


def _hugo_slug(text: str, style: str) -> str:
    if style == "hugo-blackfriday":
        parts: list[str] = []
        dash = False
        for char in text:
            if unicodedata.category(char)[0] in "LN":
                if dash and parts:
                    parts.append("-")
                dash = False
                parts.append(_go_lower(char))
            else:
                dash = True
        return "".join(parts)
    if style == "hugo-ascii" and not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize(
            "NFC", "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
        )
    text = text.strip(_GO_SPACES)
    kept: list[str] = []
    for char in text:
        if char in "- ":
            kept.append("-")
        elif char.isascii():
            if char.isalnum() or char == "_":
                kept.append(char.lower())
        elif style == "hugo":
            category = unicodedata.category(char)
            if category[0] == "L" or category == "Nd":
                kept.append(_go_lower(char))
    return "".join(kept)


class Slugger:
    """Per-document slug generator that reproduces the renderer's duplicate handling.

    github, gitlab and docusaurus (github-slugger and comrak behave identically here): the
    first ``x`` stays ``x``; later ones try ``x-1``, ``x-2``, ... and skip any id already
    handed out, so ``Echo``, ``Echo``, ``Echo 1`` gives ``echo``, ``echo-1``, ``echo-1-1``.

    kramdown, kramdown-gfm: ``x``, ``x-1``, ``x-2`` counted per id, with no check against
    the ids already handed out; kramdown names an empty id ``section``.

    mkdocs: Python-Markdown's ``unique()``: ``x``, ``x_1``, ``x_2``; an empty slug becomes
    ``_1``; a taken ``step_1`` becomes ``step_2``.

    :meth:`reserve` decisions:

    * mkdocs records the id. The toc treeprocessor collects every ``id`` attribute already in
      the document tree (attr_list ``{#id}`` on headings or other elements) before it slugs
      any heading, so a later ``{#setup}`` still turns an earlier generated ``setup`` into
      ``setup_1``. Call :meth:`reserve` for all of a document's explicit ids before the first
      :meth:`slug`. Raw-HTML ``<a name>``/``id`` is stashed outside the tree and is not seen
      by the renderer, so do not reserve those.
    * hugo styles record the id, in document order: call :meth:`reserve` for a heading's
      explicit id when the walk reaches it, so it takes the id from later headings only
      (goldmark's ``idFactory``); a heading that slugs to nothing is ``heading``.
    * github, gitlab, docusaurus ignore it: their slug counters only ever see heading text.
      GitHub and GitLab have no ``{#id}`` syntax and do not look at raw HTML anchors;
      Docusaurus assigns an explicit ``{#id}`` without passing it through the slugger.
    """

    __slots__ = ("_next_suffix", "_used", "style")

    def __init__(self, style: str = "github") -> None:
        self.style = _check_style(style)
        self._used: set[str] = set()
        self._next_suffix: dict[str, int] = {}

    def slug(self, text: str, empty: str = "heading") -> str:
        """Next unique slug for a heading with this text (Hugo: `empty` when it slugs to
        nothing, "term" for a definition term)."""
        base = slugify(text, self.style)
        if not base and self.style in HUGO_STYLES:
            base = empty
        if self.style == "mkdocs":
            return self._unique_mkdocs(base)
        if not base and self.style == "markdig":
            base = "section"  # markdig: "If the heading is empty, use the word section"
        if self.style.startswith("kramdown"):
            # a counter per id, never checked against the ids handed out (`@used_ids`,
            # `@id_counter`): `Overview 1` after two `Overview`s is `overview-1` again
            if not base and self.style == "kramdown":
                base = "section"
            n = self._next_suffix.get(base, 0)
            self._next_suffix[base] = n + 1
            return f"{base}-{n}" if n else base
        # Resuming at the per-base counter gives the same answers as github-slugger's and
        # comrak's "retry until unused" loops (ids are never released) without rescanning.
        n = self._next_suffix.get(base, 0)
        candidate = f"{base}-{n}" if n else base
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(candidate)
        self._next_suffix[base] = n + 1
        return candidate

    def reserve(self, anchor: str) -> None:
        """Mark an explicit id as taken, where the renderer does (mkdocs, hugo; see class)."""
        if self.style == "mkdocs" or self.style in HUGO_STYLES:
            self._used.add(anchor)

    def _unique_mkdocs(self, anchor: str) -> str:
        while anchor in self._used or not anchor:
            match = _MKDOCS_IDCOUNT.match(anchor)
            anchor = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{anchor}_1"
        self._used.add(anchor)
        return anchor


_GITBOOK_SEPARATORS = re.compile(r"[^\w.-]+")
_GITBOOK_CAPITAL = re.compile(r"(?<=.)(?=[A-Z])")


def gitbook_ids(text: str) -> tuple[str, ...]:
    """The ids GitBook gives a heading, besides GitHub's slug (which `slugify` makes).

    GitBook documents only that an anchor is "identical to the text in your header". What
    it publishes is read from the anchors its editor writes into synced Markdown (GitBook's
    own docs and help centers synced with Git): lower case, letters, digits, `.`, `_` and
    `-` kept, every other run of characters (spaces, punctuation, emoji) one `-`, none at
    either end (`### 💬 User Feedback` is `#user-feedback`, `### C API (BugSplatC.h)` is
    `#c-api-bugsplatc.h`). Its current editor also starts a word at each capital letter and
    puts `id-` before a leading digit (`### 1. Create an app in Azure AD` is
    `#id-1.-create-an-app-in-azure-a-d`). Both forms are returned: pages carry ids of
    either age."""
    found = []
    # `Set syntax…` has been published as `#set-syntax...`: the compatibility form too
    # and `Math & TeX` as `#math-and-tex`
    compatible = unicodedata.normalize("NFKC", text).replace("&", " and ")
    for source in dict.fromkeys((text, compatible, _GITBOOK_CAPITAL.sub(" ", text))):
        slug = _GITBOOK_SEPARATORS.sub("-", source.lower()).strip("-")
        slug = re.sub(r"-{2,}", "-", slug)
        if slug[:1].isdigit():
            found.append("id-" + slug)
        if slug:
            found.append(slug)
    return tuple(dict.fromkeys(found))


def closest(anchor: str, candidates: Iterable[str]) -> str | None:
    """The most similar existing anchor for a "did you mean #...?" hint, or None.

    Tried in order: a case-insensitive exact match (``#Setup`` for ``setup``); the best
    difflib match above the cutoff; the shortest candidate that starts with the anchor at a
    word boundary, which catches a truncated id (``configuration`` for
    ``configuration-reference-for-all-options``) whose ratio is too low.
    """
    target = anchor[1:] if anchor.startswith("#") else anchor
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        if candidate:
            by_folded.setdefault(candidate.casefold(), candidate)
    folded = target.casefold()
    if not folded or not by_folded:
        return None
    if folded in by_folded:
        return by_folded[folded]
    match = suggestions.closest(folded, by_folded)
    if match is not None:
        return by_folded[match]
    if len(folded) >= 3:
        prefixed = [key for key in by_folded if key.startswith(folded) and key[len(folded)] in "-_"]
        if prefixed:
            return by_folded[min(prefixed, key=len)]
    return None
