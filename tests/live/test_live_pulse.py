"""Coalesced broadcasts (`live_pulse`): many votes, one event; presence counted per process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from debate.extensions import db
from debate.models.base import utcnow
from debate.models.live import SessionEvent, SessionPresence
from debate.services.live import events as live_events
from debate.services.live import pulse as live_pulse
from debate.services.live import questions as live_questions


@pytest.fixture(autouse=True)
def fresh_pulse(monkeypatch):
    """live_pulse keeps per-process state in module globals: start each test from nothing."""

    def reset():
        with live_pulse._lock:
            live_pulse._dirty_votes.clear()
            live_pulse._local.clear()
            live_pulse._dirty_presence.clear()
            live_pulse._published.clear()
            live_pulse._counted.clear()
        live_pulse._wake.clear()

    reset()
    monkeypatch.setattr(live_pulse, "_last_flush", 0.0)
    monkeypatch.setattr(live_pulse, "_last_heartbeat", utcnow())
    yield
    reset()


@pytest.fixture
def coalescing(app, monkeypatch):
    """LIVE_FLUSH_MS > 0 as in production, but no background flusher: the test calls flush()."""
    started: list[object] = []
    monkeypatch.setattr(live_pulse, "ensure_running", started.append)
    monkeypatch.setitem(app.config, "LIVE_FLUSH_MS", 250)
    return started


@pytest.fixture
def questions(live, people, forum_policy):
    made = []
    for who in ("resident", "resident2", "resident3"):
        question = live_questions.ask(people[who], live.id, f"A question from {who} about the bins?")
        live_questions.approve(people["moderator"], question.id)
        made.append(question)
    return made


def events(published, kind: str) -> list[dict]:
    return [p for e, p, r, n in published if e == "live:event" and p["kind"] == kind and live_events.speaks(r) == "en"]


def test_many_votes_then_one_flush_gives_one_event(coalescing, live, people, questions, published, make_user):
    voters = [make_user() for _ in range(4)]
    for voter in voters:
        live_questions.set_vote(voter, questions[0].id, True)
    for voter in voters[:2]:
        live_questions.set_vote(voter, questions[1].id, True)
    live_questions.set_vote(voters[0], questions[1].id, False)
    assert events(published, "votes") == []  # counted at once, announced later
    assert coalescing, "the flusher was asked to run"
    live_pulse.flush()
    sent = events(published, "votes")
    assert len(sent) == 1
    assert sent[0]["data"]["votes"] == [[questions[0].id, 4], [questions[1].id, 1]]
    assert sent[0]["data"]["top"] == [questions[0].id, questions[1].id, questions[2].id]
    # The event is numbered and stored like any other: a reconnecting client gets it.
    db.session.refresh(live)
    stored = db.session.scalar(
        select(SessionEvent).where(SessionEvent.session_id == live.id, SessionEvent.kind == "votes")
    )
    assert stored.seq == sent[0]["seq"] == live.seq
    assert live_events.events_after(live, live.seq - 1)[0]["data"] == sent[0]["data"]
    # Nothing new: the next flush sends nothing.
    live_pulse.flush()
    assert len(events(published, "votes")) == 1


def test_a_vote_after_a_quiet_spell_wakes_the_flusher_and_goes_out_uncoalesced(
    coalescing, live, people, questions, published
):
    live_questions.set_vote(people["resident2"], questions[0].id, True)
    assert live_pulse._wake.is_set(), "nothing was flushed for LIVE_FLUSH_MS: the flusher runs at once"
    live_pulse._wake.clear()
    live_pulse.flush(coalesced=False)  # what the woken loop does
    live_questions.set_vote(people["resident3"], questions[0].id, True)
    assert not live_pulse._wake.is_set(), "just flushed: this vote waits for the window, with any others"
    live_pulse.flush(coalesced=True)  # what the loop does when its wait times out
    first, second = (e["data"] for e in events(published, "votes"))
    assert (first["coalesced"], first["window_ms"], first["votes"]) == (False, 0, [[questions[0].id, 1]])
    assert (second["coalesced"], second["window_ms"], second["votes"]) == (True, 250, [[questions[0].id, 2]])


def test_a_flush_with_nothing_to_send_leaves_the_room_quiet(coalescing, live, people, questions, monkeypatch):
    live_pulse.flush(coalesced=True)
    assert live_pulse._last_flush == 0.0  # an empty tick is not a flush: the next vote still goes out at once
    live_questions.set_vote(people["resident2"], questions[0].id, True)
    assert live_pulse._wake.is_set()


def test_one_votes_event_per_session(coalescing, live, schedule, people, questions, published, forum_policy):
    other = schedule(start=True, premoderate=False)
    elsewhere = live_questions.ask(people["resident"], other.id, "A question in the other room?")
    live_questions.set_vote(people["resident2"], questions[0].id, True)
    live_questions.set_vote(people["resident2"], elsewhere.id, True)
    live_questions.set_vote(people["resident3"], elsewhere.id, True)
    live_pulse.flush()
    sent = {e["session_id"]: e["data"]["votes"] for e in events(published, "votes")}
    assert sent == {live.id: [[questions[0].id, 1]], other.id: [[elsewhere.id, 2]]}


def test_without_coalescing_each_vote_is_sent_at_once(app, live, people, questions, published):
    assert app.config["LIVE_FLUSH_MS"] == 0
    live_questions.set_vote(people["resident2"], questions[0].id, True)
    live_questions.set_vote(people["resident3"], questions[0].id, True)
    assert [e["data"]["votes"] for e in events(published, "votes")] == [[[questions[0].id, 1]], [[questions[0].id, 2]]]


def test_a_failed_flush_keeps_the_marks(coalescing, live, people, questions, published, monkeypatch):
    live_questions.set_vote(people["resident2"], questions[0].id, True)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(live_events, "record", broken)
    with pytest.raises(RuntimeError):
        live_pulse.flush()
    monkeypatch.undo()
    monkeypatch.setattr(live_pulse, "ensure_running", lambda app: None)
    assert live_pulse._dirty_votes == {live.id: {questions[0].id}}
    live_pulse.flush()
    assert [e["data"]["votes"] for e in events(published, "votes")] == [[[questions[0].id, 1]]]


def presence(published) -> list[int]:
    return [p["count"] for e, p, r, n in published if e == "live:presence" and r == live_events.room(p["session_id"])]


def test_presence_joined_and_left(coalescing, live, published):
    for _ in range(3):
        live_pulse.joined(live.id)
    live_pulse.left(live.id)
    assert live_pulse.local_count(live.id) == 2
    assert presence(published) == []
    live_pulse.flush()
    assert presence(published) == [2]
    # the same number to each language's room (live:<id> is the English one)
    assert [r for e, p, r, n in published if e == "live:presence"] == [r for _, r in live_events.rooms(live.id)]
    live_pulse.joined(live.id)
    live_pulse.left(live.id)
    live_pulse.flush()
    assert presence(published) == [2]  # unchanged: nothing sent
    live_pulse.left(live.id)
    live_pulse.left(live.id)
    live_pulse.left(live.id)  # more leaves than joins never goes below zero
    assert live_pulse.local_count(live.id) == 0
    live_pulse.flush()
    assert presence(published) == [2, 0]
    row = db.session.get(SessionPresence, (live.id, live_pulse.PROCESS))
    assert row.count == 0


def test_joins_and_leaves_wait_for_the_flushers_turn(coalescing, live, published):
    """Even after a quiet spell: a join storm woke the flusher once per join (a count and a broadcast each)."""
    assert live_pulse._last_flush == 0.0  # nothing flushed yet: a vote now would wake the flusher
    for _ in range(3):
        live_pulse.joined(live.id)
    live_pulse.left(live.id)
    assert not live_pulse._wake.is_set()
    assert coalescing, "the flusher was asked to run"
    live_pulse.flush()
    assert presence(published) == [2]


def test_a_joiner_is_told_the_flushers_last_count_while_it_is_fresh(coalescing, live, published, monkeypatch):
    live_pulse.joined(live.id)
    live_pulse.flush()
    live_pulse.joined(live.id)  # counted at the next flush, as docs/realtime.md says
    asked = []
    monkeypatch.setattr(live_pulse, "participants", lambda session_id: asked.append(session_id) or 99)
    assert live_pulse.participants_now(live.id) == 1 and asked == []  # the last count, no query
    total, at = live_pulse._counted[live.id]
    live_pulse._counted[live.id] = (total, at - live_pulse._stale().total_seconds() / 3)
    assert live_pulse.participants_now(live.id) == 99 and asked == [live.id]  # too old: read again


def test_without_a_flusher_a_joiner_is_told_the_count_read_now(app, live, published, monkeypatch):
    live_pulse.joined(live.id)  # LIVE_FLUSH_MS=0: flushed at once
    monkeypatch.setattr(live_pulse, "participants", lambda session_id: 7)
    assert live_pulse.participants_now(live.id) == 7


def test_presence_sums_fresh_processes_and_ignores_stale_ones(coalescing, live, published):
    now = utcnow()
    db.session.add_all(
        [
            SessionPresence(session_id=live.id, process="other-host:1", count=5, updated_at=now),
            SessionPresence(
                session_id=live.id, process="killed-host:2", count=50, updated_at=now - timedelta(minutes=5)
            ),
            SessionPresence(
                session_id=live.id,
                process="just-stale:3",
                count=7,
                updated_at=now - live_pulse.STALE - timedelta(seconds=1),
            ),
        ]
    )
    db.session.commit()
    live_pulse.joined(live.id)
    live_pulse.flush()
    assert presence(published) == [6]
    assert live_pulse.participants(live.id) == 6


def test_presence_for_a_missing_session_is_dropped(coalescing, app, published):
    live_pulse.joined(424242)
    live_pulse.flush()
    assert presence(published) == []
    assert db.session.scalar(select(SessionPresence)) is None


def test_zero_flush_interval_sends_presence_at_once(app, live, published):
    live_pulse.joined(live.id)
    assert presence(published) == [1]
