"""Watched words per language: a Welsh list, and Welsh accented letters folded for matching only."""

from __future__ import annotations

import pytest

from moderation import (
    AuthorHistory,
    ContentKind,
    Context,
    Policy,
    PolicyError,
    Submission,
    TermAction,
    WatchedTerm,
    WatchList,
    evaluate,
)
from tests.moderation.helpers import NOW, member

WELSH_ONLY = WatchedTerm("twpsyn", TermAction.HOLD, lang="cy")
EVERYWHERE = WatchedTerm("idiot", TermAction.HOLD)
BOTH = WatchList((WELSH_ONLY, EVERYWHERE))


def found(watchlist: WatchList, text: str, lang: str | None = None) -> list[str]:
    return [m.term.text for m in watchlist.scan(text, lang)]


@pytest.mark.parametrize(
    ("watched", "written"),
    [
        ("gwr", "gŵr"),
        ("gŵr", "gwr"),
        ("gŵr", "GŴR"),
        ("tŷ", "ty"),
        ("ty", "tŷ"),
        ("tân", "tan"),
        ("mêl", "mel"),
        ("hîr", "hir"),
        ("dôl", "dol"),
        ("dŵr", "dwr"),
        ("caniatáu", "caniatau"),
        ("copïo", "copio"),
        ("cop", "cöp"),
        ("pàs", "pas"),
        ("gwr", "g\u0175r"),  # precomposed ŵ
        ("gwr", "gw\u0302r"),  # w + combining circumflex
    ],
)
def test_welsh_accents_fold_both_ways(watched, written):
    assert found(WatchList((WatchedTerm(watched),)), f"Mae'r {written} yma") == [watched]


def test_the_matched_text_keeps_its_circumflex():
    matches = WatchList((WatchedTerm("gwr"),)).scan("Y gŵr drwg")
    assert [m.text for m in matches] == ["gŵr"]


def test_a_welsh_only_term_hits_welsh_and_unknown_but_not_english():
    assert found(BOTH, "Rwyt ti'n dwpsyn, twpsyn", "cy") == ["twpsyn"]
    assert found(BOTH, "twpsyn", None) == ["twpsyn"]
    assert found(BOTH, "twpsyn", "") == ["twpsyn"]
    assert found(BOTH, "twpsyn", "en") == []


def test_a_term_for_every_language_hits_every_language():
    for lang in ("en", "cy", None):
        assert found(BOTH, "what an idiot", lang) == ["idiot"]


def test_an_english_only_term_does_not_hit_welsh():
    english = WatchList((WatchedTerm("idiot", lang="en"),))
    assert found(english, "idiot", "cy") == []
    assert found(english, "idiot", "en") == ["idiot"]


def test_the_engine_passes_the_submissions_language():
    policy = Policy(watchlist=BOTH)

    def held(lang):
        submission = Submission(ContentKind.REPLY, "Twpsyn!", Context(), None, lang)
        return evaluate(submission, member(), policy, AuthorHistory(), NOW).held

    assert held("cy") and held(None)
    assert not held("en")


def test_the_language_round_trips_through_the_stored_policy():
    policy = Policy(watchlist=BOTH)
    data = policy.to_dict()
    assert [t["lang"] for t in data["watchlist"]["terms"]] == ["cy", ""]
    assert Policy.from_dict(data) == policy


def test_a_stored_term_without_a_language_applies_to_all():
    data = Policy().to_dict()
    data["watchlist"]["terms"] = [{"text": "idiot", "action": "hold", "category": "spam", "note": ""}]
    assert Policy.from_dict(data).watchlist.terms[0].lang == ""


def test_a_malformed_language_is_refused():
    data = Policy().to_dict()
    data["watchlist"]["terms"] = [{"text": "idiot", "lang": "Welsh!"}]
    with pytest.raises(PolicyError):
        Policy.from_dict(data)
