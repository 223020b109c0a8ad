"""Finding, reading and validating `[tool.kbcheck]` / `kbcheck.toml`.

Validation is strict on purpose: a misspelt key silently ignored means a policy silently not
applied, so every unknown key is an error that names the key and suggests the closest valid one.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kbcheck.anchors import ANCHOR_STYLES
from kbcheck.claims import Value, parse_value
from kbcheck.dates import parse_date, parse_interval
from kbcheck.model import Interval, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAMES = ("kbcheck.toml", ".kbcheck.toml", "pyproject.toml")

#: Logical front-matter keys and their default names; `[keys]` renames them.
DEFAULT_KEYS = {
    "title": "title",
    "owner": "owner",
    "last_reviewed": "last_reviewed",
    "reviewed_by": "reviewed_by",
    "review_every": "review_every",
    "expires": "expires",
    "kbcheck": "kbcheck",
}


DEFAULT_REVIEW_EVERY = Interval(180, "d")


class ConfigError(Exception):
    """A configuration problem; the message already names the file and the key."""


@dataclass(frozen=True)
class Policy:
    """A `[[policy]]` entry: settings for the articles its globs match (first match wins)."""

    paths: tuple[str, ...]
    review_every: Interval | None = None
    severity: Severity | None = None
    owner: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A `[facts.NAME]` entry: the canonical `value` of what `pattern` (the `match` regular
    expression, case-insensitive) describes; contradiction/fact-mismatch enforces it."""

    name: str
    value_text: str
    value: Value
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class RuleSettings:
    """`[rules."id"]`: a severity override plus rule-specific options, checked against the
    rule's declared options once the registry is loaded."""

    severity: Severity | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    root: Path | None = None
    today: date | None = None
    exclude: tuple[str, ...] = ()
    site_url: str | None = None
    anchor_style: str = "github"
    owners: tuple[str, ...] = ()
    owners_file: str | None = None
    keys: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS))
    date_formats: tuple[str, ...] = ()
    review_every: Interval = DEFAULT_REVIEW_EVERY
    policies: tuple[Policy, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    rules: Mapping[str, RuleSettings] = field(default_factory=dict)
    facts: tuple[Fact, ...] = ()
    #: Retired term -> the note that says what replaced it.
    retired_terms: Mapping[str, str] = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        """Relative paths in the configuration are relative to the file that says them."""
        return self.path.parent if self.path else Path.cwd()


# --- locating --------------------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The nearest configuration walking up from `start`; a pyproject.toml counts only when
    it has a `[tool.kbcheck]` table."""
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "kbcheck" in data["tool"]:
                return candidate
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    prefix = ""
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("kbcheck", {})
        prefix = "tool.kbcheck."
    return parse_config(data, path, prefix)


# --- validating ------------------------------------------------------------------------------


class _Reader:
    """Reads one table, remembering which keys were used so the rest can be reported."""

    def __init__(self, data: Mapping[str, Any], path: Path | None, where: str) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(f"{_name(path)}: '{where.rstrip('.')}' must be a table")
        self.data = data
        self.path = path
        self.where = where
        self.known: list[str] = []

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{_name(self.path)}: '{self.where}{key}' {problem}")

    def get(self, key: str, convert: Callable[[Any], Any], default: Any = None) -> Any:
        self.known.append(key)
        if key not in self.data:
            return default
        try:
            return convert(self.data[key])
        except (ValueError, TypeError) as error:
            raise self.error(key, f"is invalid: {error}") from None

    def table(self, key: str) -> _Reader:
        self.known.append(key)
        return _Reader(self.data.get(key, {}), self.path, f"{self.where}{key}.")

    def finish(self) -> None:
        for key in self.data:
            if key not in self.known:
                raise self.error(key, "is not a known setting" + suggest(key, self.known))


def suggest(word: str, choices: Sequence[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _name(path: Path | None) -> str:
    return str(path) if path else "configuration"


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__} {value!r}")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"expected a list of strings, got {value!r}")
    return tuple(value)


def _choice(*choices: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = _string(value)
        if text not in choices:
            raise ValueError(f"{text!r} is not one of {', '.join(choices)}{suggest(text, choices)}")
        return text

    return convert


def _today(value: Any) -> date:
    return parse_date(value)


def parse_config(data: Mapping[str, Any], path: Path | None, prefix: str = "") -> Config:
    top = _Reader(data, path, prefix)
    base = path.parent if path else Path.cwd()
    root = top.get("root", _string)
    config_kwargs: dict[str, Any] = {
        "path": path,
        "root": (base / root).resolve() if root is not None else None,
        "today": top.get("today", _today),
        "exclude": top.get("exclude", _strings, ()),
        "site_url": top.get("site_url", _string),
        "anchor_style": top.get("anchor_style", _choice(*ANCHOR_STYLES), "github"),
        "owners": top.get("owners", _strings, ()),
        "owners_file": top.get("owners_file", _string),
        "date_formats": top.get("date_formats", _strings, ()),
        "select": top.get("select", _strings, ()),
        "ignore": top.get("ignore", _strings, ()),
        "fail_on": top.get("fail_on", _choice("error", "warning", "info", "never"), "error"),
    }

    keys_table = top.table("keys")
    keys = dict(DEFAULT_KEYS)
    for logical in DEFAULT_KEYS:
        keys[logical] = keys_table.get(logical, _string, DEFAULT_KEYS[logical])
    keys_table.finish()
    config_kwargs["keys"] = keys

    age = top.table("age")
    config_kwargs["review_every"] = age.get("review_every", parse_interval, DEFAULT_REVIEW_EVERY)
    age.finish()

    top.known.append("policy")
    raw_policies = data.get("policy", [])
    if not isinstance(raw_policies, list):
        raise top.error("policy", "must be an array of tables ([[policy]])")
    policies = []
    for index, raw in enumerate(raw_policies):
        entry = _Reader(raw, path, f"{prefix}policy[{index}].")
        paths = entry.get("paths", _strings)
        if not paths:
            raise entry.error("paths", "is required (a list of globs)")
        policies.append(
            Policy(
                paths=paths,
                review_every=entry.get("review_every", parse_interval),
                severity=entry.get("severity", lambda v: Severity.parse(_string(v))),
                owner=entry.get("owner", _strings, ()),
            )
        )
        entry.finish()
    config_kwargs["policies"] = tuple(policies)

    config_kwargs["facts"] = _facts(top, data, path, prefix)
    config_kwargs["retired_terms"] = _retired_terms(top, data)

    top.known.append("rules")
    raw_rules = data.get("rules", {})
    if not isinstance(raw_rules, Mapping):
        raise top.error("rules", "must be a table of rule ids")
    rules: dict[str, RuleSettings] = {}
    for rule_id, raw in raw_rules.items():
        if not isinstance(raw, Mapping):
            raise top.error(f'rules."{rule_id}"', "must be a table")
        options = dict(raw)
        severity = None
        if "severity" in options:
            try:
                severity = Severity.parse(_string(options.pop("severity")))
            except (TypeError, ValueError) as error:
                raise top.error(f'rules."{rule_id}".severity', f"is invalid: {error}") from None
        rules[rule_id] = RuleSettings(severity=severity, options=options)
    config_kwargs["rules"] = rules

    top.finish()
    return Config(**config_kwargs)


_VALUE_EXAMPLES = "'30 days', '$29', '5 GB', '20%', '10 users', '9am-5pm', 'help@example.com'"


def _facts(
    top: _Reader, data: Mapping[str, Any], path: Path | None, prefix: str
) -> tuple[Fact, ...]:
    """`[facts.NAME]` tables: each needs a `value` kbcheck can read and a `match` pattern that
    compiles and cannot match empty text (it would then match every sentence)."""
    top.known.append("facts")
    raw_facts = data.get("facts", {})
    if not isinstance(raw_facts, Mapping):
        raise top.error("facts", "must be a table of facts ([facts.NAME] with value and match)")
    facts = []
    for name, raw in raw_facts.items():
        if not isinstance(raw, Mapping):
            raise top.error(f"facts.{name}", "must be a table with 'value' and 'match'")
        entry = _Reader(raw, path, f"{prefix}facts.{name}.")
        value_text = entry.get("value", _string)
        match = entry.get("match", _string)
        entry.finish()
        if value_text is None:
            raise entry.error("value", f"is required (e.g. {_VALUE_EXAMPLES})")
        if match is None:
            raise entry.error("match", "is required (a regular expression for the subject)")
        value = parse_value(value_text)
        if value is None:
            raise entry.error(
                "value",
                f"{value_text!r} is not one value kbcheck can read (e.g. {_VALUE_EXAMPLES})",
            )
        try:
            pattern = re.compile(match, re.IGNORECASE)
        except re.error as error:
            raise entry.error("match", f"is not a valid regular expression: {error}") from None
        if pattern.search("") is not None:
            raise entry.error(
                "match", f"{match!r} matches empty text, so it would match everything"
            )
        facts.append(Fact(name=str(name), value_text=value_text, value=value, pattern=pattern))
    return tuple(facts)


def _retired_terms(top: _Reader, data: Mapping[str, Any]) -> dict[str, str]:
    """`[retired_terms]`: term = "what replaced it"; the note becomes the finding's hint."""
    top.known.append("retired_terms")
    raw_terms = data.get("retired_terms", {})
    if not isinstance(raw_terms, Mapping):
        raise top.error("retired_terms", 'must be a table: "Old name" = "what to say instead"')
    terms: dict[str, str] = {}
    for term, note in raw_terms.items():
        key = f'retired_terms."{term}"'
        if not re.search(r"\w", term):
            raise top.error(key, "is not a term: it has no letters or digits")
        if not isinstance(note, str):
            raise top.error(key, f"must be a string (the replacement note), got {note!r}")
        terms[str(term)] = note
    return terms
