"""Bounds on raw input that Python's own types do not have: whole numbers and JSON nesting.

One rule each, for pages, the JSON API and socket events alike.

Whole numbers. Every id, sequence number and count is an `Integer` column: 32 bits on PostgreSQL
(`-2**31 .. 2**31 - 1`), 64 on SQLite. Python's int has no bound, so an id of 10**20 in a URL or a socket
payload reached the database and failed there (SQLite: OverflowError; PostgreSQL: "integer out of
range"), a 500 or a `server_error` ack. A number outside INT_MIN..INT_MAX names nothing: 404 in a URL,
`invalid` in a payload.

Nesting. Python's JSON parser recurses once per level and raised RecursionError (a 500, or a traceback
and no ack on a socket) at about 1,000 levels. Nothing here needs more than a few; anything nested
deeper than MAX_DEPTH is refused with TOO_DEEP.
"""

from __future__ import annotations

import json
from typing import Any

from flask_babel import lazy_gettext as _l

INT_MIN, INT_MAX = -(2**31), 2**31 - 1

MAX_DEPTH = 16
# Read in the language of the request or socket that sent the JSON (made text where it is shown).
TOO_DEEP = _l("The JSON is nested too deeply (at most %(levels)d levels of arrays and objects).", levels=MAX_DEPTH)


class TooDeep(ValueError):
    """JSON nested deeper than MAX_DEPTH (a ValueError, as any other JSON that cannot be read)."""

    def __init__(self) -> None:
        super().__init__(TOO_DEEP)

    def __str__(self) -> str:
        return str(TOO_DEEP)


def in_int_range(value: int) -> bool:
    return INT_MIN <= value <= INT_MAX


def whole(value: object) -> int:
    """int(value) for raw input (a URL segment, a form field, a JSON value); ValueError when it is no number."""
    if isinstance(value, str | int | float):
        return int(value)
    raise ValueError(f"expected a number, not {type(value).__name__}")


def loads(text: str | bytes, loader=json.loads, **kwargs: Any) -> Any:
    """Parse JSON with `loader`, refusing nesting deeper than MAX_DEPTH (TooDeep)."""
    try:
        value = loader(text, **kwargs)
    except RecursionError:
        raise TooDeep() from None
    check_depth(value)
    return value


def check_depth(value: Any) -> None:
    """Raise TooDeep when arrays and objects nest deeper than MAX_DEPTH (iteratively: no recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > MAX_DEPTH:
            raise TooDeep()
        pending.extend((child, depth + 1) for child in children)
