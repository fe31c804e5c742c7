"""docs/api.md says what the API does: each error row's status and code, and the fields of /me and /representatives.

The docs once said a write without the CSRF header answers 401 (it is 400: Flask-WTF checks the token
before any view, so before sign-in) and left out two endpoints. Each documented row is tried here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from debate.extensions import db
from debate.models import Role
from debate.services.forums import posts as forums

pytestmark = pytest.mark.usefixtures("forum_policy")

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")


def documented_errors() -> dict[str, int]:
    """code -> HTTP status, from the table under "Conventions"."""
    return {code: int(status) for status, code in re.findall(r"^\s*\| (\d{3}) \| `(\w+)` \|", DOCS, re.MULTILINE)}


def documented_fields(request: str) -> set[str]:
    """The fields docs/api.md names for a `GET` row: the back-quoted words before any parenthesis."""
    row = re.search(rf"^\| `{re.escape(request)}` \| (.+) \|$", DOCS, re.MULTILINE)
    assert row, f"{request} is not documented"
    top_level = re.sub(r"\([^()]*\)", "", row.group(1))
    return set(re.findall(r"`(\w+)`", top_level)) - {"login_required"}


@pytest.fixture
def thread(make_user, topic):
    return forums.start_thread(make_user(name="Api Author"), "housing", "API thread", "Body").item


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def token(client) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)


def answer(response) -> tuple[int, str]:
    assert response.is_json, response.get_data(as_text=True)[:200]
    return response.status_code, response.get_json()["error"]["code"]


def test_every_error_row_is_what_the_api_answers(app, client, login, make_user, thread, csrf_on, rate_limits_on):
    documented = documented_errors()
    assert set(documented) == {
        "invalid",
        "invalid_encoding",
        "csrf_failed",
        "login_required",
        "forbidden",
        "not_found",
        "conflict",
        "rate_limited",
    }
    replies = f"/api/v1/threads/{thread.id}/replies"
    seen = {}
    # Signed out: without the header the CSRF check answers first; with it, sign-in is asked for.
    seen["csrf_failed"] = answer(client.post(replies, json={"body": "No token, not signed in"}))
    headers = {"X-CSRFToken": token(client)}
    seen["login_required"] = answer(client.post(replies, json={"body": "Signed out"}, headers=headers))
    app.config["WTF_CSRF_ENABLED"] = False  # the sign-in form's own token is not what this test is about
    login(make_user(name="Rita Resident"))
    app.config["WTF_CSRF_ENABLED"] = True
    headers = {"X-CSRFToken": token(client)}
    assert answer(client.post(replies, json={"body": "No token, signed in"})) == seen["csrf_failed"]
    seen["invalid"] = answer(client.post(replies, json={"body": ""}, headers=headers))
    bad_bytes = {**headers, "Content-Type": "application/json"}
    seen["invalid_encoding"] = answer(client.post(replies, data=b'{"body": "\xc0\xaf"}', headers=bad_bytes))
    seen["forbidden"] = answer(client.post(f"/api/v1/threads/{thread.id}/lock", json={"locked": True}, headers=headers))
    seen["not_found"] = answer(client.get("/api/v1/threads/2147483647"))
    thread.locked = True
    db.session.commit()
    seen["conflict"] = answer(client.post(replies, json={"body": "Locked"}, headers=headers))
    follow = f"/api/v1/threads/{thread.id}/follow"
    for _ in range(61):
        last = client.put(follow, headers=headers)
    seen["rate_limited"] = answer(last)
    assert seen == {code: (status, code) for code, status in documented.items()}


def test_a_csrf_refusal_says_what_to_send(client, thread, csrf_on):
    error = client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": "x"}).get_json()["error"]
    assert error["code"] == "csrf_failed" and "X-CSRFToken" in error["message"]


def test_me_gives_the_documented_fields(client, login, make_user):
    assert answer(client.get("/api/v1/me")) == (401, "login_required")
    login(make_user(Role.REPRESENTATIVE))
    assert set(client.get("/api/v1/me").get_json()["data"]) == documented_fields("GET /api/v1/me")


def test_representatives_gives_the_documented_fields(client, make_user):
    assert client.get("/api/v1/representatives").get_json() == {"ok": True, "data": []}
    make_user(Role.REPRESENTATIVE)
    [rep] = client.get("/api/v1/representatives").get_json()["data"]
    assert set(rep) == documented_fields("GET /api/v1/representatives")
