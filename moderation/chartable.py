"""Per-character rewriting at C speed: `str.translate` with a table that fills itself on first sight.

Unicode has over a million code points, so tables can't be built up front; a
text uses a few dozen distinct ones, so each is classified once and cached.
"""

from __future__ import annotations

from collections.abc import Callable

_MAX_ENTRIES = 65_536


class CharTable(dict[int, str | None]):
    """A translate table computing each entry with `rule(ch)`: a replacement string, or None to delete."""

    def __init__(self, rule: Callable[[str], str | None]) -> None:
        super().__init__()
        self._rule = rule

    def __missing__(self, code: int) -> str | None:
        if len(self) >= _MAX_ENTRIES:  # a hostile text could walk the whole code space; memory stays bounded
            self.clear()
        value = self._rule(chr(code))
        self[code] = value
        return value

    def apply(self, text: str) -> str:
        return text.translate(self)
