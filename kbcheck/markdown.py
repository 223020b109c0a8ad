"""Headings, anchors, links, prose and suppression comments from a Markdown body.

Everything positional comes from markdown-it-py: block tokens carry line maps, and the inline
rules that create links are wrapped to record where in the inline source they matched. Offsets
are converted to 1-based lines and columns of the original file here, once, so that no rule ever
does line arithmetic.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common import normalize_url
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from kbcheck.anchors import HUGO_STYLES, Slugger, gitbook_ids
from kbcheck.html_scanner import scan_html
from kbcheck.model import Heading, Link, Suppression, TextBlock

#: A trailing attribute block on a heading: `{#id}` (Docusaurus, kramdown, Pandoc) or
#: Python-Markdown's attr_list forms `{: #id .class }` / `{ #id }` (MkDocs).
_ATTRIBUTE_BLOCK = re.compile(r"[ \t]*\{:?[ \t]*([^{}\n]*?)[ \t]*\}[ \t]*$")
#: Docusaurus's own syntax (`parseMarkdownHeadingId`): exactly `{#id}` at the very end.
_DOCUSAURUS_ID = re.compile(r"[ \t]*\{#([^{}]+)\}$")
_DIRECTIVE = re.compile(
    r"^\s*kbcheck-(disable-next-line|disable-line|disable|enable)\b(.*?)\s*$", re.DOTALL
)
_POSITIONED_TYPES = {"link_open", "image", "html_inline"}
#: The block-level tokens `parse_markdown` reads; it skips every other one.
_WALKED_TYPES = frozenset(
    {"inline", "html_block", "thead_open", "thead_close", "tr_open", "docfx_directive"}
)
#: A docfx triple-colon block (`TripleColonBlockParser.TryOpen`): `:::`, optional spaces,
#: then an extension name (a letter, then letters, digits and `-`), at most three spaces in.
_TRIPLE_COLON = re.compile(r":::[ \t]*([A-Za-z][A-Za-z0-9-]*)")
#: One attribute of a triple-colon block: `name="value"` (`TryMatchAttributes`: values are
#: double-quoted, names as extension names).
_TRIPLE_COLON_ATTRIBUTE = re.compile(r'([A-Za-z][A-Za-z0-9-]*)[ \t]*=[ \t]*"([^"]*)"')
#: What stands before the link of a docfx include: `[!INCLUDE [title](path)]`.
_INCLUDE_MARK = re.compile(r"\[!include[ \t]*$", re.IGNORECASE)


@dataclass
class MarkdownSummary:
    headings: list[Heading] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    blocks: list[TextBlock] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)


def _record_position(rule: Callable[[StateInline, bool], bool]) -> Callable:
    """Wrap an inline rule so the token it creates remembers its offset in the inline source."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        start = state.pos
        before = len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            for token in state.tokens[before:]:
                if token.type in _POSITIONED_TYPES:
                    token.meta["offset"] = start
                    token.meta["end"] = state.pos
                    token.meta["reference"] = state.src[state.pos - 1 : state.pos] != ")"
                    break
        return matched

    return wrapped


class _Parser(MarkdownIt):
    """markdown-it with link destinations normalised once per distinct destination: a
    knowledge base links to the same pages again and again, and percent-encoding and
    punycode per link were about a twentieth of the tokenizer's time. markdown-it-py makes
    `normalizeLink` a method so that subclasses can change it; this one only remembers."""

    def normalizeLink(self, url: str) -> str:
        return _normalized_link(url)


@lru_cache(maxsize=16384)
def _normalized_link(url: str) -> str:
    return normalize_url.normalizeLink(url)


@lru_cache(maxsize=4)
def markdown_parser(definition_lists: bool = False, admonitions: bool = False) -> MarkdownIt:
    """CommonMark plus GFM tables and strikethrough, HTML allowed (help centers use it);
    with `definition_lists`, goldmark's definition lists too (Hugo gives terms ids); with
    `admonitions`, Python-Markdown's `!!! note` / `??? note` blocks, whose indented body is
    Markdown on a MkDocs site (its headings get ids), not a code block."""
    md = _Parser("commonmark", {"html": True}).enable(["table", "strikethrough"])
    if definition_lists:
        from mdit_py_plugins.deflist import deflist_plugin

        md.use(deflist_plugin)
    if admonitions:
        from mdit_py_plugins.admon import admon_plugin

        md.use(admon_plugin)
    for name in ("link", "image", "autolink", "html_inline"):
        rules = md.inline.ruler.__rules__
        original = rules[md.inline.ruler.__find__(name)].fn
        md.inline.ruler.at(name, _record_position(original))
    return md


def _triple_colon_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """docfx's triple-colon blocks (`:::image ...:::`, `:::zone pivot="x"`, `:::row:::`):
    one line, read as a directive token. Their attributes stay on that line (docfx parses
    them up to its end), so the line is all a link can come from; a complex image's long
    description and the `-end` lines are Markdown or directives of their own."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin : state.eMarks[start]]
    match = _TRIPLE_COLON.match(line)
    if match is None:
        return False
    if silent:
        return True
    token = state.push("docfx_directive", "", 0)
    token.map = [start, start + 1]
    token.info = match.group(1).lower()
    token.content = line
    state.line = start + 1
    return True


@lru_cache(maxsize=1)
def docfx_parser() -> MarkdownIt:
    """`markdown_parser` with docfx's triple-colon blocks."""
    md = _Parser("commonmark", {"html": True}).enable(["table", "strikethrough"])
    for name in ("link", "image", "autolink", "html_inline"):
        rules = md.inline.ruler.__rules__
        original = rules[md.inline.ruler.__find__(name)].fn
        md.inline.ruler.at(name, _record_position(original))
    md.block.ruler.before(
        "paragraph",
        "docfx_triple_colon",
        _triple_colon_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    return md


#: The attributes of a docfx `:::image` that name files (docfx `ImageExtension`): the
#: image, the larger image a click opens, and a link target.
_IMAGE_ATTRIBUTES = {"source": "image", "lightbox": "image", "link": "link"}


def _docfx_directive(
    token: Token, source_lines: list[str], offset: int, summary: MarkdownSummary
) -> None:
    """The files a `:::image` line names, as image and link items at their columns."""
    if token.info != "image" or not token.map:
        return
    row = token.map[0]
    source = source_lines[row] if row < len(source_lines) else token.content
    start = source.find(token.content) if token.content else 0
    start = max(start, 0)
    for match in _TRIPLE_COLON_ATTRIBUTE.finditer(token.content):
        kind = _IMAGE_ATTRIBUTES.get(match.group(1).lower())
        value = match.group(2).strip()
        if kind is None or not value:
            continue
        column = start + match.start(2) + 1
        summary.links.append(Link(kind, value, "", row + 1 + offset, column, "docfx"))


class _LineMap:
    """Maps offsets in a token's content to columns of the source lines it came from.

    Container markers (`> `, list indentation, `# `, table pipes) are stripped from token
    content, so each content line is located inside its source line once.
    """

    __slots__ = ("_offsets", "end_column", "starts")

    def __init__(
        self,
        content: str,
        first_line: int,
        source_lines: list[str],
        line_offset: int,
        search_from: int = 0,
    ) -> None:
        self.starts: list[tuple[int, int, int]] = []  # (content offset, file line, column0)
        self._offsets: list[int] | None = None
        texts = content.split("\n")
        source_count = len(source_lines)
        offset = 0
        source_index = first_line
        for text in texts:
            source = source_lines[source_index] if source_index < source_count else ""
            self.starts.append(
                (offset, source_index + 1 + line_offset, _locate(text, source, search_from))
            )
            search_from = 0  # only the first line shares its source line with earlier content
            offset += len(text) + 1
            source_index += 1
        self.end_column = self.starts[-1][2] + len(texts[-1]) if content else 0

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a content offset (a binary search: a paragraph of many
        lines with many links must not cost lines x links)."""
        starts = self.starts
        if len(starts) == 1:  # most content is one line
            chosen = starts[0]
        else:
            if self._offsets is None:
                self._offsets = [start[0] for start in starts]
            chosen = starts[max(bisect_right(self._offsets, offset) - 1, 0)]
        return chosen[1], chosen[2] + (offset - chosen[0]) + 1


def _locate(text: str, source: str, search_from: int) -> int:
    """0-based column where `text` (a stripped content line) stands in `source`."""
    if text == source:  # a plain paragraph line: what every branch below would answer
        return 0
    if search_from:
        found = source.find(text, search_from) if text else -1
        if found >= 0:
            return found
    stripped_source = source.rstrip()
    stripped_text = text.rstrip()
    if stripped_text and stripped_source.endswith(stripped_text):
        return len(stripped_source) - len(stripped_text)
    if text:
        found = source.find(text)
        if found >= 0:
            return found
        found = source.find(text.strip())
        if found >= 0:
            return found
    return len(source) - len(source.lstrip())


def _parse_directive(comment: str, line: int) -> Suppression | None:
    match = _DIRECTIVE.match(comment)
    if not match:
        return None
    rules = tuple(part for part in re.split(r"[\s,]+", match.group(2)) if part)
    return Suppression(action=match.group(1), rules=rules, line=line)


#: A Liquid (`{{ x }}`, `{% x %}`) or Hugo (`{{< x >}}`, `{{% x %}}`) expression on one line.
_TEMPLATE_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
#: Stands for a space inside a template expression while Markdown is parsed: a link such as
#: `[x]({{ site.baseurl }}/a/)` is a link only once its destination has no space.
_TEMPLATE_SPACE = "\u00a0"


#: A paragraph that is one Hugo include shortcode (hugoDocs' `include`, the pattern Hugo's
#: `RenderShortcodes` documentation shows): `{{% include "functions/_common/glob" %}}`.
_HUGO_INCLUDE = re.compile(
    r"^\{\{([<%])-?[\s\u00a0]*[\w/-]*include[\w/-]*[\s\u00a0]+[^{}]*?-?[>%]\}\}[\s\u00a0]*$"
)


def _mask_templates(body: str) -> str:
    """The body with each template expression's spaces made `_TEMPLATE_SPACE`: the same
    length, so every position the parser reports is still the file's."""
    if "{{" not in body and "{%" not in body:
        return body
    return _TEMPLATE_EXPRESSION.sub(
        lambda match: match.group(0).replace(" ", _TEMPLATE_SPACE).replace("\t", _TEMPLATE_SPACE),
        body,
    )


def parse_markdown(
    body: str,
    line_offset: int,
    anchor_style: str,
    templates: str | None = None,
    dialect: str | None = None,
) -> MarkdownSummary:
    """Parse a body whose first line is line `line_offset + 1` of the file. With `templates`,
    links may hold the generator's template expressions (kept as written in `Link.target`);
    `dialect` names the generator's Markdown extensions that add content ("mkdocs",
    "mkdocs+snippets")."""
    summary = MarkdownSummary()
    snippets = dialect is not None and "snippets" in dialect.split("+")
    directives = dialect is not None and dialect.startswith("mkdocs")
    mdx = dialect == "mdx"
    liquid = templates == "liquid"
    if templates:
        body = _mask_templates(body)
    source_lines = body.split("\n")
    docfx = dialect == "docfx"
    # Hugo with `autoDefinitionTermID`: a definition term gets an id, counted with the
    # headings' in document order (goldmark's idFactory)
    terms = dialect == "hugo-terms"
    parser = docfx_parser() if docfx else markdown_parser(terms, admonitions=directives)
    tokens = parser.parse(body)
    slugger = Slugger(anchor_style)
    # Hugo's goldmark takes an explicit id only from the headings after it
    in_order = anchor_style in HUGO_STYLES
    #: (heading, text to slug); a definition term (Hugo) is (None, its text)
    pending_headings: list[tuple[Heading | None, str | None]] = []
    explicit_ids = _IdSet()
    section = ""
    table_header: list[str] = []
    row_cells: list[str] = []
    row_cursor: dict[int, int] = {}
    in_head = False
    kramdown = anchor_style.startswith("kramdown")
    last_heading_end = -1
    ial_before: tuple[str, int] | None = None

    for index, token in enumerate(tokens):
        kind = token.type
        if kind not in _WALKED_TYPES:
            continue  # most tokens open or close a block and carry nothing of their own
        if kind == "inline" and token.map:
            parent = tokens[index - 1].type if index else ""
            in_cell = parent in ("th_open", "td_open")
            cursor = row_cursor.get(token.map[0], 0) if in_cell else 0
            line_map = _LineMap(token.content, token.map[0], source_lines, line_offset, cursor)
            if in_cell:
                row_cursor[token.map[0]] = line_map.end_column
            span_ids = anchor_style == "mkdocs"
            text, spans = _walk_inline(token, line_map, summary, explicit_ids, span_ids, docfx)
            if kramdown and parent == "paragraph_open" and (ial := _block_ial_id(text)):
                # a kramdown block IAL (`{: #id}`) on the line after a heading, or before it,
                # gives the heading its id
                block = tokens[index - 1].map or [0, 0]
                last = pending_headings[-1] if pending_headings else None
                last_heading = last[0] if last is not None else None
                if (
                    last is not None
                    and last_heading is not None
                    and last[1] is not None
                    and last_heading_end == block[0]
                ):
                    pending_headings[-1] = (last_heading._replace(anchor=ial), None)
                    explicit_ids.add(ial)
                else:
                    ial_before = (ial, block[1])
                continue
            if parent == "heading_open":
                heading_token = tokens[index - 1]
                heading_map = heading_token.map or [0, 0]
                last_heading_end = heading_map[1]
                explicit = explicit_heading_id(text, anchor_style)
                if explicit is None and ial_before is not None and ial_before[1] == heading_map[0]:
                    explicit = (ial_before[0], len(text))
                ial_before = None
                anchor_source: str | None = None  # text to slug once every id is known
                if explicit:
                    anchor, cut = explicit
                    text = text[:cut]
                    explicit_ids.add(anchor)
                    if not in_order:
                        slugger.reserve(anchor)
                else:
                    anchor, anchor_source = "", slug_text(token, anchor_style)
                line, column = line_map.position(0)
                heading = Heading(int(heading_token.tag[1]), text.strip(), anchor, line, column)
                pending_headings.append((heading, anchor_source))
                section = heading.text
                summary.blocks.append(TextBlock("heading", text, spans))
            elif terms and parent == "dt_open":
                pending_headings.append((None, slug_text(token, anchor_style)))
                summary.blocks.append(TextBlock("paragraph", text, spans, context=(section,)))
            elif in_cell:
                if in_head:
                    table_header.append(text.strip())
                else:
                    column_index = len(row_cells)
                    header = table_header[column_index] if column_index < len(table_header) else ""
                    row_label = row_cells[0] if row_cells else ""
                    row_cells.append(text.strip())
                    if text.strip():
                        summary.blocks.append(
                            TextBlock("table-cell", text, spans, context=(header, row_label))
                        )
            elif liquid and "include" in token.content and _LIQUID_INCLUDE.search(token.content):
                _liquid_includes(token.content, line_map, summary)
                if text.strip():
                    summary.blocks.append(TextBlock("paragraph", text, spans, context=(section,)))
            elif templates == "hugo" and text.startswith("{{") and _HUGO_INCLUDE.match(text):
                # `{{% include "path" %}}`: a site's own shortcode pastes a file into the page,
                # found as that shortcode decides (`.GetPage`, a partial's folder...): the
                # page's ids are then not all known
                line, column = line_map.position(0)
                written = text.strip().replace(_TEMPLATE_SPACE, " ")
                summary.links.append(Link("include", written, "", line, column, "generated"))
            elif snippets and text.startswith(_SNIPPET_MARK):
                _snippets(token.content, line_map, summary)
            elif mdx and text.startswith(("import ", "export ")):
                _mdx_imports(token.content, line_map, summary)
            elif directives and text.startswith(_DIRECTIVE_MARK):
                # `::: package.module` (mkdocstrings, mkdocs-click): the plugin writes
                # headings into the page that no Markdown file holds.
                line, column = line_map.position(0)
                name = text[len(_DIRECTIVE_MARK) :].split()[0] if text.strip() != ":::" else ""
                summary.links.append(Link("include", name, "", line, column, "generated"))
            elif text.strip():
                summary.blocks.append(TextBlock("paragraph", text, spans, context=(section,)))
        elif kind == "html_block" and token.map:
            line_map = _LineMap(token.content, token.map[0], source_lines, line_offset)
            _html_items(token.content, line_map, summary, explicit_ids)
            if kramdown:
                explicit_ids.update(_kramdown_raw_ids(token.content, token.map[1], source_lines))
            if dialect == "gitbook" and "<summary" in token.content.lower():
                # an expandable block: GitBook links to it by its title, as to a heading
                for title in _summary_titles(token.content):
                    summary.anchors.update(gitbook_ids(title))
        elif kind == "docfx_directive":
            _docfx_directive(token, source_lines, line_offset, summary)
        elif kind == "thead_open":
            in_head, table_header = True, []
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row_cells = []

    # Slugs are handed out after the walk: MkDocs reserves every explicit id of the page
    # before it slugs the first heading, so a later `{#setup}` still turns an earlier
    # generated `setup` into `setup_1` (a no-op for the other styles).
    for pending, anchor_source in pending_headings:
        if pending is None:
            summary.anchors.add(slugger.slug(anchor_source or "", empty="term"))
            continue
        heading = pending
        if anchor_source is not None:
            heading = heading._replace(anchor=slugger.slug(anchor_source))
        elif in_order:
            slugger.reserve(heading.anchor)
        summary.headings.append(heading)
        summary.anchors.add(heading.anchor)
        if dialect == "gitbook":
            summary.anchors.update(gitbook_ids(heading.text))
    summary.anchors.update(explicit_ids)
    if dialect == "gitbook":
        # GitBook numbers a repeated id as it renders the page (`#speed`, `#speed-1`)
        for value, repeats in explicit_ids.repeats.items():
            summary.anchors.update(f"{value}-{number}" for number in range(1, repeats + 1))
    return summary


class _SummaryTitles(HTMLParser):
    """The text of each `<summary>` element of an HTML block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.titles: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "summary":
            self._depth += 1
            self.titles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "summary" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.titles[-1] += data


def _summary_titles(content: str) -> list[str]:
    parser = _SummaryTitles()
    parser.feed(content)
    parser.close()
    return [title.strip() for title in parser.titles if title.strip()]


class _IdSet(set[str]):
    """The page's explicit ids, counting those written more than once."""

    def __init__(self) -> None:
        super().__init__()
        self.repeats: dict[str, int] = {}

    def add(self, value: str) -> None:
        if value in self:
            self.repeats[value] = self.repeats.get(value, 0) + 1
        super().add(value)


#: pymdownx.snippets' marker: `--8<-- "file.md"` pastes a file in; a paragraph of file names
#: between two bare markers pastes each.
_SNIPPET_MARK = "--8<--"
#: A MkDocs plugin directive (mkdocstrings' `::: module.name`), replaced by generated text.
_DIRECTIVE_MARK = "::: "


def _snippets(content: str, line_map: _LineMap, summary: MarkdownSummary) -> None:
    """The files a snippets paragraph pastes in, as include links at their positions."""
    lines = content.split("\n")
    block = lines[0].strip() == _SNIPPET_MARK
    offset = 0
    for number, line in enumerate(lines):
        stripped = line.strip()
        name = ""
        if stripped.startswith(_SNIPPET_MARK):
            name = stripped[len(_SNIPPET_MARK) :].strip().strip("\"'")
        elif block and number > 0 and stripped and not stripped.startswith(";"):
            name = stripped.strip("\"'")
        # `file.md:3:9` and `file.md:section` paste part of the file: the file is the target.
        name = name.split(":", 1)[0] if "://" not in name else ""
        if name:
            at = offset + max(line.find(name), 0)
            line_number, column = line_map.position(at)
            summary.links.append(Link("include", name, "", line_number, column, "include"))
        offset += len(line) + 1


#: A Liquid include tag (Jekyll): `{% include file.md param=value %}` pastes
#: `_includes/file.md` in, `{% include_relative file.md %}` a file beside the page.
_LIQUID_INCLUDE = re.compile(r"\{%-?[\s\u00a0]*include(?:_relative)?[\s\u00a0]+[^%]*?-?%\}")


def _liquid_includes(content: str, line_map: _LineMap, summary: MarkdownSummary) -> None:
    """Each include tag, as an include link whose target is the tag as written (the
    generator's rewriting names the file). A Markdown file's headings count as the page's;
    any other (an HTML partial, a theme's) may write headings kbcheck cannot know, so it is
    a generated include (the page's ids are then unknown)."""
    for match in _LIQUID_INCLUDE.finditer(content):
        tag = match.group(0).replace(_TEMPLATE_SPACE, " ")
        parts = tag.strip("{%}- ").split()
        name = parts[1] if len(parts) > 1 else ""
        line_number, column = line_map.position(match.start())
        markdown = name.lower().endswith((".md", ".markdown")) and "{{" not in name
        syntax = "include" if markdown else "generated"
        summary.links.append(Link("include", tag, "", line_number, column, syntax))


#: An MDX import: `import X from './_part.mdx'`, `import {A} from "../_components"`.
_MDX_IMPORT = re.compile(r"""\bfrom\s+(['"])([^'"\n]+)\1""")


def _mdx_imports(content: str, line_map: _LineMap, summary: MarkdownSummary) -> None:
    """MDX `import` lines. A Markdown partial (`./_part.mdx`, Docusaurus) is an include
    link: its headings count as the page's. A component beside the page (`./_tabs.jsx`)
    may render headings kbcheck cannot know, so it is a generated include (the page's ids
    are then unknown). Packages and site-wide components (`@theme/Tabs`) are not links."""
    for match in _MDX_IMPORT.finditer(content):
        # a JavaScript string: `'./\\_part.md'` (as Markdown formatters write it) is `./_part.md`
        name = re.sub(r"\\(.)", r"\1", match.group(2))
        line_number, column = line_map.position(match.start(2))
        if name.lower().endswith((".md", ".mdx")):
            summary.links.append(Link("include", name, "", line_number, column, "include"))
        elif name.startswith(("./", "../")) and not name.lower().endswith(
            (".css", ".json", ".yml", ".yaml", ".png", ".jpg", ".jpeg", ".svg", ".gif")
        ):
            summary.links.append(Link("include", name, "", line_number, column, "generated"))


def explicit_heading_id(text: str, style: str) -> tuple[str, int] | None:
    """An explicit id at the end of a heading's text, and where the heading text ends.

    Honoured for every style: Docusaurus and MkDocs (attr_list) render it, and GitHub/GitLab
    knowledge bases are usually published through a generator that does (kramdown on GitHub
    Pages, Pandoc). Inline code is already blanked in `text`, so `{#x}` in backticks is not an
    id."""
    if style == "docusaurus":
        match = _DOCUSAURUS_ID.search(text)
        return (match.group(1), match.start()) if match else None
    match = _ATTRIBUTE_BLOCK.search(text)
    if not match:
        return None
    ids = [part[1:] for part in match.group(1).split() if part.startswith("#") and len(part) > 1]
    return (ids[-1], match.start()) if ids else None


#: A kramdown block IAL alone in a paragraph: `{: #id .class}` (kramdown syntax,
#: "Block Inline Attribute Lists").
_BLOCK_IAL = re.compile(r"\{:[ \t]*([^{}\n]*?)[ \t]*\}")
#: kramdown's typographic symbols `---` and `--` (em and en dash): gone from GFM ids.
_KRAMDOWN_DASHES = re.compile(r"---|--")


_HTML_OPEN = re.compile(r"\s*<([A-Za-z][\w-]*)")
_HTML_ID = re.compile(r"""\s(?:id|name)\s*=\s*["']([^"']+)["']""")


def _kramdown_raw_ids(content: str, end: int, source_lines: list[str]) -> set[str]:
    """The ids kramdown keeps in an HTML block that CommonMark ends early. kramdown reads a
    block element's HTML up to its matching end tag, blank lines and indented lines
    included (kramdown syntax, "HTML Blocks"); CommonMark ends the block at the first
    blank line, and an indented `<section id=...>` after it becomes code."""
    opened = _HTML_OPEN.match(content)
    if not opened:
        return set()
    name = opened.group(1).lower()
    opening = re.compile(rf"<{name}[\s>/]", re.IGNORECASE)
    closing = re.compile(rf"</{name}\s*>", re.IGNORECASE)

    def depth_of(text: str) -> int:
        return len(opening.findall(text)) - len(closing.findall(text))

    depth = depth_of(content)
    found: set[str] = set()
    line = end
    while depth > 0 and line < len(source_lines):
        text = source_lines[line]
        found.update(_HTML_ID.findall(text))
        depth += depth_of(text)
        line += 1
    return found if depth <= 0 else set()


def _block_ial_id(text: str) -> str | None:
    match = _BLOCK_IAL.fullmatch(text.strip())
    if not match:
        return None
    ids = [part[1:] for part in match.group(1).split() if part.startswith("#") and len(part) > 1]
    return ids[-1] if ids else None


def slug_text(inline: Token, style: str) -> str:
    """The heading text each renderer slugs, from the heading's inline tokens.

    All take text, inline code (without backticks) and the text of links, emphasis and
    inline HTML elements, and none takes HTML tags or comments. They differ on images:
    GitHub (the text content of the rendered heading) and MkDocs (Python-Markdown's
    `itertext()`) skip image alt text, while GitLab (comrak's `collect_text`) and Docusaurus
    (`mdast-util-to-string`, `includeImageAlt` on by default) include it, as does Hugo
    (goldmark's `TextPlain`)."""
    if style == "kramdown":
        # kramdown slugs the header's raw source line, Markdown and all
        raw = inline.content.replace(_TEMPLATE_SPACE, " ")
        explicit = explicit_heading_id(raw, style)
        return raw[: explicit[1]] if explicit else raw
    hugo = style in HUGO_STYLES
    with_alt = style in ("gitlab", "docusaurus", "markdig") or hugo
    # A line break inside a heading (a multi-line setext heading) stays a newline in the text
    # github-slugger sees, which it deletes: `Multi-line` / `setext heading` gives
    # `multi-linesetext-heading` on GitHub and Docusaurus.
    line_break = "\n" if style in ("github", "docusaurus", "markdig") or hugo else " "
    parts: list[str] = []
    # kramdown-gfm: `--` and `---` are dashes (typographic symbols) outside code
    _collect_slug_text(inline.children or [], with_alt, parts, line_break, style == "kramdown-gfm")
    text = "".join(parts)
    if hugo:
        # Hugo slugs the last line of a multi-line heading (attributes.go textHeadingID)
        text = text.rpartition("\n")[2]
    explicit = explicit_heading_id(text, style)
    return text[: explicit[1]] if explicit else text


def _collect_slug_text(
    children: list[Token],
    with_alt: bool,
    parts: list[str],
    line_break: str = " ",
    dashes: bool = False,
) -> None:
    for child in children:
        if child.type == "text" and dashes and "--" in child.content:
            parts.append(_KRAMDOWN_DASHES.sub("", child.content))
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(line_break)
        elif child.type == "image" and with_alt:
            _collect_slug_text(child.children or [], with_alt, parts, line_break, dashes)


def _walk_inline(
    inline: Token,
    line_map: _LineMap,
    summary: MarkdownSummary,
    explicit_ids: set[str],
    span_ids: bool = False,
    docfx: bool = False,
) -> tuple[str, tuple[int, ...]]:
    """Collect links and HTML items of one inline token; return its prose text and spans."""
    content = inline.content
    children = inline.children or []
    if len(children) == 1 and children[0].type == "text" and "offset" not in children[0].meta:
        # Plain text without markup, most inline tokens: what the loop below would answer.
        text = children[0].content
        found = _find_near(content, text, 0) if text else -1
        return text, (0, *line_map.position(max(found, 0)))
    pieces: list[str] = []
    spans: list[int] = []  # (offset in the prose, line, column) per piece, flat
    length = 0
    cursor = 0
    link_stack: list[tuple[Token, int]] = []
    position_of = line_map.position

    for position, child in enumerate(children):
        ctype = child.type
        meta = child.meta
        if "offset" in meta:
            cursor = max(cursor, meta["offset"])
        # A branch that adds prose sets `text` and `at`, where it stands in `content`; the
        # others (links, images, HTML) record what they found and continue.
        if ctype == "text":
            text = child.content
            if span_ids and position and text.startswith("{"):
                _span_id(text, children[position - 1].type, explicit_ids)
            found = _find_near(content, text, cursor) if text else -1
            at = found if found >= 0 else cursor
            if found >= 0:
                cursor = found + len(text)
        elif ctype == "code_inline":
            found = _find_near(content, child.content, cursor)
            if found >= 0:
                cursor = found + len(child.content)
            # Kept in backticks: it names the setting or parameter a sentence is about ("the
            # `MaxRetries` setting"); the value and date finders leave what is inside alone.
            text = "`" + child.content.replace("`", "'") + "`"
            at = max(found - 1, 0) if found >= 0 else cursor
        elif ctype in ("softbreak", "hardbreak"):
            newline = content.find("\n", cursor)
            if newline >= 0:
                cursor = newline + 1
            text, at = " ", max(cursor - 1, 0)
        else:
            if ctype == "link_open":
                link_stack.append((child, position))
            elif ctype == "link_close" and link_stack:
                opener, start = link_stack.pop()
                label = "".join(c.content for c in children[start + 1 : position] if c.content)
                kind = "link"
                before = children[start - 1] if docfx and start else None
                if before is not None and before.type == "text":
                    # docfx `[!INCLUDE [title](path)]`: the file is pasted into the page
                    kind = "include" if _INCLUDE_MARK.search(before.content) else "link"
                _add_link(summary, kind, opener, label, line_map)
                cursor = max(cursor, opener.meta.get("end", cursor))
            elif ctype == "image":
                _add_link(summary, "image", child, child.content, line_map)
                cursor = max(cursor, meta.get("end", cursor))
            elif ctype == "html_inline":
                offset = meta.get("offset", cursor)
                line, column = position_of(offset)
                for kind, value, line0, column0 in scan_html(child.content):
                    at_column = column + column0 if line0 == 0 else column0 + 1
                    _html_item(summary, explicit_ids, kind, value, line + line0, at_column)
                cursor = max(cursor, meta.get("end", cursor))
            continue
        line, column = position_of(at)
        spans.append(length)
        spans.append(line)
        spans.append(column)
        pieces.append(text)
        length += len(text)
    return "".join(pieces), tuple(spans)


#: Inline elements Python-Markdown's attr_list can give an id: `**locale**{ #mkdocs-locale }`.
_SPAN_ID_AFTER = frozenset({"strong_close", "em_close", "link_close", "code_inline", "image"})
_SPAN_ATTRIBUTES = re.compile(r"\{:?[ \t]*([^{}\n]*?)[ \t]*\}")


def _span_id(text: str, before: str, explicit_ids: set[str]) -> None:
    """The id an attribute list right after an inline element sets (MkDocs' attr_list)."""
    if before not in _SPAN_ID_AFTER:
        return
    match = _SPAN_ATTRIBUTES.match(text)
    if match:
        ids = [
            part[1:] for part in match.group(1).split() if part.startswith("#") and len(part) > 1
        ]
        if ids:
            explicit_ids.add(ids[-1])


def _find_near(content: str, text: str, cursor: int) -> int:
    """Where `text` stands in `content`, searched just after `cursor`. Text that the parser
    changed (entities, backslash escapes) is not in the source as such: looking only a little
    ahead keeps one paragraph linear however many such pieces it has (-1: not found)."""
    if content.startswith(text, cursor):  # the usual case, and a cheap comparison
        return cursor
    return content.find(text, cursor, cursor + 4 * len(text) + 256)


def _add_link(
    summary: MarkdownSummary, kind: str, token: Token, text: str, line_map: _LineMap
) -> None:
    found = token.attrGet("src" if kind == "image" else "href")
    if found is None:
        return
    target = str(found)
    if "%7B" in target:  # a template expression: kept as written
        target = unquote(target).replace(_TEMPLATE_SPACE, " ")
    line, column = line_map.position(token.meta.get("offset", 0))
    if token.markup == "autolink":
        syntax = "autolink"
    elif token.meta.get("reference"):
        syntax = "reference"
    else:
        syntax = "inline"
    summary.links.append(Link(kind, str(target), text, line, column, syntax))


def _html_items(
    content: str, line_map: _LineMap, summary: MarkdownSummary, explicit_ids: set[str]
) -> None:
    for kind, value, line0, column0 in scan_html(content):
        line = line_map.starts[min(line0, len(line_map.starts) - 1)][1] if line_map.starts else 1
        column = (line_map.starts[line0][2] if line0 < len(line_map.starts) else 0) + column0 + 1
        _html_item(summary, explicit_ids, kind, value, line, column)


def _html_item(
    summary: MarkdownSummary,
    explicit_ids: set[str],
    kind: str,
    value: str,
    line: int,
    column: int,
) -> None:
    if kind == "anchor":
        explicit_ids.add(value)
    elif kind in ("link", "image"):
        summary.links.append(Link(kind, value, "", line, column, "html"))
    elif kind == "comment":
        directive = _parse_directive(value, line + value.count("\n"))
        if directive:
            summary.suppressions.append(directive)
