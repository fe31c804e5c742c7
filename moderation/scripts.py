"""Which script a letter is written in, and the look-alike tables that see through disguises.

Look-alikes are folded to Latin only where a disguise is likely: inside a word
that mixes Latin with Cyrillic or Greek (real words never do), and, as a weaker
guess, for a word made only of look-alikes standing in Latin text. A real
Russian or Greek word in Russian or Greek text is never folded: reading
Russian "сор" (rubbish) as English "cop" would put words in people's mouths.
"""

from __future__ import annotations

import enum
import unicodedata
from functools import lru_cache


class Script(str, enum.Enum):
    LATIN = "latin"
    CYRILLIC = "cyrillic"
    GREEK = "greek"
    OTHER = "other"
    COMMON = "common"  # digits, symbols, marks: belong to no script of their own


LOOKALIKE_SCRIPTS = frozenset({Script.CYRILLIC, Script.GREEK})
_FOLDED_SCRIPTS = frozenset({Script.LATIN, Script.CYRILLIC, Script.GREEK, Script.COMMON})
_NAME_HEADS = {"LATIN": Script.LATIN, "CYRILLIC": Script.CYRILLIC, "GREEK": Script.GREEK}

# Cyrillic and Greek letters (either case) that look like a Latin letter; values are Latin lowercase.
# Case matters for a few: Greek capital Eta looks like H, small eta like n.
LOOKALIKES: dict[str, str] = {
    # Cyrillic
    "а": "a", "А": "a", "в": "b", "В": "b", "е": "e", "Е": "e", "і": "i", "І": "i",
    "ј": "j", "Ј": "j", "к": "k", "К": "k", "м": "m", "М": "m", "н": "h", "Н": "h",
    "о": "o", "О": "o", "р": "p", "Р": "p", "с": "c", "С": "c", "т": "t", "Т": "t",
    "у": "y", "У": "y", "х": "x", "Х": "x", "ѕ": "s", "Ѕ": "s", "ԁ": "d", "һ": "h",
    "Һ": "h", "ԛ": "q", "Ԛ": "q", "ԝ": "w", "Ԝ": "w", "ӏ": "l", "Ӏ": "l", "ѵ": "v",
    "Ѵ": "v", "ү": "y", "Ү": "y", "ь": "b", "Ь": "b",
    # Greek
    "Α": "a", "α": "a", "Β": "b", "β": "b", "γ": "y", "Ε": "e", "ε": "e", "Ζ": "z",
    "Η": "h", "η": "n", "Ι": "i", "ι": "i", "Κ": "k", "κ": "k", "Μ": "m", "Ν": "n",
    "ν": "v", "Ο": "o", "ο": "o", "Ρ": "p", "ρ": "p", "Τ": "t", "τ": "t", "Υ": "y",
    "υ": "u", "Χ": "x", "χ": "x", "ω": "w", "ϲ": "c", "Ϲ": "c", "ϳ": "j",
}  # fmt: skip

# Latin letters without a decomposition that stand in for a plain one (after casefold).
LATIN_FOLDS: dict[str, str] = {
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ɑ": "a", "ɡ": "g",
    "ɩ": "i", "ɪ": "i", "ʟ": "l", "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e",
    "ɢ": "g", "ʜ": "h", "ᴊ": "j", "ᴋ": "k", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
    "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    "æ": "ae", "œ": "oe",
}  # fmt: skip

# Digits and symbols read as letters (leetspeak). Only inside words that also have a letter.
LEET: dict[str, tuple[str, ...]] = {
    "0": ("o",), "1": ("i", "l"), "3": ("e",), "4": ("a",), "5": ("s",), "7": ("t",),
    "@": ("a",), "$": ("s",), "!": ("i",), "|": ("i", "l"),
}  # fmt: skip
LEET_SYMBOLS = frozenset("@$!|")


@lru_cache(maxsize=16384)
def script_of(ch: str) -> Script:
    """The script of one character; COMMON for anything that is not a letter."""
    if ch.isascii():
        return Script.LATIN if ch.isalpha() else Script.COMMON
    if not ch.isalpha():
        return Script.COMMON
    head = unicodedata.name(ch, "").split(" ", 1)[0]
    return _NAME_HEADS.get(head, Script.OTHER)


def strips_marks(script: Script) -> bool:
    """Accents are dropped for matching only on Latin, Greek and Cyrillic letters, where they are
    decoration an evader can add; in other scripts (Devanagari vowel signs) they are the spelling."""
    return script in _FOLDED_SCRIPTS
