"""Joiners at the same sequence number share one snapshot; any numbered change makes the next one afresh."""

from __future__ import annotations

import json
import threading

from debate.extensions import db
from debate.services.live import events as live_events
from debate.services.live import questions as live_questions


def current(live):
    db.session.refresh(live)
    return live


def asked(people, who: str, live, text: str):
    """A question shown in the room (new accounts' first posts are held: a moderator approves it)."""
    question = live_questions.ask(people[who], live.id, text)
    live_questions.approve(people["moderator"], question.id)
    return question


def test_joiners_at_one_number_share_a_snapshot_and_a_new_question_makes_a_new_one(schedule, people):
    live = schedule(start=True, premoderate=False)
    held = live_questions.ask(people["resident3"], live.id, "Held for review, not a change the room sees?")
    asked(people, "resident", live, "Will the library open on Sundays?")
    first = live_events.snapshot(current(live))
    assert live_events.snapshot(current(live)) is first
    assert held.id not in [q["id"] for q in first["questions"]]

    asked(people, "resident2", live, "And the swimming pool, when does it reopen?")
    second = live_events.snapshot(current(live))
    assert second is not first
    assert [q["body"] for q in second["questions"]][-1] == "And the swimming pool, when does it reopen?"
    assert second["tally"]["asked"] == first["tally"]["asked"] + 1


def test_a_vote_is_numbered_so_no_reader_is_served_the_count_before_it(schedule, people):
    live = schedule(start=True, premoderate=False)
    question = asked(people, "resident", live, "Can the bins be collected weekly again?")
    before = live_events.snapshot(current(live))
    live_questions.set_vote(people["resident2"], question.id, True)  # tests flush at once (LIVE_FLUSH_MS=0)
    after = live_events.snapshot(current(live))
    assert after is not before
    assert [q["votes"] for q in after["questions"]] == [1] and [q["votes"] for q in before["questions"]] == [0]


def test_a_joiner_that_read_an_older_number_is_served_the_newer_shared_snapshot(schedule, people):
    """As if it had read the room a moment later: it applies the events after its own number, which repeat it."""
    live = schedule(start=True, premoderate=False)
    earlier = current(live)
    older_seq = earlier.seq
    asked(people, "resident", live, "Will the library open on Sundays?")
    newer = live_events.snapshot(current(live))
    earlier.seq = older_seq  # what a joiner that loaded the session before the question still holds
    assert live_events.snapshot(earlier) is newer


def test_the_snapshot_is_written_as_json_once_per_language(schedule, people):
    live = schedule(start=True, premoderate=False)
    asked(people, "resident", live, "Can the bins be collected weekly again?")
    text = live_events.snapshot_text(current(live), "en")
    assert json.loads(text) == live_events.snapshot(current(live), "en")
    assert live_events.snapshot_text(current(live), "en") is text
    assert json.loads(live_events.snapshot_text(current(live), "cy")) == live_events.snapshot(current(live), "cy")


def test_a_joiner_arriving_while_another_builds_the_snapshot_waits_for_that_build(app, schedule, people, monkeypatch):
    """A join storm built one snapshot per joiner arriving during a build; now one joiner builds, the rest wait."""
    live = current(schedule(start=True, premoderate=False))
    built, missed, seen = [], threading.Event(), {}
    real_build, real_shared = live_events._build_snapshot, live_events._shared

    def shared(key, seq):
        found = real_shared(key, seq)
        if threading.current_thread().name == "second joiner" and found is None:
            missed.set()  # it arrived during the build: nothing to share yet
        return found

    def second_joiner():
        with app.app_context():
            seen["snapshot"] = live_events.snapshot(live, "en")

    def build(session):
        built.append(threading.current_thread().name)
        if len(built) == 1:
            threading.Thread(target=second_joiner, name="second joiner").start()
            assert missed.wait(10), "the second joiner never looked for the snapshot"
        return real_build(session)

    monkeypatch.setattr(live_events, "_shared", shared)
    monkeypatch.setattr(live_events, "_build_snapshot", build)
    first = live_events.snapshot(live, "en")
    for thread in threading.enumerate():
        if thread.name == "second joiner":
            thread.join(10)
    assert built == [threading.current_thread().name]
    assert seen["snapshot"] is first
