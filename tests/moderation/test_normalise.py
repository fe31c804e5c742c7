"""Tokens, runs and fingerprints: the ground the matcher stands on."""

from __future__ import annotations

from moderation.normalise import clean, comparable, fingerprint, tokenise


def bases(text: str) -> list[str]:
    return [t.base for t in tokenise(text).tokens]


def test_clean_removes_format_characters_and_applies_nfkc():
    assert clean("ﬁ\u200bne \uff41") == "fine a"


def test_tokens_are_casefolded_without_accents():
    assert bases("Café NAÏVE Straße") == ["cafe", "naive", "strasse"]


def test_accents_stay_in_scripts_where_they_spell():
    assert bases("नमस्ते") == ["नमस्ते"]


def test_hangul_and_han_are_kept():
    assert bases("안녕하세요 你好") == ["안녕하세요", "你好"]


def test_runs_need_the_same_separator():
    runs = tokenise("a b c and x.y.z but p q.r").runs
    # A change of separator starts a new run from the last letter, so "x, i d i o t" still finds "idiot".
    assert ["".join(p[0][0] for p in run.positions) for run in runs] == ["abc", "xyz", "pq", "qr"]


def test_token_offsets_point_into_the_cleaned_text():
    text = tokenise("hi  there")
    assert [(t.start, t.end) for t in text.tokens] == [(0, 2), (4, 9)]


def test_fingerprint_ignores_case_spacing_punctuation_and_invisibles():
    assert fingerprint("Fix the  ROAD!!") == fingerprint("fix\u200b the road")
    assert fingerprint("Fix the road") != fingerprint("Fix the roads")


def test_fingerprint_keeps_emoji_apart():
    assert fingerprint("👍") != fingerprint("🎉")
    assert comparable("Great 👍!") == "great 👍"


def test_fingerprint_includes_the_title():
    assert fingerprint("body", "Title") != fingerprint("body")
