"""Reading a thread live over Socket.IO: join the room, catch up after a reconnect, receive only public replies."""

from __future__ import annotations

import pytest

import moderation
from debate.extensions import db
from debate.models import Reply
from debate.services import publishing
from debate.services.forums import content as forum_content  # noqa: F401  (forum_content registers types)
from debate.services.forums import posts as forums

pytestmark = pytest.mark.usefixtures("forum_policy")


@pytest.fixture
def thread(make_user, topic):
    return forums.start_thread(make_user(), "housing", "Live thread", "Watch this space").item


def received(tc, name: str) -> list[dict]:
    return [m["args"][0] for m in tc.get_received("/") if m["name"] == name]


def join(tc, thread_id, last_seen=None):
    payload = {"thread_id": thread_id}
    if last_seen is not None:
        payload["last_seen_reply_id"] = last_seen
    return tc.emit("thread:join", payload, callback=True, namespace="/")


def test_anyone_joins_and_receives_new_public_replies(client, sockets, make_user, thread):
    tc = sockets(client, "/")
    ack = join(tc, thread.id)
    assert ack["ok"] and {k: v for k, v in ack["data"].items() if k != "counts"} == {
        "thread_id": thread.id,
        "replies": [],
        "more": False,
    }
    assert '<h2 id="replies-heading">0 replies</h2>' in ack["data"]["counts"]["heading"]
    reply = forums.post_reply(make_user(name="Live Liam"), thread.id, "Hello *room*", "for").item
    [event] = received(tc, "forum:reply_new")
    assert event["reply_id"] == reply.id and event["thread_id"] == thread.id
    assert "<em>room</em>" in event["html"] and "Live Liam" in event["html"]


def test_other_threads_rooms_do_not_hear_it(client, sockets, make_user, topic, thread):
    other = forums.start_thread(make_user(), "housing", "Other thread", "Elsewhere").item
    tc = sockets(client, "/")
    join(tc, other.id)
    tc.get_received("/")
    forums.post_reply(make_user(), thread.id, "Not for the other room")
    assert received(tc, "forum:reply_new") == []


def test_reconnecting_reader_catches_up_from_the_last_reply_seen(client, sockets, make_user, thread):
    author = make_user()
    first = forums.post_reply(author, thread.id, "Seen before the drop").item
    missed = [forums.post_reply(author, thread.id, f"Missed while away {n}").item for n in range(3)]
    tc = sockets(client, "/")
    ack = join(tc, thread.id, last_seen=first.id)
    assert ack["ok"]
    assert [r["reply_id"] for r in ack["data"]["replies"]] == [r.id for r in missed]
    assert "Missed while away 0" in ack["data"]["replies"][0]["html"]


def test_held_replies_are_not_broadcast_nor_in_the_catch_up(client, sockets, make_user, thread):
    tc = sockets(client, "/")
    join(tc, thread.id)
    previous = publishing._policy_provider
    publishing.set_policy_provider(moderation.Policy)  # defaults: a new account's first posts are held
    try:
        held = forums.post_reply(make_user(), thread.id, "Held for review")
    finally:
        publishing.set_policy_provider(previous)
    assert held.held
    assert received(tc, "forum:reply_new") == []
    assert join(tc, thread.id, last_seen=0)["data"]["replies"] == []


def test_approval_later_reaches_the_room(client, sockets, make_user, thread):
    reply = forums.post_reply(make_user(), thread.id, "Approve me").item
    db.session.get(Reply, reply.id).state = "held"
    db.session.commit()
    tc = sockets(client, "/")
    join(tc, thread.id)
    tc.get_received("/")
    from debate.services import content

    reply_type, row = content.load("reply", reply.id)
    row.state = "approved"
    db.session.commit()
    reply_type.after_change(row)
    [event] = received(tc, "forum:reply_changed")
    assert event["reply_id"] == reply.id and "Approve me" in event["html"]


def test_deletion_and_helpful_votes_reach_the_room(client, sockets, make_user, thread):
    from debate.services.forums import votes

    author = make_user()
    reply = forums.post_reply(author, thread.id, "Soon gone").item
    tc = sockets(client, "/")
    join(tc, thread.id)
    votes.set_helpful(make_user(), reply.id, True)
    assert received(tc, "forum:helpful") == [{"thread_id": thread.id, "reply_id": reply.id, "count": 1}]
    forums.delete_reply(author, reply.id)
    [event] = received(tc, "forum:reply_changed")
    assert "Deleted by its author" in event["html"] and "Soon gone" not in event["html"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"thread_id": 999_999}, "not_found"),
        ({"thread_id": "1"}, "invalid"),
        ({"thread_id": True}, "invalid"),
        ({}, "invalid"),
        ({"thread_id": 1, "extra": 1}, "invalid"),
        ({"thread_id": 1, "last_seen_reply_id": "x"}, "invalid"),
    ],
)
def test_join_refuses_bad_payloads_and_missing_threads(client, sockets, thread, payload, code):
    tc = sockets(client, "/")
    ack = tc.emit("thread:join", payload, callback=True, namespace="/")
    assert ack["ok"] is False and ack["error"]["code"] == code


def test_someone_elses_held_thread_cannot_be_joined(client, sockets, make_user, login, topic):
    author = make_user()
    held = forums.start_thread(author, "housing", "Held thread", "Waiting").item
    held.state = "held"
    db.session.commit()
    tc = sockets(client, "/")
    assert join(tc, held.id)["error"]["code"] == "not_found"
    login(author)
    tc2 = sockets(client, "/")
    assert join(tc2, held.id)["ok"] is True
