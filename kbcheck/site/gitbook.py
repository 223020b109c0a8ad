"""GitBook (Git Sync): `.gitbook.yaml`, or a `SUMMARY.md` beside a `.gitbook/` assets folder.

What GitBook does (gitbook.com docs, "Git Sync" > "Content configuration" and "Monorepos"):

- `.gitbook.yaml` `root` (default `./`) is the content folder; every other path in the file
  is relative to it. `structure.readme` (default `README.md`) is the first page and
  `structure.summary` (default `SUMMARY.md`) the table of contents. In a monorepo each
  section syncs its own project folder, which holds its own `SUMMARY.md` and `.gitbook/`
  assets: a root without a summary whose first-level folders have one is read as one space
  per folder.
- The summary is Markdown whose links name the pages (`* [Title](folder/page.md)`, nested
  lists for child pages, headings for page groups). It is navigation, not an article. An
  entry naming a missing file is a broken page in the sidebar (`links/broken-nav`, at its
  line); the entries are read with kbcheck's Markdown parser, so positions are exact.
- Pages link to each other as files (`../billing/refunds.md#part`), which GitBook rewrites to
  page URLs; a page's URL is its path without `.md`, `README.md` standing for its folder.
  A link GitBook could not resolve is published as `/broken/pages/<id>`: it stays reported.
- `redirects` maps an old URL path (relative to the space) to the file that now serves it.
- Heading anchors: GitBook documents only that "the anchor link will be identical to the
  text in your header" (the "Headings" block page), with explicit ids written as
  `<a href="#x" id="x"></a>` in synced Markdown (read as HTML ids). The closest documented
  style is GitHub's (lower case, spaces to hyphens), which is the anchor style; dialect
  "gitbook" adds the forms GitBook's editor is seen to write into synced Markdown
  (`kbcheck.anchors.gitbook_ids`, with the evidence).
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from kbcheck.site.detect import (
    Preset,
    read_config_text,
    read_yaml_settings,
    relative_to_root,
    under_root,
)
from kbcheck.site.detect import shown as _shown
from kbcheck.site.model import NavEntry, SiteSpec

_CONFIG = ".gitbook.yaml"
_SUMMARY = "SUMMARY.md"


def detect(folder: Path) -> Path | None:
    if (folder / _CONFIG).is_file():
        return folder
    if (folder / _SUMMARY).is_file() and (folder / ".gitbook").is_dir():
        return folder
    return None


def read(folder: Path, root: Path, notices: list[str]) -> SiteSpec:

    config_path = folder / _CONFIG
    source = _shown(config_path if config_path.is_file() else folder / _SUMMARY, root)
    config: dict = {}
    inputs: list[str] = []
    if config_path.is_file():
        inputs.append(str(config_path))
        config = read_yaml_settings(config_path, root, notices, "GitBook")
    found_root = config.get("root")
    content_dir = found_root if isinstance(found_root, str) else "./"
    structure = config.get("structure")
    summary = structure.get("summary") if isinstance(structure, dict) else None
    summary_name = (summary if isinstance(summary, str) else _SUMMARY).strip()
    summary_name = summary_name.removeprefix("./") or _SUMMARY
    content = under_root(content_dir, folder, root)
    if content is None:
        content = ""  # the knowledge base is inside the content folder
    content_prefix = content + "/" if content else ""
    content_folder = root / content if content else root
    spaces = [content_prefix]
    if not (content_folder / summary_name).is_file():
        # a monorepo: one space per first-level folder holding its own summary
        found = sorted(
            child.name
            for child in _folders(content_folder)
            if (child / _SUMMARY).is_file() or (child / summary_name).is_file()
        )
        if found:
            spaces = [f"{content_prefix}{name}/" for name in found]
    nav: list[NavEntry] = []
    summaries: list[str] = []
    in_root = relative_to_root(folder, root) is not None
    for space in spaces:
        name = summary_name if (root / space / summary_name).is_file() else _SUMMARY
        summary = space + name
        if not (root / summary).is_file():
            continue
        summaries.append(summary)
        inputs.append(str(root / summary))
        if in_root:
            nav.extend(_nav(root / summary, summary, root, notices))
    return SiteSpec(
        generator="gitbook",
        source=source,
        paths=(("/", content_prefix),),
        # the spaces are what GitBook publishes (in a monorepo, not the files beside them)
        content=tuple(f"/{space}**" for space in spaces if space),
        # `.gitbook/assets/` holds uploaded files: a Markdown file there is a download
        not_articles=(*(f"/{summary}" for summary in summaries), ".gitbook/"),
        case_sensitive=True,
        page_urls="pretty",
        anchor_style="github",
        dialect="gitbook",
        redirects=_redirects(config, content_prefix),
        nav=tuple(nav),
        inputs=tuple(inputs),
    )


def _folders(folder: Path) -> list[Path]:
    try:
        return [child for child in folder.iterdir() if child.is_dir()]
    except OSError:
        return []


def _redirects(config: dict, content_prefix: str) -> tuple[tuple[str, str], ...]:
    """`redirects: {old/path: new/page.md}`: old URL paths (relative to the space) to files."""
    redirects = config.get("redirects")
    if not isinstance(redirects, dict):
        return ()
    pairs = []
    for old, new in redirects.items():
        if not isinstance(old, str) or not isinstance(new, str) or not new.strip():
            continue
        target = new if "://" in new else content_prefix + new.strip().lstrip("./")
        pairs.append(("/" + old.strip().strip("/"), target))
    return tuple(pairs)


def _nav(path: Path, shown: str, root: Path, notices: list[str]) -> list[NavEntry]:
    """Each summary link that names a page, with its line."""
    from kbcheck.markdown import parse_markdown

    text = read_config_text(path, notices, root)
    if text is None:
        return []
    folder = posixpath.dirname(shown)
    entries = []
    for link in parse_markdown(text, 0, "github").links:
        target = link.target.strip()
        if link.kind != "link" or not target or ":" in target or target.startswith(("#", "/")):
            continue
        file = target.partition("#")[0].partition("?")[0]
        if not file:
            continue
        from urllib.parse import unquote

        joined = posixpath.normpath(posixpath.join(folder, unquote(file)))
        if joined.startswith("../"):
            continue
        entries.append(NavEntry(shown, link.line, target, joined))
    return entries


PRESET = Preset(name="gitbook", title="GitBook", detect=detect, read=read)
