"""Reading one file into an `Article`: bytes, encoding, front matter, typed keys, Markdown.

Nothing a file contains may stop the run: every problem becomes a `Problem` on the article
(turned into a finding by the rule that owns it) and parsing carries on with what is usable.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import pathspec
import yaml

from kbcheck import conventions
from kbcheck.config import DEFAULT_MAX_ARTICLE_SIZE
from kbcheck.dates import parse_date, parse_interval
from kbcheck.markdown import parse_markdown
from kbcheck.model import Article, Interval, Problem
from kbcheck.regular_files import read_regular_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

INVALID = "frontmatter/invalid"
UNREADABLE = "file/unreadable"
TOO_LARGE = "file/too-large"

#: Front matter is a handful of keys. YAML aliases let a few hundred bytes stand for billions
#: of values ("billion laughs"); the loader shares them, but anything that walks the values
#: (the parse cache, a rule) would expand them. Beyond these bounds the front matter is
#: refused, so no later step can blow up.
MAX_FRONTMATTER_VALUES = 10_000
MAX_FRONTMATTER_DEPTH = 32
#: What PyYAML's safe constructors raise, besides YAMLError, for a value they recognise but
#: cannot build (found by tests/fuzz/fuzz_parser.py).
YAML_VALUE_ERRORS = (ValueError, TypeError, AttributeError, OverflowError)

_NEWLINES = re.compile(r"\r\n?")
_YAML_ONLY_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
_FENCE = re.compile(r"^---[ \t]*$")
#: Hugo's other front-matter formats ("Front matter" in the Hugo docs): TOML between `+++`
#: lines, and a JSON object opening on the first line.
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$")
_JSON_OPENING = re.compile(r'^\{[ \t]*(?:"|$)')
_TOML_KEY = re.compile(r"""^[ \t]*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))[ \t]*=""")
_JSON_KEY = re.compile(r'^[ \t]{0,8}"((?:\\.|[^"\\])+)"[ \t]*:')
_TOML_ERROR_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_CLOSING_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_TOP_LEVEL_KEY = re.compile(r"""^(?:"([^"]+)"|'([^']+)'|([^\s#'"\-?:][^:#]*?))[ \t]*:(?:[ \t]|$)""")
_YAML = frontmatter.YAMLHandler()


@dataclass(frozen=True)
class ParseSettings:
    """The parts of the configuration that change what a file parses to (and so belong in any
    cache key): front-matter key names, extra date formats and the anchor style."""

    keys: Mapping[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()
    anchor_style: str = "github"
    #: Bytes beyond which the Markdown is not parsed (`max_article_size`).
    max_size: int = DEFAULT_MAX_ARTICLE_SIZE
    #: Template syntax the site generator expands before Markdown ("liquid", "hugo").
    templates: str | None = None
    #: Markdown extensions of the site generator ("docfx").
    dialect: str | None = None
    #: Keys read when the configured one is absent: the generator's conventions
    #: (`kbcheck.conventions`), logical key -> keys in order.
    fallbacks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Front matter the site gives files it does not set themselves (docfx `globalMetadata`
    #: and `fileMetadata`): (gitignore-style glob from the root, key, value), the last
    #: matching entry winning. Read for owners and review intervals only.
    inherited: tuple[tuple[str, str, Any], ...] = ()
    #: The file those values come from, as reports name it ("docfx.json").
    inherited_from: str = ""

    def key(self, logical: str) -> str:
        return self.keys.get(logical, logical)

    def inherited_for(self, relative: str) -> dict[str, Any]:
        """The site-level front matter that applies to one file."""
        if not self.inherited:
            return {}
        found: dict[str, Any] = {}
        for glob, key, value in self.inherited:
            if _glob_spec(glob).match_file(relative):
                found[key] = value
        return found


def read_article_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, at most `limit` + 1 of them (enough to tell that it is too large);
    only a regular file is read (a FIFO named `x.md` would block for ever). Raises OSError."""
    return read_regular_file(path, limit)


def parse_article(raw: bytes, relative: str, settings: ParseSettings) -> Article:
    stem = relative.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if b"\0" in raw[:8192]:
        problem = Problem(UNREADABLE, "binary file with a Markdown name", line=1)
        return Article(path=relative, title=stem, problems=(problem,), readable=False)
    problems: list[Problem] = []
    too_large = len(raw) > settings.max_size
    if too_large:
        # Only the front matter is read (it names the title and owners shown in reports);
        # the bytes beyond the limit were never read, so a cut character is no encoding error.
        raw = raw[: settings.max_size]
        problems.append(
            Problem(
                TOO_LARGE,
                f"larger than {_size(settings.max_size)} (max_article_size): its Markdown is "
                "not checked",
                line=1,
                hint="split the article, or raise max_article_size in the configuration",
            )
        )
    text = _decode(raw, problems, lenient=too_large)
    text = _NEWLINES.sub("\n", text)
    lines = text.split("\n")

    meta, body_start, has_frontmatter, fm_ok = _split_frontmatter(lines, problems)
    key_lines = _frontmatter_key_lines(lines, body_start) if has_frontmatter else {}
    body = "\n".join(lines[body_start:]) if body_start else text

    summary = parse_markdown(
        "" if too_large else body,
        body_start,
        settings.anchor_style,
        templates=settings.templates,
        dialect=settings.dialect,
    )
    typed = _TypedKeys(meta, key_lines, settings, problems, settings.inherited_for(relative))
    title = typed.title()
    if not title:
        first_h1 = next((h.text for h in summary.headings if h.level == 1), "")
        title = first_h1 or stem
    owners = typed.owners()
    last_reviewed = typed.date("last_reviewed")
    review_every = typed.interval("review_every")
    logical_lines = {}
    for logical in ("title", "owner", "last_reviewed", "review_every", "expires", "kbcheck"):
        name = typed.used.get(logical, settings.key(logical)).split(".", 1)[0]
        if name in key_lines:
            logical_lines[logical] = key_lines[name]
        elif logical in typed.used and typed.used[logical] in key_lines:
            logical_lines[logical] = key_lines[typed.used[logical]]  # `ms.date`: one key
    return Article(
        path=relative,
        title=title,
        meta=meta,
        key_lines=logical_lines,
        has_frontmatter=has_frontmatter,
        frontmatter_ok=fm_ok,
        owners=owners,
        last_reviewed=last_reviewed,
        review_every=review_every,
        expires=typed.date("expires"),
        key_names=dict(typed.used),
        ignore=typed.ignore(),
        headings=tuple(summary.headings),
        anchors=frozenset(summary.anchors),
        links=tuple(summary.links),
        blocks=tuple(summary.blocks),
        suppressions=tuple(summary.suppressions),
        problems=tuple(problems),
        line_count=len(lines),
        # A too-large article is reported as such and checked no further: without its
        # headings, links into it could not be judged either.
        readable=not too_large,
    )


def _size(size: int) -> str:
    for unit, factor in (("MB", 1000 * 1000), ("KB", 1000)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


def _decode(raw: bytes, problems: list[Problem], lenient: bool = False) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if lenient:
        return raw.decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Problem(
                UNREADABLE,
                f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); "
                "read with replacement characters",
                line=line,
                column=column,
                hint="save the file as UTF-8",
            )
        )
        return raw.decode("utf-8", errors="replace")


def _split_frontmatter(
    lines: list[str], problems: list[Problem]
) -> tuple[dict[str, Any], int, bool, bool]:
    """Returns (metadata, index of the first body line, has front matter, parsed cleanly)."""
    if lines and _TOML_FENCE.match(lines[0]):
        return _split_toml(lines, problems)
    if lines and _JSON_OPENING.match(lines[0]):
        return _split_json(lines, problems)
    if not lines or not _FENCE.match(lines[0]):
        return {}, 0, False, True
    closing = next((i for i in range(1, len(lines)) if _CLOSING_FENCE.match(lines[i])), None)
    if closing is None:
        return _unclosed(problems, "---")
    block = "\n".join(lines[1:closing])

    def refused(
        message: str, line: int, column: int, hint: str | None = None
    ) -> tuple[dict[str, Any], int, bool, bool]:
        """The front matter is there but cannot be used: one problem, no metadata."""
        problems.append(Problem(INVALID, message, line, column, hint))
        return {}, closing + 1, True, False

    try:
        loaded = _YAML.load(block) if block.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line, column = yaml_mark_position(block, mark)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return refused(f"front matter is not valid YAML: {reason}", line, column)
    except RecursionError:
        return refused("front matter is nested too deeply", 1, 1)
    except YAML_VALUE_ERRORS as error:
        # PyYAML parses `2026-02-30` or an empty `!!timestamp` as a date, then fails to build
        # it with a plain ValueError or AttributeError: one bad date must not stop the run.
        return refused(
            f"front matter has a value YAML cannot read: {error}",
            1,
            1,
            hint="check the dates (quote a value that is not meant as one)",
        )
    excess = _excess(loaded)
    if excess:
        return refused(
            f"front matter is refused: {excess}",
            2,
            1,
            hint="front matter holds a few keys; move data to the article or another file",
        )
    if not isinstance(loaded, dict):
        return refused(f"front matter must be a mapping of keys, got {type(loaded).__name__}", 2, 1)
    return {str(key): value for key, value in loaded.items()}, closing + 1, True, True


def _unclosed(problems: list[Problem], fence: str) -> tuple[dict[str, Any], int, bool, bool]:
    """Front matter whose closing fence never comes: one problem, no metadata, all body."""
    problems.append(
        Problem(
            INVALID,
            "front matter opened on line 1 is never closed",
            line=1,
            column=1,
            hint=f"add a line with {fence} after the last front-matter key",
        )
    )
    return {}, 0, False, False


def _split_toml(
    lines: list[str], problems: list[Problem]
) -> tuple[dict[str, Any], int, bool, bool]:
    """TOML front matter between `+++` lines (Hugo)."""
    closing = next((i for i in range(1, len(lines)) if _TOML_FENCE.match(lines[i])), None)
    if closing is None:
        return _unclosed(problems, "+++")
    block = "\n".join(lines[1:closing])
    try:
        loaded: Any = tomllib.loads(block)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = _TOML_ERROR_AT.search(message)
        # "(at end of document)": the block's last line
        line, column = (1 + int(where.group(1)), int(where.group(2))) if where else (closing, 1)
        reason = _TOML_ERROR_AT.sub("", message).replace("(at end of document)", "").strip()
        problems.append(Problem(INVALID, f"front matter is not valid TOML: {reason}", line, column))
        return {}, closing + 1, True, False
    return _checked_mapping(loaded, closing, problems)


def _split_json(
    lines: list[str], problems: list[Problem]
) -> tuple[dict[str, Any], int, bool, bool]:
    """A JSON object as front matter (Hugo): from the opening `{` to the first line that is a
    lone `}`, which closes it."""
    closing = next((i for i in range(len(lines)) if lines[i].rstrip() == "}"), None)
    if closing is None:
        problems.append(
            Problem(
                INVALID,
                "JSON front matter opened on line 1 is never closed",
                line=1,
                column=1,
                hint="end the front matter with a line holding only }",
            )
        )
        return {}, 0, False, False
    block = "\n".join(lines[: closing + 1])
    try:
        loaded: Any = json.loads(block)
    except json.JSONDecodeError as error:
        problems.append(
            Problem(
                INVALID, f"front matter is not valid JSON: {error.msg}", error.lineno, error.colno
            )
        )
        return {}, closing + 1, True, False
    except RecursionError:
        problems.append(Problem(INVALID, "front matter is nested too deeply", 1, 1))
        return {}, closing + 1, True, False
    return _checked_mapping(loaded, closing, problems)


def _checked_mapping(
    loaded: Any, closing: int, problems: list[Problem]
) -> tuple[dict[str, Any], int, bool, bool]:
    """Front matter read from TOML or JSON, held to the same bounds as YAML's."""
    excess = _excess(loaded)
    problem = None
    if excess:
        problem = f"front matter is refused: {excess}"
    elif not isinstance(loaded, dict):
        problem = f"front matter must be a mapping of keys, got {type(loaded).__name__}"
    if problem is not None:
        problems.append(Problem(INVALID, problem, 2, 1))
        return {}, closing + 1, True, False
    return {str(key): value for key, value in loaded.items()}, closing + 1, True, True


def _frontmatter_key_lines(lines: list[str], body_start: int) -> dict[str, int]:
    """File line of each top-level front-matter key, in whichever format it is written."""
    if _TOML_FENCE.match(lines[0]):
        found: dict[str, int] = {}
        for index, line in enumerate(lines[1 : body_start - 1]):
            if line.lstrip().startswith("["):
                break  # a table: the keys below are not top-level
            match = _TOML_KEY.match(line)
            if match:
                key = next(group for group in match.groups() if group is not None)
                found.setdefault(key, index + 2)
        return found
    if _JSON_OPENING.match(lines[0]):
        found = {}
        for index, line in enumerate(lines[:body_start]):
            match = _JSON_KEY.match(line.lstrip("{ \t") if index == 0 else line)
            if match:
                found.setdefault(match.group(1), index + 1)
        return found
    return _key_lines(lines[1 : body_start - 1])


def yaml_mark_position(block: str, mark: Any) -> tuple[int, int]:
    """File line and column of a YAML error mark. From the mark's offset, not its line: YAML
    also breaks lines at U+0085, U+2028 and U+2029, which are not line ends in Markdown (found
    by the fuzzing run: a NEL put the error below the end of the file)."""
    if mark is None:
        return 1, 1
    if not _YAML_ONLY_LINE_BREAKS.search(block):
        return 2 + mark.line, mark.column + 1
    index = min(max(getattr(mark, "index", 0), 0), len(block))
    line_start = block.rfind("\n", 0, index) + 1
    return 2 + block.count("\n", 0, index), index - line_start + 1


def _excess(value: Any) -> str | None:
    """Why the loaded front matter is beyond the bounds, if it is: its values are counted as
    a reader would meet them, every alias expanded, and the walk stops at the bound (an alias
    bomb costs MAX_FRONTMATTER_VALUES steps, not billions; a self-referencing alias stops at
    MAX_FRONTMATTER_DEPTH)."""
    count = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > MAX_FRONTMATTER_VALUES:
            return (
                f"more than {MAX_FRONTMATTER_VALUES:,} values once its aliases (*name) are expanded"
            )
        if depth > MAX_FRONTMATTER_DEPTH:
            return f"nested more than {MAX_FRONTMATTER_DEPTH} levels deep"
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for pair in item.items() for child in pair)
        elif isinstance(item, (list, tuple, set)):
            stack.extend((child, depth + 1) for child in item)
    return None


def _key_lines(block_lines: list[str]) -> dict[str, int]:
    """File line of each top-level key; the block starts on file line 2."""
    found: dict[str, int] = {}
    for index, line in enumerate(block_lines):
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            key = next(group for group in match.groups() if group is not None).strip()
            found.setdefault(key, index + 2)
    return found


#: Keys a site may set for many files at once: who owns them and how often to review them
#: (a date is always an article's own).
_INHERITABLE = frozenset(("owner", "review_every"))


@functools.lru_cache(maxsize=1024)
def _glob_spec(glob: str) -> pathspec.PathSpec:
    return pathspec.GitIgnoreSpec.from_lines([glob])


class _TypedKeys:
    """Reads the recognised keys, turning a wrong type into a problem on the key's line."""

    def __init__(
        self,
        meta: dict[str, Any],
        key_lines: dict[str, int],
        settings: ParseSettings,
        problems: list[Problem],
        inherited: Mapping[str, Any] | None = None,
    ) -> None:
        self.meta = meta
        self.key_lines = key_lines
        self.settings = settings
        self.problems = problems
        self.inherited = inherited or {}
        #: logical key -> the front-matter key it was read from, when one was present
        self.used: dict[str, str] = {}

    def _raw(self, logical: str) -> tuple[str, Any]:
        """The configured key when the front matter has it (even empty: an empty `owner:`
        names nobody), else the first of the generator's convention keys that has a value."""
        name = self.settings.key(logical)
        if name in self.meta:
            self.used[logical] = name
            return name, self.meta[name]
        for key in self.settings.fallbacks.get(logical, ()):
            found = conventions.lookup(self.meta, key)
            if found is not None:
                self.used[logical] = found[0]
                return found
        if logical in _INHERITABLE and self.inherited:
            for key in (name, *self.settings.fallbacks.get(logical, ())):
                if self.inherited.get(key) is not None:
                    # named with its file: the key is not in the article for verify to edit
                    self.used[logical] = f"{key} ({self.settings.inherited_from})"
                    return key, self.inherited[key]
        return name, None

    def _invalid(self, name: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(INVALID, message, self.key_lines.get(name, 1), 1, hint))

    def title(self) -> str:
        name, value = self._raw("title")
        if value is None:
            return ""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip()
        self._invalid(name, f"'{name}' must be text, got {_describe(value)}")
        return ""

    def owners(self) -> tuple[str, ...]:
        name, value = self._raw("owner")
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        owners = []
        convention = name != self.settings.key("owner")
        for item in items:
            if convention and isinstance(item, dict):  # Jekyll/Docusaurus author objects
                item = item.get("name") or item.get("login") or item.get("github")
            if isinstance(item, str) and item.strip():
                owners.append(item.strip())
            else:
                self._invalid(
                    name,
                    f"'{name}' must be a name or a list of names, got {_describe(item)}",
                    hint="e.g. owner: billing-team",
                )
        return tuple(owners)

    def date(self, logical: str) -> date | None:
        name, value = self._raw(logical)
        if value is None:
            return None
        try:
            return parse_date(value, self.settings.date_formats)
        except ValueError as error:
            hint = "write the date as YYYY-MM-DD"
            if isinstance(value, str):
                hint += " or add its format to date_formats in the configuration"
            self._invalid(name, f"'{name}': {error}", hint)
            return None

    def interval(self, logical: str) -> Interval | None:
        name, value = self._raw(logical)
        if value is None:
            return None
        try:
            return parse_interval(value)
        except ValueError as error:
            self._invalid(name, f"'{name}': {error}", "use a number and a unit: 90d, 6w, 6m, 1y")
            return None

    def ignore(self) -> tuple[str, ...]:
        name, value = self._raw("kbcheck")
        if value is None:
            return ()
        if not isinstance(value, dict):
            self._invalid(name, f"'{name}' must be a mapping such as {{ignore: [age/stale]}}")
            return ()
        rules = value.get("ignore", [])
        if isinstance(rules, str):
            rules = [rules]
        if not isinstance(rules, list) or not all(isinstance(rule, str) for rule in rules):
            self._invalid(name, f"'{name}.ignore' must be a list of rule ids")
            return ()
        unknown = sorted(set(value) - {"ignore"})
        if unknown:
            self._invalid(name, f"'{name}' has unknown setting '{unknown[0]}' (known: ignore)")
        return tuple(rules)


def _describe(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    return f"{type(value).__name__} {value!r}"
