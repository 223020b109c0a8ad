"""One codec for everything the incremental layer keeps: values to plain JSON data and back,
driven by their type annotations.

A cache folder may come from anywhere, so it holds JSON, never pickle, and a value is rebuilt
only as the type its annotation names: frozen dataclasses and named tuples (as arrays of their
fields), tuples, lists, sets, dicts, unions, enums, dates, fractions and bytes. `codec_for`
raises `Unsupported` for a type it cannot rebuild faithfully (then the value is not kept: the
run computes it again), and a decoder raises one of `DECODE_ERRORS` on data of the wrong shape
(then the entry is ignored). `plain` turns any value into canonical data for cache keys.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from fractions import Fraction
from pathlib import PurePath
from typing import Any, NamedTuple

#: What a decoder raises on data that does not have the shape of its type.
DECODE_ERRORS = (KeyError, TypeError, ValueError, IndexError, AttributeError, ArithmeticError)


class Unsupported(TypeError):
    """The type cannot be encoded and rebuilt faithfully."""


class Codec(NamedTuple):
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _checked(kind: type) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return decode


def _bad(value: Any) -> Any:
    raise TypeError(f"unexpected {type(value).__name__}")


def _decode_float(value: Any) -> float:
    if type(value) not in (int, float):
        raise TypeError("expected a number")
    return float(value)


_STR = Codec(_same, _checked(str))
_INT = Codec(_same, _checked(int))
_BOOL = Codec(_same, _checked(bool))
#: Codecs whose data is the value itself, checked by its exact type (inlined in records).
_EXACT = {id(_STR): "str", id(_INT): "int", id(_BOOL): "bool"}
_PLAIN: dict[Any, Codec] = {
    str: _STR,
    int: _INT,
    bool: _BOOL,
    float: Codec(_same, _decode_float),
    type(None): Codec(_same, _checked(type(None))),
    bytes: Codec(bytes.hex, bytes.fromhex),
    date: Codec(date.isoformat, date.fromisoformat),
    datetime: Codec(datetime.isoformat, datetime.fromisoformat),
    Fraction: Codec(
        lambda value: [value.numerator, value.denominator],
        lambda data: Fraction(*_checked(list)(data)),
    ),
}

_CODECS: dict[Any, Codec] = {}


def codec_for(annotation: Any) -> Codec:
    """The codec of a type annotation (already evaluated: see `typing.get_type_hints`)."""
    known = _CODECS.get(annotation)
    if known is None:
        known = _build(annotation)
        _CODECS[annotation] = known
    return known


def return_codec(function: Callable[..., Any]) -> Codec:
    """The codec of what `function` returns, from its annotation; Unsupported without one."""
    try:
        hints = typing.get_type_hints(function)
    except Exception as error:  # a name the annotation uses cannot be resolved
        raise Unsupported(f"cannot read the annotations of {function!r}: {error}") from None
    if "return" not in hints:
        raise Unsupported(f"{function!r} has no return annotation")
    return codec_for(hints["return"])


def _build(annotation: Any) -> Codec:
    if annotation in _PLAIN:
        return _PLAIN[annotation]
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return _union(arguments)
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return _sequence(codec_for(arguments[0]), tuple)
        return _fixed_tuple([codec_for(argument) for argument in arguments])
    if origin in (list, typing.List):  # noqa: UP006 - both spellings reach here
        return _sequence(codec_for(arguments[0]), list)
    if origin in (frozenset, set):
        return _set(codec_for(arguments[0]), origin)
    if origin in (dict, Mapping) or origin is typing.get_origin(Mapping[str, int]):
        if arguments[0] is not str:
            raise Unsupported(f"{annotation}: only str keys are kept")
        return _mapping(codec_for(arguments[1]))
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            members = {member.value: member for member in annotation}
            return Codec(lambda value: value.value, members.__getitem__)
        if issubclass(annotation, tuple) and hasattr(annotation, "_fields"):
            return _record(annotation, named_tuple=True)
        if dataclasses.is_dataclass(annotation):
            return _record(annotation, named_tuple=False)
    raise Unsupported(f"{annotation!r} cannot be kept in the cache")


def _union(arguments: tuple[Any, ...]) -> Codec:
    members = [argument for argument in arguments if argument is not type(None)]
    optional = len(members) < len(arguments)
    if len(members) == 1:
        inner = codec_for(members[0])
        return Codec(
            lambda value: None if value is None else inner.encode(value),
            lambda data: None if data is None else inner.decode(data),
        )
    codecs = [codec_for(member) for member in members]
    kinds = [typing.get_origin(member) or member for member in members]

    def encode(value: Any) -> Any:
        if value is None and optional:
            return None
        for index, kind in enumerate(kinds):
            if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
                return [index, codecs[index].encode(value)]
        raise Unsupported(f"{type(value).__name__} is none of {members}")

    def decode(data: Any) -> Any:
        if data is None and optional:
            return None
        index, item = data
        return codecs[index].decode(item)

    return Codec(encode, decode)


def _sequence(inner: Codec, kind: type) -> Codec:
    exact = _EXACT.get(id(inner))
    if exact is not None:
        element = {"str": str, "int": int, "bool": bool}[exact]

        def decode_exact(data: Any) -> Any:
            if type(data) is not list:
                raise TypeError("expected a list")
            for item in data:
                if type(item) is not element:
                    raise TypeError(f"expected {exact}")
            return data if kind is list else kind(data)

        return Codec(list, decode_exact)
    encode_item, decode_item = inner

    def decode(data: Any) -> Any:
        if type(data) is not list:
            raise TypeError("expected a list")
        return kind([decode_item(item) for item in data])

    if encode_item is _same:
        return Codec(list, decode)
    return Codec(lambda value: [encode_item(item) for item in value], decode)


def _set(inner: Codec, kind: type) -> Codec:
    """Sorted, so that equal sets encode to equal text whatever the hash seed."""

    def encode(value: Any) -> Any:
        items = [inner.encode(item) for item in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=repr)

    # Decoded as a list of the same items first, then made a set.
    as_list = _sequence(inner, list).decode
    return Codec(encode, lambda data: kind(as_list(data)))


def _fixed_tuple(codecs: list[Codec]) -> Codec:
    def decode(data: Any) -> tuple[Any, ...]:
        if len(_checked(list)(data)) != len(codecs):
            raise ValueError("wrong length")
        return tuple(codec.decode(item) for codec, item in zip(codecs, data, strict=True))

    return Codec(
        lambda value: [codec.encode(item) for codec, item in zip(codecs, value, strict=True)],
        decode,
    )


def _mapping(inner: Codec) -> Codec:
    def decode(data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise TypeError("expected an object")
        return {_checked(str)(key): inner.decode(item) for key, item in data.items()}

    return Codec(lambda value: {key: inner.encode(item) for key, item in value.items()}, decode)


_BUILDING: set[type] = set()


def _record(cls: type, named_tuple: bool) -> Codec:
    """A dataclass or named tuple as the array of its (init) fields, in declaration order.
    Its encoder and decoder are generated as plain functions: a large knowledge base has
    hundreds of thousands of claims, and a generic loop over fields cost several times as
    much to decode them."""
    if cls in _BUILDING:
        raise Unsupported(f"{cls.__name__} refers to itself")
    if named_tuple:
        names = list(cls._fields)  # type: ignore[attr-defined]
    else:
        names = [field.name for field in dataclasses.fields(cls) if field.init]
    try:
        hints = typing.get_type_hints(cls)
    except Exception as error:
        raise Unsupported(f"cannot read the annotations of {cls!r}: {error}") from None
    _BUILDING.add(cls)
    try:
        codecs = [codec_for(hints[name]) for name in names]
    finally:
        _BUILDING.discard(cls)
    namespace: dict[str, Any] = {
        "cls": cls,
        "_bad": _bad,
        "_new": tuple.__new__,
        "_date": date.fromisoformat,
    }
    encoded, decoded = [], []
    for index, (name, codec) in enumerate(zip(names, codecs, strict=True)):
        if codec.encode is _same:
            encoded.append(f"value.{name}")
        else:
            namespace[f"e{index}"] = codec.encode
            encoded.append(f"e{index}(value.{name})")
        inline = _inline_decode(hints[name], f"x{index}")
        if inline is not None:
            decoded.append(inline)
        else:
            namespace[f"d{index}"] = codec.decode
            decoded.append(f"d{index}(x{index})")
    fields = "".join(f"x{index}, " for index in range(len(names)))
    built = f"_new(cls, ({', '.join(decoded)},))" if named_tuple else f"cls({', '.join(decoded)})"
    source = (
        "def encode(value):\n"
        f"    return [{', '.join(encoded)}]\n"
        "def decode(data):\n"
        f"    if type(data) is not list or len(data) != {len(names)}:\n"
        f"        raise ValueError('{cls.__name__}: wrong number of fields')\n"
        f"    {fields or '_'} = data or (None,)\n"
        f"    return {built}\n"
    )
    exec(compile(source, f"<codec of {cls.__qualname__}>", "exec"), namespace)
    return Codec(namespace["encode"], namespace["decode"])


_INLINE_EXACT = {str: "str", int: "int", bool: "bool"}


def _inline_decode(annotation: Any, name: str) -> str | None:
    """An expression decoding the field `name` in place, for the common field types (a
    function call per field was most of the cost of decoding a stored report)."""
    optional = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arm for arm in typing.get_args(annotation) if arm is not type(None)]
        if len(members) != 1:
            return None
        annotation, optional = members[0], True
    exact = _INLINE_EXACT.get(annotation)
    if exact is not None:
        accepted = f"{name} is None or type({name}) is {exact}" if optional else None
        accepted = accepted or f"type({name}) is {exact}"
        return f"({name} if {accepted} else _bad({name}))"
    if annotation is date:
        return f"(None if {name} is None else _date({name}))" if optional else f"_date({name})"
    return None


def plain(value: Any) -> Any:
    """Canonical plain data for any value a configuration or option holds, for cache keys:
    never `repr`, which Python cuts short for long regular expressions, and which differs
    between runs for sets."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, re.Pattern):
        return {"$regex": value.pattern, "flags": value.flags}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (PurePath, Fraction)):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "$type": type(value).__qualname__,
            **{
                field.name: plain(getattr(value, field.name))
                for field in dataclasses.fields(value)
                if field.compare
            },
        }
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {
            "$type": type(value).__qualname__,
            **{k: plain(v) for k, v in value._asdict().items()},  # type: ignore[attr-defined]
        }
    if isinstance(value, Mapping):
        return {"$map": sorted(([plain(k), plain(v)] for k, v in value.items()), key=repr)}
    if isinstance(value, (set, frozenset)):
        return {"$set": sorted((plain(item) for item in value), key=repr)}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if callable(value):
        module = getattr(value, "__module__", "")
        return {"$callable": f"{module}.{getattr(value, '__qualname__', type(value).__name__)}"}
    raise Unsupported(f"{type(value).__name__} has no canonical form")
