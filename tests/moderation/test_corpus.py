"""Every case in the shared Unicode corpus, through the whole engine.

Each corpus id is sorted into exactly one expectation below, so a new corpus
line fails here until someone decides what the engine should do with it.
"""

from __future__ import annotations

import json

import pytest

from moderation import Action, ContentKind, LengthLimits, ReasonCode, TermAction
from tests.support.corpora import CORPORA

from .helpers import codes, judge, watching

CORPUS = CORPORA / "unicode.jsonl"
ENTRIES = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]

# Evasions of a watched word: id -> the word hidden in it.
EVASIONS = {
    "uni-000": "idiot",
    "uni-001": "stupid",
    "uni-002": "idiot",
    "uni-003": "idiot",
    "uni-004": "idiot",
    "uni-007": "idiot",
    "uni-008": "idiot",
    "uni-009": "idiot",
    "uni-010": "idiot",
    "uni-011": "idiot",
    "uni-012": "idiot",
    "uni-013": "idiot",
    "uni-014": "idiot",
    "uni-030": "idiot",
}
DIRECTION = {"uni-005", "uni-006"}  # bidi overrides/embeddings: held for a person
FLOODS = {"uni-015", "uni-016"}  # stacked accents: held for a person
CONTROLS = {"uni-019", "uni-020", "uni-021"}  # NUL, C0, DEL/C1: refused
EMPTY = {"uni-023", "uni-024", "uni-025", "uni-026"}  # nothing visible: refused as empty
INNOCENT = {
    "uni-017",
    "uni-018",
    "uni-022",
    "uni-027",
    "uni-028",
    "uni-029",
    "uni-031",
    "uni-032",
    "uni-033",
    "uni-034",
    "uni-035",
    "uni-036",
}
# Watched words that real text in the corpus contains as parts of words: "hello", "finance", "café".
POLICY = watching("idiot", "stupid") if ENTRIES else None
TRAPS = watching("hell", "fin", "caf", "ell", "am", "ass", action=TermAction.BLOCK) if ENTRIES else None


def text_cases():
    return [e for e in ENTRIES if "input" in e]


def size_cases():
    return [e for e in ENTRIES if "repeat" in e]


def test_every_text_case_has_an_expectation():
    groups = [set(EVASIONS), DIRECTION, FLOODS, CONTROLS, EMPTY, INNOCENT]
    ids = {e["id"] for e in text_cases()}
    assert sum(len(g) for g in groups) == len(set().union(*groups)), "an id is in two groups"
    assert ids == set().union(*groups)


@pytest.mark.parametrize("entry", text_cases(), ids=lambda e: e["id"])
def test_text_case(entry):
    case, text = entry["id"], entry["input"]
    verdict = judge(text, policy=POLICY)
    if case in EVASIONS:
        assert verdict.action is Action.HOLD
        assert [m.term for m in verdict.matches] == [EVASIONS[case]]
        assert codes(verdict) == {ReasonCode.WATCHED_HELD.value}
    elif case in DIRECTION:
        assert verdict.action is Action.HOLD
        assert codes(verdict) == {ReasonCode.DIRECTION_CONTROLS.value}
    elif case in FLOODS:
        assert verdict.action is Action.HOLD
        assert codes(verdict) == {ReasonCode.COMBINING_FLOOD.value}
        assert verdict.matches == ()
    elif case in CONTROLS:
        assert verdict.action is Action.REJECT
        assert codes(verdict) == {ReasonCode.CONTROL_CHARACTERS.value}
    elif case in EMPTY:
        assert verdict.action is Action.REJECT
        assert codes(verdict) == {ReasonCode.EMPTY.value}
    else:
        assert verdict.action is Action.PUBLISH, verdict.reasons
        assert verdict.matches == ()


@pytest.mark.parametrize("entry", [e for e in text_cases() if e["id"] in INNOCENT], ids=lambda e: e["id"])
def test_innocent_text_does_not_trip_fragments_of_words(entry):
    verdict = judge(entry["input"], policy=TRAPS)
    assert verdict.action is Action.PUBLISH
    assert verdict.matches == ()


@pytest.mark.parametrize("entry", [e for e in text_cases() if e["id"] in INNOCENT], ids=lambda e: e["id"])
def test_real_text_works_as_a_display_name_and_a_question(entry):
    for kind in (ContentKind.DISPLAY_NAME, ContentKind.QUESTION):
        assert judge(entry["input"], kind=kind).action is Action.PUBLISH


@pytest.mark.parametrize("entry", size_cases(), ids=lambda e: e["id"])
@pytest.mark.parametrize("kind", list(ContentKind), ids=lambda k: k.value)
def test_size_case(entry, kind):
    text = entry["repeat"] * entry["times"]
    limit = LengthLimits().for_kind(kind)
    verdict = judge(text, kind=kind)
    if not text.strip():
        assert codes(verdict) == {ReasonCode.EMPTY.value}
    elif len(text) > limit:
        assert verdict.action is Action.REJECT
        [reason] = verdict.reasons
        assert reason.code is ReasonCode.TOO_LONG
        assert f"{limit:,}" in reason.message and f"{len(text):,}" in reason.message
        assert reason.params == {"length": len(text), "limit": limit}
    else:
        assert ReasonCode.TOO_LONG.value not in codes(verdict)
        assert verdict.action is not Action.REJECT
