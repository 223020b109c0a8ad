"""Finding, reading and validating `[tool.kbcheck]` / `kbcheck.toml`.

Validation is strict on purpose: a misspelt key silently ignored means a policy silently not
applied, so every unknown key is an error that names the key and suggests the closest valid one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kbcheck.anchors import ANCHOR_STYLES
from kbcheck.dates import parse_date, parse_duration, parse_interval
from kbcheck.link_targets import LINK_STYLES
from kbcheck.model import Interval, Severity
from kbcheck.regular_files import read_named_file, read_text_file
from kbcheck.suggestions import suggest
from kbcheck.values import Value, parse_value

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
#: A help-center article is a few kilobytes; a megabyte of Markdown already takes seconds to
#: parse, and more only comes from generated or hostile files (see SECURITY.md).
DEFAULT_MAX_ARTICLE_SIZE = 1_000_000

#: Where a review date comes from: the front matter only, the last git commit only, or the
#: front matter with the last commit as the fallback for articles that have no date.
AGE_SOURCES = ("frontmatter", "git", "frontmatter-then-git")


class ConfigError(Exception):
    """A configuration problem; the message already names the file and the key."""


@dataclass(frozen=True)
class Policy:
    """A `[[policy]]` entry: settings for the articles its globs match (first match wins)."""

    paths: tuple[str, ...]
    review_every: Interval | None = None
    severity: Severity | None = None
    owner: tuple[str, ...] = ()


#: An owner is active unless marked as gone.
OWNER_STATUSES = ("active", "left")


@dataclass(frozen=True)
class OwnerEntry:
    """A person or a team the configuration (`[[people]]`, `[[teams]]`) or an owners file
    declares. Its names, e-mails and handles are all the same owner, so an article owned by
    `@ana` and a commit by `ana@example.com` are recognised as one person.

    `kind` is "person", "team", or "any" for a bare name from `owners = [...]` that could be
    either. `declared` says where it was written, for messages."""

    kind: str
    name: str = ""
    emails: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()  # a person's teams
    members: tuple[str, ...] = ()  # a team's members
    status: str = "active"
    declared: str = ""


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
class ExternalSettings:
    """`[external]`: how `--external` checks http(s) links. Durations are in seconds.

    `headers` maps a host (`api.example.com`, `*.example.com` or `*`) to header templates
    whose `${NAME}` parts are filled from the environment when the check runs, so a token is
    never stored in the configuration, the cache or a report."""

    concurrency: int = 64
    per_host: int = 4
    min_interval: float = 0.0
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    max_redirects: int = 10
    max_retry_wait: float = 60.0
    accept: frozenset[int] = frozenset()
    exclude_urls: tuple[str, ...] = ()
    cache_max_age: float = 86400.0
    headers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteSettings:
    """`[site]`: which generator publishes the knowledge base, and any part of the generic
    site model to set by hand (None: what the generator's own files say)."""

    generator: str = "auto"
    url: str | None = None
    paths: tuple[tuple[str, str], ...] | None = None
    static: tuple[str, ...] | None = None
    redirects: str | None = None
    not_articles: tuple[str, ...] | None = None
    case_sensitive: bool | None = None
    variants: tuple[str, ...] | None = None
    #: Relative paths in `[site]` are relative to the configuration's folder.
    base_dir: Path = field(default_factory=Path.cwd)


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    root: Path | None = None
    today: date | None = None
    exclude: tuple[str, ...] = ()
    #: Drafts, unpublished pages and repository files are checked too (see kbcheck.publication).
    check_unpublished: bool = False
    site_url: str | None = None
    #: None: what the site generator uses (github without one).
    anchor_style: str | None = None
    link_style: str | None = None
    site: SiteSettings = field(default_factory=SiteSettings)
    cache_dir: Path | None = None
    external: ExternalSettings = field(default_factory=ExternalSettings)
    owners: tuple[str, ...] = ()
    owners_file: str | None = None
    #: True: use the repository's CODEOWNERS if it has one; False: never; a string: this file.
    codeowners: bool | str = True
    people: tuple[OwnerEntry, ...] = ()
    teams: tuple[OwnerEntry, ...] = ()
    keys: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS))
    date_formats: tuple[str, ...] = ()
    #: Articles larger than this many bytes are not parsed (file/too-large).
    max_article_size: int = DEFAULT_MAX_ARTICLE_SIZE
    review_every: Interval = DEFAULT_REVIEW_EVERY
    age_source: str = "frontmatter-then-git"
    #: A commit changing more articles than this is maintenance, not an edit (0: no limit).
    bulk_commit: int = 100
    policies: tuple[Policy, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    rules: Mapping[str, RuleSettings] = field(default_factory=dict)
    facts: tuple[Fact, ...] = ()
    #: Retired term -> the note that says what replaced it.
    retired_terms: Mapping[str, str] = field(default_factory=dict)

    @property
    def uses_git_dates(self) -> bool:
        """Whether review dates may come from git (so the history must be read)."""
        return self.age_source != "frontmatter"

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
                data = tomllib.loads(read_text_file(candidate))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "kbcheck" in data["tool"]:
                return candidate
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    text = read_named_file(path, ConfigError, "cannot read configuration")
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


def parse_size(value: Any) -> int:
    """A size in bytes: a whole number, or text such as "500KB" or "2MB" (powers of 1000)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number, unit = value, ""
    else:
        match = re.fullmatch(r"\s*(\d+)\s*([KkMm]?[Bb]?)\s*", _string(value))
        if match is None:
            raise ValueError(f"{value!r} is not a size (use e.g. 1000000, 500KB or 2MB)")
        number, unit = int(match.group(1)), match.group(2).upper().rstrip("B")
    size = number * {"": 1, "K": 1000, "M": 1000 * 1000}[unit]
    if size < 1:
        raise ValueError(f"must be at least 1 byte, got {value!r}")
    return size


def _today(value: Any) -> date:
    return parse_date(value)


def _count(minimum: int) -> Callable[[Any], int]:
    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected a whole number, got {value!r}")
        if value < minimum:
            raise ValueError(f"must be at least {minimum}, got {value}")
        return value

    return convert


def _codeowners(value: Any) -> bool | str:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value
    raise TypeError(f"expected true, false or the path of a CODEOWNERS file, got {value!r}")


def _single_word(what: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = _string(value).strip()
        if not text or any(character.isspace() for character in text):
            raise ValueError(f"{value!r} is not {what}")
        return text

    return convert


def _status_codes(value: Any) -> frozenset[int]:
    """`[200, 403]` or ranges written as strings: `["200-299", 403]`."""
    items = value if isinstance(value, list) else [value]
    codes: set[int] = set()
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            low = high = item
        elif isinstance(item, str) and re.fullmatch(r"\s*\d{3}\s*(-\s*\d{3}\s*)?", item):
            low_text, _, high_text = item.partition("-")
            low, high = int(low_text), int(high_text or low_text)
        else:
            raise TypeError(f'expected HTTP status codes such as 200 or "200-299", got {item!r}')
        if not 100 <= low <= high <= 999:
            raise ValueError(f"{item!r} is not an HTTP status code range")
        codes.update(range(low, high + 1))
    return frozenset(codes)


def _patterns(value: Any) -> tuple[str, ...]:
    patterns = _strings(value)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"{pattern!r} is not a valid regular expression: {error}") from None
    return patterns


def _external_settings(table: _Reader) -> ExternalSettings:
    defaults = ExternalSettings()
    settings = ExternalSettings(
        concurrency=table.get("concurrency", _count(1), defaults.concurrency),
        per_host=table.get("per_host", _count(1), defaults.per_host),
        min_interval=table.get("min_interval", parse_duration, defaults.min_interval),
        timeout=table.get("timeout", parse_duration, defaults.timeout),
        retries=table.get("retries", _count(0), defaults.retries),
        backoff=table.get("backoff", parse_duration, defaults.backoff),
        max_redirects=table.get("max_redirects", _count(0), defaults.max_redirects),
        max_retry_wait=table.get("max_retry_wait", parse_duration, defaults.max_retry_wait),
        accept=table.get("accept", _status_codes, defaults.accept),
        exclude_urls=table.get("exclude_urls", _patterns, ()),
        cache_max_age=table.get("cache_max_age", parse_duration, defaults.cache_max_age),
        headers=_host_headers(table.table("headers")),
    )
    if settings.timeout <= 0:
        raise table.error("timeout", "must be more than zero")
    table.finish()
    return settings


def _site_settings(table: _Reader, base: Path) -> SiteSettings:
    from kbcheck.site.model import GENERATORS

    settings = SiteSettings(
        generator=table.get("generator", _choice(*GENERATORS), "auto"),
        url=table.get("url", _string),
        paths=table.get("paths", _prefix_map),
        static=table.get("static", _strings),
        redirects=table.get("redirects", _string),
        not_articles=table.get("not_articles", _strings),
        case_sensitive=table.get("case_sensitive", _boolean),
        variants=table.get("variants", _strings),
        base_dir=base,
    )
    table.finish()
    return settings


def _prefix_map(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        raise TypeError(
            'must be a table of URL prefix = folder, e.g. { "/billing/" = "kb/billing/" }'
        )
    pairs = []
    for prefix, folder in value.items():
        if not isinstance(folder, str):
            raise TypeError(f"the folder for '{prefix}' must be a string")
        if not str(prefix).startswith("/"):
            raise ValueError(f"URL prefix '{prefix}' must start with '/'")
        pairs.append((str(prefix), folder))
    return tuple(pairs)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


def _host_headers(table: _Reader) -> dict[str, dict[str, str]]:
    """`[external.headers."host"]` tables of header name -> value template."""
    headers: dict[str, dict[str, str]] = {}
    for host in table.data:
        table.known.append(host)
        entry = _Reader(table.data[host], table.path, f'{table.where}"{host}".')
        values: dict[str, str] = {}
        for name in entry.data:
            value = entry.get(name, _string)
            if not re.fullmatch(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", name):
                raise entry.error(name, "is not a valid HTTP header name")
            values[name] = value
        entry.finish()
        headers[host.lower()] = values
    table.finish()
    return headers


def _emails(value: Any) -> tuple[str, ...]:
    emails = _strings(value)
    for email in emails:
        local, at, domain = email.strip().partition("@")
        if not (local and at and domain) or "@" in domain or any(c.isspace() for c in email):
            raise ValueError(f"{email!r} is not an e-mail address")
    return tuple(email.strip() for email in emails)


def _handles(value: Any) -> tuple[str, ...]:
    return tuple(_single_word("a handle such as @ana or @acme/billing")(h) for h in _strings(value))


def _names(value: Any) -> tuple[str, ...]:
    names = tuple(name.strip() for name in _strings(value))
    if not all(names):
        raise ValueError("names must not be empty")
    return names


def read_owner_entry(
    kind: str, data: Any, path: Path | None, where: str, declared: str
) -> OwnerEntry:
    """One `[[people]]` / `[[teams]]` table, or one entry of a YAML owners file, validated as
    strictly as the rest of the configuration (unknown keys are errors)."""
    entry = _Reader(data, path, where)
    name = entry.get("name", _string, "").strip()
    emails = entry.get("email", _emails, ())
    handles = entry.get("handle", _handles, ())
    teams = entry.get("teams", _names, ()) if kind == "person" else ()
    members = entry.get("members", _names, ()) if kind == "team" else ()
    status = entry.get("status", _choice(*OWNER_STATUSES), "active")
    entry.finish()
    if not (name or emails or handles):
        raise ConfigError(
            f"{_name(path)}: '{where.rstrip('.')}' needs a name, an email or a handle"
        )
    return OwnerEntry(kind, name, emails, handles, teams, members, status, declared)


def _owner_entries(
    data: Mapping[str, Any], key: str, kind: str, top: _Reader, path: Path | None, prefix: str
) -> tuple[OwnerEntry, ...]:
    top.known.append(key)
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise top.error(key, f"must be an array of tables ([[{key}]])")
    where = path.name if path else "configuration"
    return tuple(
        read_owner_entry(kind, item, path, f"{prefix}{key}[{index}].", f"{where} [[{key}]]")
        for index, item in enumerate(raw)
    )


def parse_config(data: Mapping[str, Any], path: Path | None, prefix: str = "") -> Config:
    top = _Reader(data, path, prefix)
    base = path.parent if path else Path.cwd()
    root = top.get("root", _string)
    cache_dir = top.get("cache_dir", _string)
    config_kwargs: dict[str, Any] = {
        "path": path,
        "root": (base / root).resolve() if root is not None else None,
        "cache_dir": (base / cache_dir).resolve() if cache_dir is not None else None,
        "today": top.get("today", _today),
        "exclude": top.get("exclude", _strings, ()),
        "check_unpublished": top.get("check_unpublished", _boolean, False),
        "site_url": top.get("site_url", _string),
        "anchor_style": top.get("anchor_style", _choice(*ANCHOR_STYLES)),
        "link_style": top.get("link_style", _choice(*LINK_STYLES)),
        "owners": top.get("owners", _strings, ()),
        "owners_file": top.get("owners_file", _string),
        "codeowners": top.get("codeowners", _codeowners, True),
        "date_formats": top.get("date_formats", _strings, ()),
        "max_article_size": top.get("max_article_size", parse_size, DEFAULT_MAX_ARTICLE_SIZE),
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
    config_kwargs["age_source"] = age.get("source", _choice(*AGE_SOURCES), "frontmatter-then-git")
    config_kwargs["bulk_commit"] = age.get("bulk_commit", _count(0), 100)
    age.finish()

    config_kwargs["external"] = _external_settings(top.table("external"))
    config_kwargs["site"] = _site_settings(top.table("site"), base)
    if config_kwargs["site_url"] is None:
        config_kwargs["site_url"] = config_kwargs["site"].url

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

    config_kwargs["people"] = _owner_entries(data, "people", "person", top, path, prefix)
    config_kwargs["teams"] = _owner_entries(data, "teams", "team", top, path, prefix)
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
