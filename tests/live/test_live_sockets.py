"""The live Q&A socket events (debate/realtime/live.py) through Flask-SocketIO's test client, both backends.

Each person gets their own Flask test client (cookie jar) signed in over
HTTP, and a socket test client sharing it. LIVE_FLUSH_MS is 0 here, so votes
and presence are sent at once.
"""

from __future__ import annotations

import pytest

from debate.extensions import db
from debate.models.live import LiveSession, SessionQuestion
from debate.realtime import live as live_socket
from debate.services.live import pulse as live_pulse
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions

pytestmark = pytest.mark.usefixtures("forum_policy")


# --------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _fresh_pulse(app):
    """Presence counters are per process: start each test from zero (ids restart with the tables)."""
    with live_pulse._lock:
        live_pulse._dirty_votes.clear()
        live_pulse._local.clear()
        live_pulse._dirty_presence.clear()
        live_pulse._published.clear()
    yield


def call(tc, event, payload=None):
    return tc.emit(event, payload, callback=True)


def ok(ack):
    assert ack["ok"] is True, ack
    return ack["data"]


def refused(ack, code, field=None):
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    if field is not None:
        assert ack["error"].get("field") == field, ack
    return ack["error"]["message"]


def received(tc, name):
    return [m["args"][0] for m in tc.get_received() if m["name"] == name]


def events(tc, kind=None):
    return [e for e in received(tc, "live:event") if kind is None or e["kind"] == kind]


def join(tc, live_id, last_seq=None):
    payload = {"session_id": live_id}
    if last_seq is not None:
        payload["last_seq"] = last_seq
    return ok(call(tc, "live:join", payload))


def fresh(live_id):
    db.session.expire_all()
    return db.session.get(LiveSession, live_id)


def question(question_id):
    db.session.expire_all()
    return db.session.get(SessionQuestion, question_id)


def asked(people, live, body="When will the Eastgate repairs start?", who="resident", approve=True):
    q = live_questions.ask(people[who], live.id, body)
    if approve:
        live_questions.approve(people["moderator"], q.id)
    return q


# --------------------------------------------------------------------------- joining


def test_anyone_joins_and_gets_a_snapshot(connect, live):
    reader = connect()
    data = join(reader, live.id)
    assert data["session_id"] == live.id
    assert data["seq"] == fresh(live.id).seq == 1  # the start
    assert data["snapshot"]["session"]["state"] == "live"
    assert data["snapshot"]["questions"] == [] and data["snapshot"]["tally"]["asked"] == 0
    assert data["personal"]["roles"]["signed_in"] is False and data["personal"]["pending"] is None
    assert data["participants"] == 1
    assert "events" not in data


def test_join_catches_up_with_the_events_after_last_seq(connect, people, live):
    first = asked(people, live, "First question, seen before the drop?")
    seen = fresh(live.id).seq
    second = asked(people, live, "Second question, asked while away?")
    live_questions.set_vote(people["resident2"], second.id, True)
    data = join(connect(), live.id, last_seq=seen)
    assert [e["kind"] for e in data["events"]] == ["questions", "votes"]
    assert [e["seq"] for e in data["events"]] == [seen + 1, seen + 2]
    assert data["seq"] == fresh(live.id).seq == seen + 2
    assert data["events"][0]["data"]["questions"][0]["id"] == second.id
    assert data["events"][1]["data"]["votes"] == [[second.id, 1]]
    assert "snapshot" not in data and first.id != second.id
    # Nothing new: an empty list, and the same number back.
    again = join(connect(), live.id, last_seq=data["seq"])
    assert again["events"] == [] and again["seq"] == data["seq"]


@pytest.mark.parametrize("last_seq", [-1, 10_000, "too-old"])
def test_join_sends_a_snapshot_when_last_seq_is_too_old_or_bogus(app, connect, people, live, last_seq):
    for n in range(3):
        asked(people, live, f"Question number {n} for the panel?")
    if last_seq == "too-old":
        app.config["LIVE_CATCH_UP_MAX"] = 2
        last_seq = 1
    data = join(connect(), live.id, last_seq=last_seq)
    assert "events" not in data
    assert data["seq"] == fresh(live.id).seq == 4
    assert len(data["snapshot"]["questions"]) == 3


def test_join_gives_each_reader_their_own_view(connect, people, live):
    held = live_questions.ask(people["resident"], live.id, "Held until a moderator reads it?")
    mine = join(connect(people["resident"]), live.id)["personal"]
    assert mine["roles"]["can_ask"] and not mine["roles"]["moderator"]
    assert [q["id"] for q in mine["mine"]] == [held.id] and mine["mine"][0]["state"] == "held"
    assert mine["pending"] is None
    staff = join(connect(people["moderator"]), live.id)["personal"]
    assert staff["roles"]["moderator"] and [q["id"] for q in staff["pending"]] == [held.id]
    host = join(connect(people["admin"]), live.id)["personal"]["roles"]
    assert host["host"] and host["answer"]
    panel = join(connect(people["councillor"]), live.id)["personal"]["roles"]
    assert panel["panel"] and panel["answer"] and not panel["host"]


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"session_id": 999_999}, "not_found", None),
        ({"session_id": "1"}, "invalid", "session_id"),
        ({"session_id": True}, "invalid", "session_id"),
        ({"session_id": 1.0}, "invalid", "session_id"),
        ({}, "invalid", "session_id"),
        ({"session_id": 1, "room": "live:1:staff"}, "invalid", None),
        ({"session_id": 1, "last_seq": "3"}, "invalid", "last_seq"),
        (["session_id", 1], "invalid", None),
        ("1", "invalid", None),
    ],
)
def test_join_refuses_bad_payloads_and_missing_sessions(connect, live, payload, code, field):
    tc = connect()
    refused(call(tc, "live:join", payload), code, field)
    assert live_socket.joined_sessions(tc.eio_sid) == set()
    assert live_pulse.local_count(live.id) == 0


def test_a_socket_follows_at_most_five_sessions(connect, schedule):
    sessions = [schedule(title=f"Session number {n}") for n in range(6)]
    tc = connect()
    for live in sessions[:5]:
        join(tc, live.id)
    join(tc, sessions[0].id, last_seq=0)  # joining one it follows again is not a sixth
    message = refused(call(tc, "live:join", {"session_id": sessions[5].id}), "conflict")
    assert "at most 5" in message
    ok(call(tc, "live:leave", {"session_id": sessions[0].id}))
    join(tc, sessions[5].id)


def test_presence_moves_on_join_leave_and_disconnect(connect, live):
    watcher = connect()
    assert join(watcher, live.id)["participants"] == 1
    assert received(watcher, "live:presence") == [{"session_id": live.id, "count": 1}]  # in the room already
    other = connect()
    assert join(other, live.id)["participants"] == 2
    assert received(watcher, "live:presence") == [{"session_id": live.id, "count": 2}]
    join(other, live.id, last_seq=0)  # the same socket again: not counted twice
    assert live_pulse.participants(live.id) == 2 and received(watcher, "live:presence") == []
    assert ok(call(other, "live:leave", {"session_id": live.id})) == {"session_id": live.id}
    assert received(watcher, "live:presence") == [{"session_id": live.id, "count": 1}]
    ok(call(other, "live:leave", {"session_id": live.id}))  # leaving twice counts once
    assert live_pulse.participants(live.id) == 1
    join(other, live.id)
    assert received(watcher, "live:presence") == [{"session_id": live.id, "count": 2}]
    other.disconnect()
    assert received(watcher, "live:presence") == [{"session_id": live.id, "count": 1}]
    assert live_socket.joined_sessions(other.eio_sid) == set()


def test_leave_stops_the_events(connect, people, live):
    tc = connect()
    join(tc, live.id)
    ok(call(tc, "live:leave", {"session_id": live.id}))
    asked(people, live)
    assert events(tc) == []
    refused(call(tc, "live:leave", {"session_id": "x"}), "invalid", "session_id")


# --------------------------------------------------------------------------- asking


def test_ask_holds_the_question_for_moderators_and_tells_only_the_asker(connect, people, live):
    asker, neighbour, moderator = (
        connect(people["resident"]),
        connect(people["resident2"]),
        connect(people["moderator"]),
    )
    for tc in (asker, neighbour, moderator):
        join(tc, live.id)
        tc.get_received()
    data = ok(call(asker, "live:ask", {"session_id": live.id, "body": "Why is the library shut on Sundays?"}))
    q = data["question"]
    assert q["visible"] is False and q["state"] == "held" and "Awaiting review" in q["review"]
    # The asker hears about their own question; the neighbour hears nothing; moderators see it pending.
    asker_got, neighbour_got, staff_got = (
        [m for m in tc.get_received() if m["name"] != "live:presence"] for tc in (asker, neighbour, moderator)
    )
    assert [m["name"] for m in asker_got] == ["live:mine"]
    assert asker_got[0]["args"][0] == {"session_id": live.id, "question": q}
    assert neighbour_got == []
    [pending] = [m["args"][0] for m in staff_got if m["name"] == "live:pending"]
    assert pending["session_id"] == live.id and pending["question"]["id"] == q["id"]
    assert pending["question"]["author"] == "Rita Resident"
    assert not any(m["name"] == "live:event" for m in staff_got)


def test_ask_with_the_same_key_makes_one_question(connect, people, live):
    tc = connect(people["resident"])
    payload = {"session_id": live.id, "body": "Sent twice by a flaky network?", "key": "k" * 16}
    first = ok(call(tc, "live:ask", payload))["question"]
    second = ok(call(tc, "live:ask", payload))["question"]
    assert first["id"] == second["id"]
    assert db.session.query(SessionQuestion).count() == 1


def test_anonymous_question_in_an_open_session_is_public_at_once(connect, people, schedule):
    live = schedule(start=True, premoderate=False)
    reader = connect()
    join(reader, live.id)
    data = ok(call(connect(people["resident"]), "live:ask", {"session_id": live.id, "body": "Who?", "anonymous": True}))
    assert data["question"]["visible"] is True and data["question"]["author"] == "Anonymous"
    [event] = events(reader, "questions")
    assert event["data"]["questions"][0]["author"] == "Anonymous" and event["data"]["top"] == [data["question"]["id"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": "Too long " + "x" * 600}, "body"),
        ({"body": "x" * 100_000}, "body"),
        ({"body": 42}, "body"),
        ({"body": ["a list"]}, "body"),
        ({"body": "Anonymous as text?", "anonymous": "yes"}, "anonymous"),
        ({"body": "A key that is a number?", "key": 12345678}, "key"),
        ({"body": "Unknown fields?", "author_id": 1}, None),
        ({}, "body"),
    ],
)
def test_ask_refuses_malformed_payloads(connect, people, live, payload, field):
    tc = connect(people["resident"])
    refused(call(tc, "live:ask", {"session_id": live.id, **payload}), "invalid", field)
    assert db.session.query(SessionQuestion).count() == 0


def test_ask_refusals_from_the_service(connect, people, schedule):
    resident = connect(people["resident"])
    upcoming = schedule()
    message = refused(call(resident, "live:ask", {"session_id": upcoming.id, "body": "Early?"}), "conflict")
    assert "has not started yet" in message
    refused(call(resident, "live:ask", {"session_id": 999_999, "body": "Where?"}), "not_found")
    refused(call(resident, "live:ask", {"session_id": upcoming.id, "body": "   "}), "conflict")
    closed = schedule(start=True, anonymous=False)
    refused(
        call(resident, "live:ask", {"session_id": closed.id, "body": "Hidden?", "anonymous": True}),
        "invalid",
        "anonymous",
    )
    live_sessions.end(people["admin"], closed.id)
    assert "is over" in refused(call(resident, "live:ask", {"session_id": closed.id, "body": "Late?"}), "conflict")
    refused(call(connect(), "live:ask", {"session_id": closed.id, "body": "Who am I?"}), "login_required")


def test_ask_is_rate_limited_per_user(connect, people, live, rate_limits_on):
    tc = connect(people["resident"])
    payload = {"session_id": live.id, "body": "The same question again?", "key": "same-key-123"}
    for _ in range(10):
        ok(call(tc, "live:ask", payload))
    refused(call(tc, "live:ask", payload), "rate_limited")
    ok(call(connect(people["resident2"]), "live:ask", payload))  # someone else is not slowed down


def test_join_is_rate_limited_for_anonymous_sockets(connect, live, rate_limits_on):
    tc = connect()
    for _ in range(30):
        join(tc, live.id, last_seq=0)
    refused(call(tc, "live:join", {"session_id": live.id}), "rate_limited")


# --------------------------------------------------------------------------- voting and withdrawing


def test_vote_and_unvote(connect, people, live):
    q = asked(people, live)
    reader, voter = connect(), connect(people["resident2"])
    join(reader, live.id)
    voted = {"question_id": q.id, "votes": 1, "voted": True}
    assert ok(call(voter, "live:vote", {"question_id": q.id})) == voted
    [event] = events(reader, "votes")
    moved = {"top": [q.id], "projector": [q.id]}
    assert event["data"] == {"votes": [[q.id, 1]], "top": [q.id], "orders": moved, "coalesced": False, "window_ms": 0}
    assert ok(call(voter, "live:vote", {"question_id": q.id})) == voted  # again: the same answer, nothing changes
    assert question(q.id).vote_count == 1 and events(reader, "votes") == []
    unvoted = {"question_id": q.id, "votes": 0, "voted": False}
    assert ok(call(voter, "live:unvote", {"question_id": q.id})) == unvoted
    assert events(reader, "votes")[0]["data"]["votes"] == [[q.id, 0]]
    assert ok(call(voter, "live:unvote", {"question_id": q.id})) == unvoted
    assert question(q.id).vote_count == 0 and events(reader, "votes") == []


def test_vote_refusals(connect, people, live):
    q = asked(people, live)
    held = asked(people, live, "Still waiting for review?", who="resident3", approve=False)
    own = connect(people["resident"])
    assert "your own question" in refused(call(own, "live:vote", {"question_id": q.id}), "invalid")
    voter = connect(people["resident2"])
    refused(call(voter, "live:vote", {"question_id": held.id}), "conflict")
    refused(call(voter, "live:vote", {"question_id": 999_999}), "not_found")
    refused(call(voter, "live:vote", {"question_id": str(q.id)}), "invalid", "question_id")
    refused(call(voter, "live:vote", {"question_id": q.id, "weight": 10}), "invalid")
    refused(call(connect(), "live:vote", {"question_id": q.id}), "login_required")
    live_sessions.end(people["admin"], live.id)
    assert "is over" in refused(call(voter, "live:vote", {"question_id": q.id}), "conflict")


def test_withdraw(connect, people, live):
    q = asked(people, live)
    reader = connect()
    join(reader, live.id)
    refused(call(connect(people["resident2"]), "live:withdraw", {"question_id": q.id}), "forbidden")
    asker = connect(people["resident"])
    data = ok(call(asker, "live:withdraw", {"question_id": q.id}))
    assert data["question"]["state"] == "withdrawn" and data["question"]["visible"] is False
    [event] = events(reader, "questions")
    assert event["data"]["questions"] == [{"id": q.id, "visible": False}]
    refused(call(asker, "live:withdraw", {"question_id": q.id}), "conflict")
    refused(call(connect(), "live:withdraw", {"question_id": q.id}), "login_required")


# --------------------------------------------------------------------------- chat and flags


def test_chat(connect, people, live, schedule):
    reader = connect()
    join(reader, live.id)
    resident = connect(people["resident"])
    data = ok(call(resident, "live:chat", {"session_id": live.id, "body": "Hello *all*"}))
    assert data["state"] == "published" and "<em>all</em>" in data["message"]["body_html"]
    [event] = events(reader, "chat")
    assert event["data"]["message"] == data["message"]
    assert "Slow mode" in refused(call(resident, "live:chat", {"session_id": live.id, "body": "Again"}), "rate_limited")
    refused(call(resident, "live:chat", {"session_id": live.id, "body": "x" * 501}), "invalid", "body")
    refused(call(resident, "live:chat", {"session_id": live.id, "body": None}), "invalid", "body")
    refused(call(connect(), "live:chat", {"session_id": live.id, "body": "Hi"}), "login_required")
    upcoming = schedule()
    assert "not started" in refused(
        call(connect(people["resident2"]), "live:chat", {"session_id": upcoming.id, "body": "Early"}), "conflict"
    )


def test_flag(connect, people, live):
    q = asked(people, live)
    flagger = connect(people["resident2"])
    payload = {"type": "question", "id": q.id, "reason": "spam"}
    assert ok(call(flagger, "live:flag", payload)) == {"type": "question", "id": q.id, "flagged": True}
    assert "already flagged" in refused(call(flagger, "live:flag", payload), "conflict")
    refused(call(connect(people["resident"]), "live:flag", payload), "forbidden")  # their own
    other = connect(people["councillor2"])
    refused(call(other, "live:flag", {**payload, "type": "reply"}), "invalid", "type")
    refused(call(other, "live:flag", {**payload, "reason": "boring"}), "invalid", "reason")
    refused(call(other, "live:flag", {**payload, "reason": "other"}), "invalid", "note")
    refused(call(other, "live:flag", {**payload, "note": "x" * 501}), "invalid", "note")
    refused(call(other, "live:flag", {**payload, "id": "1"}), "invalid", "id")
    refused(call(connect(), "live:flag", payload), "login_required")
    chat = ok(call(connect(people["resident3"]), "live:chat", {"session_id": live.id, "body": "Buy now!"}))
    assert ok(call(flagger, "live:flag", {"type": "chat", "id": chat["message"]["id"], "reason": "spam"}))["flagged"]


# --------------------------------------------------------------------------- moderators


def test_approve_reaches_the_room_the_asker_and_the_moderators(connect, people, live):
    q = asked(people, live, approve=False)
    reader, asker, staff = connect(), connect(people["resident"]), connect(people["moderator"])
    for tc in (reader, asker, staff):
        join(tc, live.id)
        tc.get_received()
    data = ok(call(staff, "live:approve", {"question_id": q.id}))
    assert data["state"] == "approved" and data["question"]["visible"] is True
    [event] = events(reader, "questions")
    assert event["data"]["questions"][0]["id"] == q.id and event["data"]["top"] == [q.id]
    mine = received(asker, "live:mine")
    assert len(mine) == 1 and mine[0]["question"]["state"] == "approved"
    assert received(staff, "live:pending_removed") == [{"session_id": live.id, "question_id": q.id}]
    assert "not waiting" in refused(call(staff, "live:approve", {"question_id": q.id}), "conflict")


def test_only_moderators_moderate(connect, people, live):
    q = asked(people, live, approve=False)
    resident = connect(people["resident2"])
    for event, payload in [
        ("live:approve", {"question_id": q.id}),
        ("live:reject", {"question_id": q.id, "category": "spam"}),
        ("live:fix", {"question_id": q.id, "text": "Fixed?", "note": "typo"}),
        ("live:merge", {"question_id": q.id, "into_id": q.id}),
        ("live:pin", {"question_id": q.id, "pinned": True}),
    ]:
        refused(call(resident, event, payload), "forbidden")
        refused(call(connect(), event, payload), "login_required")
    assert question(q.id).state == "held"


def test_reject_tells_the_asker_why(connect, people, live):
    q = asked(people, live, approve=False)
    asker, staff = connect(people["resident"]), connect(people["moderator"])
    join(staff, live.id)
    refused(call(staff, "live:reject", {"question_id": q.id}), "invalid", "category")
    refused(call(staff, "live:reject", {"question_id": q.id, "category": "x" * 41}), "invalid", "category")
    refused(call(staff, "live:reject", {"question_id": q.id, "category": "boring"}), "invalid")
    data = ok(call(staff, "live:reject", {"question_id": q.id, "category": "off_topic", "note": "Ask the parks team."}))
    assert data["state"] == "removed" and data["question"] == {"id": q.id, "visible": False}
    [mine] = received(asker, "live:mine")
    assert "Rejected by a moderator" in mine["question"]["review"] and "parks team" in mine["question"]["review"]


def test_fix_merge_and_pin(connect, people, live):
    a = asked(people, live, "When will teh repairs start?")
    b = asked(people, live, "When do repairs begin?", who="resident2")
    staff = connect(people["moderator"])
    refused(call(staff, "live:fix", {"question_id": a.id, "text": "When will the repairs start?"}), "invalid", "note")
    refused(call(staff, "live:fix", {"question_id": a.id, "text": "x" * 501, "note": "typo"}), "invalid", "text")
    fixed = ok(call(staff, "live:fix", {"question_id": a.id, "text": "When will the repairs start?", "note": "typo"}))
    assert fixed["question"]["body"] == "When will the repairs start?" and fixed["question"]["edited_by_moderator"]
    pinned = ok(call(staff, "live:pin", {"question_id": a.id, "pinned": True}))
    assert pinned["question"]["pinned"] is True
    refused(call(staff, "live:pin", {"question_id": a.id, "pinned": "yes"}), "invalid", "pinned")
    ok(call(staff, "live:pin", {"question_id": a.id, "pinned": False}))
    assert "not pinned" in refused(call(staff, "live:pin", {"question_id": a.id, "pinned": False}), "conflict")
    refused(call(staff, "live:merge", {"question_id": b.id, "into_id": b.id}), "invalid", "into_id")
    merged = ok(call(staff, "live:merge", {"question_id": b.id, "into_id": a.id}))
    assert merged["into"]["id"] == a.id and merged["into"]["votes"] == 1  # b's asker now supports a
    assert question(b.id).status == "merged"
    refused(call(staff, "live:merge", {"question_id": b.id, "into_id": a.id}), "conflict")


# --------------------------------------------------------------------------- the panel and the host


def test_the_panel_answers(connect, people, live):
    q = asked(people, live)
    reader, panel = connect(), connect(people["councillor"])
    join(reader, live.id)
    refused(call(connect(people["resident2"]), "live:answering", {"question_id": q.id}), "forbidden")
    refused(call(connect(people["resident2"]), "live:answer", {"question_id": q.id}), "forbidden")
    refused(call(connect(people["moderator"]), "live:reopen", {"question_id": q.id}), "forbidden")
    refused(call(connect(), "live:answering", {"question_id": q.id}), "login_required")
    assert ok(call(panel, "live:answering", {"question_id": q.id}))["question"]["status"] == "answering"
    refused(call(panel, "live:answer", {"question_id": q.id, "text": "x" * 5001}), "invalid", "text")
    refused(call(panel, "live:answer", {"question_id": q.id, "text": 5}), "invalid", "text")
    answered = ok(call(panel, "live:answer", {"question_id": q.id, "text": "In **March**."}))["question"]
    assert (
        answered["status"] == "answered"
        and answered["answered_live"]
        and "<strong>March</strong>" in (answered["answer_html"])
    )
    assert "already been answered" in refused(call(panel, "live:answer", {"question_id": q.id}), "conflict")
    assert ok(call(panel, "live:reopen", {"question_id": q.id}))["question"]["status"] == "open"
    assert "already open" in refused(call(panel, "live:reopen", {"question_id": q.id}), "conflict")
    assert [e["data"]["questions"][0]["status"] for e in events(reader, "questions")] == [
        "answering",
        "answered",
        "open",
    ]
    host = connect(people["admin"])  # the host may mark what is being answered too
    assert ok(call(host, "live:answering", {"question_id": q.id}))["question"]["status"] == "answering"


def test_the_host_starts_announces_and_ends(connect, people, schedule):
    live = schedule()
    reader, host = connect(), connect(people["admin"])
    join(reader, live.id)
    for who in ("councillor", "resident", "moderator"):
        refused(call(connect(people[who]), "live:start", {"session_id": live.id}), "forbidden")
    refused(call(connect(), "live:start", {"session_id": live.id}), "login_required")
    assert ok(call(host, "live:start", {"session_id": live.id}))["session"]["state"] == "live"
    assert "already started" in refused(call(host, "live:start", {"session_id": live.id}), "conflict")
    refused(call(connect(people["resident"]), "live:announce", {"session_id": live.id, "body": "Hi"}), "forbidden")
    refused(call(host, "live:announce", {"session_id": live.id, "body": "x" * 501}), "invalid", "body")
    note = ok(call(host, "live:announce", {"session_id": live.id, "body": "We start in *five* minutes."}))
    assert "<em>five</em>" in note["announcement"]["body_html"]
    refused(call(connect(people["councillor"]), "live:end", {"session_id": live.id}), "forbidden")
    q = asked(people, fresh(live.id))
    assert ok(call(host, "live:end", {"session_id": live.id}))["session"]["state"] == "ended"
    assert question(q.id).status == "awaiting"
    assert "not live" in refused(call(host, "live:end", {"session_id": live.id}), "conflict")
    refused(call(host, "live:start", {"session_id": 999_999}), "not_found")
    got = events(reader)
    assert [e["kind"] for e in got] == ["session", "announcement", "questions", "session", "questions"]
    assert [e["seq"] for e in got] == list(range(1, 6))


def test_a_new_process_resends_the_counts_of_open_questions(connect, people, live):
    """A vote whose "votes" event died with a stopped process still reaches the room (live_pulse.resync)."""
    q = asked(people, live)
    live_questions.set_vote(people["resident2"], q.id, True)
    reader = connect()
    join(reader, live.id)
    reader.get_received()
    live_pulse.resync()
    live_pulse.flush()
    [event] = events(reader, "votes")
    assert event["data"]["votes"] == [[q.id, 1]] and event["seq"] == fresh(live.id).seq


# --- one unit of length: characters as people see them (issue 12, item 13) ----------------------

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # seven code points, eleven UTF-16 units


def test_a_question_at_its_limit_in_characters_is_accepted_whole_over_the_socket(connect, people, live):
    body = "a" * 499 + FAMILY  # 500 characters, 506 code points
    tc = connect(people["resident"])
    ok(call(tc, "live:ask", {"session_id": live.id, "body": body}))
    assert db.session.query(SessionQuestion).one().body == body


def test_a_question_one_character_over_is_refused_in_characters(connect, people, live):
    tc = connect(people["resident"])
    message = refused(
        call(tc, "live:ask", {"session_id": live.id, "body": "\U0001f44d\U0001f3fd" * 501}), "invalid", "body"
    )
    assert message == "'body' is too long: 501 characters, and the limit is 500."
    assert db.session.query(SessionQuestion).count() == 0


def test_a_combining_flood_is_refused_by_the_code_point_cap_with_its_own_message(connect, people, live):
    tc = connect(people["resident"])
    flood = "Z" + "\u0336\u0337\u0338" * 700  # one character, 2,101 code points (the cap is 4 x 500)
    message = refused(call(tc, "live:ask", {"session_id": live.id, "body": flood}), "invalid", "body")
    assert "2,101 code points" in message and "at most 2,000" in message


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0"])
def test_a_question_with_a_noncharacter_is_refused_over_the_socket(connect, people, live, char):
    tc = connect(people["resident"])
    message = refused(call(tc, "live:ask", {"session_id": live.id, "body": f"Why {char}?"}), "invalid", "body")
    assert "not characters" in message
    assert db.session.query(SessionQuestion).count() == 0
