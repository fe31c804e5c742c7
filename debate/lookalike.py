"""Look-alike text: the Unicode TR39 confusable skeleton of a name, made case- and spacing-blind.

Two names with the same skeleton look the same to a reader: "аdmin" with a
Cyrillic "а", "ΑDMIN" in Greek capitals, "ᴀᴅᴍɪɴ" in small capitals, "admın" with
a dotless "ı", "adrnin", and "ad min" all have the skeleton of "admin".

The data is Unicode's confusables.txt as shipped by confusable-homoglyphs
(pinned in requirements.txt), which stores each line "source → prototype" in
both directions and offers no skeleton function. The table is rebuilt here:
in confusables.txt every confusable set is a star (a prototype and the
characters mapped to it; a prototype is never itself mapped), so a character
with several partners, or whose partner is a string of several characters,
is the prototype. For a pair of single characters that only map to each other
the direction cannot be read from the data; either member serves as the
prototype, because skeletons are only compared for equality.

skeleton(X), after UTS #39 section 4 (with Default_Ignorable_Code_Point removal
as in Unicode 15.1), applied to NFKC text: NFD, drop default-ignorable code
points, replace each character by its prototype (small capitals by their
letter), NFD again; for the case-blind form, case-folded and repeated while
that finds more; then spaces and punctuation are dropped, so "J. Smith" and
"J Smith" compare equal.
"""

from __future__ import annotations

import functools
import unicodedata

import regex
from confusable_homoglyphs.confusables import confusables_data

_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
_SPACING = regex.compile(r"[\p{Z}\p{P}]")
# Blocks holding small capital letters ("LATIN LETTER SMALL CAPITAL A"); TR39 maps only some of them.
_SMALL_CAPITAL_BLOCKS = ((0x0250, 0x02AF), (0x1D00, 0x1DBF), (0xA720, 0xA7FF), (0x10780, 0x107BF))
_SMALL_CAPITAL = regex.compile(r"^(\w+) LETTER SMALL CAPITAL (.+)$")


def skeletons(text: str) -> tuple[str, str]:
    """The two forms that look-alike names share: (case-folded, as written).

    Both are needed: folding case first makes "ADMIN" meet "admin", but it also
    turns a capital "I" into "i" where, as written, it reads as "l" ("counciIlor").
    Two names look alike when either form of one equals either form of the other.
    """
    text = unicodedata.normalize("NFKC", text)
    return skeleton(text.casefold(), fold=True), skeleton(text, fold=False)


def skeleton(text: str, *, fold: bool = True) -> str:
    """One form of a look-alike (not for display: "m" becomes "rn")."""
    table = _table()
    for _ in range(4):  # case folding a prototype can reach another table entry ("0" -> "O" -> "o")
        decomposed = _IGNORABLE.sub("", unicodedata.normalize("NFD", text))
        mapped = unicodedata.normalize("NFD", "".join(table.get(ch, ch) for ch in decomposed))
        mapped = mapped.casefold() if fold else mapped
        if mapped == text:
            break
        text = mapped
    return _SPACING.sub("", text) or text


@functools.cache
def _table() -> dict[str, str]:
    """Character -> prototype string, closed under itself (every prototype maps to itself)."""
    partners: dict[str, set[str]] = {}
    for key, entries in confusables_data.items():
        source = _plain(key)
        for entry in entries:
            partners.setdefault(source, set()).add(_plain(entry["c"]))
    table: dict[str, str] = {}
    for char, others in partners.items():
        if len(char) != 1 or len(others) != 1:
            continue  # a prototype: several characters map to it (or it is a string)
        (other,) = others
        if len(other) > 1 or len(partners.get(other, ())) > 1:
            table[char] = other
        elif other < char:
            table[char] = other  # a pair mapping only to each other: the lower code point stands for both
    table.update(_small_capitals())
    return {char: _close(proto, table) for char, proto in table.items()}


def _plain(value: str) -> str:
    # The package copies strings from confusables.txt's comments, where right-to-left ones carry LRMs.
    return unicodedata.normalize("NFD", value.replace("\u200e", ""))


def _close(proto: str, table: dict[str, str]) -> str:
    for _ in range(4):
        mapped = "".join(table.get(ch, ch) for ch in proto)
        if mapped == proto:
            break
        proto = mapped
    return proto


def _small_capitals() -> dict[str, str]:
    """ᴀ -> a, ʀ -> r, ᴦ -> γ...: a small capital reads as its letter, in a name as anywhere."""
    found = {}
    for start, end in _SMALL_CAPITAL_BLOCKS:
        for code in range(start, end + 1):
            match = _SMALL_CAPITAL.match(unicodedata.name(chr(code), ""))
            if match:
                try:
                    found[chr(code)] = unicodedata.lookup(f"{match[1]} SMALL LETTER {match[2]}")
                except KeyError:
                    continue
    return found
