"""Watched words and phrases: data an admin edits, compiled once for matching.

Each term has an action: BLOCK (reject the post), HOLD (a moderator checks it
first) or FLAG (publish, but put it in the moderators' queue). A trailing "*"
makes a prefix term ("idiot*" also catches "idiots", "idiotic"): admins opt
into that knowingly, since prefixes bring back false hits ("ass*" hits "assess").

A BLOCK term found only by guessing (leetspeak digits, repeated letters,
spaced letters inside a longer run, a whole look-alike word) holds the post
instead of rejecting it, unless `block_guesses` is set: digits and doubled
letters collide with innocent text, and a person should make that call.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import cached_property

from moderation.categories import Category
from moderation.matcher import Hit, Trie
from moderation.normalise import Tokenised, skeleton, tokenise

_LANG = re.compile(r"[a-z]{2,3}")


def applies(term_lang: str, content_lang: str | None) -> bool:
    """Whether a term for `term_lang` ("" = every language) watches content marked `content_lang`.

    Content whose language is not known (None or "") is checked against every list."""
    return not term_lang or not content_lang or term_lang == content_lang


class TermAction(str, enum.Enum):
    BLOCK = "block"
    HOLD = "hold"
    FLAG = "flag"


@dataclass(frozen=True)
class WatchedTerm:
    """A word or phrase as the admin typed it; matched case- and disguise-insensitively."""

    text: str
    action: TermAction = TermAction.HOLD
    category: Category = Category.ABUSE_HARASSMENT
    note: str = ""  # for admins: why the term is watched
    lang: str = ""  # "" for every language, else the one language it applies to ("cy": Welsh only)

    def __post_init__(self) -> None:
        if self.lang and not _LANG.fullmatch(self.lang):
            raise ValueError(f"watched term {self.text!r}: language {self.lang!r} is not a language code like cy")
        body = self.text.strip().removesuffix("*")
        if "*" in body:
            raise ValueError(f"watched term {self.text!r}: only a trailing * (prefix) is supported")
        if not skeleton(body):
            raise ValueError(f"watched term {self.text!r} has no letters or digits to match")

    @property
    def prefix(self) -> bool:
        return self.text.strip().endswith("*")

    @property
    def words(self) -> list[str]:
        return skeleton(self.text.strip().removesuffix("*"))


@dataclass(frozen=True)
class TermMatch:
    """Where a term matched in one text; `certain` is False when found only by guessing."""

    term: WatchedTerm
    text: str  # the matched text as written (after invisible characters were removed)
    certain: bool


@dataclass(frozen=True)
class WatchList:
    """The admin's list. `exceptions` are words never matched (e.g. a place name that looks like a term)."""

    terms: tuple[WatchedTerm, ...] = ()
    exceptions: tuple[str, ...] = ()
    stretch: bool = True  # match repeated letters: "stuuupid", "iddiiot"
    block_guesses: bool = False

    @cached_property
    def _trie(self) -> Trie:
        trie = Trie()
        for index, term in enumerate(self.terms):
            trie.add(term.words, index, prefix=term.prefix)
        return trie

    @cached_property
    def _skip(self) -> frozenset[str]:
        return frozenset(word for phrase in self.exceptions for word in skeleton(phrase))

    def scan(self, text: str | Tokenised, lang: str | None = None) -> tuple[TermMatch, ...]:
        """Every watched term in `text`, once per term, certain matches preferred.

        `lang` is the content's marked language: a term for another language is not looked for
        (a Welsh-only term never hits English-marked text); unknown (None) checks every term."""
        tokenised = tokenise(text) if isinstance(text, str) else text
        if not self.terms:
            return ()
        best: dict[int, Hit] = {}
        for hit in self._trie.find(tokenised, stretch=self.stretch, skip=self._skip):
            if not applies(self.terms[hit.term].lang, lang):
                continue
            known = best.get(hit.term)
            if known is None or (hit.certain and not known.certain):
                best[hit.term] = hit
        return tuple(
            TermMatch(self.terms[i], tokenised.text[hit.start : hit.end], hit.certain)
            for i, hit in sorted(best.items())
        )


def with_terms(watchlist: WatchList, *terms: WatchedTerm) -> WatchList:
    """A copy with more terms (handy for admin previews and tests)."""
    return WatchList(watchlist.terms + terms, watchlist.exceptions, watchlist.stretch, watchlist.block_guesses)
