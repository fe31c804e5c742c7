"""Official content in both languages: the council writes topic descriptions, session titles, outcomes and
answers in English and Welsh; each reader sees their language's version, and the other one (marked with its
`lang`) only where the translation is still missing, which the admin dashboard lists.

A model keeps the English in `field` and the Welsh in `field_cy` ("" until written).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale

WELSH = "cy"


@dataclass(frozen=True)
class Shown:
    """The text a reader gets and the language it is written in (for the element's `lang` attribute)."""

    text: str
    lang: str  # "en" or "cy"

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def reader_language() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def pick(obj: Any, field: str, reader: str | None = None) -> Shown:
    """`obj.field` in the reader's language when it exists, else the version there is."""
    english = getattr(obj, field) or ""
    welsh = getattr(obj, f"{field}_cy", "") or ""
    if (reader or reader_language()) == WELSH and welsh.strip():
        return Shown(welsh, WELSH)
    if not english.strip() and welsh.strip():
        return Shown(welsh, WELSH)
    return Shown(english, "en")


def missing_welsh(obj: Any, fields: tuple[str, ...]) -> list[str]:
    """The fields whose English is written and whose Welsh is not."""
    return [f for f in fields if (getattr(obj, f) or "").strip() and not (getattr(obj, f"{f}_cy", "") or "").strip()]
