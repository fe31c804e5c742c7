"""Turn text into words the matcher can compare, seeing through disguises.

`clean` removes invisible format characters (zero-width, soft hyphen, bidi
controls, tags) and applies NFKC, which undoes fullwidth, mathematical and
ligature forms. `tokenise` then cuts the text into words; each written
character becomes a `Position` listing what it may stand for, e.g. "1" may be
itself (certain) or "i" or "l" (a guess). Guesses are marked uncertain so a
blocked word found only by guessing is held for a person, never rejected.
Nothing here changes what is stored or shown: this is only for matching.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from moderation.chartable import CharTable
from moderation.scripts import (
    LATIN_FOLDS,
    LEET,
    LEET_SYMBOLS,
    LOOKALIKE_SCRIPTS,
    LOOKALIKES,
    Script,
    script_of,
    strips_marks,
)

Reading = tuple[str, bool]  # (text it stands for, certain?)
Position = tuple[Reading, ...]  # the readings of one written character, certain one first

_CODE_SHAPE = re.compile(r"[a-z]{1,2}[0-9]+")  # road numbers and postcode districts: A55, M4, CF10
_ASCII_WORD = re.compile(r"[A-Za-z0-9@$!|]+")
_SKIP: Position = (("", True),)


@dataclass(frozen=True, slots=True)
class Token:
    """One word as written (`source`, at `start` in the cleaned text) and what it may read as."""

    source: str
    start: int
    positions: tuple[Position, ...]
    base: str  # the certain reading: casefolded, accents off, mixed-script look-alikes folded

    @property
    def end(self) -> int:
        return self.start + len(self.source)


@dataclass(frozen=True, slots=True)
class Run:
    """Single characters in a row with the same separator ("i d i o t", "i.d.i.o.t"), read as one word."""

    positions: tuple[Position, ...]
    starts: tuple[int, ...]  # where each character is in the cleaned text


@dataclass(frozen=True, slots=True)
class Tokenised:
    text: str  # the cleaned text that offsets refer to
    tokens: tuple[Token, ...]
    runs: tuple[Run, ...]


# Letters that draw nothing (Hangul fillers, Khmer inherent vowels): inside a word they hide it as well
# as a zero-width space does, so they are dropped with the format characters.
INVISIBLE_LETTERS = frozenset("\u3164\u115f\u1160\uffa0\u17b4\u17b5")
_DROP_INVISIBLE = CharTable(
    lambda ch: None if ch in INVISIBLE_LETTERS or unicodedata.category(ch) == "Cf" else ch,
)


def clean(text: str) -> str:
    """Drop format characters (category Cf) and invisible letters, then apply NFKC."""
    if not text.isascii():
        text = _DROP_INVISIBLE.apply(text)
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=4096)
def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in LEET_SYMBOLS or unicodedata.category(ch)[0] == "M"


def _chunks(text: str) -> list[tuple[int, str]]:
    """(start, chunk) for each run of word characters; leet symbols count as word characters."""
    if text.isascii():
        return [(m.start(), m.group()) for m in _ASCII_WORD.finditer(text)]
    out: list[tuple[int, str]] = []
    start = -1
    for i, ch in enumerate(text):
        if _is_word_char(ch):
            if start < 0:
                start = i
        elif start >= 0:
            out.append((start, text[start:i]))
            start = -1
    if start >= 0:
        out.append((start, text[start:]))
    return out


_GREEK_OR_CYRILLIC = re.compile("[\u0370-\u03ff\u0400-\u052f\u1c80-\u1c8f\u1f00-\u1fff\u2de0-\u2dff\ua640-\ua69f]")


def latin_context(text: str) -> bool:
    """True when most letters are Latin: only then may a whole Cyrillic/Greek look-alike word be a disguise."""
    if text.isascii() or not _GREEK_OR_CYRILLIC.search(text):
        return True
    latin = other = 0
    for ch in text:
        script = script_of(ch)
        if script is Script.LATIN:
            latin += 1
        elif script in LOOKALIKE_SCRIPTS:
            other += 1
    return latin > other


def _plain(ch: str) -> str:
    """The letter without accents where they are decoration (Latin, Greek, Cyrillic): "ї" -> "і"."""
    if strips_marks(script_of(ch)):
        return "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c)[0] != "M")
    return ch


def _letter(ch: str) -> str:
    """Casefold one letter, drop its accents where they are decoration, apply Latin folds."""
    return "".join(LATIN_FOLDS.get(c, c) for c in _plain(ch).casefold())


def _symbol(ch: str, edge: bool, leet: bool) -> Position:
    """A leet symbol: at a word's edge it may be punctuation ("idiot!"), inside it stands for a letter.
    In a chunk without letters ("!!!", "$5") it is only punctuation."""
    if not leet and edge:
        return _SKIP
    guesses = tuple((g, False) for g in LEET[ch]) if leet else ()
    return (("", True), *guesses) if edge else ((ch, True), *guesses)


@lru_cache(maxsize=8192)
def readings(chunk: str, in_latin_text: bool) -> tuple[tuple[Position, ...], str]:
    """The positions of one chunk and its certain reading. Cached: most words recur."""
    scripts = {script_of(ch) for ch in chunk if ch.isalpha()}
    mixed = Script.LATIN in scripts and bool(scripts & LOOKALIKE_SCRIPTS)
    disguised = (
        in_latin_text
        and len(scripts) == 1
        and scripts <= LOOKALIKE_SCRIPTS
        and all(_plain(ch) in LOOKALIKES for ch in chunk if ch.isalpha())
    )
    symbols = "".join(LEET_SYMBOLS)
    leet = bool(scripts) and not _CODE_SHAPE.fullmatch(chunk.strip(symbols).casefold())
    inner = (len(chunk) - len(chunk.lstrip(symbols)), len(chunk.rstrip(symbols)))
    positions = tuple(_position(chunk, i, mixed, disguised, leet, inner) for i in range(len(chunk)))
    base = "".join(p[0][0] for p in positions)
    return positions, base


def _position(chunk: str, i: int, mixed: bool, disguised: bool, leet: bool, inner: tuple[int, int]) -> Position:
    """The readings of chunk[i]; `inner` bounds the part of the chunk between leading and trailing symbols."""
    ch = chunk[i]
    if ch in LEET_SYMBOLS:
        return _symbol(ch, not inner[0] <= i < inner[1], leet)
    if ch.isdigit():
        return ((ch, True), *((g, False) for g in LEET.get(ch, ()))) if leet else ((ch, True),)
    if unicodedata.category(ch)[0] == "M":
        return _SKIP if strips_marks(_base_script(chunk, i)) else ((ch, True),)
    if (latin := LOOKALIKES.get(_plain(ch))) and (mixed or disguised):
        return ((latin, True),) if mixed else ((_letter(ch), True), (latin, False))
    return ((_letter(ch), True),)


def _base_script(chunk: str, i: int) -> Script:
    """The script of the letter a combining mark sits on (the nearest non-mark before it)."""
    for ch in reversed(chunk[:i]):
        if unicodedata.category(ch)[0] != "M":
            return script_of(ch)
    return Script.COMMON


def tokenise(text: str) -> Tokenised:
    """Clean the text and cut it into tokens and runs of spaced-out single characters."""
    cleaned = clean(text)
    context = latin_context(cleaned)
    chunks = _chunks(cleaned)
    tokens = []
    for start, chunk in chunks:
        positions, base = readings(chunk, context)
        if base:
            tokens.append(Token(chunk, start, positions, base))
    return Tokenised(cleaned, tuple(tokens), tuple(_runs(cleaned, chunks, context)))


def _runs(text: str, chunks: list[tuple[int, str]], context: bool) -> list[Run]:
    """Group single-character chunks separated by the same short separator; natural text rarely does this."""
    runs: list[Run] = []
    group: list[tuple[int, str]] = []
    separator: str | None = None
    for start, chunk in chunks:
        if len(chunk) != 1:
            _close(runs, group, context)
            group, separator = [], None
            continue
        if group:
            gap = text[group[-1][0] + 1 : start]
            if len(gap) > 3:
                _close(runs, group, context)
                group, separator = [], None
            elif separator is not None and gap != separator:
                _close(runs, group, context)
                group, separator = [group[-1]], gap
            else:
                separator = gap
        group.append((start, chunk))
    _close(runs, group, context)
    return runs


def _close(runs: list[Run], group: list[tuple[int, str]], context: bool) -> None:
    if len(group) >= 2:
        positions, _ = readings("".join(ch for _, ch in group), context)
        runs.append(Run(positions, tuple(start for start, _ in group)))


def skeleton(phrase: str) -> list[str]:
    """The certain readings of a phrase's words: how watched terms are stored for matching."""
    return [token.base for token in tokenise(phrase).tokens]


def fingerprint(text: str, title: str | None = None) -> str:
    """A hash that is equal for texts differing only in case, spacing, punctuation, accents or invisibles.

    The app stores it with each post; a repeat within the duplicate window is refused.
    A hash, not the text, so the history the engine needs carries no personal content.
    """
    reduced = comparable(text if title is None else f"{title}\n{text}")
    return hashlib.sha256(reduced.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def comparable(text: str) -> str:
    """Text reduced for duplicate comparison: casefolded letters, digits and symbols (emoji too), single-spaced."""
    folded = unicodedata.normalize("NFD", clean(text).casefold())
    return " ".join(_COMPARE.apply(folded).split())


def _compare_char(ch: str) -> str | None:
    kind = unicodedata.category(ch)[0]
    if kind in "LNS":
        return ch
    return " " if kind in "PZ" or ch.isspace() else None


_COMPARE = CharTable(_compare_char)
