"""Find watched words and phrases in tokenised text, whole words only.

Terms live in a trie of their certain readings, words joined by one space.
The text is walked from each token with a small set of states (trie node,
previous letter, certain?); each written character may advance by any of its
readings. A match must end exactly at a token's end (or anywhere, for a
prefix term written "word*"), so "class" never matches "ass": this is what
keeps the Scunthorpe problem away. Repeated letters ("iddiiot") may stay on
the same node, as a guess. Runs of spaced single letters are walked as one
word, from every position; only a match covering the whole run is certain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from moderation.normalise import Position, Run, Token, Tokenised

_END = 0  # trie key: whole-word terms ending here
_PREFIX = 1  # trie key: prefix terms ending here
_MAX_WALK = 256  # positions one walk may consume; bounds stretched repeats and floods
_MAX_CACHED_WALKS = 50_000
_RUN_SLACK = 8  # repeated letters allowed beyond a term's length inside a run of single letters

Node = dict[str | int, Any]  # a letter -> the next node; _END / _PREFIX -> the terms ending here


@dataclass(frozen=True, slots=True)
class Hit:
    term: int  # index into the compiled term list
    start: int  # offsets in the cleaned text
    end: int
    certain: bool


class Trie:
    """Compiled watched terms: `add` each term's words, then `find` in tokenised text."""

    def __init__(self) -> None:
        self.root: Node = {}
        self.longest = 0  # characters in the longest term, bounds walks inside runs
        self._walks: dict[tuple[tuple[Position, ...], bool], Walk] = {}  # a word's walk from the root: most words recur

    def add(self, words: Sequence[str], term: int, *, prefix: bool) -> None:
        node = self.root
        path = " ".join(words)
        self.longest = max(self.longest, len(path))
        for ch in path:
            node = node.setdefault(ch, {})
        node.setdefault(_PREFIX if prefix else _END, []).append(term)
        self._walks.clear()

    def find(self, text: Tokenised, *, stretch: bool, skip: frozenset[str] = frozenset()) -> list[Hit]:
        """Every match of a term in the text; tokens whose reading is in `skip` never take part."""
        hits: list[Hit] = []
        tokens = text.tokens
        for i, token in enumerate(tokens):
            if token.base not in skip and _first_step(self.root, token.positions[0]):
                hits.extend(self._from_token(tokens, i, stretch, skip))
        for run in text.runs:
            hits.extend(self._in_run(run, stretch))
        return hits

    def _from_token(self, tokens: Sequence[Token], i: int, stretch: bool, skip: frozenset[str]) -> Iterable[Hit]:
        first = tokens[i]
        found, states = self._first_word(first.positions, stretch)
        yield from (Hit(term, first.start, first.end, certain) for term, certain in found)
        for token in tokens[i + 1 :]:
            if not states or token.base in skip:
                return
            found, states = _walk(states, token.positions, stretch)
            yield from (Hit(term, first.start, token.end, certain) for term, certain in found)

    def _first_word(self, positions: tuple[Position, ...], stretch: bool) -> Walk:
        key = (positions, stretch)
        walk = self._walks.get(key)
        if walk is None:
            if len(self._walks) >= _MAX_CACHED_WALKS:
                self._walks.clear()
            walk = self._walks[key] = _walk(_start(self.root), positions, stretch)
        return walk

    def _in_run(self, run: Run, stretch: bool) -> Iterable[Hit]:
        size = len(run.positions)
        reach = self.longest + _RUN_SLACK
        for first in range(size):
            states = _start(self.root)
            for last in range(first, min(size, first + reach)):
                states = _step(states, run.positions[last], stretch)
                states.update(_spaces(states))  # "s h u t u p" may spell the phrase "shut up"
                if not states:
                    break
                whole = first == 0 and last == size - 1
                start, end = run.starts[first], run.starts[last] + 1
                for key in (_END, _PREFIX):
                    for term, certain in _ends(states, key):
                        yield Hit(term, start, end, certain and whole)


State = tuple[Node, str | None, bool]  # (node, previous letter, certain so far)
States = dict[tuple[int, str | None], State]  # by (the node's id, previous letter)
Walk = tuple[tuple[tuple[int, bool], ...], States]  # (terms completed with certainty, states going on)


def _start(root: Node) -> States:
    return {(id(root), None): (root, None, True)}


def _first_step(root: Node, position: Position) -> bool:
    """Cheap test: can any reading of the first character begin a term? Most words fail here."""
    return any(not text or text[0] in root for text, _ in position)


def _step(states: States, position: Position, stretch: bool) -> States:
    out: States = {}
    for node, previous, certain in states.values():
        for text, sure in position:
            if not text:
                _put(out, node, previous, certain and sure)
                continue
            following = _follow(node, text)
            if following is not None:
                _put(out, following, text[-1], certain and sure)
            if stretch and text == previous:
                _put(out, node, previous, False)
    return out


def _follow(node: Node, text: str) -> Node | None:
    for ch in text:
        following = node.get(ch)
        if following is None:
            return None
        node = following
    return node


def _put(out: States, node: Node, previous: str | None, certain: bool) -> None:
    key = (id(node), previous)
    known = out.get(key)
    if known is None or (certain and not known[2]):
        out[key] = (node, previous, certain)


def _spaces(states: States) -> States:
    """Move states that finished a word of a phrase onto the phrase's next word."""
    out: States = {}
    for node, _, certain in states.values():
        following = node.get(" ")
        if following is not None:
            _put(out, following, None, certain)
    return out


def _ends(states: States, key: int) -> Iterable[tuple[int, bool]]:
    for node, _, certain in states.values():
        for term in node.get(key, ()):
            yield term, certain


def _walk(states: States, positions: tuple[Position, ...], stretch: bool) -> Walk:
    """Walk one word: the terms it completes (prefix terms anywhere, whole terms at its end),
    and the states that may go on into the next word of a phrase."""
    found: list[tuple[int, bool]] = []
    for count, position in enumerate(positions):
        states = _step(states, position, stretch)
        if not states or count > _MAX_WALK:
            return tuple(found), {}
        found.extend(_ends(states, _PREFIX))
    found.extend(_ends(states, _END))
    return tuple(found), _spaces(states)
