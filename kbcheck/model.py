"""The plain, frozen data every layer shares: severities, findings and parsed articles.

Everything here is picklable and holds no parser objects, so articles can be parsed in worker
processes and cached on disk, and memory stays bounded by these summaries rather than by token
streams.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, NamedTuple, overload


class Severity(str, enum.Enum):
    """Ordered so that `max()` picks the worst and `--fail-on` can compare."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.lower())
        except ValueError:
            valid = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {valid})") from None


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Location:
    """Another place a finding points at (the target of a broken link, the other article of a
    contradiction); `line` is None when the whole file is meant."""

    path: str
    line: int | None = None


@dataclass(frozen=True)
class Finding:
    """One problem in one article. Lines and columns are 1-based in the original file, front
    matter counted; `message` says what is wrong and `hint` what to do."""

    rule: str
    severity: Severity
    path: str
    line: int | None
    column: int | None
    message: str
    hint: str | None = None
    related: tuple[Location, ...] = ()

    @property
    def sort_key(self) -> tuple[str, int, str, int, str]:
        return (self.path, self.line or 0, self.rule, self.column or 0, self.message)


@dataclass(frozen=True)
class Interval:
    """A review interval such as `90d` or `6m`; months and years are calendar units."""

    count: int
    unit: str  # one of "d", "w", "m", "y"

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


class Heading(NamedTuple):
    """A heading and its anchor. Named tuples, like `Link`: a large knowledge base has a
    million of them, and a named tuple is built several times faster than a frozen dataclass
    and is a third of its size."""

    level: int
    text: str
    anchor: str
    line: int
    column: int


class Link(NamedTuple):
    """A link or image as written in the article. `kind` is "link", "image" or "include" (a
    file the generator pastes into the page: docfx `[!INCLUDE]`, a pymdownx snippet);
    `syntax` says where it came from (inline, reference, autolink, html, include) so rules
    can phrase hints."""

    kind: str
    target: str
    text: str
    line: int
    column: int
    syntax: str = "inline"


class TextRun(NamedTuple):
    """A stretch of prose text and where its first character stands in the file. A named
    tuple: articles have hundreds of them, and the cache rebuilds them on every run."""

    offset: int
    line: int
    column: int


class TextBlock(NamedTuple):
    """The plain prose of one paragraph, heading, list item or table cell (code excluded),
    with enough position data to map any offset in `text` back to a line and column.

    `spans` is flat (offset, line, column, offset, line, column, ...): one triple per stretch
    of text that is contiguous in the file. Flat, because a large knowledge base has millions
    of them and the cache rebuilds them on every run; a named tuple, like `Link`, because a
    frozen dataclass cost 2 µs each to build, a fifteenth of a cold parse."""

    kind: str
    text: str
    spans: tuple[int, ...]
    #: (section heading,) for prose; (column header, row label) for a table cell
    context: tuple[str, ...] = ()

    @property
    def runs(self) -> tuple[TextRun, ...]:
        spans = self.spans
        return tuple(TextRun(*spans[i : i + 3]) for i in range(0, len(spans), 3))

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column of the character at `offset` in `text`."""
        spans = self.spans
        if not spans:
            return 1, 1 + offset
        chosen = 0
        for index in range(3, len(spans), 3):
            if spans[index] > offset:
                break
            chosen = index
        return spans[chosen + 1], spans[chosen + 2] + (offset - spans[chosen])


class LazyBlocks(Sequence[TextBlock]):
    """An article's prose blocks as the cache keeps them, decoded the first time something
    reads them. A warm run takes the claims, signatures and dated phrases from per-article
    summaries, so most runs never need the blocks of an unchanged article, and decoding them
    for every article was the largest part of loading the cache. It behaves as the tuple it
    stands for: equal to it, hashed like it, and pickled as it."""

    __slots__ = ("_items", "_load", "source")

    def __init__(
        self, load: Callable[[], tuple[TextBlock, ...]], source: str | None = None
    ) -> None:
        self._items: tuple[TextBlock, ...] | None = None
        self._load: Callable[[], tuple[TextBlock, ...]] | None = load
        #: The encoded form the blocks come from, which the cache can store again as it is.
        self.source = source

    @property
    def items(self) -> tuple[TextBlock, ...]:
        """Decoded on each use and not kept: a rule reads an article's blocks once, and
        keeping every article's decoded prose for the rest of the run cost more memory than
        the rest of it."""
        if self._items is not None:
            return self._items
        assert self._load is not None
        return self._load()

    @overload
    def __getitem__(self, index: int) -> TextBlock: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[TextBlock, ...]: ...

    def __getitem__(self, index: int | slice) -> TextBlock | tuple[TextBlock, ...]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[TextBlock]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (LazyBlocks, tuple)):
            return self.items == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return repr(self.items)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Sent from a parse worker still encoded when its loader can travel (a partial of a
        # module-level function), else as the plain tuple.
        if self._items is None and isinstance(self._load, partial):
            return (LazyBlocks, (self._load, self.source))
        return (tuple, (self.items,))


@dataclass(frozen=True)
class Suppression:
    """An inline `<!-- kbcheck-... -->` comment. `action` is "disable-next-line", "disable" or
    "enable"; an empty `rules` tuple means every rule."""

    action: str
    rules: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Problem:
    """Something wrong found while reading the file (bad front matter, bad encoding). The
    matching rule turns it into a finding, so it can be selected, ignored and documented."""

    rule: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Article:
    """One Markdown article, parsed once. Rules read these fields and never re-parse."""

    path: str
    title: str
    meta: dict[str, Any] = field(default_factory=dict, hash=False)
    key_lines: dict[str, int] = field(default_factory=dict, hash=False)
    has_frontmatter: bool = False
    frontmatter_ok: bool = True
    owners: tuple[str, ...] = ()
    last_reviewed: date | None = None
    review_every: Interval | None = None
    expires: date | None = None
    ignore: tuple[str, ...] = ()
    headings: tuple[Heading, ...] = ()
    anchors: frozenset[str] = frozenset()
    links: tuple[Link, ...] = ()
    blocks: Sequence[TextBlock] = ()
    suppressions: tuple[Suppression, ...] = ()
    problems: tuple[Problem, ...] = ()
    line_count: int = 0
    readable: bool = True
    #: Logical key -> the front-matter key it was read from (`last_reviewed` -> `ms.date` when
    #: the site's convention supplied it), for the keys the article has.
    key_names: dict[str, str] = field(default_factory=dict, hash=False)
    #: Per-article summaries by fingerprint (see `kbcheck.incremental.extracts`): computed once per
    #: content, kept in the parse cache, never part of what makes two articles equal.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_fields(cls, **fields: Any) -> Article:
        """An article from every field but `derived`, without the dataclass `__init__`: a
        frozen dataclass sets each field through `object.__setattr__`, which made building
        the articles of a warm run cost three times what building their contents did. For
        the cache codec; the result equals the `__init__`'s. TypeError unless every field
        but `derived` is given, and no other."""
        if fields.keys() != _ARTICLE_FIELDS:
            raise TypeError(f"Article fields expected, got {sorted(fields)}")
        article = object.__new__(cls)
        article.__dict__.update(fields, derived={})
        return article

    def key_line(self, key: str) -> int:
        """Line of a front-matter key, or 1 (the top of the file) when it is absent."""
        return self.key_lines.get(key, 1)


#: What `Article.from_fields` takes: every field but the per-run `derived`.
_ARTICLE_FIELDS = frozenset(name for name in Article.__dataclass_fields__ if name != "derived")
