"""What one server process owes the room is in shared state, so another process pays it if the first dies.

A "dead process" is simulated by dropping this process's in-memory marks (or
the broadcast of a committed event): exactly what a SIGKILL takes with it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from debate.extensions import db
from debate.models.live import SessionQuestion
from debate.services.live import events as live_events
from debate.services.live import pulse as live_pulse
from debate.services.live import questions as live_questions
from tests.live.test_live_pulse import events


@pytest.fixture(autouse=True)
def fresh_pulse():
    """live_pulse keeps per-process state in module globals: start each test from nothing."""

    def reset():
        with live_pulse._lock:
            for state in (live_pulse._dirty_votes, live_pulse._seen_seq, live_pulse._tail_sent, live_pulse._local):
                state.clear()

    reset()
    yield
    reset()


@pytest.fixture
def question(live, people, forum_policy):
    made = live_questions.ask(people["resident"], live.id, "Who fixes the swings in the park?")
    live_questions.approve(people["moderator"], made.id)
    return made


def die() -> None:
    """The process that took the votes is gone, and its marks with it."""
    with live_pulse._lock:
        live_pulse._dirty_votes.clear()


def test_a_vote_whose_process_died_before_its_flush_is_announced_by_another(
    coalescing,
    live,
    people,
    question,
    published,
):
    live_questions.set_vote(people["resident2"], question.id, True)
    die()
    live_pulse.flush()
    assert events(published, "votes") == [], "nothing is marked in this process"
    live_pulse.sweep()
    live_pulse.flush()
    [sent] = events(published, "votes")
    assert sent["data"]["votes"] == [[question.id, 1]]
    assert db.session.scalar(select(SessionQuestion.announced_votes).where(SessionQuestion.id == question.id)) == 1


def test_a_count_is_announced_once_whichever_process_flushes_first(
    coalescing,
    live,
    people,
    question,
    published,
):
    live_questions.set_vote(people["resident2"], question.id, True)
    live_questions.set_vote(people["resident3"], question.id, True)
    live_pulse.flush()  # this process's own flush
    live_pulse.sweep()  # another process's sweep, and its flush: nothing left to announce
    live_pulse._dirty_votes.setdefault(live.id, set()).add(question.id)
    live_pulse.flush()
    assert [e["data"]["votes"] for e in events(published, "votes")] == [[[question.id, 2]]]
    live_questions.set_vote(people["resident3"], question.id, False)  # an unvote is owed too
    die()
    live_pulse.sweep()
    live_pulse.flush()
    numbered = {e["seq"]: e["data"]["votes"] for e in events(published, "votes")}  # the quiet tail is re-sent too
    assert list(numbered.values()) == [[[question.id, 2]], [[question.id, 1]]]


def test_the_last_event_of_a_quiet_session_is_sent_again_once(coalescing, live, people, question, published):
    """An event committed by a process killed before it broadcast it still reaches the room."""
    published.clear()  # as if the process that committed the approval died before publishing it
    last = live_events.events_after(live, 0)[-1]
    live_pulse.sweep()  # first look: the session's number is noted
    assert published == []
    live_pulse.sweep()  # still the same number a sweep later: quiet, so its last event goes out again
    live_pulse.sweep()  # ...once
    english = live_events.room(live.id)
    resent = [p for e, p, r, n in published if e == live_events.EVENT and r == english]
    assert resent == [last]
    # Once to each language's room, in its words.
    assert [r for e, p, r, n in published] == [room for _code, room in live_events.rooms(live.id)]


def test_a_busy_session_gets_no_repeats(coalescing, live, people, question, published):
    live_pulse.sweep()
    for voter in ("resident2", "resident3"):
        live_questions.set_vote(people[voter], question.id, True)
        live_pulse.flush()  # a new number between every two sweeps
        published.clear()
        live_pulse.sweep()
        assert published == []
