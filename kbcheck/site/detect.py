"""Which generator publishes the knowledge base, and the `SiteSpec` it implies.

Each preset module knows one generator's files: `detect` names the file that shows the
generator is in use (looked for in the root, then in each folder above it up to the
repository's top), `read` turns that generator's own configuration into the generic
`SiteSpec`, reading files as data and never running a site's code. `[site]` in kbcheck's
configuration then overrides any part of it.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kbcheck.regular_files import read_text_file
from kbcheck.site.model import PLAIN, SiteSpec

if TYPE_CHECKING:
    from kbcheck.config import SiteSettings

#: Preset modules in the order detection tries them: the more specific markers first (a
#: Docusaurus or docfx repository may also hold a `mkdocs.yml` left from a migration, never
#: the other way round).
PRESET_MODULES = ("docfx", "docusaurus", "hugo", "jekyll", "mkdocs", "gitbook")

#: Markdown files above this size in a configuration are not read (hostile input).
MAX_CONFIG_BYTES = 4_000_000


@dataclass(frozen=True)
class Preset:
    name: str
    #: Generator name as people write it ("Jekyll"), for the notice.
    title: str
    #: The folder (at or above the root) where the generator's marker file is, or None.
    detect: Callable[[Path], Path | None]
    #: (folder holding the marker, the knowledge-base root, notices) -> the spec.
    read: Callable[[Path, Path, list[str]], SiteSpec]


def presets() -> dict[str, Preset]:
    found = {}
    for name in PRESET_MODULES:
        try:
            module = importlib.import_module(f"kbcheck.site.{name}")
        except ModuleNotFoundError:
            continue
        found[name] = module.PRESET
    return found


def site_spec(root: Path, settings: SiteSettings | None) -> SiteSpec:
    """The site the knowledge base at `root` is published as: the configured generator or
    the detected one, with `[site]` overrides applied. Never raises for a bad site file:
    the problem is a notice and the run goes on with plain files."""
    notices: list[str] = []
    wanted = settings.generator if settings is not None else "auto"
    spec = PLAIN
    known = presets()
    if wanted == "auto":
        for preset in known.values():
            folder = _search(root, preset.detect)
            if folder is not None:
                spec = _read(preset, folder, root, notices)
                break
    elif wanted != "none" and wanted in known:
        preset = known[wanted]
        folder = _search(root, preset.detect) or root
        spec = _read(preset, folder, root, notices)
    if settings is not None:
        spec = _override(spec, settings, root, notices)
    return replace(spec, notices=(*spec.notices, *notices))


def _search(root: Path, detect: Callable[[Path], Path | None]) -> Path | None:
    """The folder holding the generator's marker: the root, else a folder above it inside
    the same repository (a knowledge base checked as `kbcheck check docs`)."""
    folder = root
    while True:
        found = detect(folder)
        if found is not None:
            return found
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def _read(preset: Preset, folder: Path, root: Path, notices: list[str]) -> SiteSpec:
    try:
        spec = preset.read(folder, root, notices)
    except Exception as error:  # a preset's bug on odd input must not stop the run
        notices.append(
            f"{_shown(folder, root)}: could not read the {preset.title} site "
            f"({type(error).__name__}: {error}); links are checked as plain files"
        )
        return PLAIN
    return spec


def shown(path: Path, root: Path) -> str:
    """A site file as notices name it: relative to the knowledge-base root when inside it."""
    try:
        text = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
    return text or "."


_shown = shown


def find_marker(
    folder: Path, names: tuple[str, ...], subfolders: tuple[str, ...] = ("",)
) -> Path | None:
    """The first of a generator's configuration files found in `folder` (or one of its
    `subfolders`, such as Docusaurus's `website/`)."""
    for sub in subfolders:
        for name in names:
            candidate = folder / sub / name if sub else folder / name
            if candidate.is_file():
                return candidate
    return None


def read_yaml_settings(path: Path, root: Path, notices: list[str], title: str) -> dict[str, Any]:
    """A YAML configuration's top-level mapping; a file that cannot be read or parsed, or
    is not a mapping, is one notice naming it, and the generator's defaults apply."""
    from kbcheck.site.yaml_data import load_yaml

    text = read_config_text(path, notices, root)
    if text is None:
        return {}
    try:
        data = load_yaml(text)
    except ValueError as error:
        notices.append(f"{shown(path, root)}: not valid YAML ({error}); read with {title} defaults")
        return {}
    if isinstance(data, dict):
        return {str(key): value for key, value in data.items()}
    if data is not None:
        notices.append(f"{shown(path, root)}: expected a mapping of settings; read with defaults")
    return {}


def relative_to_root(folder: Path, root: Path) -> str | None:
    """`folder` as a root-relative folder prefix ("" for the root, "docs/" below it), or None
    when it lies above the root (then nothing under it but the root is seen)."""
    try:
        text = folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return "" if text in ("", ".") else text.rstrip("/") + "/"


def under_root(path_in_site: str, site_folder: Path, root: Path) -> str | None:
    """A path relative to the site's folder, made root-relative (None when it is outside the
    root: a site above the knowledge base)."""
    joined = (site_folder / path_in_site).resolve()
    try:
        text = joined.relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return "" if text == "." else text


def read_config_text(path: Path, notices: list[str], root: Path) -> str | None:
    """A site configuration file's text, or None (with one notice) when it cannot be read."""
    try:
        return read_text_file(path, errors="replace", limit=MAX_CONFIG_BYTES)
    except OSError as error:
        notices.append(f"{_shown(path, root)}: cannot be read ({error.strerror or error})")
        return None


def _override(spec: SiteSpec, settings: SiteSettings, root: Path, notices: list[str]) -> SiteSpec:
    """`[site]` settings over the preset (or over plain files: then a custom site)."""
    changes: dict[str, Any] = {}
    if settings.url is not None:
        changes["url"] = settings.url
        changes["base"] = urlsplit(settings.url).path.rstrip("/")
    if settings.paths is not None:
        changes["paths"] = settings.paths
    if settings.static is not None:
        changes["static"] = settings.static
    if settings.not_articles is not None:
        changes["not_articles"] = settings.not_articles
    if settings.case_sensitive is not None:
        changes["case_sensitive"] = settings.case_sensitive
    if settings.variants is not None:
        changes["variants"] = settings.variants
    if settings.redirects is not None:
        path = settings.base_dir / settings.redirects
        pairs = read_redirects(path, root, notices)
        changes["redirects"] = (*spec.redirects, *pairs)
        changes["inputs"] = (*spec.inputs, str(path))
    if not changes:
        return spec
    # Variants say how content is versioned, not how it is published: alone, no custom site.
    if spec.generator == "none" and changes.keys() != {"variants"}:
        changes.setdefault("generator", "custom")
        changes.setdefault("source", "[site]")
        changes.setdefault("page_urls", "pretty")
    return replace(spec, **changes)


def read_redirects(path: Path, root: Path, notices: list[str]) -> tuple[tuple[str, str], ...]:
    """A redirects file of the generic model: CSV (`old,new` rows), JSON (an object, or a list
    of pairs) or YAML (a mapping). A bad file is one notice, and no redirects."""
    text = read_config_text(path, notices, root)
    if text is None:
        return ()
    shown = _shown(path, root)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            rows = [row for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
            pairs = [(row[0].strip(), row[1].strip()) for row in rows if len(row) >= 2]
            if rows and rows[0][0].strip().lower() in ("old", "from", "source"):
                pairs = pairs[1:]
            return tuple(pairs)
        if suffix == ".json":
            data: Any = json.loads(text)
        else:
            from kbcheck.site.yaml_data import load_yaml

            data = load_yaml(text)
    except (ValueError, csv.Error) as error:
        notices.append(f"{shown}: not a redirects file ({error}); no redirects read")
        return ()
    if isinstance(data, dict):
        return tuple((str(old), str(new)) for old, new in data.items() if new is not None)
    if isinstance(data, list):
        return tuple(
            (str(item[0]), str(item[1]))
            for item in data
            if isinstance(item, (list, tuple)) and len(item) == 2
        )
    notices.append(f"{shown}: expected old -> new pairs; no redirects read")
    return ()


def join(folder: str, path: str) -> str:
    """`path` inside the root-relative `folder` prefix, normalised."""
    joined = posixpath.normpath(folder + path) if folder or path else ""
    return "" if joined == "." else joined
