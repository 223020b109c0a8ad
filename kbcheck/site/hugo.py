"""Hugo: `hugo.toml` (or `.yaml`, `.json`), `config.toml`..., `config/_default/`.

The configuration is read as data (TOML, YAML or JSON); layouts and shortcodes are never run.
What Hugo does, and where it is written (gohugoio/hugo source, gohugoio/hugoDocs pages):

- Configuration (hugoDocs `configuration/introduction.md`, `configuration/all.md`): the root
  file `hugo.*` (or the older `config.*`), merged over `config/_default/*` and
  `config/production/*` (a file named after a top-level key holds that key: `params.toml`,
  `languages.toml`, `permalinks.toml`); keys are case-insensitive. `baseURL` (its path is the
  base), `contentDir` (default `content`), `staticDir` (`static`, one or a list: served at
  the root), `publishDir` (`public`) and `resourceDir` (`resources`) are build output,
  `themesDir` (`themes`) and `node_modules` are not the site's own pages, `assets/` is only
  reached through Hugo Pipes (never served as it is). `module.mounts` with a `content` or
  `static` target replace those folders (`configuration/module.md`: a mount for a component
  drops its default).
- Languages (`content-management/multilingual.md`): `languages.<lang>.contentDir`, or one
  content folder whose files carry the language in their name (`about.de.md`); every
  language but `defaultContentLanguage` is served under `/<lang>/`, the default one too with
  `defaultContentLanguageInSubdir`.
- Page URLs (`content-management/urls.md`, `configuration/permalinks.md`, hugo
  `resources/page/page_paths.go`, `resources/page/permalinks.go`, `common/paths/path.go`):
  `a/b.md` is `/a/b/` (`/a/b.html` with `uglyURLs`, globally or per section), `_index.md`
  is its folder's section page, `index.md` makes the folder a leaf bundle (the page is the
  folder; its other files are served beside it). Front-matter `url` replaces the whole path
  (not sanitised), `slug` the last segment of a regular page, and `permalinks` patterns
  (map form, per section and kind) build it from `:year`, `:month`, `:day`, `:section`,
  `:sections`, `:title`, `:slug`, `:filename`, `:contentbasename`... Every path Hugo makes is
  sanitised (spaces -> `-`, only letters, digits, marks and `._~+-#@%/` kept) and lowercased
  unless `disablePathToLower`; static files keep their case, and the host serves
  case-sensitively. `aliases` are old URLs that redirect to the page (site-relative, or
  relative to the page's folder). `draft`, `headless` and `build.render: never` pages (and
  those below a section whose `cascade` says so) are not published. Taxonomy lists
  (`/tags/`, `/categories/` and a page per term) and every top-level section's list are
  generated; a root-relative `url` in the configuration's `menus` is taken as served (a
  page every page links to, which a build step may import).
- Pages a build script imports into the content folder are not in the repository; the
  `.gitignore` files that keep them out of git name them (`providers.md`, `api/v*.md`), so
  links to them are not reported.
- Links: relative links are resolved by the browser against the page's URL. `ref` and
  `relref` shortcodes name a content file (hugo `hugolib/pagecollections.go`
  `getContentNodeForRef`): a path without a leading `/` relative to the page's folder (the
  bundle's parent for a leaf bundle), else from the content root, and a bare name (no `/`)
  is looked up among all pages by name; a name several pages share is an error that stops
  Hugo's build, so it cannot be in a published site and is not checked. Any other template
  expression in a link is not checkable offline. A link render hook of the site's own
  (`layouts/_markup/render-link.html`) resolves links as page paths (`.GetPage`), and the
  destinations it compares with literally (hugoDocs' `(g)` glossary links) are its own. A
  shortcode of the site's own named `*include*` whose template finds a page with `.GetPage`
  and renders it (`.RenderShortcodes`, `.Content`) pastes that page in: its argument is
  looked up like a `ref`, and the pasted page's headings are ids of the page.
- Heading ids: goldmark's auto ids, `markup.goldmark.parser.autoIDType` (formerly
  `autoHeadingIDType`): "github", "github-ascii" or "blackfriday" (anchor styles "hugo",
  "hugo-ascii", "hugo-blackfriday"), and `{#id}` attributes on headings.
- The host's redirects (`netlify.toml`, `_redirects` in a static folder, `vercel.json`),
  and the literal lines of a home-page template written as `_redirects` (an output format
  with that `baseName`, hugoDocs `configuration/output-formats.md`); a URL whose redirect a
  template computes is not checkable, and when a template computes the sources too, URLs
  the site does not publish are not reported offline (one notice says so).
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from kbcheck.dates import loose_date
from kbcheck.site.detect import Preset, read_config_text, under_root
from kbcheck.site.hosts import HostPattern
from kbcheck.site.model import PageUrls, Rewritten, SiteSpec

_FORMATS = ("toml", "yaml", "yml", "json")
_ROOT_NAMES = tuple(f"{stem}.{ext}" for stem in ("hugo", "config") for ext in _FORMATS)
_CONFIG_DIRS = ("config/_default", "config/production")
#: Keys only a Hugo configuration has: a bare `config.toml` is Hugo's only with one of them
#: (or beside a `content/` or `archetypes/` folder).
_HUGO_KEYS = re.compile(
    r"""^[ \t]*["']?(baseURL|languageCode|defaultContentLanguage|contentDir|publishDir|"""
    r"""disableKinds|enableRobotsTXT|uglyURLs|permalinks)["']?[ \t]*[=:]""",
    re.MULTILINE,
)
_MARKDOWN = (".md", ".markdown", ".mdown")
_ID_TYPES = {"github": "hugo", "github-ascii": "hugo-ascii", "blackfriday": "hugo-blackfriday"}
_DEFAULT_TAXONOMIES = ("tags", "categories")
#: A `ref` or `relref` shortcode as a link destination (spaces may be the parser's NBSP).
_REF = re.compile(r"""^\{\{([<%])-?\s*(ref|relref)\s+(.*?)\s*-?([>%])\}\}(#[^\s]*)?$""", re.DOTALL)
#: A line of a template that is one action and nothing else.
_ACTION_ONLY = re.compile(r"^\s*(\{\{.*?\}\}\s*)+$")
#: Where a redirect leads when a template computes it.
_UNKNOWN = "/\u0000computed"
_ARGUMENT = re.compile(r"""(?:(\w+)\s*=\s*)?("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)""")
_TOKEN = re.compile(r":(\w+)(\[[^\]]*\])?")
_HOOK_NAMES = ("layouts/_markup/render-link.html", "layouts/_default/_markup/render-link.html")
#: A render hook comparing the destination with a literal: `eq $u.String "g"`.
_HOOK_KEYWORD = re.compile(r"""eq\s+[$.][\w.$]*(?:String|Destination|Path)\s+"([^"]+)\"""")
#: Where a site keeps its own shortcodes (newer and older layouts).
_SHORTCODE_FOLDERS = ("layouts/_shortcodes", "layouts/shortcodes")
#: A shortcode that pastes in the page it finds by path: `.GetPage` then `.RenderShortcodes`
#: or `.Content` (hugoDocs' `include`).
_PASTES_PAGE = re.compile(r"GetPage\b.*?\.(?:RenderShortcodes|Content)\b", re.DOTALL)
#: A shortcode call with its name and arguments: `{{% include "path" %}}`.
_SHORTCODE_CALL = re.compile(r"^\{\{([<%])-?\s*([\w/-]+)\s+(.*?)\s*-?([>%])\}\}$", re.DOTALL)


@dataclass(frozen=True)
class _Root:
    """One content folder: its root-relative prefix and the language it holds (None: every
    language, told by the file name)."""

    folder: str
    lang: str | None


@dataclass(frozen=True, eq=False)
class _Layout:
    #: URL paths the host redirects to a place a template computes (not checkable).
    unknown: frozenset[str]
    #: URL globs (lower case, no trailing slash) of pages the build makes, and the same as
    #: root-relative file globs.
    generated: tuple[str, ...]
    generated_files: tuple[str, ...]
    base: str
    #: The host's redirects with placeholders (Netlify `/grpc/*`).
    host_patterns: tuple[HostPattern, ...]
    roots: tuple[_Root, ...]
    #: language -> URL prefix ("" or "/de")
    prefixes: Mapping[str, str]
    default_lang: str
    #: (kind "page"/"section", section ("" for root pages, None for any), pattern)
    permalinks: tuple[tuple[str, str | None, str], ...]
    ugly: bool
    ugly_sections: frozenset[str]
    lower: bool
    remove_accents: bool
    taxonomies: tuple[str, ...]
    #: The site's own link render hook resolves links as page paths.
    hook: bool
    hook_keywords: frozenset[str]
    #: The site's shortcodes that paste in a page found by its content path.
    page_includes: frozenset[str]
    #: Markdown file name without suffix (lowercased) -> root-relative paths.
    names: Mapping[str, tuple[str, ...]]
    #: Markdown file path in lower case -> as spelled.
    spelled: Mapping[str, str]

    def prefix(self, lang: str) -> str:
        return self.prefixes.get(lang, "")


def _marker(folder: Path) -> Path | None:
    for name in _ROOT_NAMES:
        candidate = folder / name
        if candidate.is_file() and (name.startswith("hugo.") or _hugo_like(folder, candidate)):
            return candidate
    for sub in _CONFIG_DIRS[:1]:
        config_dir = folder / sub
        if config_dir.is_dir() and any((config_dir / name).is_file() for name in _ROOT_NAMES):
            return config_dir
    return None


def _hugo_like(folder: Path, config: Path) -> bool:
    """A `config.*` is Hugo's beside Hugo's folders or with a key only Hugo reads."""
    if (folder / "content").is_dir() or (folder / "archetypes").is_dir():
        return True
    try:
        with config.open("rb") as handle:
            head = handle.read(65536).decode("utf-8", "replace")
    except OSError:
        return False
    return _HUGO_KEYS.search(head) is not None


def detect(folder: Path) -> Path | None:
    return folder if _marker(folder) is not None else None


def read(folder: Path, root: Path, notices: list[str]) -> SiteSpec:
    marker = _marker(folder)
    assert marker is not None
    files = _config_files(folder)
    config: dict[str, Any] = {}
    inputs: list[str] = []
    for path, key in files:
        data = _load(path, root, notices)
        inputs.append(str(path))
        if data is None:
            continue
        _merge(config, {key: data} if key else data)
    source = _shown(marker, root)

    def text(key: str, default: str) -> str:
        value = config.get(key)
        return value if isinstance(value, str) and value.strip() else default

    base_url = config.get("baseurl") if isinstance(config.get("baseurl"), str) else None
    url = base_url if base_url and "://" in base_url else None
    base = _url_path(base_url) if base_url else ""

    languages: dict[str, Any] = (
        config["languages"] if isinstance(config.get("languages"), dict) else {}
    )
    default_lang = text("defaultcontentlanguage", "en").lower()
    disabled = {str(item).lower() for item in _as_list(config.get("disablelanguages"))}
    codes = [code for code in languages if code not in disabled] or [default_lang]
    if default_lang not in codes:
        codes.insert(0, default_lang)
    in_subdir = config.get("defaultcontentlanguageinsubdir") is True
    prefixes = tuple(
        (code, "" if code == default_lang and not in_subdir else "/" + code) for code in codes
    )

    mounts = _mounts(config)
    roots: list[_Root] = []
    content_mounts = [
        (src, lang) for src, target, lang in mounts if _component(target) == "content"
    ]
    if content_mounts:
        for src, lang in content_mounts:
            found = under_root(src, folder, root)
            if found is not None:
                roots.append(_Root(_prefix(found), lang))
    else:
        shared = text("contentdir", "content")
        per_lang = False
        for code in codes:
            settings = languages.get(code)
            own = settings.get("contentdir") if isinstance(settings, dict) else None
            if isinstance(own, str) and own.strip():
                per_lang = True
                found = under_root(own, folder, root)
                if found is not None:
                    roots.append(_Root(_prefix(found), code))
        if not per_lang or len(roots) < len(codes):
            found = under_root(shared, folder, root)
            if found is not None and all(r.folder != _prefix(found) for r in roots):
                roots.append(_Root(_prefix(found), None))
    if not roots:
        notices.append(f"{source}: the content folder is not under the checked folder")

    static: list[str] = []
    static_mounts = [src for src, target, _ in mounts if _component(target) == "static"]
    static_names = static_mounts or _as_list(config.get("staticdir")) or ["static"]
    for name in static_names:
        found = under_root(str(name), folder, root)
        if found is not None and (root / found).is_dir():
            static.append(_prefix(found))

    markup = _path(config, "markup", "goldmark", "parser")
    id_type = markup.get("autoidtype") or markup.get("autoheadingidtype") or "github"
    anchor_style = _ID_TYPES.get(str(id_type).lower(), "hugo")
    term_ids = markup.get("autodefinitiontermid") is True

    ugly_setting = config.get("uglyurls")
    ugly = ugly_setting is True
    ugly_sections = (
        frozenset(str(key).lower() for key, value in (ugly_setting or {}).items() if value is True)
        if isinstance(ugly_setting, dict)
        else frozenset()
    )

    taxonomies = _taxonomies(config)
    hook_text, hook_file = _hook(folder, root, notices)
    if hook_file is not None:
        inputs.append(hook_file)
    page_includes, shortcode_files = _page_includes(folder, root, notices)
    inputs += shortcode_files
    walked = _walk(root, roots)
    inputs.extend(walked.read)
    from kbcheck.site.hosts import host_redirects

    host = host_redirects((folder, root), (root / item for item in static), root, notices)
    inputs += host.files
    pairs, patterns, templates, unlisted = _redirect_templates(config, folder, root, notices)
    inputs += templates
    unknown = frozenset(old for old, new in pairs if new == _UNKNOWN)
    pairs = [(old, new) for old, new in pairs if new != _UNKNOWN]
    generated = tuple(
        dict.fromkeys(
            prefix + glob
            for glob in walked.generated
            for prefix in sorted(set(dict(prefixes).values()))
        )
    )
    layout = _Layout(
        unknown=unknown,
        generated=generated,
        generated_files=tuple(walked.generated_files),
        base=base,
        host_patterns=(*host.patterns, *patterns),
        roots=tuple(roots),
        prefixes=dict(prefixes),
        default_lang=default_lang,
        permalinks=_permalinks(config.get("permalinks"), source, notices),
        ugly=ugly,
        ugly_sections=ugly_sections,
        lower=config.get("disablepathtolower") is not True,
        remove_accents=config.get("removepathaccents") is True,
        taxonomies=taxonomies,
        hook=hook_text is not None,
        hook_keywords=frozenset(_HOOK_KEYWORD.findall(hook_text or "")),
        page_includes=page_includes,
        names=walked.names,
        spelled={path.lower(): path for paths in walked.names.values() for path in paths},
    )

    provided: list[str] = []
    for _, prefix in prefixes:
        provided += [prefix + "/", prefix + "/index.xml", prefix + "/sitemap.xml"]
        provided += [f"{prefix}/{plural}/" for plural in taxonomies]
        provided += [
            f"{prefix}/{_clean_segment(section, layout)}/" for section in sorted(walked.sections)
        ]
    provided += ["/sitemap.xml", "/robots.txt", "/404.html", *_menu_urls(config)]

    paths = tuple(
        (layout.prefix(item.lang or default_lang) + "/", item.folder) for item in roots
    ) or (("/", ""),)
    excluded = [
        f"/{found}/"
        for key, default in (("publishdir", "public"), ("resourcedir", "resources"))
        if (found := under_root(text(key, default), folder, root))
    ]
    themes = under_root(text("themesdir", "themes"), folder, root)
    if themes:
        excluded.append(f"/{themes}/")
    excluded.append("node_modules/")
    return SiteSpec(
        generator="hugo",
        source=source,
        url=url.rstrip("/") + "/" if url else None,
        base=base,
        paths=paths,
        static=tuple(static),
        provided=tuple(dict.fromkeys(provided)),
        redirects=(*host.exact, *pairs),
        unlisted_redirects=unlisted,
        not_articles=tuple(f"/{folder}**" for folder in walked.unpublished),
        content=tuple(f"/{item.folder}**" for item in roots if item.folder),
        excluded=tuple(excluded),
        suffixes=_MARKDOWN,
        # a link render hook finds pages with `.GetPage`, which ignores case
        case_sensitive=not layout.hook,
        page_urls="html" if ugly else "pretty",
        relative_urls=True,
        anchor_style=anchor_style,
        link_style="pretty" if layout.hook else None,
        templates="hugo",
        dialect="hugo-terms" if term_ids else None,
        inputs=tuple(inputs),
        pages=partial(_page_urls, layout),
        rewrite=partial(_rewrite, layout),
    )


# --- configuration -----------------------------------------------------------------------------


def _config_files(folder: Path) -> list[tuple[Path, str]]:
    """The configuration files in the order they are merged, each with the top-level key it
    holds ("" for a whole configuration)."""
    found: list[tuple[Path, str]] = []
    for sub in _CONFIG_DIRS:
        config_dir = folder / sub
        if not config_dir.is_dir():
            continue
        try:
            names = sorted(entry.name for entry in config_dir.iterdir() if entry.is_file())
        except OSError:
            continue
        for name in names:
            stem, _, ext = name.rpartition(".")
            if ext.lower() not in _FORMATS or "." in stem or not stem:
                continue  # `menus.en.toml` and other per-language files are not read
            found.append((config_dir / name, "" if stem in ("hugo", "config") else stem.lower()))
    for name in _ROOT_NAMES:
        if (folder / name).is_file():
            found.append((folder / name, ""))
            break
    return found


def _load(path: Path, root: Path, notices: list[str]) -> dict[str, Any] | None:
    from kbcheck.site.yaml_data import load_json, load_toml, load_yaml

    text = read_config_text(path, notices, root)
    if text is None:
        return None
    suffix = path.suffix.lower()
    kind = {".toml": "TOML", ".json": "JSON"}.get(suffix, "YAML")
    try:
        if kind == "TOML":
            data: Any = load_toml(text)
        elif kind == "JSON":
            data = load_json(text)
        else:
            data = load_yaml(text)
    except (ValueError, RecursionError) as error:
        notices.append(f"{_shown(path, root)}: not valid {kind} ({error}); read with Hugo defaults")
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        notices.append(f"{_shown(path, root)}: expected a mapping of settings; not read")
        return None
    return _lower_keys(data)


def _lower_keys(value: Any, depth: int = 0) -> Any:
    """Hugo's configuration keys are case-insensitive: every key in lower case."""
    if depth > 32:
        return None
    if isinstance(value, dict):
        return {str(key).lower(): _lower_keys(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower_keys(item, depth + 1) for item in value]
    return value


def _merge(into: dict[str, Any], other: Mapping[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _path(config: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    node: Any = config
    for key in keys:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else {}


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return [value] if isinstance(value, str) and value.strip() else []


def _mounts(config: Mapping[str, Any]) -> list[tuple[str, str, str | None]]:
    """`module.mounts`: (source, target, language or None)."""
    found = []
    for mount in _path(config, "module").get("mounts") or []:
        if not isinstance(mount, dict):
            continue
        source, target = mount.get("source"), mount.get("target")
        if not isinstance(source, str) or not isinstance(target, str):
            continue
        lang = mount.get("lang")
        languages = _path(mount, "sites", "matrix").get("languages")
        if not isinstance(lang, str) and isinstance(languages, list) and len(languages) == 1:
            lang = languages[0]
        found.append((source, target, str(lang).lower() if isinstance(lang, str) else None))
    return found


def _component(target: str) -> str:
    return target.strip("/").split("/")[0].lower()


def _taxonomies(config: Mapping[str, Any]) -> tuple[str, ...]:
    kinds = {str(kind).lower() for kind in _as_list(config.get("disablekinds"))}
    if "taxonomy" in kinds and "term" in kinds:
        return ()
    configured = config.get("taxonomies")
    if isinstance(configured, dict):
        return tuple(str(plural) for plural in configured.values() if isinstance(plural, str))
    return _DEFAULT_TAXONOMIES


def _permalinks(
    value: Any, source: str, notices: list[str]
) -> tuple[tuple[str, str | None, str], ...]:
    """The map form of `permalinks`: `section = pattern` (regular pages), or per kind
    `page.section = pattern`, `section.section = pattern`; the array form's entries without
    a target. A pattern per section key: "/" or "" is the root's pages."""
    found: list[tuple[str, str | None, str]] = []
    if isinstance(value, dict):
        for key, pattern in value.items():
            if isinstance(pattern, str):
                found.append(("page", key.strip(" /"), pattern))
            elif isinstance(pattern, dict) and key in ("page", "section"):
                for section, inner in pattern.items():
                    if isinstance(inner, str):
                        found.append((key, section.strip(" /"), inner))
    elif isinstance(value, list):
        skipped = 0
        for entry in value:
            if isinstance(entry, dict) and isinstance(entry.get("pattern"), str):
                if entry.get("target") is None:
                    found.append(("page", None, entry["pattern"]))
                else:
                    skipped += 1
        if skipped:
            notices.append(
                f"{source}: {skipped} permalinks entries with a target are not read; "
                "those pages are read at their default URLs"
            )
    return tuple(found)


def _menu_urls(config: Mapping[str, Any]) -> list[str]:
    """The site's own URLs its menus name (`menus.main: [{url: /support}]`): served, as
    every page links to them, though a build step may be what makes them."""
    found = []
    for key in ("menus", "menu"):
        menus = config.get(key)
        for entries in menus.values() if isinstance(menus, dict) else ():
            for entry in entries if isinstance(entries, list) else ():
                url = entry.get("url") if isinstance(entry, dict) else None
                if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
                    found.append(url.partition("#")[0].partition("?")[0] or "/")
    return found


def _hook(folder: Path, root: Path, notices: list[str]) -> tuple[str | None, str | None]:
    """The text of the site's own link render hook, read as data."""
    for name in _HOOK_NAMES:
        path = folder / name
        if path.is_file():
            text = read_config_text(path, notices, root)
            return (text or ""), str(path)
    return None, None


def _page_includes(
    folder: Path, root: Path, notices: list[str]
) -> tuple[frozenset[str], list[str]]:
    """The names of the site's own shortcodes that paste in a content page (read as data:
    a template that finds a page with `.GetPage` and renders it), and the files read."""
    names: set[str] = set()
    read: list[str] = []
    for where in _SHORTCODE_FOLDERS:
        shortcodes = folder / where
        if not shortcodes.is_dir():
            continue
        for path in sorted(shortcodes.glob("*include*.html")):
            text = read_config_text(path, notices, root)
            read.append(str(path))
            if text and _PASTES_PAGE.search(text):
                names.add(path.name.removesuffix(".html"))
    return frozenset(names), read


@dataclass
class _Walked:
    names: dict[str, tuple[str, ...]]
    sections: set[str]
    unpublished: list[str]
    read: list[str]
    #: URL globs of the pages the build makes (Markdown files git ignores in the content).
    generated: list[str]
    #: The same as root-relative file globs.
    generated_files: list[str]


def _walk(root: Path, roots: list[_Root]) -> _Walked:
    """One walk of the content folders: pages by name (for `ref "name"`), the top-level
    sections (generated list pages) and the branches a `cascade` keeps from being built."""
    names: dict[str, list[str]] = {}
    sections: set[str] = set()
    unpublished: list[str] = []
    read: list[str] = []
    generated: list[str] = []
    generated_files: list[str] = []
    top_ignore = _ignored(root / ".gitignore")
    if top_ignore:
        read.append(str(root / ".gitignore"))
    for item in roots:
        for pattern in top_ignore:
            if item.folder and pattern.lstrip("/").startswith(item.folder):
                generated.append(_url_glob(pattern.lstrip("/")[len(item.folder) :]))
                generated_files.append(pattern.lstrip("/"))
        top = root / item.folder if item.folder else root
        for current, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
            relative = Path(current).relative_to(root).as_posix()
            prefix = "" if relative == "." else relative + "/"
            inside = prefix[len(item.folder) :]
            if ".gitignore" in files:
                read.append(str(Path(current) / ".gitignore"))
                for pattern in _ignored(Path(current) / ".gitignore"):
                    generated.append(_url_glob(inside + pattern.lstrip("/")))
                    generated_files.append(prefix + pattern.lstrip("/"))
            for name in files:
                stem, suffix = posixpath.splitext(name)
                if suffix.lower() not in _MARKDOWN:
                    continue
                if inside:  # every top-level folder with pages is a section
                    sections.add(inside.split("/")[0])
                # Hugo's page index knows a bundle or a section by its folder's name
                key = stem.partition(".")[0]
                if key in ("_index", "index"):
                    key = posixpath.basename(inside.rstrip("/"))
                if key:
                    names.setdefault(key.lower(), []).append(prefix + name)
                if stem.partition(".")[0] == "_index":
                    path = Path(current) / name
                    read.append(str(path))
                    if _cascade_unpublished(path):
                        unpublished.append(prefix)
    return _Walked(
        {key: tuple(value) for key, value in names.items()},
        sections,
        unpublished,
        read,
        generated,
        generated_files,
    )


def _ignored(path: Path) -> list[str]:
    """The patterns of a `.gitignore` that name Markdown pages (`providers.md`,
    `api/v*.md`, `flux*`): files a build script puts into the content folder."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    found = []
    for line in text.splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith(("#", "!")) or pattern.endswith("/"):
            continue
        last = pattern.rsplit("/", 1)[-1]
        if last.lower().endswith(_MARKDOWN) or ("*" in last and "." not in last):
            found.append(pattern)
    return found


def _url_glob(inside: str) -> str:
    """A content-path glob as a glob over URL keys (`a/b.md` -> `/a/b`)."""
    stem, suffix = posixpath.splitext(inside)
    if suffix.lower() in _MARKDOWN:
        inside = stem
    if posixpath.basename(inside) in ("_index", "index"):
        inside = posixpath.dirname(inside)
    return "/" + inside.strip("/").lower()


def _cascade_unpublished(path: Path) -> bool:
    """Whether a section page's `cascade` stops its pages from being built
    (`build: {render: never}`, or `headless`)."""
    meta = _front_matter(path)
    cascade = meta.get("cascade")
    entries = cascade if isinstance(cascade, list) else [cascade]
    return any(isinstance(entry, dict) and _unpublished(entry) for entry in entries)


def _front_matter(path: Path) -> dict[str, Any]:
    """A section page's front matter, read as data (YAML, TOML or JSON); {} when unreadable."""
    from kbcheck.site.yaml_data import load_json, load_toml, load_yaml

    try:
        with path.open("rb") as handle:
            text = handle.read(65536).decode("utf-8", "replace")
    except OSError:
        return {}
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines:
        return {}
    fence = lines[0].rstrip()
    try:
        if fence in ("---", "+++"):
            end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == fence), None)
            if end is None:
                return {}
            block = "\n".join(lines[1:end])
            data = load_toml(block) if fence == "+++" else load_yaml(block)
        elif fence == "{":
            end = next((i for i in range(len(lines)) if lines[i].rstrip() == "}"), None)
            if end is None:
                return {}
            data = load_json("\n".join(lines[: end + 1]))
        else:
            return {}
    except (ValueError, RecursionError):
        return {}
    return _lower_keys(data) if isinstance(data, dict) else {}


def _unpublished(meta: Mapping[str, Any]) -> bool:
    """`build.render: never` (or the older `false`), `_build`, or `headless: true`."""
    if meta.get("headless") is True:
        return True
    for key in ("build", "_build"):
        build = meta.get(key)
        if isinstance(build, Mapping):
            render = build.get("render")
            if render is False or (isinstance(render, str) and render.lower() == "never"):
                return True
    return False


# --- page URLs ---------------------------------------------------------------------------------


def _page_urls(
    layout: _Layout, spec: SiteSpec, path: str, meta: Mapping[str, Any], default: str
) -> PageUrls | None:
    del spec, default
    found = _root_of(layout, path)
    if found is None:
        return None
    item, inside = found
    folder, name = posixpath.split(inside)
    stem = posixpath.splitext(name)[0]
    lang = item.lang or layout.default_lang
    base_name, dot, code = stem.rpartition(".")
    if dot and code.lower() in layout.prefixes:
        stem = base_name
        if item.lang is None:
            lang = code.lower()
    meta = {str(key).lower(): value for key, value in meta.items()}
    if meta.get("draft") is True or _unpublished(meta):
        return PageUrls(())
    prefix = layout.prefix(lang)
    dirs = [part for part in folder.split("/") if part]
    if stem == "_index" or (stem == "index" and not dirs):
        kind, sections, own = "section", dirs, None
    elif stem == "index" and dirs:
        kind, sections, own = "page", dirs[:-1], dirs[-1]
    else:
        kind, sections, own = "page", dirs, stem
    url = _front_matter_url(meta.get("url"), prefix)
    if url is None:
        pattern = _pattern_for(layout, kind, sections)
        expanded = _expand(pattern, layout, meta, sections, own, stem) if pattern else None
        if expanded is not None:
            url = prefix + "/" + _clean(expanded.strip("/"), layout)
            url = url.rstrip("/") + ("/" if not _has_extension(url) else "")
        elif kind == "section":
            url = prefix + "/" + _clean("/".join(sections), layout)
            url = url.rstrip("/") + "/"
        else:
            slug = meta.get("slug")
            last = str(slug) if isinstance(slug, (str, int)) and str(slug).strip() else own
            url = prefix + "/" + _clean("/".join([*sections, str(last)]), layout)
            ugly = layout.ugly or bool(sections and sections[0].lower() in layout.ugly_sections)
            url = url + (".html" if ugly else "/")
    urls = [url]
    for plural in layout.taxonomies:
        for term in _as_terms(meta.get(plural.lower())):
            urls.append(f"{prefix}/{plural}/{_clean(term, layout)}/")
    if layout.hook:
        # a render hook finds a page by its path in the content folder (`.GetPage`)
        logical = "/".join([*sections, *([own] if own else [])])
        urls.append(prefix + "/" + logical.lower() + ("/" if logical else ""))
    aliases = tuple(_alias(alias, url, prefix) for alias in _as_terms(meta.get("aliases")))
    return PageUrls(tuple(dict.fromkeys(urls)), aliases)


def _root_of(layout: _Layout, path: str) -> tuple[_Root, str] | None:
    best: tuple[_Root, str] | None = None
    for item in layout.roots:
        if path.startswith(item.folder) and (
            best is None or len(item.folder) > len(best[0].folder)
        ):
            best = (item, path[len(item.folder) :])
    return best


def _front_matter_url(value: Any, prefix: str) -> str | None:
    """Front-matter `url`: the page's path as written (not sanitised); without a leading
    `/` it is under the language's prefix."""
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip().replace("\\:", ":")
    if not url.startswith("/"):
        url = (prefix + "/" if prefix and not url.startswith(prefix[1:] + "/") else "/") + url
    if ".." in url:
        url = posixpath.normpath(url)
    if url.endswith("/") or not _has_extension(url):
        url = url.rstrip("/") + "/"
    return url


def _has_extension(url: str) -> bool:
    return "." in posixpath.basename(url.rstrip("/")) and not url.endswith("/")


def _alias(alias: str, url: str, prefix: str) -> str:
    """An alias as the URL it redirects from: site-relative (under the language's prefix),
    or relative to the page's folder."""
    alias = alias.strip()
    if alias.startswith("/"):
        if prefix and not alias.startswith(prefix + "/"):
            return prefix + alias
        return alias
    folder = posixpath.dirname(url.rstrip("/")) or "/"
    return posixpath.normpath(posixpath.join(folder, alias))


def _as_terms(value: Any) -> list[str]:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [str(value)] if str(value).strip() else []
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, (str, int)) and str(item).strip()]
    return []


def _pattern_for(layout: _Layout, kind: str, sections: list[str]) -> str | None:
    section = sections[0].lower() if sections else ""
    if kind == "section" and not sections:
        return None  # the home page
    for want, key, pattern in layout.permalinks:
        if want == kind and (key is None or key.lower() == section):
            return pattern
    return None


def _expand(
    pattern: str,
    layout: _Layout,
    meta: Mapping[str, Any],
    sections: list[str],
    own: str | None,
    stem: str,
) -> str | None:
    """A permalink pattern with its tokens replaced, or None when it uses one this reading
    cannot know (then the page is read at its default URL)."""
    when = loose_date(meta.get("date"))
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    slug = meta.get("slug") if isinstance(meta.get("slug"), str) else None
    name = own if own is not None else ""
    values: dict[str, str | None] = {
        "year": str(when.year) if when else None,
        "month": f"{when.month:02d}" if when else None,
        "monthname": when.strftime("%B") if when else None,
        "day": f"{when.day:02d}" if when else None,
        "weekday": str((when.weekday() + 1) % 7) if when else None,
        "weekdayname": when.strftime("%A") if when else None,
        "yearday": str(when.timetuple().tm_yday) if when else None,
        "section": sections[0] if sections else "",
        "title": title,
        "slug": slug or title,
        "filename": name,
        "contentbasename": name or (sections[-1] if sections and stem == "_index" else ""),
        "slugorfilename": slug or name,
        "slugorcontentbasename": slug or name,
    }
    failed = False

    def put(match: re.Match[str]) -> str:
        nonlocal failed
        token, cut = match.group(1).lower(), match.group(2)
        if token == "sections":
            return "/".join(_slice(sections, cut))
        value = values.get(token)
        if value is None:
            failed = True
            return ""
        return value

    result = _TOKEN.sub(put, pattern)
    return None if failed else result


def _slice(items: list[str], cut: str | None) -> list[str]:
    """`:sections[1:]`, `[:last]`, `[last]`, `[1:2]`: lenient, as Hugo's toSliceFunc."""
    if not cut:
        return items
    spec = cut[1:-1].strip()
    if spec == "last":
        return items[-1:]
    low, colon, high = spec.partition(":")

    def index(text: str, default: int) -> int:
        text = text.strip()
        if text == "last":
            return len(items) - 1
        return int(text) if text.isdigit() else default

    if not colon:
        at = index(low, 0)
        return items[at : at + 1]
    return items[index(low, 0) : index(high, len(items))]


def _clean(path: str, layout: _Layout) -> str:
    """A path as Hugo makes it (`paths.Sanitize`, `MakePathSanitized`)."""
    path = _sanitize(path)
    if layout.remove_accents:
        decomposed = unicodedata.normalize("NFD", path)
        path = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
        )
    return path.lower() if layout.lower else path


def _clean_segment(segment: str, layout: _Layout) -> str:
    return _clean(segment, layout)


def _allowed(text: str, index: int, char: str) -> bool:
    if char == " ":
        return False
    if char.isascii():
        if char.isalnum() or char in "./\\_#+~-@":
            return True
        if char == "%":
            return bool(re.match(r"[0-9A-Fa-f]{2}", text[index + 1 : index + 3]))
        return False
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd"


def _sanitize(text: str) -> str:
    """Hugo's `paths.Sanitize`: white space runs become one `-` (never leading), and only
    letters, digits, marks and `._~+-#@/\\` (and `%XX` escapes) are kept."""
    target: list[str] = []
    prepend = was_hyphen = False
    for index, char in enumerate(text):
        if _allowed(text, index, char):
            was_hyphen = char == "-"
            if prepend:
                if not was_hyphen:
                    target.append("-")
                prepend = False
            target.append(char)
        elif target and not was_hyphen and char.isspace():
            prepend = True
    return "".join(target)


# --- links -------------------------------------------------------------------------------------


def _rewrite(layout: _Layout, spec: SiteSpec, url: str, article_path: str) -> Rewritten | None:
    """`ref`/`relref` shortcodes to the content file they name; any other template
    expression is not checkable offline; the render hook's own keywords are its own; a URL
    the host redirects by a pattern goes where the pattern sends it."""
    if "{{" not in url and "{%" not in url:
        moved = _host_pattern(layout, spec, url.strip(), article_path)
        if moved is not None:
            return moved
        if not layout.hook:
            return None
        if url.strip() in layout.hook_keywords:
            return Rewritten("skip")
        return _hook_page(layout, url.strip(), article_path)
    written = url.strip().replace("\u00a0", " ")
    pasted = _pasted_page(layout, written, article_path)
    if pasted is not None:
        return pasted
    match = _REF.match(written)
    if match is None or {"<": ">", "%": "%"}[match.group(1)] != match.group(4):
        return Rewritten("skip")
    arguments = _ARGUMENT.findall(match.group(3))
    target = None
    for key, value in arguments:
        if key in ("", "path"):
            target = value[1:-1] if value[:1] in ('"', "`") else value
            break
    if target is None:
        return Rewritten("skip")
    path, has_fragment, fragment = target.partition("#")
    if match.group(5):
        has_fragment, fragment = "#", match.group(5)[1:]
    suffix = "#" + fragment if has_fragment else ""
    if not path:
        return Rewritten("file", article_path + suffix)
    candidates = _ref_candidates(layout, path, article_path)
    if not candidates:
        return Rewritten("skip")
    return Rewritten(
        "file", candidates[0] + suffix, tuple(candidate + suffix for candidate in candidates[1:])
    )


def _pasted_page(layout: _Layout, written: str, article_path: str) -> Rewritten | None:
    """A call of one of the site's page-pasting shortcodes (`{{% include "path" %}}`) as the
    content file it pastes in; None for any other text."""
    call = _SHORTCODE_CALL.match(written)
    if call is None or call.group(2) not in layout.page_includes:
        return None
    arguments = _ARGUMENT.findall(call.group(3))
    if not arguments or arguments[0][0]:
        return Rewritten("skip")
    value = arguments[0][1]
    quoted = value[:1] in ('"', "`")
    target = value[1:-1] if quoted else value
    if not quoted and not re.fullmatch(r"[\w./-]+", target):
        return Rewritten("skip")  # a template expression: `(printf ...)`, `$path`
    candidates = _ref_candidates(layout, target, article_path, by_name=False)
    if not candidates or "{{" in target:
        return Rewritten("skip")
    return Rewritten("file", candidates[0], tuple(candidates[1:]))


def _host_pattern(layout: _Layout, spec: SiteSpec, url: str, article_path: str) -> Rewritten | None:
    """Where one of the host's placeholder redirects sends a URL of the site; "skip" for a
    URL it sends where a template decides, or for a page the build imports."""
    if not layout.host_patterns and not layout.unknown and not layout.generated:
        return None
    written = url
    if "://" in written:
        if not spec.url or written.split("://", 1)[1].split("/")[0].lower() != (
            spec.url.split("://", 1)[1].split("/")[0].lower()
        ):
            return None
        written = "/" + written.split("://", 1)[1].partition("/")[2]
    if written.startswith("//") or ":" in written.partition("/")[0]:
        return None
    if not written.startswith("/"):
        return _generated_file(layout, written, article_path)
    before, hash_mark, fragment = written.partition("#")
    path = before.partition("?")[0]
    if layout.base and path.startswith(layout.base + "/"):
        path = path[len(layout.base) :]
    if path in layout.unknown or path.rstrip("/") in layout.unknown:
        return Rewritten("skip")
    if layout.generated:
        key = re.sub("/{2,}", "/", path.lower()).removesuffix("/index.html").removesuffix(".html")
        key = key.removesuffix(".md").rstrip("/")
        if any(fnmatch.fnmatchcase(key, glob) for glob in layout.generated):
            return Rewritten("skip")  # a page the build imports: not in the repository
    moved = path
    for _ in range(5):  # the browser follows a chain of redirects (`/current/*` -> `/next/*`)
        destination = next(
            (
                found
                for pattern in layout.host_patterns
                if (found := pattern.apply(moved)) is not None and found != moved
            ),
            None,
        )
        if destination is None:
            break
        if destination.startswith(_UNKNOWN):
            return Rewritten("skip")
        moved = destination
        if not moved.startswith("/"):
            break
    if moved == path:
        return None
    return Rewritten("url", moved + hash_mark + fragment)


def _generated_file(layout: _Layout, written: str, article_path: str) -> Rewritten | None:
    """A relative link to a page the build imports (`../source/gitrepositories.md`)."""
    path = written.partition("#")[0].partition("?")[0]
    if not layout.generated_files or not path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(article_path), path))
    return Rewritten("skip") if _is_generated(layout, joined) else None


def _is_generated(layout: _Layout, path: str) -> bool:
    """Whether a root-relative file (with or without its `.md`) is one the build makes."""
    forms = (path,) if path.lower().endswith(_MARKDOWN) else (path, path.rstrip("/") + ".md")
    return any(fnmatch.fnmatchcase(form, glob) for form in forms for glob in layout.generated_files)


def _redirect_templates(
    config: Mapping[str, Any], folder: Path, root: Path, notices: list[str]
) -> tuple[list[tuple[str, str]], list[HostPattern], list[str], bool]:
    """The literal lines of a home-page template Hugo writes as Netlify's `_redirects`
    (an output format whose `baseName` is `_redirects`); lines holding template actions
    are not read."""
    from kbcheck.site.hosts import netlify_lines

    formats = config.get("outputformats")
    names = [
        str(name)
        for name, options in (formats.items() if isinstance(formats, dict) else ())
        if isinstance(options, dict) and options.get("basename") == "_redirects"
    ]
    pairs: list[tuple[str, str]] = []
    patterns: list[HostPattern] = []
    read: list[str] = []
    computed: list[str] = []
    layouts = folder / "layouts"
    for name in names:
        for sub in ("", "_default/"):
            for kind in ("index", "home"):
                for path in sorted(layouts.glob(f"{sub}{kind}.{name}*")):
                    text = read_config_text(path, notices, root) if path.is_file() else None
                    if text is None:
                        continue
                    read.append(str(path))
                    lines = []
                    for number, line in enumerate(text.splitlines(), start=1):
                        fields = line.split("#", 1)[0].split()
                        if "{{" not in line and "}}" not in line:
                            lines.append(line)
                        elif len(fields) >= 2 and "{{" not in fields[0] and "}}" not in fields[0]:
                            # a literal source whose destination a template computes
                            lines.append(f"{fields[0]} {_UNKNOWN}")
                        elif fields and fields[0].startswith("{{") and _ACTION_ONLY.match(line):
                            continue  # an action alone on its line (`{{ range }}`, `{{ end }}`)
                        elif fields and fields[0].startswith("{{"):
                            computed.append(f"{_shown(path, root)}:{number}")
                    netlify_lines("\n".join(lines), pairs, patterns)
    if computed:
        notices.append(
            f"{computed[0]}: the host's redirects are partly computed by the template "
            "(not run); links to URLs the site does not publish are not reported offline"
        )
    return pairs, patterns, read, bool(computed)


def _hook_page(layout: _Layout, url: str, article_path: str) -> Rewritten | None:
    """A relative link a render hook looks up as a page first (`.GetPage`: from the page's
    folder, then from the content root); a link with another extension is a resource."""
    path, has_fragment, fragment = url.partition("#")
    path = path.partition("?")[0]
    if not path or ":" in path or path.startswith(("/", "//")):
        return None
    suffix = posixpath.splitext(path.rstrip("/"))[1].lower()
    if suffix and suffix not in _MARKDOWN:
        return None
    candidates = _ref_candidates(layout, path, article_path, by_name=False)
    if not candidates:
        return None
    if layout.generated_files and any(_is_generated(layout, item) for item in candidates):
        return Rewritten("skip")  # a page the build imports
    end = "#" + fragment if has_fragment else ""
    return Rewritten("page", candidates[0] + end, tuple(item + end for item in candidates[1:]))


def _ref_candidates(
    layout: _Layout, ref: str, article_path: str, by_name: bool = True
) -> list[str]:
    """The content files a `ref` may name, in Hugo's order (see the module docstring)."""
    found = _root_of(layout, article_path)
    folder = found[0].folder if found else ""
    inside = found[1] if found else article_path
    ref = ref.strip().rstrip("/")
    stem, suffix = posixpath.splitext(ref)
    has_extension = suffix.lower() in _MARKDOWN
    bare = stem if has_extension else ref
    candidates: list[str] = []
    if not ref.startswith("/"):
        page_dir, name = posixpath.split(inside)
        page_stem = posixpath.splitext(name)[0].partition(".")[0]
        if page_stem == "index" and not (has_extension and ref.startswith("../")):
            page_dir = posixpath.dirname(page_dir)  # a leaf bundle: its parent folder
        joined = posixpath.normpath(posixpath.join(page_dir, bare))
        if not joined.startswith(".."):
            candidates += _file_forms(folder, "" if joined == "." else joined, suffix)
        if ref.startswith("."):
            return candidates
    candidates += _file_forms(folder, bare.lstrip("/"), suffix)
    if by_name and "/" not in ref:
        # a bare name: the one page of that name; a name several pages share is Hugo's
        # "ambiguous" error, so it adds no candidate
        named = layout.names.get(posixpath.basename(bare).lower(), ())
        if len(named) == 1:
            candidates.append(named[0])
    # Hugo finds pages by their lowercased path: the files as they are spelled
    spelled = layout.spelled
    return list(
        dict.fromkeys(
            spelled.get(candidate.lower(), candidate) for candidate in candidates if candidate
        )
    )


def _file_forms(folder: str, bare: str, suffix: str) -> list[str]:
    """The files a content path names: the page itself, or its folder's bundle (whose path
    `a/index` is the page `a`, as Hugo names it)."""
    base = folder + bare if bare else folder.rstrip("/")
    forms = []
    if posixpath.basename(bare) in ("index", "_index"):
        parent = posixpath.dirname(bare)
        forms += _file_forms(folder, parent, "") if parent else ["_index.md", "index.md"]
    if suffix.lower() in _MARKDOWN:
        forms.append(base + suffix)
    elif bare:
        forms += [base + ".md", base + ".markdown"]
    forms += [f"{base}/_index.md", f"{base}/index.md"] if base else ["_index.md", "index.md"]
    return forms


# --- helpers -----------------------------------------------------------------------------------


def _prefix(found: str | None) -> str:
    return "" if not found else found.rstrip("/") + "/"


def _url_path(url: str) -> str:
    from urllib.parse import urlsplit

    path = urlsplit(url).path if "://" in url else "/" + url.strip("/")
    return path.rstrip("/")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


PRESET = Preset(name="hugo", title="Hugo", detect=detect, read=read)
