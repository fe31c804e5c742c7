"""The forums' JSON API: reading without an account, writing as the signed-in member, CSRF by header."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from debate.extensions import db
from debate.models import Reply, Role, Thread
from debate.services.forums import posts as forums

pytestmark = pytest.mark.usefixtures("forum_policy")


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def thread(make_user, topic):
    return forums.start_thread(make_user(name="Api Author"), "housing", "API thread", "Body *text*").item


def test_read_topics_threads_and_replies(client, make_user, thread):
    rep = make_user(Role.REPRESENTATIVE, name="Cllr Json")
    forums.post_reply(rep, thread.id, "Answer", "neutral")
    topics = client.get("/api/v1/topics").get_json()
    assert topics["ok"] and topics["data"][0]["slug"] == "housing" and topics["data"][0]["replies"] == 1
    listing = client.get("/api/v1/topics/housing/threads").get_json()["data"]
    assert listing["threads"][0]["title"] == "API thread"
    data = client.get(f"/api/v1/threads/{thread.id}").get_json()["data"]
    assert data["thread"]["body"] == "Body *text*" and data["thread"]["stances"]["neutral"] == 1
    [reply] = data["replies"]
    assert reply["author"] == {
        "name": "Cllr Json",
        "verified_representative": {"title": "Councillor", "role": "Councillor", "area": "Riverside ward"},
    }
    assert client.get(f"/api/v1/replies/{reply['id']}").get_json()["data"]["body"] == "Answer"


def test_post_reply_as_the_signed_in_member(client, login, make_user, thread):
    login(make_user())
    response = client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": "Via JSON", "stance": "for"})
    assert response.status_code == 201
    body = response.get_json()["data"]
    assert body["created"] and body["stance"] == "for" and body["state"] == "published"
    again = client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": "Keyed", "submission_key": "k" * 20})
    twice = client.post(
        f"/api/v1/threads/{thread.id}/replies", json={"body": "Keyed"}, headers={"Idempotency-Key": "k" * 20}
    )
    assert again.status_code == 201 and twice.status_code == 200 and twice.get_json()["data"]["created"] is False
    assert count(Reply) == 2


def test_start_edit_and_delete_a_thread(client, login, make_user, topic):
    login(make_user())
    created = client.post("/api/v1/topics/housing/threads", json={"title": "From a script", "body": "Hello"})
    thread_id = created.get_json()["data"]["id"]
    assert created.status_code == 201
    edited = client.patch(f"/api/v1/threads/{thread_id}", json={"title": "From a script", "body": "Hello again"})
    assert edited.get_json()["data"]["body"] == "Hello again" and edited.get_json()["data"]["edited_at"]
    deleted = client.delete(f"/api/v1/threads/{thread_id}").get_json()["data"]
    assert (
        deleted["state"] == "withdrawn"
        and deleted["body"] is None
        and deleted["placeholder"] == "Deleted by its author"
    )


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"body": ""}, 400, "invalid"),
        ({"body": "   "}, 400, "invalid"),
        ({"body": "x" * 5001}, 400, "invalid"),
        ({"body": 42}, 400, "invalid"),
        ({"body": "ok", "stance": "up"}, 400, "invalid"),
        ([1, 2], 400, "invalid"),
    ],
)
def test_bad_json_gets_a_clear_error_and_nothing_is_written(client, login, make_user, thread, payload, status, code):
    login(make_user())
    response = client.post(f"/api/v1/threads/{thread.id}/replies", json=payload)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert count(Reply) == 0


@pytest.mark.parametrize("depth", [17, 1_000, 100_000])
def test_deeply_nested_json_is_refused_400_with_a_reason(client, login, make_user, thread, depth):
    """Python's parser gave up at about 1,000 levels with RecursionError, a 500; the bound is 16 levels."""
    login(make_user())
    nested = '{"body": "Deep", "stance": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"
    response = client.post(f"/api/v1/threads/{thread.id}/replies", data=nested, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "invalid",
        "message": "The JSON is nested too deeply (at most 16 levels of arrays and objects).",
    }
    assert count(Reply) == 0


def test_json_nested_sixteen_levels_deep_is_read(client, login, make_user, thread):
    login(make_user())
    nested = '{"body": "Deep", "stance": ' + "[" * 15 + "]" * 15 + "}"
    response = client.post(f"/api/v1/threads/{thread.id}/replies", data=nested, content_type="application/json")
    assert response.get_json()["error"]["field"] == "stance"  # read, then refused for what it says


def test_writing_needs_sign_in_and_the_right_role(client, login, make_user, thread):
    assert client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": "Hi"}).status_code == 401
    assert client.get("/api/v1/threads/999999").status_code == 404
    login(make_user())
    assert client.post(f"/api/v1/threads/{thread.id}/lock", json={"locked": True}).status_code == 403
    reply = forums.post_reply(make_user(), thread.id, "Someone else's").item
    assert client.put(f"/api/v1/replies/{reply.id}/official").status_code == 403
    assert client.patch(f"/api/v1/replies/{reply.id}", json={"body": "Mine now"}).status_code == 403


def test_helpful_follow_and_lock(client, login, make_user, thread):
    reply = forums.post_reply(make_user(), thread.id, "Vote for me").item
    login(make_user(Role.MODERATOR))
    voted = {"reply_id": reply.id, "helpful_count": 1, "you_found_helpful": True}
    for _ in range(2):  # the same answer twice: voting is idempotent
        response = client.put(f"/api/v1/replies/{reply.id}/helpful")
        assert response.status_code == 200 and response.get_json()["data"] == voted
    unvoted = {"reply_id": reply.id, "helpful_count": 0, "you_found_helpful": False}
    for _ in range(2):
        response = client.delete(f"/api/v1/replies/{reply.id}/helpful")
        assert response.status_code == 200 and response.get_json()["data"] == unvoted
    assert client.put(f"/api/v1/threads/{thread.id}/follow").get_json()["data"]["following"] is True
    assert client.post(f"/api/v1/threads/{thread.id}/lock", json={"locked": True}).get_json()["data"]["locked"]
    locked = client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": "Late"})
    assert locked.status_code == 409 and "locked" in locked.get_json()["error"]["message"]


def test_search_api(client, thread):
    data = client.get("/api/v1/search?q=text").get_json()["data"]
    assert data["results"][0]["thread_id"] == thread.id and "<mark>" in data["results"][0]["snippet_html"]


def test_csrf_token_is_required_in_a_header(app, client, login, make_user, thread):
    login(make_user())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": "No token"})
        assert refused.status_code == 400 and refused.get_json()["ok"] is False
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
        accepted = client.post(
            f"/api/v1/threads/{thread.id}/replies", json={"body": "With token"}, headers={"X-CSRFToken": token}
        )
        assert accepted.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert count(Reply) == 1 and count(Thread) == 1
