"""Dataclasses to and from JSON-ready dicts, so admin settings can be stored and edited as data.

Enums become their values, durations become seconds, tuples lists. Loading is
strict: an unknown key or a wrong type raises PolicyError naming the exact
setting, because a silently ignored typo in a moderation rule is worse than an
error. Missing keys take their defaults, so stored settings survive new fields.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import timedelta
from typing import Any, ClassVar, Protocol, TypeVar, Union, get_args, get_origin, get_type_hints

from moderation.errors import PolicyError


class Dataclass(Protocol):
    """Any dataclass (what `dataclasses.fields` accepts), for the settings `load` builds."""

    __dataclass_fields__: ClassVar[dict[str, Any]]


T = TypeVar("T", bound=Dataclass)


def dump(value: Any) -> Any:
    """A JSON-ready copy of a settings dataclass (or of any value inside one)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: dump(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return int(seconds) if seconds.is_integer() else seconds
    if isinstance(value, tuple | list):
        return [dump(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(dump(v) for v in value)
    return value


def load(cls: type[T], data: Any, path: str) -> T:
    """Build `cls` from `data`, checking every key and type; errors name the setting at `path`."""
    if not isinstance(data, Mapping):
        raise PolicyError(path, "expected an object")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise PolicyError(f"{path}.{unknown[0]}", "unknown setting")
    hints = get_type_hints(cls)
    values = {name: _value(hints[name], data[name], f"{path}.{name}") for name in data}
    try:
        return cls(**values)
    except (ValueError, TypeError) as exc:
        raise PolicyError(path, str(exc)) from exc


def _value(kind: Any, data: Any, path: str) -> Any:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        return _optional(kind, data, path)
    if origin in (tuple, frozenset):
        if not isinstance(data, list):
            raise PolicyError(path, "expected a list")
        items = [_value(get_args(kind)[0], item, f"{path}[{i}]") for i, item in enumerate(data)]
        return origin(items)
    if isinstance(kind, type) and is_dataclass(kind):
        return load(kind, data, path)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _enum(kind, data, path)
    return _scalar(kind, data, path)


def _optional(kind: Any, data: Any, path: str) -> Any:
    options = [k for k in get_args(kind) if k is not type(None)]
    if data is None and len(options) < len(get_args(kind)):
        return None
    return _value(options[0], data, path)


def _enum(kind: type[enum.Enum], data: Any, path: str) -> enum.Enum:
    try:
        return kind(data)
    except ValueError:
        choices = ", ".join(str(m.value) for m in kind)
        raise PolicyError(path, f"expected one of {choices}") from None


def _scalar(kind: Any, data: Any, path: str) -> Any:
    if kind is timedelta:
        if isinstance(data, bool) or not isinstance(data, int | float) or data < 0:
            raise PolicyError(path, "expected a number of seconds, 0 or more")
        return timedelta(seconds=data)
    if kind is float and isinstance(data, int | float) and not isinstance(data, bool):
        return float(data)
    if kind is int and isinstance(data, int) and not isinstance(data, bool):
        return data
    if kind in (bool, str) and isinstance(data, kind):
        return data
    raise PolicyError(path, f"expected {_NAMES.get(kind, kind)}")


_NAMES = {int: "a whole number", float: "a number", bool: "true or false", str: "text"}
