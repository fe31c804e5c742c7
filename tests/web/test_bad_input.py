"""Bad and hostile input over HTTP: CSRF, empty and huge fields, corpora of awkward names."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from markupsafe import escape
from werkzeug.routing import IntegerConverter

from debate.extensions import db
from debate.models import Role, User
from debate.services import mail
from tests.conftest import PASSWORD
from tests.support.corpora import CORPORA

EMAIL = "newcomer@example.org"


def load_corpus(name: str) -> list[tuple[str, str]]:
    """(id, input) pairs; size cases are `repeat` repeated `times` times (see the corpora README)."""
    path = CORPORA / name
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            value = case["input"] if "input" in case else case["repeat"] * case["times"]
            cases.append((case["id"], value))
    return cases


UNICODE = dict(load_corpus("unicode.jsonl"))
HOSTILE = load_corpus("unicode.jsonl") + load_corpus("xss_public.jsonl")

NON_LATIN_NAMES = [
    "محمد علي",  # Arabic
    "王小明",  # Chinese
    "नमस्ते दुनिया",  # Devanagari
    "श्री राम",  # Devanagari with conjuncts
    "Иван Петров",  # Cyrillic
    "דוד לוי",  # Hebrew
    "Νίκος Παπαδόπουλος",  # Greek
    "山田 太郎",  # Japanese
    "김민준",  # Korean
    "தமிழ் செல்வி",  # Tamil
]
MUST_ACCEPT_IDS = ["uni-029", "uni-032", "uni-033", "uni-034", "uni-035", "uni-036"]
MUST_REJECT_IDS = ["uni-000", "uni-001", "uni-002", "uni-003", "uni-004", "uni-005", "uni-006", "uni-024"]


def html(response) -> str:
    return response.get_data(as_text=True)


def register(client, name="New Comer", email=EMAIL, password=PASSWORD, confirm=None, **extra):
    """Post the form; when it registers (200, "Check your email"), sign in too, to read the pages as the member."""
    data = {"display_name": name, "email": email, "password": password, "confirm": confirm or password}
    response = client.post("/register", data={**data, **extra})
    if response.status_code == 200:
        client.post("/login", data={"email": email, "password": password, "csrf_token": extra.get("csrf_token", "")})
    return response


def users() -> int:
    db.session.expire_all()
    return db.session.query(User).count()


def error_summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def assert_no_injected_script(page: str) -> None:
    lower = page.lower()
    ours = lower.count('<script src="/static/') + lower.count('<script src="/i18n/')
    assert lower.count("<script") == ours, "a <script> tag was injected"


def assert_shown_escaped(page: str, name: str) -> None:
    assert str(escape(name)) in page
    if str(escape(name)) != name:
        assert name not in page
    assert_no_injected_script(page)


def assert_refused(response, *words: str) -> None:
    assert response.status_code == 400
    summary = error_summary(html(response)).lower()
    for word in words:
        assert word.lower() in summary
    assert users() == 0


# --- CSRF ---------------------------------------------------------------------------------


@pytest.fixture
def csrf(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def csrf_token(client, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html(client.get(path)))
    assert match
    return match.group(1)


def test_post_without_csrf_token_is_refused_and_writes_nothing(client, csrf):
    response = register(client)
    assert response.status_code == 400
    assert "This form has expired" in html(response)
    assert users() == 0
    assert mail.outbox() == []


def test_post_with_wrong_csrf_token_is_refused(client, csrf):
    csrf_token(client, "/register")
    response = register(client, csrf_token="forged")
    assert response.status_code == 400
    assert "This form has expired" in html(response)
    assert users() == 0


def test_post_with_csrf_token_from_the_form_succeeds(client, csrf):
    response = register(client, csrf_token=csrf_token(client, "/register"))
    assert response.status_code == 200 and "Check your email" in html(response)
    assert users() == 1


def test_logout_without_csrf_token_keeps_you_signed_in(client, csrf, make_user):
    user = make_user()
    token = csrf_token(client, "/login")
    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}).status_code == 302
    )
    assert client.post("/logout").status_code == 400
    assert client.get("/api/v1/me").status_code == 200


def test_admin_action_without_csrf_token_changes_nothing(client, csrf, make_user):
    admin, target = make_user(Role.ADMIN), make_user()
    client.post("/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")})
    response = client.post("/admin/moderators", data={"user_id": str(target.id), "action": "appoint"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, target.id).role == Role.RESIDENT.value


# --- empty, invalid and over-long fields --------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("display_name", "Display name is required"),
        ("email", "Email address is required"),
        ("password", "Password is required"),
    ],
)
def test_empty_field_is_refused(client, field, message):
    data = {"display_name": "New Comer", "email": EMAIL, "password": PASSWORD, "confirm": PASSWORD, field: ""}
    assert_refused(client.post("/register", data=data), message)


def test_missing_fields_are_refused(client):
    assert_refused(client.post("/register", data={}), "Display name is required")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"name": "x" * 10_000}, ["Display name is too long"]),
        ({"name": "x" * 61}, ["Display name is too long"]),
        ({"email": "a" * 300 + "@example.org"}, ["Email address is too long"]),
        ({"password": "p" * 5000}, ["Password is too long"]),
        ({"email": "not an email"}, ["email address is not valid"]),
        ({"email": "<script>@example.org"}, ["email address is not valid"]),
        ({"confirm": "something different"}, ["do not match"]),
        ({"password": "short"}, ["at least 10 characters"]),
    ],
)
def test_invalid_registration_is_refused(client, kwargs, words):
    response = register(client, **kwargs)
    assert_refused(response, *words)
    assert_no_injected_script(html(response))


def test_body_over_one_megabyte_is_413(client):
    response = register(client, name="a" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert "That was too large" in html(response)
    assert users() == 0


def test_duplicate_registration_creates_one_user(app, client):
    assert register(client).status_code == 200
    again = register(app.test_client(), name="Other Person")  # the address again, from another browser
    assert again.status_code == 200 and "Check your email" in html(again)  # as for a new address
    assert register(client).status_code == 302  # same browser: signed in by now, sent home
    assert users() == 1
    assert [m["Subject"].split("] ")[1] for m in mail.outbox()] == [
        "Confirm your email address",
        "Someone tried to register with your email address",
    ]


def test_duplicate_registration_in_other_case_creates_one_user(app, client):
    register(client, email=EMAIL)
    again = register(app.test_client(), name="Other Person", email=EMAIL.upper())
    assert again.status_code == 200 and "Check your email" in html(again)
    assert users() == 1


def test_login_with_over_long_fields_is_a_normal_refusal(client):
    response = client.post("/login", data={"email": "a" * 10_000, "password": "p" * 10_000})
    assert response.status_code == 400
    assert "Email or password is not right" in html(response)


def test_nul_byte_in_sign_in_email_is_a_normal_refusal(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email + "\x00", "password": PASSWORD})
    assert response.status_code == 400
    assert "Email or password is not right" in html(response)


def test_nul_byte_in_admin_search_is_harmless(client, make_user, login):
    login(make_user(Role.ADMIN))
    assert client.get("/admin/", query_string={"q": "a\x00b"}).status_code == 200


def test_representative_request_with_over_long_title_is_refused(client, make_user, login):
    login(make_user())
    response = client.post(
        "/account/representative", data={"kind": "councillor", "title": "<b>" * 5000, "area": "Hill", "party": ""}
    )
    assert response.status_code == 400
    assert "Title is too long" in error_summary(html(response))
    assert_no_injected_script(html(response))


# --- hostile and awkward display names ----------------------------------------------------


@pytest.mark.parametrize(("case_id", "name"), HOSTILE, ids=[case_id for case_id, _ in HOSTILE])
def test_hostile_display_name_is_refused_clearly_or_shown_escaped(app, client, make_user, login, case_id, name):
    response = register(client, name=name)
    if response.status_code == 413:
        assert "That was too large" in html(response)
        assert users() == 0
        return
    if response.status_code == 400:
        assert "display name" in error_summary(html(response)).lower()
        assert users() == 0
        assert_no_injected_script(html(response))
        if "<" in name:
            assert name not in html(response)  # the form echoes it back, escaped
        return
    assert response.status_code == 200, response.status_code
    stored = db.session.query(User).one().display_name
    assert_shown_escaped(html(client.get("/account/")), stored)
    admin_client = app.test_client()
    admin_client.post("/login", data={"email": make_user(Role.ADMIN).email, "password": PASSWORD})
    assert_shown_escaped(html(admin_client.get("/admin/")), stored)


@pytest.mark.parametrize("name", NON_LATIN_NAMES + [UNICODE[i] for i in MUST_ACCEPT_IDS if i in UNICODE])
def test_real_names_in_any_script_are_accepted(client, name):
    response = register(client, name=name)
    assert response.status_code == 200, error_summary(html(response))
    stored = db.session.query(User).one().display_name
    assert stored == " ".join(unicodedata.normalize("NFC", name).split())
    assert str(escape(stored)) in html(client.get("/account/"))


@pytest.mark.parametrize(
    "name",
    [UNICODE[i] for i in MUST_REJECT_IDS if i in UNICODE]
    + ["Ada\u200bLovelace", "Ada\u202eecalevoL", "\u2066Ada\u2069", "Ada\u200fLovelace", "Ada\ufeff"],
)
def test_bidi_and_zero_width_characters_are_refused(client, name):
    assert_refused(register(client, name=name), "invisible or direction-changing")


@pytest.mark.parametrize("name", ["Ada\x00Lovelace", "Ada\x07Lovelace", "Ada\x1b[31m", "Ada\x9bLovelace"])
def test_control_characters_are_refused(client, name):
    assert_refused(register(client, name=name), "control characters")


@pytest.mark.parametrize("name", ["\u3164\u3164", "\u3164 \u3164", "\uffa0\uffa0", "\u115f\u1160"])
def test_invisible_only_names_are_refused(client, name):
    assert_refused(register(client, name=name), "display name")


@pytest.mark.parametrize("name", ["Ａｄｍｉｎ", "ＭＯＤＥＲＡＴＯＲ", "ｆｏｒｍｅｒ ｍｅｍｂｅｒ"])
def test_reserved_names_cannot_be_spelled_in_fullwidth(client, name):
    assert_refused(register(client, name=name), "reserved")


def test_name_with_markup_is_stored_as_text_and_escaped(client):
    name = '<img src=x onerror="alert(1)">'
    assert register(client, name=name).status_code == 200
    assert db.session.query(User).one().display_name == name
    page = html(client.get("/account/"))
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert "<img src=x" not in page


# --------------------------------------------------------------------------- ids beyond the database's integers

TOO_BIG = 99_999_999_999_999_999_999  # an id no database column can hold (ids are 32-bit on PostgreSQL)


def int_routes(app) -> list[tuple[str, str]]:
    """(method, path) for every route with a number in its path, the number TOO_BIG, any other part "x"."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not any(isinstance(converter, IntegerConverter) for converter in rule._converters.values()):
            continue
        path = rule.rule
        for name, converter in rule._converters.items():
            value = TOO_BIG if isinstance(converter, IntegerConverter) else "x"
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(value), path)
        routes += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


def test_every_route_with_an_id_answers_404_for_an_id_no_column_can_hold(app, client, make_user, login):
    """The database failed on such ids (SQLite: OverflowError, PostgreSQL: integer out of range): a 500 each."""
    login(make_user(Role.ADMIN))
    routes = int_routes(app)
    assert len(routes) > 70  # every blueprint's
    answers = {(method, path): client.open(path, method=method).status_code for method, path in routes}
    assert {key: status for key, status in answers.items() if status != 404} == {}


@pytest.mark.parametrize("path", ["/threads/{}", "/replies/{}/history", "/api/v1/threads/{}", "/sessions/{}"])
def test_the_largest_id_a_column_holds_is_still_an_id_and_simply_not_found(client, path):
    """2**31 - 1 is PostgreSQL's largest integer: looked up (not found); one more is no id at all."""
    assert client.get(path.format(2**31 - 1)).status_code == 404
    assert client.get(path.format(2**31)).status_code == 404
    assert client.get(path.format("9" * 5000)).status_code == 404  # past Python's 4,300-digit int() limit


ADMIN_FORMS = ["/admin/moderators", "/admin/representatives/verify", "/admin/representatives/revoke"]


@pytest.mark.parametrize("path", ADMIN_FORMS)
def test_admin_forms_refuse_an_id_no_column_can_hold(client, make_user, login, path):
    login(make_user(Role.ADMIN))
    response = client.post(path, data={"user_id": str(TOO_BIG), "profile_id": str(TOO_BIG), "action": "appoint"})
    assert response.status_code == 400
