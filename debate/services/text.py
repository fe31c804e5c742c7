"""Validation of short plain-text fields such as display names and titles.

Refuses what could impersonate or disrupt (control and bidi characters,
invisible padding, stacked accents) while accepting real text in every
script. Invisible characters that are part of correct spelling are kept where
Unicode says they belong: a zero-width non-joiner or joiner inside a word of a
joining script or after a virama (UAX #31, rules A1, A2 and B: Persian
"می‌خواهم", Telugu, Sinhala "ශ්‍රී"), a zero-width joiner between emoji
(the family 👨‍👩‍👧‍👦), emoji and ideographic variation selectors after the
character they vary, and the tag letters of a subdivision flag (🏴󠁧󠁢󠁷󠁬󠁳󠁿).
"""

from __future__ import annotations

import unicodedata

import regex

import moderation
from debate.errors import ValidationError
from moderation import textshape

# Each of these spellings is correct text; what the invisible characters in them do is drawing.
_ALLOWED_INVISIBLES = regex.compile(
    r"""
      (?<=[\p{jt=D}\p{jt=L}]\p{jt=T}*) \u200c (?=\p{jt=T}*[\p{jt=D}\p{jt=R}])   # A1: ZWNJ between joining letters
    | (?<=\p{L}\p{Mn}*\p{ccc=Virama}[\p{Mn}--\p{ccc=0}]*) [\u200c\u200d]          # A2, B: ZWNJ/ZWJ after a virama
    | (?<=\p{Extended_Pictographic}[\p{Emoji_Modifier}\ufe0f]*) \u200d (?=\p{Extended_Pictographic})  # emoji ZWJ
    | (?<=\p{Emoji}) [\ufe0e\ufe0f]                                                # text or emoji style
    | (?<=[\p{Han}\p{Mongolian}]) [\ufe00-\ufe0d\U000e0100-\U000e01ef]             # ideographic variants
    | (?<=\p{Mongolian}) [\u180b-\u180d\u180f]                                     # Mongolian free variants
    | (?<=\U0001f3f4) [\U000e0020-\U000e007e]+ \U000e007f                          # subdivision flag tags
    """,
    regex.VERSION1 | regex.VERBOSE,
)
# Embeddings, overrides, isolates and the direction marks: a name can read backwards or reorder its neighbours.
_DIRECTION = regex.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Draws nothing: the default-ignorable code points (zero-width space, word joiner, soft hyphen, BOM,
# Hangul fillers, combining grapheme joiner...) and blank-looking letters such as the braille blank.
_INVISIBLE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\u2800\u180e]")
# Never text: controls, unpaired surrogates and private-use characters.
_NOT_TEXT = regex.compile(r"[\p{Cc}\p{Cf}\p{Cs}\p{Co}]")
_GRAPHEME = regex.compile(r"\X")
# One character is a whole name in these scripts (a Chinese or Korean given name, a Japanese kana name).
_WHOLE_WORD_SCRIPTS = regex.compile(r"^[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}\p{Yi}]\p{M}*$")
MAX_STACKED_MARKS = moderation.TextRules().max_combining_marks


def length(text: str) -> int:
    """Characters as a person sees them: extended grapheme clusters ("é", "👍🏽", "👨‍👩‍👧‍👦" and "क्ष" are one each)."""
    return len(_GRAPHEME.findall(text))


def is_single_whole_word(text: str) -> bool:
    """One character that is a word on its own: an ideograph, a Hangul syllable, a kana, or one emoji."""
    if length(text) != 1:
        return False
    return bool(_WHOLE_WORD_SCRIPTS.match(text)) or bool(regex.match(r"[\p{Extended_Pictographic}\p{RI}]", text))


def clean_line(value: object, field: str, label: str, *, min_len: int = 1, max_len: int = 120) -> str:
    """Return the NFC-normalised, trimmed single line or raise ValidationError."""
    if not isinstance(value, str):
        raise ValidationError(f"{label} is required.", field)
    if len(value) > max_len * 4:
        raise ValidationError(f"{label} is too long (at most {max_len} characters).", field)
    text = unicodedata.normalize("NFC", value).strip()
    text = " ".join(text.split())
    if not text or textshape.is_blank(text):
        raise ValidationError(f"{label} is required.", field)
    refuse_invisible(text, field, label)
    if textshape.longest_mark_stack(text) > MAX_STACKED_MARKS:
        raise ValidationError(f"{label} has too many accents stacked on one letter.", field)
    if length(text) < min_len and not (min_len == 2 and is_single_whole_word(text)):
        raise ValidationError(f"{label} must be at least {min_len} characters.", field)
    if len(text) > max_len:
        raise ValidationError(f"{label} is too long (at most {max_len} characters).", field)
    return text


def refuse_invisible(text: str, field: str, label: str) -> None:
    """Refuse direction controls, invisible characters out of place, and what is not text at all."""
    if _DIRECTION.search(text):
        raise ValidationError(f"{label} contains direction-changing characters.", field)
    rest = _ALLOWED_INVISIBLES.sub("", text)
    if _INVISIBLE.search(rest):
        raise ValidationError(f"{label} contains invisible characters.", field)
    if _NOT_TEXT.search(rest):
        raise ValidationError(f"{label} contains control characters.", field)
