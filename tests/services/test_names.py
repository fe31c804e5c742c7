"""Display names in every script: real names pass, abuse (invisible padding, controls, direction tricks) does not."""

from __future__ import annotations

import json
import unicodedata

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from debate import create_app, lookalike
from debate.demo import seeding
from debate.errors import ValidationError
from debate.extensions import db
from debate.models import User
from debate.services.accounts import credentials as accounts
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
    return accounts.find_by_email(accounts.register(name, email, PASSWORD, PASSWORD))


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


# --- look-alikes (TR39 skeletons) ---------------------------------------------------------------

ROLE_LOOKALIKES = {
    "Cyrillic a": "\u0430dmin",
    "Greek capitals": "\u0391DMIN",
    "Cyrillic capitals": "\u041c\u041eD\u0415R\u0410\u0422\u041eR",
    "small capitals": "\u1d00\u1d05\u1d0d\u026a\u0274",
    "dotless i": "adm\u0131n",
    "rn for m": "adrnin",
    "capital I for l": "CounciIlor",
    "digit one for i": "ADM1N",
    "spaced letters": "a d m i n",
    "trailing no-break space": "admin\u00a0",
    "trailing narrow no-break space": "Moderator\u202f",
    "fullwidth": "\uff33\uff59\uff53\uff54\uff45\uff4d",
    "zero for o": "C0mmon Gr0und",
    "the council's name": "Y0ur Council",
}


@pytest.mark.parametrize("name", list(ROLE_LOOKALIKES.values()), ids=list(ROLE_LOOKALIKES))
def test_names_that_look_like_a_role_are_refused(app, name):
    with pytest.raises(ValidationError) as refused:
        register(name)
    assert "looks too like a role" in refused.value.message
    assert user_count() == 0


def test_a_combining_grapheme_joiner_does_not_hide_a_role_word(app):
    with pytest.raises(ValidationError) as refused:
        register("ad\u034fmin")
    assert refused.value.field == "display_name"


@pytest.mark.parametrize("name", ["Council Admin", "Morgan (moderator)", "Adam Inman", "Systematic Sam"])
def test_names_that_merely_contain_a_role_word_pass(app, name):
    assert register(name).display_name == name


MEMBER_LOOKALIKES = {
    "Cyrillic a": ("Emma Stone", "Emm\u0430 Stone"),
    "rn for m": ("Emma Stone", "Ernrna Stone"),
    "zero for o": ("Emma Stone", "Emma St0ne"),
    "other case": ("Emma Stone", "EMMA STONE"),
    "Greek capitals": ("KAI TOMIKO", "\u039a\u0391\u0399 \u03a4\u039f\u039c\u0399\u039a\u039f"),
    "capital I for l": ("Lila Bell", "Lila BeII"),
    "dotless i": ("Priya Shah", "Pr\u0131ya Shah"),
    "small capitals": ("ruth", "\u0280\u1d1c\u1d1b\u029c"),
    "punctuation": ("Jo Smith", "Jo. Smith"),
}


@pytest.mark.parametrize(("existing", "name"), list(MEMBER_LOOKALIKES.values()), ids=list(MEMBER_LOOKALIKES))
def test_names_that_look_like_another_members_are_refused_without_naming_them(app, existing, name):
    register(existing, "first@example.org")
    with pytest.raises(ValidationError) as refused:
        register(name, "second@example.org")
    assert refused.value.message == "That display name looks too like another member's name. Please choose another."
    assert user_count() == 1


def test_different_names_in_the_same_script_pass(app):
    register("Emma Stone", "first@example.org")
    assert register("Emma Stones", "second@example.org").display_name == "Emma Stones"
    assert register("Zoë", "third@example.org") and register("Zoe", "fourth@example.org")


def test_each_member_keeps_both_skeletons_in_step_with_the_name(app, make_user):
    user = make_user(name="Emma Stone")
    assert (user.name_skeleton, user.name_skeleton_cased) == ("ernrnastone", "ErnrnaStone")  # m looks like rn
    accounts.rename(user, "Ruth Nkosi")
    assert user.name_skeleton == "ruthnkosi"


def test_rename_follows_the_registration_rules(app, make_user):
    emma, other = make_user(name="Emma Stone"), make_user(name="Ruth Nkosi")
    with pytest.raises(ValidationError, match="another member"):
        accounts.rename(other, "Emm\u0430 Stone")
    with pytest.raises(ValidationError, match="looks too like a role"):
        accounts.rename(other, "\u0430dmin")
    with pytest.raises(ValidationError, match="invisible"):
        accounts.rename(other, "Ruth\u200b")
    db.session.refresh(other)
    assert other.display_name == "Ruth Nkosi"
    assert accounts.rename(emma, "EMMA STONE").display_name == "EMMA STONE"  # your own name in other case
    assert accounts.rename(other, "Emma Stone 2").display_name == "Emma Stone 2"


def test_a_name_given_up_is_free_again(app, make_user):
    emma = make_user(name="Emma Stone")
    accounts.rename(emma, "Emma S")
    assert register("Emma Stone").display_name == "Emma Stone"


def test_create_admin_refuses_a_lookalike_of_another_member(app, make_user):
    make_user(name="Emma Stone")
    with pytest.raises(ValidationError, match="another member"):
        seeding.create_admin("Emm\u0430 Stone", "boss@example.org", PASSWORD)
    admin = seeding.create_admin("Boss Person", "boss@example.org", PASSWORD)
    assert seeding.create_admin("BOSS PERSON", "boss@example.org", PASSWORD).id == admin.id  # its own name


def test_the_migration_backfills_the_skeletons_of_existing_names(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"})
    with app.app_context():
        upgrade(revision="0010_announced_votes")
        db.session.execute(
            text("INSERT INTO users (display_name, email, password_hash, role, created_at, failed_logins, "
                 "credentials_version) VALUES ('Emma Stone', 'e@example.org', '', 'resident', '2026-01-01', 0, 1)")
        )  # fmt: skip
        db.session.commit()
        upgrade(revision="0012_name_skeletons")
        row = db.session.execute(text("SELECT name_skeleton, name_skeleton_cased FROM users")).one()
        assert tuple(row) == lookalike.skeletons("Emma Stone")
        db.session.remove()
        db.engine.dispose()
