"""docfx / Microsoft Learn: `docfx.json` and the `.openpublishing.*` files of a docs repository.

What docfx and the Learn publishing pipeline do, and where each rule comes from:

- A repository publishes one or more *docsets*: `.openpublishing.publish.config.json`
  `docsets_to_publish[].build_source_folder` is the folder of each docset's `docfx.json`
  (a repository with no publishing config is one docfx project, its `docfx.json`).
- `docfx.json` `build.content` entries are file mappings: `files` globs and
  `exclude` globs relative to `src` (relative to docfx.json), published under `dest`
  ("Config Reference", dotnet.github.io/docfx: "All relative paths specified in config
  file are relative to the location of docfx.json"). Globs are docfx's: `**` spans
  folders, `{a,b}` alternatives. Markdown files no mapping takes (READMEs, `includes/**`,
  which MicrosoftDocs repositories exclude) are not articles, but still link targets.
- Learn serves a page without its extension, `index.md` (or `index.yml`) as its folder,
  and YAML pages (`index.yml` landing pages, FAQ `.yml`) as pages; links between files are
  written as relative `.md` paths, which docfx rewrites. Any letter case is served.
- The base URL path of a docset is set in the publishing portal, not in the repository.
  It is read from `globalMetadata.breadcrumb_path`, the published URL of the docset's own
  breadcrumb `toc.yml` (`/outlook/troubleshoot/breadcrumb/toc.json` for
  `Hub/breadcrumb/toc.yml` mapped to `.`: the base is `/outlook/troubleshoot`). Failing
  that, from the redirects: each `redirect_url` whose tail is a page of the docset votes
  for the path before that tail. With neither, the docset's URL is unknown: its
  root-relative links are left unchecked (another docset's, as far as kbcheck can tell).
  A root-relative link outside every known base (`/powershell/...`, `/azure/...`) is
  another docset of learn.microsoft.com: never reported offline.
- `~/path` is relative to the folder of docfx.json ("Links and Cross References":
  "reference a local file using absolute path relative to docfx.json with the ~/
  syntax"); `xref:uid` links resolve through cross-reference maps, not checkable
  offline; a leading locale (`/en-us/...`) is dropped, as Learn does.
- `[!INCLUDE [title](path)]` pastes a file into the page, and `:::image source="..."
  lightbox="..." link="...":::` (docfx `TripleColon/ImageExtension.cs`) shows an image:
  the "docfx" Markdown dialect reads both. `#tab/...` fragments select a tab of a tabbed
  group, not a heading. Heading ids are markdig's AutoIdentifier with docfx's GitHub
  option (anchor style "markdig").
- Redirects: `.openpublishing.redirection*.json` at the repository's top, and the files
  the publishing config lists in `redirection_files`: `redirections[]` with `source_path`
  (the deleted file, relative to the redirection file's folder) or `source_path_from_root`
  (from the repository's top), and `redirect_url` (a URL, usually root-relative).
- `toc.yml` entries (`href`, `topicHref`) name pages relative to the toc file; hrefs to
  folders, other tocs, URLs and `uid`s are not pages.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from kbcheck.site.detect import Preset, read_config_text, relative_to_root, under_root
from kbcheck.site.detect import shown as _shown
from kbcheck.site.model import NavEntry, PageUrls, Rewritten, SiteSpec

if TYPE_CHECKING:
    import yaml

_PUBLISH_CONFIG = ".openpublishing.publish.config.json"
_DOCFX = "docfx.json"
#: Learn's locale segment (`/en-us/`, `/zh-tw/`, `/sr-latn-rs/`), which links may carry.
_LOCALE = re.compile(r"^/[a-z]{2}-[a-z]{2,4}(?:-[a-z]{2})?(?=/)", re.IGNORECASE)
_LEARN_HOSTS = ("learn.microsoft.com", "docs.microsoft.com")
#: Folders no docset publishes (docfx's own output and themes).
_EXCLUDED = ("**/_site/", "**/obj/", "/_themes/", "/_themes.pdf/")
#: Files the site pastes into pages rather than publishing (MicrosoftDocs repositories all
#: exclude `**/includes/**` from their content mappings).
_NOT_ARTICLES = ("**/includes/**",)
#: Base paths voted for by fewer redirects than this are not trusted.
_MIN_VOTES = 3
_SKIPPED_FOLDERS = frozenset({".git", "node_modules", "_site", "obj", "_themes", "_themes.pdf"})


class _Mapping:
    """One file mapping of docfx.json: root-relative source folder, URL path under the
    docset's base, globs."""

    __slots__ = ("dest", "exclude", "files", "folder", "group")

    def __init__(
        self, folder: str, dest: str, files: list[str], exclude: list[str], group: str | None
    ):
        self.folder = folder  # root-relative prefix ("" or "a/b/")
        self.dest = dest  # "" or "a/b"
        self.files = files
        self.exclude = exclude
        self.group = group  # `group`: the docs version its files are built as


class _Docset:
    __slots__ = ("base", "breadcrumb", "content", "files", "inherited", "monikers", "project")

    def __init__(self, project: str, content: list[_Mapping]):
        self.project = project  # root-relative prefix of the docfx.json folder
        self.content = content
        #: `build.groups`: group name -> its `moniker_range`.
        self.monikers: dict[str, str] = {}
        #: `globalMetadata` then `fileMetadata` owners and review cycles: (glob, key, value).
        self.inherited: list[tuple[str, str, Any]] = []
        self.breadcrumb: str | None = None
        self.base: str | None = None
        self.files: set[str] = set()  # root-relative, lower case


def detect(folder: Path) -> Path | None:
    if (folder / _PUBLISH_CONFIG).is_file() or (folder / _DOCFX).is_file():
        return folder
    return None


def read(folder: Path, root: Path, notices: list[str]) -> SiteSpec:
    from kbcheck.site.yaml_data import load_json

    inputs: list[str] = []
    publish = folder / _PUBLISH_CONFIG
    projects: list[Path] = []
    redirection_files: list[Path] = []
    source = _shown(publish if publish.is_file() else folder / _DOCFX, root)
    if publish.is_file():
        inputs.append(str(publish))
        config = _load(publish, root, notices, load_json)
        if isinstance(config, dict):
            for docset in _list(config.get("docsets_to_publish")):
                if isinstance(docset, dict) and isinstance(docset.get("build_source_folder"), str):
                    projects.append(folder / docset["build_source_folder"])
            for name in _list(config.get("redirection_files")):
                if isinstance(name, str):
                    redirection_files.append(folder / name)
        elif config is not None:
            notices.append(f"{_shown(publish, root)}: expected an object; read as one docset")
    if not projects and (folder / _DOCFX).is_file():
        projects.append(folder)
    redirection_files.extend(sorted(folder.glob(".openpublishing.redirection*.json")))

    docsets: list[_Docset] = []
    for project in dict.fromkeys(path.resolve() for path in projects):
        marker = project / _DOCFX
        if not marker.is_file():
            continue
        inputs.append(str(marker))
        docset = _read_docfx(marker, root, notices, load_json)
        if docset is not None:
            docsets.append(docset)

    redirects, targets = _redirects(dict.fromkeys(redirection_files), folder, root, notices)
    inputs.extend(str(path) for path in dict.fromkeys(redirection_files) if path.is_file())
    tocs = _walk(docsets, root)
    for docset in docsets:
        docset.base = _base(docset, root, targets)
    nav: list[NavEntry] = []
    for toc in tocs:
        inputs.append(str(root / toc))
        nav.extend(_toc_entries(root, toc, docsets, notices))

    paths: list[tuple[str, str]] = []
    provided: list[str] = []
    content: list[str] = []
    for docset in docsets:
        for mapping in docset.content:
            content.extend(_content_globs(mapping))
        if docset.base is None:
            continue  # published at a URL the repository does not say
        for mapping in docset.content:
            prefix = _join_url(docset.base, mapping.dest)
            if any(_is_glob(glob) for glob in mapping.files):
                paths.append((prefix, mapping.folder))
                continue
            # A mapping of named files (`index.yml`, `bread/toc.yml`) publishes those
            # files only, not its whole folder.
            for name in mapping.files:
                page = posixpath.splitext(name.strip().lstrip("/"))[0]
                if posixpath.basename(page).lower() == "index":
                    page = posixpath.dirname(page) + "/" if "/" in page else ""
                provided.append(prefix.rstrip("/") + "/" + page)
    project_folders = tuple(sorted({docset.project for docset in docsets}, key=len, reverse=True))
    variants = [
        mapping.folder
        for docset in docsets
        for mapping in docset.content
        if mapping.folder and _one_version(docset.monikers.get(mapping.group or ""))
    ]
    return SiteSpec(
        generator="docfx",
        source=source,
        paths=tuple(dict.fromkeys(paths)),
        provided=tuple(dict.fromkeys(provided)),
        content=tuple(content) if content else (),
        not_articles=_NOT_ARTICLES,
        excluded=_EXCLUDED,
        page_suffixes=(".yml",),
        case_sensitive=False,
        shared_prefixes=True,
        page_urls="bare",
        relative_urls=True,
        anchor_style="markdig",
        dialect="docfx",
        redirects=redirects,
        nav=tuple(nav),
        ignore_fragments=("tab/",),
        variants=tuple(dict.fromkeys(variants)),
        inherited=tuple(entry for docset in docsets for entry in docset.inherited),
        pages=_page_urls,
        rewrite=partial(_rewrite, project_folders),
        inputs=tuple(dict.fromkeys(inputs)),
    )


# --- reading the files ---------------------------------------------------------------------


def _load(path: Path, root: Path, notices: list[str], load_json: Any) -> Any:
    text = read_config_text(path, notices, root)
    if text is None:
        return None
    try:
        return load_json(text)
    except ValueError as error:
        notices.append(f"{_shown(path, root)}: not valid JSON ({error}); not read")
        return None


def _read_docfx(marker: Path, root: Path, notices: list[str], load_json: Any) -> _Docset | None:
    data = _load(marker, root, notices, load_json)
    if data is None:
        return None
    build = data.get("build") if isinstance(data, dict) else None
    if not isinstance(build, dict):
        notices.append(f"{_shown(marker, root)}: no `build` section; its files read as plain files")
        return None
    project = relative_to_root(marker.parent, root)
    content = _mappings(build.get("content"), marker.parent, root)
    docset = _Docset(project if project is not None else "", content)
    groups = build.get("groups")
    if isinstance(groups, dict):
        for name, group in groups.items():
            if isinstance(group, dict) and isinstance(group.get("moniker_range"), str):
                docset.monikers[name] = group["moniker_range"].strip()
    metadata = build.get("globalMetadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("breadcrumb_path"), str):
        docset.breadcrumb = metadata["breadcrumb_path"]
    docset.inherited = _inherited(docset.project, metadata, build.get("fileMetadata"))
    return docset


#: The keys a docset may set for its files that kbcheck reads: owners and review cycles.
_INHERITED_KEYS = ("owner", "review_every", "author", "ms.author", "ms.update-cycle")


def _inherited(
    project: str, global_metadata: object, file_metadata: object
) -> list[tuple[str, str, Any]]:
    """Owners and review cycles a docset gives its files: `globalMetadata` for every file,
    then `fileMetadata` (key -> {glob: value}, globs relative to the docfx.json folder), the
    last matching glob winning, as docfx applies them; the article's own front matter wins
    over both."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(global_metadata, dict):
        for key in _INHERITED_KEYS:
            value = _plain(global_metadata.get(key))
            if value is not None:
                found.append((f"/{project}**", key, value))
    if isinstance(file_metadata, dict):
        for key in _INHERITED_KEYS:
            globs = file_metadata.get(key)
            if not isinstance(globs, dict):
                continue
            for glob, value in globs.items():
                plain = _plain(value)
                if isinstance(glob, str) and glob.strip() and plain is not None:
                    found.append((f"/{project}{glob.strip().lstrip('/')}", key, plain))
    return found


def _plain(value: object) -> str | tuple[str, ...] | None:
    """A metadata value kbcheck can read as a name or an interval (text, or a list of text)."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _mappings(value: object, project: Path, root: Path) -> list[_Mapping]:
    """docfx file mappings: a glob, a list of globs, a mapping object or a list of them."""
    items = value if isinstance(value, list) else [value] if value else []
    found = []
    for item in items:
        if isinstance(item, str):
            item = {"files": [item]}
        if not isinstance(item, dict):
            continue
        src = item.get("src", item.get("cwd")) or ""
        dest = item.get("dest") or ""
        if not isinstance(src, str) or not isinstance(dest, str):
            continue
        folder = under_root(src, project, root)
        if folder is None:
            continue  # a folder outside the knowledge base
        files = [glob for glob in _list(item.get("files")) if isinstance(glob, str)]
        exclude = [glob for glob in _list(item.get("exclude")) if isinstance(glob, str)]
        group = item.get("group")
        clean_dest = dest.strip("/")
        found.append(
            _Mapping(
                folder + "/" if folder else "",
                "" if clean_dest == "." else clean_dest,
                files or ["**"],
                exclude,
                group if isinstance(group, str) else None,
            )
        )
    return found


def _one_version(moniker_range: str | None) -> bool:
    """A group built as one moniker (`powershell-7.4`), not a range (`>=powershell-5.1`) or
    a set (`a || b`): its folder is one version of pages that other folders hold too."""
    return bool(moniker_range) and re.fullmatch(r"[\w.-]+", moniker_range or "") is not None


def _is_glob(glob: str) -> bool:
    return any(char in glob for char in "*?{[")


def _list(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value] if value is not None else []


def _content_globs(mapping: _Mapping) -> Iterator[str]:
    """A mapping's globs as the gitignore-style globs of `SiteSpec.content`."""
    for glob in mapping.files:
        for expanded in _braces(glob):
            yield _gitignore(mapping.folder, expanded)
    for glob in mapping.exclude:
        for expanded in _braces(glob):
            yield "!" + _gitignore(mapping.folder, expanded)


def _braces(glob: str) -> list[str]:
    """docfx's `{a,b}` alternatives, expanded."""
    match = re.search(r"\{([^{}]*)\}", glob)
    if match is None:
        return [glob]
    found = []
    for choice in match.group(1).split(","):
        found.extend(_braces(glob[: match.start()] + choice + glob[match.end() :]))
    return found


def _gitignore(folder: str, glob: str) -> str:
    """A docfx glob relative to `folder` as a root-anchored gitignore glob. docfx's `**`
    spans folders wherever it stands (`**.md`), gitignore's only as a whole segment."""
    glob = glob.strip().removeprefix("./").lstrip("/")
    glob = re.sub(r"\*\*(?!/|$)", "**/*", glob)
    return "/" + folder + glob


def _walk(docsets: list[_Docset], root: Path) -> list[str]:
    """Every file of each docset (for the base-path checks) and every toc.yml under a
    content folder, in one walk of each project folder."""
    tocs: list[str] = []
    seen: set[str] = set()
    for docset in docsets:
        start = root / docset.project if docset.project else root
        files: set[str] = set()
        for folder, names, filenames in os.walk(start):
            names[:] = sorted(name for name in names if name not in _SKIPPED_FOLDERS)
            relative = Path(folder).relative_to(root).as_posix()
            prefix = "" if relative == "." else relative + "/"
            for name in filenames:
                path = prefix + name
                files.add(path.lower())
                is_toc = name.lower() == "toc.yml" and path not in seen
                if is_toc and any(path.startswith(m.folder) for m in docset.content):
                    seen.add(path)
                    tocs.append(path)
        docset.files = files
    return sorted(tocs)


# --- the docset's base URL path --------------------------------------------------------------


def _base(docset: _Docset, root: Path, targets: list[str]) -> str | None:
    """The URL path the docset is published under (see the module docstring)."""
    if docset.breadcrumb and docset.breadcrumb.startswith("/"):
        stem = posixpath.splitext(_without_locale(docset.breadcrumb))[0]
        found = _split(docset, stem.strip("/").split("/"), (".yml", ".md"))
        if found is not None:
            return found
    votes: Counter[str] = Counter()
    for url in targets:
        path = _without_locale(url.partition("#")[0].partition("?")[0]).strip("/")
        if path:
            base = _split(docset, path.split("/"), (".md", ".yml", "/index.md", "/index.yml"))
            if base is not None:
                votes[base] += 1
    if votes:
        base, count = votes.most_common(1)[0]
        if count >= _MIN_VOTES and count * 2 > sum(votes.values()):
            return base
    return None


def _split(docset: _Docset, parts: list[str], suffixes: tuple[str, ...]) -> str | None:
    """The base path before the longest tail of `parts` that names a file of the docset
    through one of its content mappings, or None."""
    for start in range(len(parts)):
        tail = "/".join(parts[start:]).lower()
        for mapping in docset.content:
            dest = mapping.dest.lower()
            if dest and not (tail == dest or tail.startswith(dest + "/")):
                continue
            rest = tail[len(dest) :].lstrip("/") if dest else tail
            if not rest and not any(s.startswith("/") for s in suffixes):
                continue
            for suffix in suffixes:
                name = (rest + suffix).lstrip("/")
                if (mapping.folder.lower() + name) in docset.files:
                    return "/" + "/".join(parts[:start]) if start else ""
    return None


def _without_locale(url: str) -> str:
    return _LOCALE.sub("", url, count=1)


def _join_url(base: str, dest: str) -> str:
    return "/" + "/".join(part for part in (base.strip("/"), dest.strip("/")) if part)


# --- redirects -----------------------------------------------------------------------------


def _redirects(
    files: Iterable[Path], folder: Path, root: Path, notices: list[str]
) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    """(old root-relative file, where it goes now) pairs, and every root-relative target."""
    from kbcheck.site.yaml_data import load_json

    pairs: list[tuple[str, str]] = []
    targets: list[str] = []
    for path in files:
        if not path.is_file():
            notices.append(f"{_shown(path, root)}: listed in {_PUBLISH_CONFIG} but missing")
            continue
        data = _load(path, root, notices, load_json)
        if data is None:
            continue
        entries = data.get("redirections") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            notices.append(f"{_shown(path, root)}: no `redirections` list; no redirects read")
            continue
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("redirect_url"), str):
                continue
            new = _redirect_target(entry["redirect_url"].strip())
            if not new:
                continue
            if new.startswith("/"):
                targets.append(new)
            old: str | None = None
            if isinstance(entry.get("source_path_from_root"), str):
                old = under_root(entry["source_path_from_root"].lstrip("/"), folder, root)
            elif isinstance(entry.get("source_path"), str):
                old = under_root(entry["source_path"], path.parent, root)
            if old:
                pairs.append((old, new))
    return tuple(pairs), targets


def _redirect_target(url: str) -> str:
    """A redirect's target as a root-relative URL when it is on Learn, else as written."""
    lowered = url.lower()
    for host in _LEARN_HOSTS:
        for scheme in ("https://", "http://"):
            if lowered.startswith(scheme + host + "/"):
                url = url[len(scheme + host) :]
                break
    return _without_locale(url) if url.startswith("/") else url


# --- toc.yml -------------------------------------------------------------------------------


def _toc_entries(
    root: Path, toc: str, docsets: list[_Docset], notices: list[str]
) -> Iterator[NavEntry]:
    """Each toc.yml entry whose `href` or `topicHref` names a Markdown page."""
    import yaml

    text = read_config_text(root / toc, notices, root)
    if text is None:
        return
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except (yaml.YAMLError, RecursionError) as error:
        notices.append(f"{toc}: not valid YAML ({type(error).__name__}); its entries not read")
        return
    folder = posixpath.dirname(toc)
    project = next(
        (
            d.project
            for d in sorted(docsets, key=lambda d: -len(d.project))
            if toc.startswith(d.project)
        ),
        "",
    )
    stack: list[yaml.Node] = [node] if node is not None else []
    while stack:
        item = stack.pop()
        if isinstance(item, yaml.SequenceNode):
            stack.extend(reversed(item.value))
        elif isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                if key.value in ("href", "topicHref") and isinstance(value, yaml.ScalarNode):
                    path = _toc_page(str(value.value), folder, project)
                    if path is not None:
                        yield NavEntry(toc, value.start_mark.line + 1, str(value.value), path)
                elif isinstance(value, (yaml.SequenceNode, yaml.MappingNode)):
                    stack.append(value)


def _toc_page(href: str, folder: str, project: str) -> str | None:
    """The root-relative Markdown file a toc href names, or None for anything else."""
    href = href.strip()
    if not href or "://" in href or href.startswith(("/", "#", "xref:", "mailto:")):
        return None
    href = unquote(href.partition("#")[0].partition("?")[0])
    if not href.lower().endswith(".md"):
        return None  # a folder, another toc, a YAML page or a URL path
    if href.startswith("~/"):
        joined = posixpath.normpath(project + href[2:])
    else:
        joined = posixpath.normpath(posixpath.join(folder, href))
    if joined.startswith("../") or joined == "..":
        return None
    return joined


# --- links ---------------------------------------------------------------------------------


def _rewrite(projects: tuple[str, ...], spec: SiteSpec, url: str, article: str) -> Rewritten | None:
    """`~/` from the article's docfx.json folder; `xref:` unchecked; no locale segment."""
    stripped = url.strip()
    if stripped.startswith("~/"):
        project = next((folder for folder in projects if article.startswith(folder)), "")
        path, has_fragment, fragment = stripped[2:].partition("#")
        path = unquote(path.partition("?")[0])
        return Rewritten("file", project + path + ("#" + fragment if has_fragment else ""))
    if stripped[:5].lower() == "xref:":
        return Rewritten("skip")
    if "\\" in stripped and ":" not in stripped.partition("#")[0]:
        # `media\a.png`: read with `/`, as a browser reads `\` in an http(s) URL
        # (WHATWG URL standard, "special" schemes). Not checked against docfx's resolver.
        return _rewrite(projects, spec, stripped.replace("\\", "/"), article) or Rewritten(
            "url", stripped.replace("\\", "/")
        )
    if stripped.startswith("/") and _LOCALE.match(stripped):
        return Rewritten("url", _without_locale(stripped))
    return None


def _page_urls(spec: SiteSpec, path: str, meta: Any, default: str) -> PageUrls | None:
    """A `toc.yml` is published as `toc.json` for the page's sidebar, not as a page."""
    return PageUrls(()) if posixpath.basename(path).lower() == "toc.yml" else None


PRESET = Preset(name="docfx", title="docfx", detect=detect, read=read)
