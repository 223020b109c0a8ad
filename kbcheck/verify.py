"""`kbcheck verify`: record that a person reviewed an article, changing nothing else.

The edit is targeted, never a re-dump of the YAML: the value on the existing review line is
replaced (same quoting, same trailing comment, same date format), or a new line is inserted
just before the closing fence, or a front-matter block is created when there is none. Every
other byte (key order, comments, other keys, CRLF, BOM, body) stays as it was, and the result
is parsed again to prove that only the review keys changed before anything is written.

`record_review` is pure (text in, text out); `read_snapshot` / `write_snapshot` do the file
handling: refuse what is not an article, write atomically, refuse if the file changed meanwhile.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import stat
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from kbcheck.article import YAML_VALUE_ERRORS, read_article_bytes, yaml_mark_position
from kbcheck.conventions import DATE_FORMATS, REVIEW_DATE_KEYS, lookup
from kbcheck.dates import parse_date

MARKDOWN_SUFFIXES = (".md", ".markdown")
_BOM = "\ufeff"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_OPENING_FENCE = re.compile(r"^---[ \t]*$")
_CLOSING_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_OTHER_FRONTMATTER = re.compile(r'^(\+\+\+[ \t]*|\{[ \t]*(?:".*)?)$')
#: A top-level `key: rest` line; the key may be quoted. `rest` is the value and any comment.
_KEY_LINE = re.compile(
    r"""^(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"?:\-{}\[\],&*!|>%@`][^:#]*?"""
    r"""|-[^\s:#][^:#]*?)(?P<colon>[ \t]*:)(?P<space>[ \t]*)(?P<rest>.*)$"""
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d")
_YAML = frontmatter.YAMLHandler()


class VerifyError(Exception):
    """Why a file was refused, in one line; the file is untouched."""


@dataclass(frozen=True)
class ReviewKeys:
    """The front-matter names of the review date and of the reviewer (configurable)."""

    reviewed: str = "last_reviewed"
    reviewer: str = "reviewed_by"


def record_review(
    text: str,
    reviewed: date,
    by: str | None = None,
    keys: ReviewKeys | None = None,
    date_formats: Sequence[str] = (),
) -> str:
    """`text` with the review recorded: the date under `keys.reviewed` and, with `by`, the
    reviewer under `keys.reviewer`. Raises VerifyError when the front matter does not parse or
    cannot be edited without touching anything else."""
    keys = keys or ReviewKeys()
    # a date already written as a generator writes it (`ms.date: 03/14/2025`) keeps that form
    date_formats = tuple(
        dict.fromkeys([*date_formats, *(f for fs in DATE_FORMATS.values() for f in fs)])
    )
    bom = _BOM if text.startswith(_BOM) else ""
    lines = _LINE.findall(text[len(bom) :])
    newline = _line_ending(lines[0]) if lines and _line_ending(lines[0]) else "\n"

    if lines and _OTHER_FRONTMATTER.match(_content(lines[0])):
        # Hugo's TOML (`+++`) or JSON front matter: a YAML block above it would break the page
        raise VerifyError("front matter in TOML or JSON is not edited; record the review by hand")
    if not lines or not _OPENING_FENCE.match(_content(lines[0])):
        added = [_new_line(keys.reviewed, _date_value(reviewed, "", date_formats), newline)]
        if by is not None:
            added.append(_new_line(keys.reviewer, _text_value(by, ""), newline))
        result = bom + "".join([f"---{newline}", *added, f"---{newline}", *lines])
        _check(result, {}, reviewed, by, keys, date_formats)
        return result

    closing = next(
        (i for i in range(1, len(lines)) if _CLOSING_FENCE.match(_content(lines[i]))), None
    )
    if closing is None:
        raise VerifyError("front matter opened on line 1 is never closed")
    before = _load_block(lines[1:closing])

    block = lines[1:closing]
    reviewed_key = _key_in_use(before, keys.reviewed)
    keep_time = reviewed_key != keys.reviewed
    if "." in reviewed_key and reviewed_key not in before:  # `last_update.date`: nested
        parent, _, child = reviewed_key.partition(".")
        block = _set_nested_key(
            block, parent, child, lambda old: _date_value(reviewed, old, date_formats, keep_time)
        )
        after_review = len(block)
        keys = ReviewKeys(reviewed_key, keys.reviewer)
    else:
        keys = ReviewKeys(reviewed_key, keys.reviewer)
        block, after_review = _set_key(
            block,
            keys.reviewed,
            lambda old: _date_value(reviewed, old, date_formats, keep_time),
            insert_at=len(block),
            newline=newline,
        )
    if by is not None:
        block, _ = _set_key(
            block,
            keys.reviewer,
            lambda old: _text_value(by, old),
            insert_at=after_review,
            newline=newline,
        )
    result = bom + "".join([lines[0], *block, *lines[closing:]])
    _check(result, before, reviewed, by, keys, date_formats)
    return result


def review_key_in(text: str, configured: str) -> str:
    """The key `record_review` updates in `text` (for messages); `configured` when unsure."""
    lines = _LINE.findall(text.removeprefix(_BOM))
    if not lines or not _OPENING_FENCE.match(_content(lines[0])):
        return configured
    closing = next(
        (i for i in range(1, len(lines)) if _CLOSING_FENCE.match(_content(lines[i]))), None
    )
    if closing is None:
        return configured
    try:
        return _key_in_use(_load_block(lines[1:closing]), configured)
    except VerifyError:
        return configured


def _key_in_use(meta: Mapping[str, Any], configured: str) -> str:
    """The review key the article already has: the configured one, else a site generator's own
    (`ms.date`, `lastmod`, `last_update.date`), so that a review never adds a second date."""
    if configured in meta:
        return configured
    for key in REVIEW_DATE_KEYS:
        found = lookup(meta, key)
        if found is not None:
            return found[0]
    return configured


def _set_nested_key(block: list[str], parent: str, child: str, render: Any) -> list[str]:
    """Replace `child:` under a block mapping `parent:` (Docusaurus `last_update:` /
    `  date: ...`); anything else (a flow mapping) is refused rather than rewritten."""
    result = list(block)
    for index, line in enumerate(result):
        match = _KEY_LINE.match(_content(line))
        if match is None or _key_name(match.group("key")) != parent:
            continue
        for inner in range(index + 1, len(result)):
            content = _content(result[inner])
            if content.strip() and content[:1] not in (" ", "\t"):
                break
            indent = content[: len(content) - len(content.lstrip())]
            found = _KEY_LINE.match(content.lstrip())
            if found is None or _key_name(found.group("key")) != child:
                continue
            split = _value_span(found.group("rest"))
            if split is None:
                break
            old_value, tail = split
            result[inner] = (
                f"{indent}{found.group('key')}{found.group('colon')}"
                f"{found.group('space') or ' '}{render(old_value)}{tail}"
                f"{_line_ending(result[inner]) or chr(10)}"
            )
            return result
    raise VerifyError(f"'{parent}.{child}' is not written as a block mapping; edit it by hand")


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def _line_ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def _load_block(block: list[str]) -> dict[str, Any]:
    source = "\n".join(_content(line) for line in block)
    try:
        loaded = _YAML.load(source) if source.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {yaml_mark_position(source, mark)[0]})" if mark is not None else ""
        reason = getattr(error, "problem", None) or "invalid YAML"
        raise VerifyError(f"front matter does not parse{where}: {reason}") from None
    except RecursionError:
        raise VerifyError("front matter is nested too deeply") from None
    except YAML_VALUE_ERRORS as error:
        raise VerifyError(f"front matter has a value YAML cannot read: {error}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise VerifyError(f"front matter is a {type(loaded).__name__}, not a mapping of keys")
    return {str(key): value for key, value in loaded.items()}


def _key_name(raw: str) -> str:
    if raw.startswith('"'):
        try:
            return str(json.loads(raw))
        except ValueError:
            return raw[1:-1]
    if raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    return raw.strip()


def _value_span(rest: str) -> tuple[str, str] | None:
    """Split what follows `key:` into (value, tail) where tail is the spacing and comment to
    keep; None when the value continues on the next lines (block scalar, nested, open quote)."""
    if not rest or rest.startswith("#") or rest[0] in "|>&!{[":
        return None
    if rest[0] == '"':
        match = re.match(r'"(?:[^"\\]|\\.)*"', rest)
    elif rest[0] == "'":
        match = re.match(r"'(?:[^']|'')*'", rest)
    else:
        match = re.match(r".*?(?=[ \t]+#|[ \t]*$)", rest)
    if match is None:
        return None
    value, tail = rest[: match.end()], rest[match.end() :]
    if tail.strip() and not tail.lstrip().startswith("#"):
        return None  # something after a closing quote that is not a comment
    return value, tail


def _set_key(
    block: list[str],
    name: str,
    render: Any,
    *,
    insert_at: int,
    newline: str,
) -> tuple[list[str], int]:
    """Replace the value of every top-level `name:` line (YAML keeps the last duplicate, so
    all are set) or insert one line at `insert_at`. Returns the block and the index just
    after the (last) line written."""
    result = list(block)
    index = 0
    end_of_last = -1
    while index < len(result):
        line = result[index]
        match = _KEY_LINE.match(_content(line))
        if match is None or _key_name(match.group("key")) != name:
            index += 1
            continue
        span_end = index + 1
        split = _value_span(match.group("rest"))
        if split is None:
            while span_end < len(result) and _continues(result, span_end):
                span_end += 1
            old_value, tail = "", ""
            comment = match.group("rest")
            if comment.startswith("#"):
                tail = " " + comment
        else:
            old_value, tail = split
        space = match.group("space") or " "
        new_line = (
            f"{match.group('key')}{match.group('colon')}{space}{render(old_value)}{tail}"
            f"{_line_ending(line) or newline}"
        )
        result[index:span_end] = [new_line]
        end_of_last = index + 1
        index += 1
    if end_of_last >= 0:
        return result, end_of_last
    result.insert(insert_at, _new_line(name, render(""), newline))
    return result, insert_at + 1


def _continues(block: list[str], index: int) -> bool:
    """Whether line `index` still belongs to the value of the key above it: it is indented,
    or blank with an indented line after it."""
    content = _content(block[index])
    if content[:1] in (" ", "\t"):
        return bool(content.strip()) or any(
            _content(line)[:1] in (" ", "\t") and _content(line).strip()
            for line in block[index + 1 :]
        )
    if content.strip():
        return False
    following = next((_content(line) for line in block[index + 1 :] if _content(line).strip()), "")
    return following[:1] in (" ", "\t")


def _new_line(name: str, value: str, newline: str) -> str:
    return f"{_yaml_text(name)}: {value}{newline}"


def _yaml_text(text: str) -> str:
    """`text` as a plain YAML scalar when that reads back unchanged, else double-quoted."""
    candidate = text
    try:
        if "\n" not in text and yaml.safe_load(f"k: {candidate}") == {"k": text}:
            return candidate
    except (yaml.YAMLError, *YAML_VALUE_ERRORS):  # `2026-02-30` reads as a broken date
        pass
    return json.dumps(text, ensure_ascii=False)


def _date_value(reviewed: date, old: str, formats: Sequence[str], keep_time: bool = False) -> str:
    """The new date in the old value's format and quoting: ISO unless the old value was
    written in one of the configured `date_formats`. A timestamp becomes a date (a review has
    no time of day), except in a generator's own key (`keep_time`), whose shape its tooling
    expects."""
    quote = old[:1] if old[:1] in ("'", '"') else ""
    bare = old[1:-1] if quote and len(old) >= 2 else old
    text = reviewed.isoformat()
    if keep_time and _ISO_TIMESTAMP.match(bare.strip()):  # a generator's `2024-01-02T10:00Z`
        return f"{quote}{text}{bare.strip()[10:]}{quote}"
    if bare and not _ISO_DATE.match(bare.strip()):
        for fmt in formats:
            try:
                datetime.strptime(bare.strip(), fmt)
            except ValueError:
                continue
            text = reviewed.strftime(fmt)
            if not quote:
                return _yaml_text(text)
            break
    return f"{quote}{text}{quote}"


def _text_value(text: str, old: str) -> str:
    if old.startswith("'"):
        return "'" + text.replace("'", "''") + "'"
    if old.startswith('"'):
        return json.dumps(text, ensure_ascii=False)
    return _yaml_text(text)


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    return type(left) is type(right) and left == right


def _check(
    result: str,
    before: Mapping[str, Any],
    reviewed: date,
    by: str | None,
    keys: ReviewKeys,
    date_formats: Sequence[str],
) -> None:
    """Parse the edited text again: the review keys say what was asked, and every other key
    is exactly what it was. Anything else means the targeted edit misread the YAML."""
    lines = _LINE.findall(result.removeprefix(_BOM))
    closing = next(i for i in range(1, len(lines)) if _CLOSING_FENCE.match(_content(lines[i])))
    try:
        after = _load_block(lines[1:closing])
    except VerifyError:
        after = None
    problem = after is None
    if after is not None:
        parent, _, child = keys.reviewed.partition(".")
        nested = bool(child) and keys.reviewed not in after and isinstance(after.get(parent), dict)
        value = after[parent].get(child) if nested else after.get(keys.reviewed)
        try:
            problem = parse_date(value, date_formats) != reviewed
        except ValueError:
            problem = True
        if by is not None and after.get(keys.reviewer) != by:
            problem = True
        top = parent if nested else keys.reviewed
        changed = {top, keys.reviewer} if by is not None else {top}
        if nested:  # the other keys beside the date are kept too
            old_parent = dict(before.get(parent) or {})
            new_parent = dict(after[parent])
            old_parent.pop(child, None)
            new_parent.pop(child, None)
            problem = problem or old_parent != new_parent
        others = set(before) | set(after)
        if any(not _same(before.get(key), after.get(key)) for key in others if key not in changed):
            problem = True
    if problem:
        raise VerifyError(
            f"cannot set '{keys.reviewed}' without touching other front matter "
            "(flow-style or unusual YAML); edit it by hand"
        )


# --- files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """An article as read for `verify`: the real path (symlinks followed, so the link stays a
    link), the exact bytes and the mode to keep."""

    path: Path
    real_path: Path
    raw: bytes
    text: str
    mode: int


def read_snapshot(path: Path) -> Snapshot:
    """Read an article to edit, refusing anything that is not one."""
    if not path.exists():
        raise VerifyError(f"{path}: no such file")
    if path.is_dir():
        raise VerifyError(f"{path}: is a folder; name the articles you reviewed")
    if not path.name.lower().endswith(MARKDOWN_SUFFIXES):
        raise VerifyError(f"{path}: not a Markdown article (.md or .markdown); not changed")
    real = path.resolve()
    try:
        raw = read_article_bytes(real, sys.maxsize)  # a regular file only: a FIFO would block
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except OSError as error:
        raise VerifyError(f"{path}: cannot read: {error.strerror or error}") from None
    if b"\0" in raw[:8192]:
        raise VerifyError(f"{path}: binary file with a Markdown name; not changed")
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(real, os.W_OK):
        raise VerifyError(f"{path}: read-only file; not changed")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise VerifyError(
            f"{path}: not valid UTF-8 (byte {error.start}); not changed, save it as UTF-8 first"
        ) from None
    return Snapshot(path, real, raw, text, mode)


def unified_diff(snapshot: Snapshot, new_text: str) -> str:
    """The change as `git diff` would show it, for `--dry-run`."""
    old_lines = _LINE.findall(snapshot.text)
    new_lines = _LINE.findall(new_text)
    name = snapshot.path.as_posix()
    lines = difflib.unified_diff(old_lines, new_lines, f"a/{name}", f"b/{name}")
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in lines)


def write_snapshot(snapshot: Snapshot, new_text: str) -> None:
    """Replace the file atomically (temporary file in the same folder, then rename), keeping
    its mode; refuse if it changed since `snapshot` was read, so no one's edit is lost."""
    folder = snapshot.real_path.parent
    data = new_text.encode("utf-8")
    try:
        handle, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{snapshot.real_path.name}.", suffix=".kbcheck-tmp"
        )
    except OSError as error:
        raise VerifyError(f"{snapshot.path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, snapshot.mode)
        try:
            current = snapshot.real_path.read_bytes()
        except OSError:
            current = None
        if current != snapshot.raw:
            raise VerifyError(
                f"{snapshot.path}: changed while kbcheck was editing it; not written, "
                "run verify again"
            )
        os.replace(temporary, snapshot.real_path)
    except OSError as error:
        raise VerifyError(f"{snapshot.path}: cannot write: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
