"""The numbered event log: sequence numbers, catch-up, snapshots, what each reader sees, the tally."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, select, text

from debate import broadcast
from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.live import SessionEvent
from debate.services.live import chat as live_chat
from debate.services.live import events as live_events
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions


def seqs(session_id: int) -> list[int]:
    stmt = select(SessionEvent.seq).where(SessionEvent.session_id == session_id).order_by(SessionEvent.id)
    return list(db.session.scalars(stmt))


def room_events(published, session_id: int | None = None) -> list[dict]:
    return [
        p
        for e, p, r, n in published
        if e == "live:event" and session_id in (None, p["session_id"]) and live_events.speaks(r) == "en"
    ]


@pytest.fixture
def busy(live, people, forum_policy):
    """A session with a bit of history: asked, approved, voted, chatted, announced, answered."""
    resident, moderator, councillor = people["resident"], people["moderator"], people["councillor"]
    first = live_questions.ask(resident, live.id, "When will the Eastgate repairs start?")
    live_questions.approve(moderator, first.id)
    second = live_questions.ask(people["resident2"], live.id, "Will rents rise again next year?", anonymous=True)
    live_questions.approve(moderator, second.id)
    live_questions.set_vote(people["resident3"], first.id, True)
    live_chat.post(resident, live.id, "Hello from Riverside")
    live_chat.announce(people["admin"], live.id, "Welcome: questions are reviewed before they appear.")
    live_questions.answering(councillor, first.id)
    live_questions.answer(councillor, first.id, "In March.")
    return {"first": first, "second": second}


def test_seq_strictly_increasing_without_gaps_per_session(published, live, people, schedule, busy, forum_policy):
    other = schedule(start=True, premoderate=False)
    live_questions.ask(people["resident"], other.id, "A question in the other room?")
    live_questions.pin(people["moderator"], busy["second"].id, True)
    db.session.refresh(live)
    ours = seqs(live.id)
    assert ours == list(range(1, live.seq + 1))
    assert seqs(other.id) == [1, 2]
    broadcast_seqs = [p["seq"] for p in room_events(published, live.id)]
    assert broadcast_seqs == ours  # every numbered event was broadcast, in order, once
    assert [p["seq"] for p in room_events(published, other.id)] == [1, 2]
    for event in room_events(published):
        assert {"session_id", "seq", "kind", "data"} <= set(event)


def test_events_after_returns_exactly_the_missed_events(published, live, busy):
    db.session.refresh(live)
    current = live.seq
    assert current >= 8
    everything = live_events.events_after(live, 0)
    assert [e["seq"] for e in everything] == list(range(1, current + 1))
    assert everything == room_events(published, live.id)  # what was missed is exactly what was sent
    missed = live_events.events_after(live, 3)
    assert [e["seq"] for e in missed] == list(range(4, current + 1))
    assert missed == everything[3:]
    assert live_events.events_after(live, current) == []


def test_events_after_refuses_bogus_or_too_old_positions(app, live, busy):
    db.session.refresh(live)
    current = live.seq
    assert live_events.events_after(live, current + 1) is None
    assert live_events.events_after(live, 10**9) is None
    assert live_events.events_after(live, -1) is None
    app.config["LIVE_CATCH_UP_MAX"] = 3
    assert live_events.events_after(live, current - 4) is None
    assert [e["seq"] for e in live_events.events_after(live, current - 3)] == [current - 2, current - 1, current]
    assert live_events.events_after(live, 0) is None


def test_snapshot_contents(live, people, busy):
    held = live_questions.ask(people["resident3"], live.id, "This one is still waiting for review?")
    snap = live_events.snapshot(live)
    assert snap["session"]["id"] == live.id and snap["session"]["state"] == "live"
    ids = [q["id"] for q in snap["questions"]]
    assert ids == [busy["first"].id, busy["second"].id]
    assert held.id not in ids and "still waiting" not in json.dumps(snap)
    by_id = {q["id"]: q for q in snap["questions"]}
    assert by_id[busy["second"].id]["author"] == "Anonymous"
    assert "Sam Resident" not in json.dumps(snap)
    assert by_id[busy["first"].id]["status"] == "answered" and by_id[busy["first"].id]["votes"] == 1
    assert snap["top"] == [busy["second"].id]
    assert [m["author"] for m in snap["chat"]] == ["Rita Resident"]
    assert snap["announcements"][0]["body_html"].startswith("<p>Welcome")
    assert snap["tally"]["asked"] == 3 and snap["tally"]["awaiting_review"] == 1


def test_personal_data_per_reader(live, people, busy):
    held = live_questions.ask(people["resident2"], live.id, "Is anyone checking the damp in Block C?", True)
    staff = live_events.personal(people["moderator"], live)
    assert staff["roles"]["moderator"] and not staff["roles"]["answer"]
    assert [p["id"] for p in staff["pending"]] == [held.id]
    assert staff["pending"][0]["author"] == "Sam Resident" and staff["pending"][0]["anonymous"] is True
    voter = live_events.personal(people["resident3"], live)
    assert voter["my_votes"] == [busy["first"].id] and voter["pending"] is None
    asker = live_events.personal(people["resident2"], live)
    assert [m["id"] for m in asker["mine"]] == [busy["second"].id, held.id]
    assert asker["mine"][0]["visible"] and asker["mine"][0]["author"] == "Anonymous"
    assert not asker["mine"][1]["visible"] and "Awaiting review" in asker["mine"][1]["review"]
    panel = live_events.personal(people["councillor"], live)
    assert panel["roles"]["panel"] and panel["roles"]["answer"] and not panel["roles"]["host"]
    host = live_events.personal(people["admin"], live)["roles"]
    assert host["host"] and host["answer"] and host["moderator"]
    reader = live_events.personal(None, live)
    assert reader == {
        "roles": {
            "signed_in": False,
            "can_ask": False,
            "can_vote": False,
            "can_flag": False,
            "host": False,
            "panel": False,
            "answer": False,
            "moderator": False,
        },
        "my_votes": [],
        "mine": [],
        "pending": None,
    }


def test_held_questions_never_reach_the_room(live, people, published):
    held = live_questions.ask(people["resident"], live.id, "A question about my neighbour at number 4?")
    room = live_events.room(live.id)
    assert not any(r == room and "number 4" in json.dumps(p) for e, p, r, n in published)
    live_questions.reject(people["moderator"], held.id, "personal_information")
    assert not any(r == room and "number 4" in json.dumps(p) for e, p, r, n in published)
    for event in room_events(published, live.id):
        for question in event["data"].get("questions", []):
            if question["id"] == held.id:
                assert question == {"id": held.id, "visible": False}


def test_tally_for_a_crafted_history(live, people, forum_policy, make_user):
    moderator, councillor = people["moderator"], people["councillor"]
    askers = [make_user() for _ in range(9)]

    def ask(i, approve=True):
        question = live_questions.ask(askers[i], live.id, f"Crafted question number {i}?")
        if approve:
            live_questions.approve(moderator, question.id)
        return question

    answered, answering, opened, merged, target, awaiting = (ask(i) for i in range(6))
    held, rejected, withdrawn = ask(6, False), ask(7, False), ask(8, False)
    live_questions.answer(councillor, answered.id)
    live_questions.answering(councillor, answering.id)
    live_questions.merge(moderator, merged.id, target.id)
    live_questions.reject(moderator, rejected.id, "spam")
    live_questions.withdraw(askers[8], withdrawn.id)
    live_questions.answer(councillor, awaiting.id, reason="time")  # ahead of `target`, which has a vote now
    live_questions.reopen(councillor, awaiting.id)
    assert live_events.tally(live.id) == {
        "asked": 9,
        "awaiting_review": 1,
        "rejected": 1,
        "hidden": 0,
        "withdrawn": 1,
        "merged": 1,
        "answered": 1,
        "open": 4,  # answering, opened, target, awaiting (reopened)
        "awaiting_answer": 0,
    }
    live_sessions.end(people["admin"], live.id)
    after = live_events.tally(live.id)
    assert after["open"] == 0 and after["awaiting_answer"] == 4 and after["answered"] == 1
    assert after["awaiting_review"] == 1  # still with the moderators
    assert sum(v for k, v in after.items() if k != "asked") == after["asked"]
    assert held.state == "held"


def test_events_carry_the_tally_and_the_order(live, people, published, forum_policy):
    question = live_questions.ask(people["resident"], live.id, "What about the bins?")
    live_questions.approve(people["moderator"], question.id)
    event = room_events(published, live.id)[-1]
    assert event["kind"] == "questions"
    assert event["data"]["top"] == [question.id]
    assert event["data"]["tally"]["open"] == 1


# --- broadcast only after commit ----------------------------------------------------------------


def test_nothing_is_published_when_a_service_fails(live, people, published, forum_policy, monkeypatch):
    question = live_questions.ask(people["resident"], live.id, "When will the Eastgate repairs start?")
    live_questions.approve(people["moderator"], question.id)
    db.session.refresh(live)
    before_seq, before = live.seq, len(published)

    def boom(question):
        raise RuntimeError("the asker's channel is down")

    monkeypatch.setattr(live_events, "to_asker", boom)
    with pytest.raises(RuntimeError):
        live_questions.answering(people["councillor"], question.id)  # the event was recorded, then this raised
    db.session.rollback()
    monkeypatch.undo()
    assert len(published) == before
    db.session.refresh(live)
    assert live.seq == before_seq and seqs(live.id) == list(range(1, before_seq + 1))
    # The next change takes the next number, and only its own events go out.
    live_questions.answering(people["councillor"], question.id)
    sent = room_events(published[before:], live.id)
    assert [e["seq"] for e in sent] == [before_seq + 1]


def test_refused_actions_publish_nothing(live, people, published, forum_policy):
    question = live_questions.ask(people["resident"], live.id, "When will the Eastgate repairs start?")
    live_questions.approve(people["moderator"], question.id)
    live_questions.set_vote(people["resident2"], question.id, True)
    before = len(published)
    for error, call in (
        (ValidationError, lambda: live_questions.set_vote(people["resident"], question.id, True)),  # own question
        (Conflict, lambda: live_sessions.start(people["admin"], live.id)),
        (ValidationError, lambda: live_questions.ask(people["resident3"], live.id, " ")),
        (NotFound, lambda: live_questions.pin(people["moderator"], 999_999, True)),
        (PermissionDenied, lambda: live_questions.answer(people["resident"], question.id)),
    ):
        with pytest.raises(error):
            call()
        db.session.rollback()
    assert published[before:] == []


def test_events_are_published_after_the_commit(app, live, people, forum_policy):
    """When the broadcast goes out, another connection can already read the event it announces."""
    if app.config["DB_BACKEND"] == "sqlite":
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    else:
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1)
    seen: list[tuple[int, int]] = []

    def sink(event, payload, room, namespace):
        if event == "live:event" and live_events.speaks(room) == "en":
            with other.connect() as conn:
                found = conn.execute(
                    text("SELECT count(*) FROM session_events WHERE session_id = :s AND seq = :q"),
                    {"s": payload["session_id"], "q": payload["seq"]},
                ).scalar()
            seen.append((payload["seq"], found))

    broadcast.use(sink)
    try:
        question = live_questions.ask(people["resident"], live.id, "Is the event stored before it is sent?")
        live_questions.approve(people["moderator"], question.id)
        live_questions.set_vote(people["resident2"], question.id, True)
    finally:
        broadcast.use(None)
        other.dispose()
    assert len(seen) == 2 and all(found == 1 for _, found in seen)
