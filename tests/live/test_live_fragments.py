"""The room's markup in live updates: rendered by the server for an audience, never decided by a client.

Everyone in the room gets the same fragments (no anonymous asker's name, no held question, no moderators'
tools, no one's CSRF token); moderators get the questions with their tools in their own room; the asker
gets their own view. And a client that applied a session's events holds the same room as one that joined
at the end (as Zulip's test_events checks its apply_events): tests/js/replay.mjs runs the state module.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from debate.extensions import db
from debate.services.live import chat as live_chat
from debate.services.live import events as live_events
from debate.services.live import questions as live_questions
from tests.support.live_clients import without_counts

ROOT = Path(__file__).resolve().parents[2]


def sent(published, name: str) -> list[tuple[dict, str]]:
    """What English readers were sent (each language's room gets its own copy: tests/live/test_live_i18n.py)."""
    return [(p, r) for e, p, r, n in published if e == name and live_events.speaks(r) == "en"]


def test_an_anonymous_asker_is_named_only_to_moderators(published, live, people):
    asker = people["resident2"]
    question = live_questions.ask(asker, live.id, "Will rents rise again next year?", anonymous=True)
    live_questions.approve(people["moderator"], question.id)
    [(event, room)] = [(p, r) for p, r in sent(published, "live:event") if p["kind"] == "questions"]
    assert room == live_events.room(live.id)
    html = json.dumps(event["data"]) + json.dumps(live_events.snapshot(live))
    assert asker.public_name not in html and "Anonymous" in html
    assert "/reject" not in html and "/fix" not in html and "/pin" not in html  # no moderators' tools
    assert re.search(r'name="csrf_token" value="[^"]', html) is None  # the reader's page fills in its own
    [(staff, staff_room)] = sent(published, "live:staff")
    assert staff_room == live_events.staff_room(live.id) and staff["seq"] == event["seq"]
    assert (
        f"(asked by <bdi>{asker.public_name}</bdi>; only moderators see this)" in staff["questions"][0]["html"]["item"]
    )
    assert "/reject" in staff["questions"][0]["html"]["item"]


def test_a_held_question_reaches_only_the_moderators_and_its_asker(published, live, people):
    asker = people["resident"]
    question = live_questions.ask(asker, live.id, "Why is the library shut on Sundays?")
    assert [p for p, r in sent(published, "live:event") if p["kind"] == "questions"] == []
    [(pending, room)] = sent(published, "live:pending")
    assert room == live_events.staff_room(live.id)
    assert f'action="/sessions/{live.id}/questions/{question.id}/approve"' in pending["question"]["html"]
    [(mine, _)] = sent(published, "live:mine")
    assert "Awaiting review" in mine["question"]["html"] and "/withdraw" in mine["question"]["html"]
    assert "library" not in json.dumps(live_events.snapshot(live))


def test_controls_are_marked_with_what_they_need(published, live, people):
    question = live_questions.ask(people["resident"], live.id, "When does the pool reopen?")
    live_questions.approve(people["moderator"], question.id)
    [event] = [p for p, r in sent(published, "live:event") if p["kind"] == "questions"]
    item = event["data"]["questions"][0]["html"]["item"]
    assert 'class="vote-form inline-form" data-needs="can_vote" data-not-own' in item
    assert 'class="question-votes" data-else' in item  # what a reader who may not vote sees instead
    assert 'data-needs="answer"' in item and 'data-needs="can_flag" data-not-own' in item
    assert event["data"]["tally_text"] == "1 question asked: 1 open."  # the page's sentence


def test_applying_the_events_gives_the_room_a_fresh_join_gives(published, live, people):
    resident, moderator, councillor = people["resident"], people["moderator"], people["councillor"]
    first = live_questions.ask(resident, live.id, "When will the Eastgate repairs start?")
    live_questions.approve(moderator, first.id)
    db.session.refresh(live)
    snapshot, seq = live_events.snapshot(live), live.seq
    second = live_questions.ask(people["resident2"], live.id, "Will rents rise again next year?", anonymous=True)
    live_questions.approve(moderator, second.id)
    third = live_questions.ask(people["resident3"], live.id, "Is the bus lane staying?")
    live_questions.approve(moderator, third.id)
    live_questions.set_vote(people["resident3"], first.id, True)
    live_questions.set_vote(people["resident"], second.id, True)
    live_questions.pin(moderator, third.id, True, reason="agenda")
    live_chat.post(resident, live.id, "Hello from Riverside")
    live_chat.announce(people["admin"], live.id, "Ten minutes left.")
    live_questions.answering(councillor, first.id, reason="time")
    live_questions.answer(councillor, first.id, "In March.")
    live_questions.reject(moderator, second.id, "off_topic", "")
    fourth = live_questions.ask(people["resident2"], live.id, "Can the market move to Sundays?")
    live_questions.approve(moderator, fourth.id)
    fifth = live_questions.ask(resident, live.id, "Will the pier be repaired?")
    live_questions.approve(moderator, fifth.id)
    live_questions.set_vote(people["resident2"], fifth.id, True)  # last: only a "votes" event moves the order
    db.session.refresh(live)
    events = [p for p, r in sent(published, "live:event") if p["seq"] > seq]
    assert [e["seq"] for e in events] == list(range(seq + 1, live.seq + 1))
    payload = {
        "session_id": live.id,
        "snapshot": snapshot,
        "seq": seq,
        "events": events,
        "fresh": live_events.snapshot(live),
        "fresh_seq": live.seq,
    }
    run = subprocess.run(
        ["node", "tests/js/replay.mjs"],
        cwd=ROOT,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rooms = json.loads(run.stdout)
    replayed, fresh = rooms["replayed"], rooms["fresh"]
    for room in (replayed, fresh):
        for shown in room["questions"].values():
            for part in ("item", "featured", "projector"):
                shown[part] = without_counts(shown[part])
    assert replayed == fresh
    assert fresh["lists"]["answered"] == [first.id] and fresh["lists"]["next_up"] == [third.id]
    assert fresh["lists"]["top"] == [fifth.id, fourth.id] and events[-1]["kind"] == "votes"
    assert str(second.id) not in fresh["questions"]
