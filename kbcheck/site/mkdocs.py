"""MkDocs: `mkdocs.yml`.

What MkDocs does (mkdocs.org "Configuration" and "Writing your docs"; `mkdocs/structure/
files.py`): every file under `docs_dir` (default `docs`) and the theme's `custom_dir` is
published; a Markdown page `a/b.md` is served at `a/b/` with `use_directory_urls` (the
default) and at `a/b.html` without; `index.md`, or `README.md` when the folder has no
`index.md`, is the folder's page. Links between pages are written as files (`../b.md#part`)
and MkDocs rewrites them to URLs; any other relative link is left to the browser, which
resolves it against the page's URL. `nav` entries name pages relative to `docs_dir`. The
mkdocs-redirects plugin's `redirect_maps` maps old pages (relative to `docs_dir`) to new
pages or URLs. Heading ids are Python-Markdown's toc slugs (anchor style "mkdocs"), and
attr_list gives ids to headings and inline elements. pymdownx.snippets pastes files in
(`--8<--`, relative to its `base_path`), and plugins such as mkdocstrings write headings for
`::: name` directives. `site_dir` (default `site`) is build output.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kbcheck.site.detect import Preset, read_config_text, relative_to_root, under_root
from kbcheck.site.detect import shown as _shown
from kbcheck.site.model import NavEntry, SiteSpec

if TYPE_CHECKING:
    import yaml

_NAMES = ("mkdocs.yml", "mkdocs.yaml")
#: What the built-in themes serve whatever the docs hold: "By default, MkDocs uses the MkDocs
#: favicon" (Writing your docs: Changing the favicon), at `img/favicon.ico`.
_BUILT_IN_THEME_FILES = ("/img/favicon.ico",)


def _marker(folder: Path) -> Path | None:
    for name in _NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def detect(folder: Path) -> Path | None:
    return folder if _marker(folder) is not None else None


def read(folder: Path, root: Path, notices: list[str]) -> SiteSpec:
    from kbcheck.site.yaml_data import compose_yaml, load_yaml

    marker = _marker(folder)
    assert marker is not None
    source = _shown(marker, root)
    text = read_config_text(marker, notices, root)
    config: dict = {}
    node = None
    if text is not None:
        try:
            data = load_yaml(text)
            node = compose_yaml(text)
        except ValueError as error:
            notices.append(f"{source}: not valid YAML ({error}); read with MkDocs defaults")
            data = None
        if isinstance(data, dict):
            config = data
        elif data is not None:
            notices.append(f"{source}: expected a mapping of settings; read with defaults")
    docs_dir = str(config.get("docs_dir") or "docs")
    docs = under_root(docs_dir, folder, root)
    if docs is None:  # the knowledge base is inside docs_dir: its root is the site's root
        docs = ""
    docs_prefix = docs + "/" if docs else ""
    site_url = config.get("site_url") if isinstance(config.get("site_url"), str) else None
    base = _url_path(site_url) if site_url else ""
    site_dir = under_root(str(config.get("site_dir") or "site"), folder, root)
    directory_urls = config.get("use_directory_urls", True) is not False
    theme = config.get("theme")
    theme_name = theme.get("name") if isinstance(theme, dict) else theme
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    overrides = under_root(str(custom_dir), folder, root) if isinstance(custom_dir, str) else None
    snippets = _snippets_base(config, folder, root)
    return SiteSpec(
        generator="mkdocs",
        source=source,
        url=site_url,
        base=base,
        paths=(("/", docs_prefix),),
        content=(f"/{docs_prefix}**",) if docs_prefix else (),
        excluded=(f"/{site_dir}/",) if site_dir else (),
        case_sensitive=True,
        static=(overrides + "/",) if overrides else (),
        provided=_BUILT_IN_THEME_FILES if theme_name in ("mkdocs", "readthedocs", None) else (),
        page_urls="pretty" if directory_urls else "html",
        relative_urls=True,
        anchor_style="mkdocs",
        dialect="mkdocs+snippets" if snippets is not None else "mkdocs",
        include_base=snippets,
        redirects=_redirects(config, docs_prefix),
        nav=_nav(node, docs_prefix, source if relative_to_root(folder, root) is not None else None),
        inputs=(str(marker),),
    )


def _url_path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path.rstrip("/")


def _snippets_base(config: dict, folder: Path, root: Path) -> str | None:
    """Where pymdownx.snippets looks for `--8<--` files (root-relative prefix), when the
    extension is on: its first `base_path`, by default the folder mkdocs runs in."""
    extensions = config.get("markdown_extensions")
    if not isinstance(extensions, list):
        return None
    for entry in extensions:
        options: object = None
        if entry == "pymdownx.snippets":
            options = {}
        elif isinstance(entry, dict) and "pymdownx.snippets" in entry:
            options = entry["pymdownx.snippets"] or {}
        if options is None:
            continue
        base = options.get("base_path", ".") if isinstance(options, dict) else "."
        if isinstance(base, list):
            base = base[0] if base and isinstance(base[0], str) else "."
        found = under_root(str(base), folder, root)
        return "" if not found else found + "/"
    return None


def _redirects(config: dict, docs_prefix: str) -> tuple[tuple[str, str], ...]:
    """mkdocs-redirects: `plugins: [{redirects: {redirect_maps: {old.md: new.md}}}]`."""
    plugins = config.get("plugins")
    entries = plugins if isinstance(plugins, list) else [plugins] if plugins else []
    if isinstance(plugins, dict):
        entries = [plugins]
    pairs = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("redirects"), dict):
            continue
        maps = entry["redirects"].get("redirect_maps")
        if not isinstance(maps, dict):
            continue
        for old, new in maps.items():
            if not isinstance(old, str) or not isinstance(new, str):
                continue
            target = new if "://" in new else docs_prefix + new.lstrip("/")
            pairs.append((docs_prefix + old.lstrip("/"), target))
    return tuple(pairs)


def _nav(node: yaml.Node | None, docs_prefix: str, source: str | None) -> tuple[NavEntry, ...]:
    """Every `nav` entry that names a page, with its line in mkdocs.yml."""
    import yaml

    from kbcheck.site.yaml_data import scalar_items

    if source is None:
        return ()
    nav = dict(scalar_items(node)).get("nav")
    entries: list[NavEntry] = []

    def walk(item: yaml.Node) -> None:
        if isinstance(item, yaml.SequenceNode):
            for child in item.value:
                walk(child)
        elif isinstance(item, yaml.MappingNode):
            for _, value in scalar_items(item):
                walk(value)
        elif isinstance(item, yaml.ScalarNode) and isinstance(item.value, str):
            target = item.value.strip()
            if not target or "://" in target or target.startswith(("/", "#", "mailto:")):
                return
            if not target.lower().endswith((".md", ".markdown")):
                return  # a folder or a URL path: MkDocs reads only pages here
            path = docs_prefix + target.lstrip("./")
            entries.append(NavEntry(source, item.start_mark.line + 1, target, path))

    if nav is not None:
        walk(nav)
    return tuple(entries)


PRESET = Preset(name="mkdocs", title="MkDocs", detect=detect, read=read)
