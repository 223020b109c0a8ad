"""Site configuration files read as data: YAML with any tag, TOML, JSON with comments.

Generators' files carry things a strict reader refuses: `mkdocs.yml` has
`!!python/name:material.extensions.emoji.twemoji` and `!ENV` tags, docfx's JSON files
sometimes have comments and trailing commas. Each reader keeps the data and drops what it
cannot know; each raises ValueError (with a reason a person can read) on a broken file.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class _TolerantLoader(yaml.SafeLoader):
    """The safe loader, with every unknown tag read as the plain value it is attached to
    (`!ENV [X, default]` -> the list, `!!python/name:x.y` -> "")."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:", _any_tag)


def load_yaml(text: str) -> Any:
    """The first YAML document of `text`; ValueError when it does not parse."""
    try:
        return yaml.load(text, Loader=_TolerantLoader)
    except yaml.YAMLError as error:
        raise ValueError(_yaml_problem(error)) from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"line {mark.line + 1}: {problem}" if mark is not None else str(problem)


def load_toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(str(error)) from None


_COMMENT_OR_STRING = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def load_json(text: str) -> Any:
    """JSON, allowing the comments and trailing commas docfx and VS Code files often have."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    stripped = _COMMENT_OR_STRING.sub(
        lambda match: match.group(0) if match.group(0).startswith('"') else "", text
    )
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", stripped))
    except ValueError as error:
        raise ValueError(str(error)) from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree of the first document, for readers that need line numbers (navigation
    entries are reported at their line); ValueError when it does not parse."""
    try:
        return yaml.compose(text, Loader=_TolerantLoader)
    except yaml.YAMLError as error:
        raise ValueError(_yaml_problem(error)) from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def scalar_items(node: yaml.Node | None) -> list[tuple[str, yaml.Node]]:
    """A mapping node's (key, value node) pairs whose keys are plain scalars."""
    if not isinstance(node, yaml.MappingNode):
        return []
    return [
        (str(key.value), value) for key, value in node.value if isinstance(key, yaml.ScalarNode)
    ]
