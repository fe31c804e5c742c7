"""Staff rooms follow the current role: held questions (with anonymous askers' real names) reach only people
who moderate now (Flask-SocketIO's test client, both backends).

The report: appoint a moderator, let them join a live room, remove them at /admin/moderators; a resident
asks an anonymous question; the former moderator still received `live:pending` with the asker's name.
Three checks now stand in the way, each tested alone: a change of role closes the member's sockets
(`logins.end`), joining checks the role, and every delivery to a staff room checks it again (a stale
membership, e.g. on another process whose message was lost, is simulated by changing the role in the
database with no message at all).
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from debate.extensions import db
from debate.models import Role, User
from debate.services import after_commit
from debate.services.live import events as live_events
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("forum_policy")

ASKER = "Rita Resident"  # people["resident"]


def call(tc, event, payload=None):
    return tc.emit(event, payload, callback=True)


def ok(ack):
    assert ack["ok"] is True, ack
    return ack["data"]


def names(tc) -> list[str]:
    return [m["name"] for m in tc.queue]


def pending_after(tc, since: int) -> list[dict]:
    return [m["args"][0] for m in tc.queue[since:] if m["name"] == "live:pending"]


def ask_anonymously(connect, people, live, body: str = "Who decides the rent cap?") -> dict:
    asker = connect(people["resident"])
    body = {"session_id": live.id, "body": body, "anonymous": True}
    return ok(call(asker, "live:ask", body))["question"]


def in_room(app, tc, namespace: str, room: str) -> bool:
    manager = app.extensions["socketio"].server.manager
    sid = manager.sid_from_eio_sid(tc.eio_sid, namespace)
    return room in manager.get_rooms(sid, namespace)


def demote_with_no_message(user: User) -> None:
    """What another process (or a lost message) leaves behind: the role changed, this process not told."""
    db.session.execute(update(User).where(User.id == user.id).values(role=Role.RESIDENT.value))
    db.session.commit()


def test_a_moderator_removed_at_admin_moderators_no_longer_gets_held_questions(app, connect, people, live, make_user):
    member = make_user(name="Mo Formerly")
    admin = app.test_client()
    assert admin.post("/login", data={"email": people["admin"].email, "password": PASSWORD}).status_code == 302
    assert admin.post("/admin/moderators", data={"user_id": str(member.id), "action": "appoint"}).status_code == 302
    former, current = connect(member), connect(people["moderator"])
    assert ok(call(former, "live:join", {"session_id": live.id}))["personal"]["pending"] == []  # staff now
    ok(call(current, "live:join", {"session_id": live.id}))

    assert admin.post("/admin/moderators", data={"user_id": str(member.id), "action": "remove"}).status_code == 302
    assert {"name": "account:signed_out", "args": [{"reason": "role_changed"}], "namespace": "/"} in former.queue
    assert not former.is_connected()
    seen, since = len(former.queue), len(current.queue)
    question = ask_anonymously(connect, people, live)

    assert former.queue[seen:] == []
    [held] = pending_after(current, since)  # moderators now still see who asked
    assert held["question"]["id"] == question["id"] and held["question"]["author"] == ASKER

    # Signed in again, as a resident: the room shows no held questions, and none arrive.
    again = connect(member)
    personal = ok(call(again, "live:join", {"session_id": live.id}))["personal"]
    assert personal["pending"] is None and personal["roles"]["moderator"] is False
    since = len(again.queue)
    ask_anonymously(connect, people, live, "And who enforces it?")
    assert pending_after(again, since) == []
    assert ASKER not in str(again.queue)


def test_delivery_rechecks_the_role_of_everyone_in_a_staff_room(app, connect, people, live):
    stale, current = connect(people["moderator"]), connect(people["admin"])
    for tc in (stale, current):
        ok(call(tc, "live:join", {"session_id": live.id}))
    demote_with_no_message(people["moderator"])
    assert stale.is_connected() and in_room(app, stale, "/", live_events.staff_room(live.id))
    seen, since = len(stale.queue), len(current.queue)

    question = ask_anonymously(connect, people, live)

    assert pending_after(stale, seen) == [] and ASKER not in str(stale.queue[seen:])
    assert [p["question"]["id"] for p in pending_after(current, since)] == [question["id"]]
    assert not in_room(app, stale, "/", live_events.staff_room(live.id))  # it left the room at once
    assert in_room(app, current, "/", live_events.staff_room(live.id))


def test_the_review_queue_channel_rechecks_at_delivery_too(app, connect, people, live):
    stale = connect(people["moderator"])
    stale.connect(namespace="/staff")
    current = connect(people["admin"])
    current.connect(namespace="/staff")
    demote_with_no_message(people["moderator"])

    ask_anonymously(connect, people, live)  # pre-moderated: held, so it enters the review queue

    assert "queue:item_added" not in names(stale)
    assert "queue:item_added" in names(current)
    assert not in_room(app, stale, "/staff", after_commit.QUEUE_ROOM)


def test_joining_again_follows_the_role_now(app, connect, people, live):
    stale = connect(people["moderator"])
    ok(call(stale, "live:join", {"session_id": live.id}))
    assert in_room(app, stale, "/", live_events.staff_room(live.id))
    db.session.execute(update(User).where(User.id == people["moderator"].id).values(role=Role.RESIDENT.value))
    db.session.commit()

    personal = ok(call(stale, "live:join", {"session_id": live.id}))["personal"]

    assert personal["pending"] is None and personal["roles"]["moderator"] is False
    assert not in_room(app, stale, "/", live_events.staff_room(live.id))


def test_a_new_moderator_joins_the_staff_room_when_they_next_join(app, connect, people, live, make_user):
    member = make_user(name="Nora New")
    tc = connect(member)
    assert ok(call(tc, "live:join", {"session_id": live.id}))["personal"]["pending"] is None
    db.session.execute(update(User).where(User.id == member.id).values(role=Role.MODERATOR.value))
    db.session.commit()
    assert ok(call(tc, "live:join", {"session_id": live.id}))["personal"]["pending"] == []
    since = len(tc.queue)
    ask_anonymously(connect, people, live)
    assert [p["question"]["author"] for p in pending_after(tc, since)] == [ASKER]
