"""`kbcheck config`: the settings in force for a knowledge base, and where each came from.

A setting comes from the configuration file, from the site generator kbcheck detected, or is
kbcheck's default; seeing which answers "why did kbcheck read `ms.date`?" or "why is this
folder skipped?" without reading the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kbcheck import conventions
from kbcheck.config import Config
from kbcheck.corpus import SKIPPED_AT_ROOT, SKIPPED_FOLDERS
from kbcheck.site.model import SiteSpec

DEFAULTS = Config()


@dataclass(frozen=True)
class Setting:
    name: str
    value: str
    source: str  # "default", the configuration file's name, or "detected (<file>)"


def settings_in_force(
    config: Config, root: Path, site: SiteSpec, cache_dir: str | None = None
) -> list[Setting]:
    """Each setting kbcheck will use for `root`, with its source (`cache_dir`: the folder
    `KBCHECK_CACHE_DIR` names, which takes the place of the configured one)."""
    where = config.path.name if config.path is not None else "configuration"

    def source(changed: bool) -> str:
        return where if changed else "default"

    detected = f"detected from {site.source}" if site.source else "detected"
    rows = [
        Setting("configuration", str(config.path) if config.path else "(none found)", ""),
        Setting("root", str(root), where if config.root is not None else "the path given"),
    ]
    if config.site.generator != "auto":
        generator_source = where
    else:
        generator_source = detected if site.generator != "none" else "default"
    rows.append(Setting("site generator", site.generator, generator_source))
    if site.variants:
        variants_source = where if config.site.variants is not None else detected
        rows.append(Setting("site variants", ", ".join(site.variants), variants_source))
    fallbacks = conventions.fallbacks(site.generator)
    for logical in ("owner", "last_reviewed", "review_every", "expires"):
        configured = config.keys.get(logical, logical)
        keys = [configured, *fallbacks.get(logical, ())]
        changed = configured != DEFAULTS.keys.get(logical, logical)
        origin = source(changed) + (f", then {detected}" if fallbacks.get(logical) else "")
        rows.append(Setting(f"key {logical}", " then ".join(keys), origin))
    formats = [*config.date_formats, *conventions.date_formats(site.generator)]
    if formats:
        origin = where if config.date_formats else detected
        rows.append(Setting("date formats", ", ".join(formats), origin))
    if site.inherited:
        keys = sorted({key for _, key, _ in site.inherited})
        rows.append(Setting("site metadata", ", ".join(keys) + " for files without them", detected))
    skipped = ", ".join(sorted(SKIPPED_FOLDERS)) + "; at the root: " + ", ".join(SKIPPED_AT_ROOT)
    rows.append(Setting("always skipped", skipped, "default"))
    rows.append(Setting("exclude", _list(config.exclude), source(bool(config.exclude))))
    rows.append(
        Setting(
            "check_unpublished",
            str(config.check_unpublished).lower(),
            source(config.check_unpublished != DEFAULTS.check_unpublished),
        )
    )
    rows.append(
        Setting(
            "review every",
            str(config.review_every),
            source(config.review_every != DEFAULTS.review_every),
        )
    )
    rows.append(
        Setting("age source", config.age_source, source(config.age_source != DEFAULTS.age_source))
    )
    rows.append(
        Setting(
            "bulk commit",
            f"{config.bulk_commit} articles",
            source(config.bulk_commit != DEFAULTS.bulk_commit),
        )
    )
    for index, policy in enumerate(config.policies, 1):
        parts = [f"paths {', '.join(policy.paths)}"]
        if policy.review_every is not None:
            parts.append(f"review every {policy.review_every}")
        if policy.owner:
            parts.append(f"owner {', '.join(policy.owner)}")
        rows.append(Setting(f"policy {index}", "; ".join(parts), where))
    rows.append(Setting("select", _list(config.select), source(bool(config.select))))
    rows.append(Setting("ignore", _list(config.ignore), source(bool(config.ignore))))
    rows.append(Setting("fail on", config.fail_on, source(config.fail_on != DEFAULTS.fail_on)))
    for rule_id in sorted(config.rules):
        rows.append(Setting(f"rule {rule_id}", _rule_settings(config, rule_id), where))
    if config.facts:
        names = ", ".join(f"{fact.name} = {fact.value_text}" for fact in config.facts)
        rows.append(Setting("facts", names, where))
    if config.retired_terms:
        rows.append(Setting("retired terms", _list(tuple(config.retired_terms)), where))
    owners = "CODEOWNERS" if config.codeowners is True else str(config.codeowners or "off")
    rows.append(Setting("codeowners", owners, source(config.codeowners != DEFAULTS.codeowners)))
    if config.owners or config.owners_file or config.people or config.teams:
        count = len(config.owners) + len(config.people) + len(config.teams)
        known = f"{count} listed" + (f", file {config.owners_file}" if config.owners_file else "")
        rows.append(Setting("known owners", known, where))
    if cache_dir:
        rows.append(
            Setting("cache", cache_dir, "KBCHECK_CACHE_DIR, vouched for outside the repository")
        )
    else:
        cache = str(config.cache_dir) if config.cache_dir else str(root / ".kbcheck-cache")
        rows.append(Setting("cache", cache, source(config.cache_dir is not None)))
    return rows


def _list(values: tuple[str, ...]) -> str:
    return ", ".join(values) if values else "(none)"


def _rule_settings(config: Config, rule_id: str) -> str:
    settings = config.rules[rule_id]
    parts = [f"severity {settings.severity.value}"] if settings.severity is not None else []
    parts.extend(f"{key} = {value}" for key, value in sorted(settings.options.items()))
    return ", ".join(parts) or "(set)"


def render_settings(rows: list[Setting]) -> str:
    """Aligned `name  value  (source)` lines."""
    width = max(len(row.name) for row in rows)
    lines = []
    for row in rows:
        source = f"  ({row.source})" if row.source else ""
        lines.append(f"{row.name.ljust(width)}  {row.value}{source}")
    return "\n".join(lines) + "\n"
