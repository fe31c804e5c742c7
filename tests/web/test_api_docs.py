"""docs/api.md says what the API does: each error row's status and code, and the fields of /me and /representatives.

The docs once said a write without the CSRF header answers 401 (it is 400: Flask-WTF checks the token
before any view, so before sign-in) and left out two endpoints. Each documented row is tried here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from debate import bounds, ratelimit
from debate.extensions import db
from debate.models import Role
from debate.services import publishing, submissions
from debate.services.forums import pages as forum_pages
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


# --- the numbers: every limit docs/api.md states is the code's -----------------------------------

LIMIT_ROW = re.compile(r"^\| ((?:`[A-Z]+` / )?`[A-Z]+ /api/v1/[^`]+`) \| (\d+/\w+) \(`([\w.]+)`\) \|([^|]*)\|$", re.M)


def documented_rates(doc: str) -> list[tuple[str, str]]:
    """(action, rate) for every "N/minute ... (`action`, ...)" in a document: one rate, and the actions it names."""
    found = []
    for rate, named in re.findall(r"(\d+/(?:minute|hour))[^()|`]*\(([^()|]*)\)", doc):
        found += [(action, rate) for action in re.findall(r"`([\w.]+)`", named) if action in ratelimit.defined()]
    return found


def test_every_rate_the_docs_state_is_the_actions_limit():
    """Each "20/minute (`forum.reply`)" in docs/api.md and docs/realtime.md is that action's limit."""
    docs = Path(__file__).resolve().parents[2] / "docs"
    for name in ("api.md", "realtime.md"):
        stated = documented_rates((docs / name).read_text(encoding="utf-8"))
        assert len(stated) >= 10, f"{name}: the rates were not found"
        wrong = [(action, rate) for action, rate in stated if ratelimit.defined()[action].rate != rate]
        assert not wrong, f"{name} states rates the code does not have: {wrong}"


def _lengths(endpoint: str) -> dict[str, tuple[int, int]]:
    """What the services allow each text field of a JSON write: (fewest, most) characters."""
    limits = publishing.policy().limits
    title = {"title": (forums.TITLE_MIN, limits.title)}
    return {
        "forums_api.start_thread": {**title, "body": (1, limits.thread)},
        "forums_api.edit_thread": {**title, "body": (1, limits.thread)},
        "forums_api.post_reply": {"body": (1, limits.reply)},
        "forums_api.edit_reply": {"body": (1, limits.reply)},
    }.get(endpoint, {})


def test_the_limits_table_is_each_endpoints_limit_and_lengths(app):
    """Each row names the limit its endpoint counts (the same as the page's form) and the services' lengths."""
    adapter = app.url_map.bind("localhost")
    rows = LIMIT_ROW.findall(DOCS)
    covered = set()
    for request, rate, action, lengths in rows:
        path = re.search(r"(/api/v1/\S+)`$", request).group(1).replace("<id>", "1").replace("<slug>", "housing")
        for method in re.findall(r"`([A-Z]+)", request):
            endpoint, _ = adapter.match(path, method=method)
            limit = app.view_functions[endpoint].rate_limit
            assert (limit.action, limit.rate) == (action, rate), request
            stated = {
                field: (int(low), int(high.replace(",", "")))
                for field, low, high in re.findall(r"`(\w+)` (\d+) to ([\d,]+)", lengths)
            }
            assert stated == _lengths(endpoint), request
            covered.add(endpoint)
    writes = {
        e for e, view in app.view_functions.items() if e.startswith("forums_api.") and hasattr(view, "rate_limit")
    }
    assert covered == writes, "a JSON write is missing from the limits table"


def test_the_other_numbers_in_the_api_docs_are_the_codes(app):
    """Page sizes, the submission key, the catch-up and the JSON depth: each as docs/api.md states it."""
    stated = {
        "submission_key": re.search(r"`submission_key` \((\d+) to (\d+) printable characters", DOCS).groups(),
        "per_page": re.search(r"`per_page` \(default (\d+), at most (\d+)\)", DOCS).groups(),
        "threads a page": re.search(r"most recently active first, (\d+) a page", DOCS).groups(),
        "catch-up": re.search(r"\(at most (\d+); `more` says there were more\)", DOCS).groups(),
        "depth": re.search(r"nested more than (\d+) levels deep", DOCS).groups(),
        "sign-in pause": re.search(r"`LOGIN_MAX_FAILURES` \((\d+)\).*`LOGIN_LOCK_MINUTES` \((\d+)\)", DOCS).groups(),
    }
    code = {
        "submission_key": (submissions.KEY_MIN, submissions.KEY_MAX),
        "per_page": (forum_pages.PER_PAGE, forum_pages.MAX_PER_PAGE),
        "threads a page": (forum_pages.THREADS_PER_PAGE,),
        "catch-up": (forum_pages.CATCH_UP_MAX,),
        "depth": (bounds.MAX_DEPTH,),
        "sign-in pause": (app.config["LOGIN_MAX_FAILURES"], app.config["LOGIN_LOCK_MINUTES"]),
    }
    assert {name: tuple(int(n) for n in numbers) for name, numbers in stated.items()} == code
