"""Literal values read out of a JavaScript or TypeScript configuration file, never run.

A `docusaurus.config.js` is a program: its settings may be computed, imported or read from
the environment. kbcheck needs a handful of them (`baseUrl`, the docs folder and route...)
and must never execute a site's code, so this reads the file as tokens and keeps what is
written as a literal: object literals (`{ key: value }`, quoted or bare keys, also inside
parentheses such as `/** @type */ ({...})`), arrays, strings, numbers, booleans and the
names of top-level `const NAME = 'literal'` declarations. Everything else (a call, a
template with `${}`, a condition) is `UNKNOWN`, so the caller uses the generator's default
and says so. Broken or unusual syntax never raises: what cannot be read is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Union


class _Unknown:
    """A value that is not a literal (computed when the site is built)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

Value = Union[str, float, bool, None, "JsObject", list["Value"], _Unknown]


@dataclass
class JsObject:
    """An object literal: its keys in order (the last of a repeated key wins)."""

    items: dict[str, Value] = field(default_factory=dict)

    def get(self, key: str, default: Value = None) -> Value:
        return self.items.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.items


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
    | (?P<template>`(?:\\.|[^`\\])*`)
    | (?P<number>\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_$][\w$]*)
    | (?P<spread>\.\.\.)
    | (?P<punct>[{}\[\](),:;=?])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def _tokens(text: str) -> list[_Token]:
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        found.append(_Token(kind, match.group(0)))
    return found


def _unquote(token: _Token) -> str | _Unknown:
    body = token.text[1:-1]
    if token.kind == "template" and "${" in body:
        return UNKNOWN
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.DOTALL)


class _Reader:
    """A forgiving reader of the token list: `value()` reads one value and always advances."""

    _CLOSERS = ("}", "]", ")")

    def __init__(self, tokens: list[_Token], names: dict[str, Value]) -> None:
        self.tokens = tokens
        self.names = names
        self.at = 0
        #: Every object literal read, in order, nested ones included.
        self.objects: list[JsObject] = []
        #: Every array literal read, in order.
        self.arrays: list[list[Value]] = []

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def value(self, depth: int = 0) -> Value:
        """One value, up to the `,` or closing bracket after it (not consumed)."""
        if depth > 200:  # hostile nesting: give up on this value
            self._skip_expression(depth)
            return UNKNOWN
        first = self.peek()
        if first is None:
            return UNKNOWN
        start = self.at
        result = self._primary(depth)
        following = self.peek()
        if following is None or following.text in (",", ";", *self._CLOSERS):
            return result
        # More follows (`a ? b : c`, `x.y`, `f(...)`, `{...} satisfies T`, `as const`): read
        # what is inside for the object list, and call the whole value unknown unless it is
        # a TypeScript annotation after a literal.
        if following.kind == "name" and following.text in ("satisfies", "as") and self.at > start:
            self._skip_expression(depth)
            return result
        self._skip_expression(depth)
        return UNKNOWN

    def _primary(self, depth: int) -> Value:
        token = self.tokens[self.at]
        self.at += 1
        if token.text == "{":
            return self._object(depth)
        if token.text == "[":
            return self._array(depth)
        if token.text == "(":
            inner = self.value(depth + 1)
            if self.peek() is not None and self.peek().text == ")":  # type: ignore[union-attr]
                self.at += 1
                return inner
            return UNKNOWN
        if token.kind in ("string", "template"):
            return _unquote(token)
        if token.kind == "number":
            try:
                return float(token.text.replace("_", ""))
            except ValueError:
                return UNKNOWN
        if token.kind == "name":
            if token.text == "true":
                return True
            if token.text == "false":
                return False
            if token.text in ("null", "undefined"):
                return None
            following = self.peek()
            if following is not None and following.text in (".", "("):
                return UNKNOWN
            return self.names.get(token.text, UNKNOWN)
        return UNKNOWN

    def _skip_expression(self, depth: int) -> None:
        """Skip to the `,`/`;` or closing bracket that ends the value, reading any object or
        array literal inside it (so that `isDev ? {...} : {...}` still lists them)."""
        while True:
            token = self.peek()
            if token is None or token.text in (",", ";", *self._CLOSERS):
                return
            if token.text in ("{", "["):
                self._primary(depth + 1)
            elif token.text == "(":
                self.at += 1
                while self.peek() is not None and self.peek().text != ")":  # type: ignore[union-attr]
                    self.value(depth + 1)
                    if self.peek() is not None and self.peek().text in (",", ";"):  # type: ignore[union-attr]
                        self.at += 1
                    elif self.peek() is not None and self.peek().text in ("}", "]"):  # type: ignore[union-attr]
                        self.at += 1  # unbalanced: drop it and go on
                if self.peek() is not None:
                    self.at += 1
            else:
                self.at += 1

    def _object(self, depth: int) -> JsObject:
        found = JsObject()
        self.objects.append(found)
        while True:
            token = self.peek()
            if token is None:
                return found
            self.at += 1
            if token.text == "}":
                return found
            if token.text in (",", ";"):
                continue
            if token.text in ("]", ")"):
                return found  # unbalanced: end the object here
            if token.kind == "spread":
                self.value(depth + 1)
                continue
            key: str | None = None
            if token.kind in ("name", "number"):
                key = token.text
            elif token.kind in ("string", "template"):
                text = _unquote(token)
                key = text if isinstance(text, str) else None
            elif token.text == "[":  # a computed key: `[name]: value`
                self._array(depth + 1)
            following = self.peek()
            if following is not None and following.text == ":":
                self.at += 1
                value = self.value(depth + 1)
                if key is not None:
                    found.items[key] = value
            elif following is not None and following.text == "(":  # a method: `f() {...}`
                self._skip_expression(depth + 1)
                if key is not None:
                    found.items[key] = UNKNOWN
            elif key is not None and token.kind == "name":  # shorthand `{ name }`
                found.items[key] = self.names.get(key, UNKNOWN)
                if following is not None and following.text not in (",", "}"):
                    self._skip_expression(depth + 1)

    def _array(self, depth: int) -> list[Value]:
        found: list[Value] = []
        self.arrays.append(found)
        while True:
            token = self.peek()
            if token is None:
                return found
            if token.text == "]":
                self.at += 1
                return found
            if token.text in (",", ";"):
                self.at += 1
                continue
            if token.text in ("}", ")"):
                self.at += 1
                return found
            if token.kind == "spread":
                self.at += 1
                self.value(depth + 1)
                found.append(UNKNOWN)
                continue
            found.append(self.value(depth + 1))


@dataclass
class JsValues:
    """What a configuration file says as literals."""

    objects: list[JsObject]
    arrays: list[list[Value]]

    def arrays_starting_with(self, suffixes: tuple[str, ...]) -> Iterator[list[Value]]:
        """Arrays whose first item is a string ending in one of `suffixes` (a plugin or
        preset entry: `['@docusaurus/plugin-content-docs', {...}]`)."""
        for array in self.arrays:
            if array and isinstance(array[0], str) and array[0].endswith(suffixes):
                yield array


def read_js_values(text: str) -> JsValues:
    """Every object and array literal in a JavaScript/TypeScript file, with the top-level
    `const NAME = 'literal'` declarations put in where their names stand."""
    tokens = _tokens(text)
    names: dict[str, Value] = {}
    for index in range(len(tokens) - 3):
        keyword, name, equals, literal = tokens[index : index + 4]
        if keyword.text not in ("const", "let", "var") or name.kind != "name":
            continue
        if equals.text != "=" or literal.kind not in ("string", "template", "number"):
            continue
        after = tokens[index + 4] if index + 4 < len(tokens) else None
        if (
            after is not None
            and after.text not in (";", "const", "let", "var")
            and (after.kind != "name")
        ):
            continue  # `const a = 'x' + y`: not a plain literal
        value = _unquote(literal) if literal.kind != "number" else float(literal.text)
        names.setdefault(name.text, value)
    reader = _Reader(tokens, names)
    while reader.at < len(tokens):
        token = tokens[reader.at]
        if token.text in ("{", "["):
            reader._primary(0)
        else:
            reader.at += 1
    return JsValues(reader.objects, reader.arrays)
