"""Facts about the shape of a text that rules act on: blank, length, control and direction characters,
stacked accents, links. Cheap checks first, so a huge text is refused before any real work.
"""

from __future__ import annotations

import re
import unicodedata

import regex

from moderation.chartable import CharTable
from moderation.normalise import INVISIBLE_LETTERS

# Bidi embeddings, overrides and isolates: they can make text display in another order than it is
# stored ("harmless\u202egnp.exe" shows as "harmlessexe.png"). The plain marks LRM/RLM/ALM are fine.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Characters that draw nothing although they are not whitespace; a name of only these looks empty.
BLANK_LOOKING = INVISIBLE_LETTERS | {"\u2800", "\u180e"}
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})

_ALLOWED_CONTROLS = frozenset("\t\n\r")
_LINK = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.(?:com|org|net|uk|io|co|info|biz|xyz|ru|cymru|wales|me|ly|gl)\b(?:/[^\s<>\"')\]]*)?"
)


def is_blank(text: str) -> bool:
    """True when nothing visible would show: whitespace, invisible or blank-looking characters, lone accents."""
    if not text.strip():
        return True
    return all(
        ch.isspace() or ch in BLANK_LOOKING or unicodedata.category(ch) in _INVISIBLE_CATEGORIES or _is_mark(ch)
        for ch in text
    )


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


# A limit counts characters as a person sees them. One of those can be many code points (the family
# emoji is seven, a letter with stacked accents more); text may use at most this many code points per
# character of its limit, a safety cap against floods of combining marks.
CODE_POINTS_PER_CHARACTER = 4
_GRAPHEME = regex.compile(r"\X")


def length(text: str) -> int:
    """Length in characters as a person sees them: extended grapheme clusters (UAX #29) after NFC.

    "é" (typed either way), "👍🏽", "👨‍👩‍👧‍👦", "🇬🇧" and "क्ष" are one character each, as they are
    to Intl.Segmenter in the browser's counter. Callers check the code-point cap first (`len`).
    """
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(_GRAPHEME.findall(unicodedata.normalize("NFC", text)))


def control_characters(text: str) -> int:
    """How many C0/C1 controls (other than tab and newlines) and lone surrogates the text has.

    They never belong in posts: NUL breaks PostgreSQL text, ESC drives terminals,
    and a lone surrogate (possible from JSON "\\ud800") cannot even be stored as UTF-8.
    """
    if text.isascii() and text.isprintable():
        return 0
    return sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs") and ch not in _ALLOWED_CONTROLS)


def has_direction_controls(text: str) -> bool:
    return not text.isascii() and any(ch in DIRECTION_CONTROLS for ch in text)


def _mark_class(ch: str) -> str:
    # Variation selectors are marks to Unicode but pick an emoji style; they are not accents.
    return "M" if unicodedata.category(ch)[0] == "M" and ch not in "\ufe0e\ufe0f" else "."


_MARKS = CharTable(_mark_class)
_MARK_RUN = re.compile("M+")


def longest_mark_stack(text: str) -> int:
    """The most combining marks on any one letter (after NFD). Zalgo text stacks dozens."""
    if text.isascii():
        return 0
    classes = _MARKS.apply(unicodedata.normalize("NFD", text))
    return max((len(run) for run in _MARK_RUN.findall(classes)), default=0)


def links(text: str) -> int:
    """Distinct links: URLs with a scheme, www. addresses and bare domains with common endings."""
    return len({m.group().rstrip(".,;:!?").casefold() for m in _LINK.finditer(unicodedata.normalize("NFKC", text))})
