"""Validation of what people write: one-line fields (names, titles) and multi-line text (posts, notes).

Every limit counts characters as a person sees them (extended grapheme
clusters, `length`), as the browser's counter does with Intl.Segmenter, and
text is refused, never cut. A second, generous cap in code points
(CODE_POINTS_PER_CHARACTER per character of the limit) refuses floods of
combining marks with its own message before anything else looks at them.

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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

import moderation
from debate.errors import Text, ValidationError
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
# One character is a whole name in these scripts (a Chinese or Korean given name, a Japanese kana name).
_WHOLE_WORD_SCRIPTS = regex.compile(r"^[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}\p{Yi}]\p{M}*$")
MAX_STACKED_MARKS = moderation.TextRules().max_combining_marks


CODE_POINTS_PER_CHARACTER = textshape.CODE_POINTS_PER_CHARACTER
length = textshape.length  # characters as a person sees them: "é", "👍🏽", "👨‍👩‍👧‍👦" and "क्ष" are one each
# The 66 noncharacters (U+FFFE, U+FFFF, U+FDD0..U+FDEF, the last two of every plane) are valid UTF-8 but
# are promised never to be text; unpaired surrogates (from JSON "\ud800") cannot even be stored as UTF-8.
_NOT_CHARACTERS = regex.compile(r"[\p{Noncharacter_Code_Point}\p{Cs}]")
NOTE_TOO_LONG = _l("The note is too long: %(count)s characters, and the limit is %(limit)s.")
_CONTROL_BREAKS = regex.compile(r"\r\n?")
_CHARACTER = regex.compile(r"\X")


def size(text: str, limit: int, field: str) -> int:
    """The text's length in characters, after refusing text over the code-point safety cap for `limit`.

    Plain ASCII is counted whatever its size (cheaply: each character is one code point), so a
    merely long text gets the ordinary "too long" message; the cap's own message is for text
    whose characters are made of many code points (stacked marks, long emoji sequences).
    """
    cap = limit * CODE_POINTS_PER_CHARACTER
    if len(text) > cap and not text.isascii():
        count, most = f"{len(text):,}", f"{cap:,}"
        raise ValidationError(
            _(
                "That text is too large to accept: it has %(count)s code points (accented letters and emoji "
                "can take several each), and at most %(cap)s are accepted here. Please shorten it.",
                count=count,
                cap=most,
            ),
            field,
        )
    return length(text)


def clean_text(value: object, field: str, limit: int, *, too_long: Text, missing: Text | None = None) -> str:
    """Multi-line text as written (newlines unified, trimmed), within `limit` characters.

    `too_long` is the sentence for text over the limit, with %(count)s and %(limit)s (or {count} and {limit})
    in it, a gettext or lazy_gettext string given no values; `missing`, when given, is the sentence for empty
    text (else "" is returned).
    """
    text = _CONTROL_BREAKS.sub("\n", value).strip() if isinstance(value, str) else ""
    if not text:
        if missing is not None:
            raise ValidationError(missing, field)
        return ""
    count = size(text, limit, field)
    refuse_noncharacters(text, field, _("That text"))
    if count > limit:
        raise ValidationError(filled(too_long, count, limit), field)
    return text


def filled(sentence: Text, count: int, limit: int) -> str:
    """A "too long" sentence with its numbers: %(count)s and %(limit)s (or the older {count} and {limit})."""
    text = str(sentence)
    values = {"count": f"{count:,}", "limit": f"{limit:,}"}
    return text % values if "%(" in text else text.format(**values)


def shorten(text: str, most: int) -> str:
    """At most `most` code points (to fit a column), cut between characters, never inside "👨‍👩‍👧‍👦", with "…"."""
    if len(text) <= most:
        return text
    kept, used = [], 1  # room for the ellipsis
    for character in _CHARACTER.findall(text):
        used += len(character)
        if used > most:
            break
        kept.append(character)
    return "".join(kept).rstrip() + "\u2026"


def is_single_whole_word(text: str) -> bool:
    """One character that is a word on its own: an ideograph, a Hangul syllable, a kana, or one emoji."""
    if length(text) != 1:
        return False
    return bool(_WHOLE_WORD_SCRIPTS.match(text)) or bool(regex.match(r"[\p{Extended_Pictographic}\p{RI}]", text))


def clean_line(value: object, field: str, label: Text, *, min_len: int = 1, max_len: int = 120) -> str:
    """Return the NFC-normalised, trimmed single line or raise ValidationError.

    `label` names the field in the refusals ("Title"): a gettext or lazy_gettext string, so the sentence
    around it and the label are in the same language.
    """
    if not isinstance(value, str):
        raise ValidationError(_required(label), field)
    if len(value) > max_len * CODE_POINTS_PER_CHARACTER:  # the safety cap; a line this long is simply too long
        raise ValidationError(_too_long(label, max_len), field)
    refuse_noncharacters(value, field, label)
    text = unicodedata.normalize("NFC", value).strip()
    text = " ".join(text.split())
    if not text:
        raise ValidationError(_required(label), field)
    refuse_invisible(text, field, label)
    if textshape.is_blank(text):
        raise ValidationError(_required(label), field)
    if textshape.longest_mark_stack(text) > MAX_STACKED_MARKS:
        raise ValidationError(_("%(label)s has too many accents stacked on one letter.", label=label), field)
    if length(text) < min_len and not (min_len == 2 and is_single_whole_word(text)):
        raise ValidationError(
            ngettext(
                "%(label)s must be at least %(num)d character.",
                "%(label)s must be at least %(num)d characters.",
                min_len,
                label=label,
            ),
            field,
        )
    if length(text) > max_len:
        raise ValidationError(_too_long(label, max_len), field)
    return text


def _required(label: Text) -> str:
    return str(_("%(label)s is required.", label=label))


def _too_long(label: Text, most: int) -> str:
    return str(
        ngettext(
            "%(label)s is too long (at most %(num)d character).",
            "%(label)s is too long (at most %(num)d characters).",
            most,
            label=label,
        )
    )


def refuse_noncharacters(text: str, field: str, label: Text) -> None:
    """Every entry point's text passes here: forms, the JSON API and socket events alike."""
    if _NOT_CHARACTERS.search(text):
        raise ValidationError(
            _(
                "%(label)s contains code points that are not characters (such as U+FFFE or an unpaired surrogate). "
                "Please remove them.",
                label=label,
            ),
            field,
        )


def refuse_invisible(text: str, field: str, label: Text) -> None:
    """Refuse direction controls, invisible characters out of place, and what is not text at all."""
    invisible = _("%(label)s contains invisible or direction-changing characters.", label=label)
    if _DIRECTION.search(text):
        raise ValidationError(invisible, field)
    rest = _ALLOWED_INVISIBLES.sub("", text)
    if _INVISIBLE.search(rest):
        raise ValidationError(invisible, field)
    if _NOT_TEXT.search(rest):
        raise ValidationError(_("%(label)s contains control characters.", label=label), field)
