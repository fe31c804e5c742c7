"""Joiners at the same sequence number share one snapshot; any numbered change makes the next one afresh."""

from __future__ import annotations

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
