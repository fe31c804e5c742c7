"""Bytes that are not UTF-8 are refused with a clear 400 wherever a request carries text; nothing is stored.

The three kinds a browser or script can send: an overlong form (C0 AF for "/"),
a CESU-8 surrogate (ED A0 80) and a sequence cut short (E2 82); and a stray
continuation byte (FF).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from debate.extensions import db
from debate.models import Reply, User
from debate.services.forums import posts as forums
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("forum_policy")

BAD = {"overlong": b"%C0%AF", "CESU-8 surrogate": b"%ED%A0%80", "truncated": b"caf%E2%82", "stray byte": b"%FF"}
SAYS = "not valid UTF-8"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def thread(make_user, topic):
    return forums.start_thread(make_user(name="Thread Author"), "housing", "A thread", "Its body").item


@pytest.mark.parametrize("raw", list(BAD.values()), ids=list(BAD))
def test_register_form_with_invalid_utf8_is_refused_and_stores_nothing(client, raw):
    body = b"display_name=Ada" + raw + b"&email=a%40example.org&password=" + PASSWORD.encode() + b"&confirm="
    response = client.post("/register", data=body + PASSWORD.encode(), headers=FORM)
    assert response.status_code == 400
    assert SAYS in response.get_data(as_text=True)
    assert count(User) == 0


@pytest.mark.parametrize("raw", list(BAD.values()), ids=list(BAD))
def test_reply_form_with_invalid_utf8_is_refused_and_stores_nothing(client, login, make_user, thread, raw):
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data=b"body=Hello+" + raw, headers=FORM)
    assert response.status_code == 400
    assert SAYS in response.get_data(as_text=True)
    assert count(Reply) == 0


def multipart(client, path: str, body: bytes):
    """POST one field, "body", as multipart/form-data with these exact bytes."""
    data = b'--b0undary\r\nContent-Disposition: form-data; name="body"\r\n\r\n' + body + b"\r\n--b0undary--\r\n"
    return client.post(path, data=data, headers={"Content-Type": "multipart/form-data; boundary=b0undary"})


def test_multipart_form_with_invalid_utf8_is_refused(client, login, make_user, thread):
    login(make_user())
    response = multipart(client, f"/threads/{thread.id}/replies", b"Hello \xed\xa0\x80")
    assert response.status_code == 400
    assert SAYS in response.get_data(as_text=True)
    assert count(Reply) == 0


def test_valid_multipart_and_urlencoded_forms_still_work(client, login, make_user, thread):
    login(make_user())
    assert multipart(client, f"/threads/{thread.id}/replies", "Caf\u00e9 \U0001f44d".encode()).status_code == 302
    assert client.post(f"/threads/{thread.id}/replies", data=b"body=Caf%C3%A9+2", headers=FORM).status_code == 302
    assert sorted(r.body for r in db.session.scalars(select(Reply))) == ["Caf\u00e9 2", "Caf\u00e9 \U0001f44d"]


def test_json_api_body_with_invalid_utf8_is_refused_as_json(client, login, make_user, thread):
    login(make_user())
    response = client.post(
        f"/api/v1/threads/{thread.id}/replies",
        data=b'{"body": "Hello \xc0\xaf"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_encoding" and SAYS in error["message"]
    assert count(Reply) == 0


@pytest.mark.parametrize("path", ["/search?q=%FF", "/api/v1/topics?x=%ED%A0%80"])
def test_query_string_with_invalid_utf8_is_refused(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert SAYS in response.get_data(as_text=True)


# --- noncharacters: valid UTF-8, never text ---------------------------------------------------


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0010ffff"])
def test_reply_form_with_a_noncharacter_is_refused(client, login, make_user, thread, char):
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": f"Hello {char} world"})
    assert response.status_code == 400
    assert "not characters" in response.get_data(as_text=True)
    assert count(Reply) == 0


def test_json_api_reply_with_a_noncharacter_or_lone_surrogate_is_refused(client, login, make_user, thread):
    login(make_user())
    for body in ('{"body": "Hello \\ufffe"}', '{"body": "Hello \\ud800"}'):
        response = client.post(
            f"/api/v1/threads/{thread.id}/replies", data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.get_json()["error"]["field"] == "body"
    assert count(Reply) == 0


def test_a_display_name_with_a_noncharacter_is_refused(client):
    data = {"display_name": "Ada\ufdd0", "email": "a@example.org", "password": PASSWORD, "confirm": PASSWORD}
    response = client.post("/register", data=data)
    assert response.status_code == 400 and "not characters" in response.get_data(as_text=True)
    assert count(User) == 0
