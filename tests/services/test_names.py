"""Display names in every script: real names pass, abuse (invisible padding, controls, direction tricks) does not."""

from __future__ import annotations

import json
import unicodedata

import pytest
from sqlalchemy import func, select

from debate.errors import ValidationError
from debate.extensions import db
from debate.models import User
from debate.services import accounts
from tests.conftest import PASSWORD
from tests.support.corpora import CORPORA

CORPUS = {row["id"]: row for row in map(json.loads, (CORPORA / "unicode.jsonl").read_text().splitlines())}
# The corpus lines that are text people really write (names, greetings in their script).
CORPUS_NAMES = ["uni-017", "uni-018", "uni-029", "uni-032", "uni-033", "uni-034", "uni-035", "uni-036"]
# The corpus lines that only hide, reorder or break text.
CORPUS_ABUSE = [
    "uni-000", "uni-001", "uni-002", "uni-003", "uni-004", "uni-005", "uni-006", "uni-015", "uni-016",
    "uni-019", "uni-020", "uni-021", "uni-023", "uni-024", "uni-025", "uni-026", "uni-027", "uni-028",
]  # fmt: skip

REAL_NAMES = {
    "one Han character": "李",
    "one Hangul syllable": "민",
    "one Japanese kana": "ゆ",
    "one emoji": "🦊",
    "emoji only": "🌻🌻",
    "family emoji (ZWJ)": "👨\u200d👩\u200d👧\u200d👦",
    "profession emoji with a skin tone (ZWJ)": "🧑🏽\u200d💻",
    "rainbow flag (VS16 and ZWJ)": "🏳️\u200d🌈",
    "flag of Wales (tag letters)": "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f",
    "Persian with ZWNJ": "می\u200cخواهم",
    "Persian full name with ZWNJ": "مریم\u200cالسادات رضایی",
    "Telugu with ZWNJ after a virama": "ప్రశాంత్\u200c",
    "Sinhala with ZWJ after a virama": "ශ්\u200dරී ලංකා",
    "Japanese name with an ideographic variant": "葛\U000e0100飾 北斎",
    "Vietnamese": "Nguyễn Thị Minh Khai",
}

ABUSE = {
    "one Latin letter": ("A", "at least 2 characters"),
    "ZWNJ at the start": ("\u200cAda", "invisible"),
    "ZWNJ at the end of a Latin word": ("Ada\u200c", "invisible"),
    "ZWNJ inside a Latin word": ("Lo\u200cvelace", "invisible"),
    "ZWJ inside a Latin word": ("s\u200dtupid", "invisible"),
    "ZWJ after an emoji with nothing to join": ("🦊\u200d", "invisible"),
    "combining grapheme joiner": ("Ad\u034fa", "invisible"),
    "trailing braille blank": ("Ada\u2800", "invisible"),
    "variation selectors on a letter": ("Ada\ufe0f", "invisible"),
    "tag letters without a flag": ("hi\U000e0041\U000e0042", "invisible"),
    "right-to-left override": ("Ada\u202eecalevoL", "direction"),
    "right-to-left mark": ("Ada\u200f", "direction"),
    "only punctuation": ("!!! ???", "letters, numbers or emoji"),
}


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


def register(name: str, email: str = "person@example.org") -> User:
    return accounts.register(name, email, PASSWORD, PASSWORD)


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize("name", list(REAL_NAMES.values()), ids=list(REAL_NAMES))
def test_real_names_in_every_script_are_accepted_as_written(app, name):
    assert register(name).display_name == name


@pytest.mark.parametrize("entry", CORPUS_NAMES)
def test_corpus_text_people_write_is_a_valid_name(app, entry):
    text = CORPUS[entry]["input"]
    assert accounts.clean_display_name(text) == unicodedata.normalize("NFC", " ".join(text.split()))


@pytest.mark.parametrize(("name", "says"), list(ABUSE.values()), ids=list(ABUSE))
def test_abuse_is_refused_with_its_reason_and_nothing_is_stored(app, name, says):
    with pytest.raises(ValidationError) as refused:
        register(name)
    assert refused.value.field == "display_name"
    assert says in refused.value.message
    assert user_count() == 0


@pytest.mark.parametrize("entry", CORPUS_ABUSE)
def test_corpus_evasions_are_refused_as_names(app, entry):
    with pytest.raises(ValidationError):
        accounts.clean_display_name(CORPUS[entry]["input"])
