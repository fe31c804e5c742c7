"""Coalesced broadcasts: vote counts, poll results and the participant count, a few times a second.

One message per vote to every client grows with votes x audience; instead a
vote only marks its question dirty here (a set insert), and each session with
dirty questions gets ONE numbered "votes" event with the current counts of
just those questions and the new top order. When the room has been quiet (no
flush for LIVE_FLUSH_MS) the first mark wakes the flusher at once, so a lone
vote is on every screen within a round trip; under load, flushes come at most
every LIVE_FLUSH_MS and carry every change since the last. The "votes" event
says which (`coalesced`, and the window in `window_ms`), so a client or a
benchmark knows what the latency it sees includes.
Poll answers likewise only mark their poll; the flush sends one "poll_results"
event per session with the current results of the polls that changed
(`poll_events.flush_results`, claiming `Poll.changes` as votes are claimed).
Joins and leaves likewise only move this process's counter; the total is the
sum of every process's fresh counter (`SessionPresence`), broadcast when it
changes. So a join costs O(1), never a recount of the room.

With several server processes, what is still owed to the room lives in the
database, not only in one process's memory, so a process killed at any
moment loses nothing:

- `SessionQuestion.announced_votes` is the count last put in a numbered
  event. A flush claims the difference with one conditional UPDATE in the
  same transaction as the event, so a count is announced exactly once, by
  whichever process gets there first; every process also sweeps the live
  sessions for differences every SWEEP (votes committed by a process that
  died before its flush).
- An event is committed before it is broadcast; a process killed in between
  takes the broadcast with it. Clients notice a gap at the next event, but a
  room that then goes quiet would never get one, so every process re-sends
  the last event of each live session that has been quiet for a SWEEP
  (clients drop numbers they already have).
- Presence rows of a process that stopped refreshing stop counting after STALE.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import func, or_, select, update

from debate import broadcast
from debate.config import PROCESS
from debate.extensions import db, socketio
from debate.models.base import utcnow
from debate.models.live import LiveSession, SessionEvent, SessionPresence, SessionQuestion
from debate.services import rows
from debate.services.live import events as live_events
from debate.services.live import poll_events
from debate.services.live.events import rooms

log = logging.getLogger("commonground.live")

STALE = timedelta(seconds=30)  # a process silent this long (killed) no longer counts (LIVE_PRESENCE_STALE_S)
RECENTLY_ENDED = timedelta(minutes=5)
SWEEP = timedelta(seconds=1)  # how often each process looks for what a dead process left unannounced

_lock = threading.Lock()
_dirty_votes: dict[int, set[int]] = {}
_dirty_polls: dict[int, set[int]] = {}  # polls with answers to announce, per session
_local: Counter[int] = Counter()  # sockets of this process in each session's room
_dirty_presence: set[int] = set()
_published: dict[int, int] = {}  # the participant count last sent per session
_counted: dict[int, tuple[int, float]] = {}  # the total at this process's last presence flush, and when (monotonic)
_last_heartbeat = utcnow()
_last_sweep = utcnow()
_seen_seq: dict[int, int] = {}  # each live session's last number at the previous sweep
_tail_sent: dict[int, int] = {}  # the last number this process re-sent per session
_loops: set[int] = set()
_wake = threading.Event()  # set by a mark after a quiet spell: the flusher runs at once
_last_flush = 0.0  # monotonic time this process last flushed something


def _interval() -> float:
    return float(current_app.config["LIVE_FLUSH_MS"]) / 1000


def _after_mark(wake: bool = True) -> None:
    """Send now (LIVE_FLUSH_MS=0, as in tests) or make sure this process's flusher runs, waking it when the
    last flush is at least LIVE_FLUSH_MS old (a quiet room: nothing to coalesce with, so no reason to wait).

    Joins and leaves do not wake it (`wake=False`): the count goes out at the flusher's next turn, at most
    every LIVE_FLUSH_MS as docs/realtime.md says. Only votes and poll answers set `_last_flush`, so in a
    join storm every join found the last flush "old" and woke the flusher: one presence flush (an UPDATE,
    a SUM and a broadcast to the whole room) per join, a room of 1,000 sent 500,000 messages to join.
    """
    interval = _interval()
    if interval <= 0:
        flush()
        return
    ensure_running(current_app._get_current_object())  # type: ignore[attr-defined]  # a LocalProxy, typed as Flask
    if wake and time.monotonic() - _last_flush >= interval:
        _wake.set()


# --- marking ----------------------------------------------------------------------------------


def vote_changed(session_id: int, question_id: int) -> None:
    """A vote was committed: its question's count goes out with the next flush."""
    with _lock:
        _dirty_votes.setdefault(session_id, set()).add(question_id)
    _after_mark()


def poll_changed(session_id: int, poll_id: int) -> None:
    """An answer was committed: its poll's results go out with the next flush, with every other answer since."""
    with _lock:
        _dirty_polls.setdefault(session_id, set()).add(poll_id)
    _after_mark()


def joined(session_id: int) -> None:
    with _lock:
        _local[session_id] += 1
        _dirty_presence.add(session_id)
    _after_mark(wake=False)


def left(session_id: int) -> None:
    with _lock:
        if _local[session_id] > 0:
            _local[session_id] -= 1
        _dirty_presence.add(session_id)
    _after_mark(wake=False)


def local_count(session_id: int) -> int:
    return _local[session_id]


# --- flushing ---------------------------------------------------------------------------------


def flush(coalesced: bool = False) -> None:
    """Send what changed since the last flush: one "votes" event per session, and participant counts.

    `coalesced`: the flusher waited out LIVE_FLUSH_MS to gather these changes (said in the "votes" event).
    """
    global _last_heartbeat, _last_flush
    with _lock:
        votes = dict(_dirty_votes)
        _dirty_votes.clear()
        polls = dict(_dirty_polls)
        _dirty_polls.clear()
        presence = set(_dirty_presence)
        _dirty_presence.clear()
        if utcnow() - _last_heartbeat >= _stale() / 3:
            presence |= {sid for sid, n in _local.items() if n > 0} | set(_published)
            _last_heartbeat = utcnow()
    if votes or polls:
        _last_flush = time.monotonic()
    for session_id, question_ids in votes.items():
        try:
            _flush_votes(session_id, question_ids, coalesced)
        except Exception:
            db.session.rollback()
            with _lock:  # try again next time rather than lose the update
                _dirty_votes.setdefault(session_id, set()).update(question_ids)
            raise
    for session_id, poll_ids in polls.items():
        try:
            poll_events.flush_results(session_id, poll_ids)
        except Exception:
            db.session.rollback()
            with _lock:
                _dirty_polls.setdefault(session_id, set()).update(poll_ids)
            raise
    for session_id in presence:
        _flush_presence(session_id)


def _flush_votes(session_id: int, question_ids: set[int], coalesced: bool = False) -> None:
    """Claim the unannounced counts of these questions and number them as one "votes" event, atomically.

    The claim (announced_votes := vote_count where they differ) and the event
    commit together: another process's flush or sweep finds nothing left to
    send, and a process killed before the commit leaves the difference for
    the others to announce.
    """

    live = db.session.get(LiveSession, session_id)
    if live is None:
        return
    rows = db.session.execute(
        update(SessionQuestion)
        .where(
            SessionQuestion.id.in_(sorted(question_ids)),
            SessionQuestion.announced_votes != SessionQuestion.vote_count,
        )
        .values(announced_votes=SessionQuestion.vote_count)
        .returning(SessionQuestion.id, SessionQuestion.vote_count)
        .execution_options(synchronize_session=False)
    ).all()
    if rows:
        votes = sorted([question_id, count] for question_id, count in rows)
        window = int(current_app.config["LIVE_FLUSH_MS"]) if coalesced else 0
        live_events.record(live, "votes", lambda: live_events.votes_data(session_id, votes, window))
    db.session.commit()


def _sweep_if_due() -> None:
    global _last_sweep
    with _lock:
        if utcnow() - _last_sweep < SWEEP:
            return
        _last_sweep = utcnow()
    sweep()


def sweep() -> None:
    """Pick up what any process left owed in the live sessions: unannounced votes, unsent last events."""
    unannounced = db.session.execute(
        select(SessionQuestion.session_id, SessionQuestion.id)
        .join(LiveSession, LiveSession.id == SessionQuestion.session_id)
        .where(LiveSession.state == LiveSession.LIVE, SessionQuestion.announced_votes != SessionQuestion.vote_count)
    ).all()
    owed_polls = poll_events.unannounced()
    with _lock:
        for session_id, question_id in unannounced:
            _dirty_votes.setdefault(session_id, set()).add(question_id)
        for session_id, poll_id in owed_polls:
            _dirty_polls.setdefault(session_id, set()).add(poll_id)
    recent = utcnow() - RECENTLY_ENDED  # the event that ended a session may be the one lost
    live = dict(
        db.session.execute(
            select(LiveSession.id, LiveSession.seq).where(
                or_(LiveSession.state == LiveSession.LIVE, LiveSession.ended_at >= recent)
            )
        )
        .tuples()
        .all()
    )
    for session_id, seq in live.items():
        quiet = _seen_seq.get(session_id) == seq
        if quiet and seq and _tail_sent.get(session_id) != seq:
            _resend(session_id, seq)
    _seen_seq.clear()
    _seen_seq.update(live)
    for session_id in set(_tail_sent) - set(live):
        del _tail_sent[session_id]
    db.session.rollback()


def _resend(session_id: int, seq: int) -> None:
    """Broadcast a quiet session's last stored event again: a client that missed it applies it, others drop it."""

    event = db.session.scalar(
        select(SessionEvent).where(SessionEvent.session_id == session_id, SessionEvent.seq == seq)
    )
    if event is not None:
        live_events.publish_localised(live_events.EVENT, live_events.wire(event), live_events.rooms(session_id))
    _tail_sent[session_id] = seq


def _flush_presence(session_id: int) -> None:
    """Store this process's count, read the total over fresh processes, send it if it changed."""
    now = utcnow()
    count = _local[session_id]
    changed = rows.changed(
        update(SessionPresence)
        .where(SessionPresence.session_id == session_id, SessionPresence.process == PROCESS)
        .values(count=count, updated_at=now)
    )
    if not changed:
        if db.session.get(LiveSession, session_id) is None:
            db.session.rollback()
            return
        db.session.add(SessionPresence(session_id=session_id, process=PROCESS, count=count, updated_at=now))
    db.session.commit()
    total = participants(session_id)
    _counted[session_id] = (total, time.monotonic())
    if _published.get(session_id) != total:
        _published[session_id] = total

        for _lang, target in rooms(session_id):  # a number: the same for every language's room
            broadcast.publish("live:presence", {"session_id": session_id, "count": total}, target)
    if total == 0:
        _published.pop(session_id, None)
        _counted.pop(session_id, None)


def _stale() -> timedelta:
    """How long a process's presence counts without a refresh; it refreshes three times in that span."""
    seconds = current_app.config.get("LIVE_PRESENCE_STALE_S")
    return timedelta(seconds=seconds) if seconds else STALE


def participants(session_id: int) -> int:
    """People in the room now, across every server process that has reported recently."""
    fresh = utcnow() - _stale()
    total = db.session.scalar(
        select(func.coalesce(func.sum(SessionPresence.count), 0)).where(
            SessionPresence.session_id == session_id, SessionPresence.updated_at >= fresh
        )
    )
    return int(total or 0)


def participants_now(session_id: int) -> int:
    """`participants` as this process's flusher last counted it, if within the presence refresh span; else read now.

    A joiner is told the count "by the last count" (docs/realtime.md), and in a join storm the flusher
    counts at every turn anyway (joins mark presence): a thousand joiners each asking the database again
    was a twentieth of the storm's work. The flusher counts again at least every refresh span (a third of
    LIVE_PRESENCE_STALE_S) while anyone here is in the room, and at its next turn after a join or leave here; an
    overloaded server's flusher may take longer than a second between turns, so the span is that refresh.
    Only with a flusher (LIVE_FLUSH_MS > 0): without one each join flushes at once, and counts itself.
    """
    counted = _counted.get(session_id)
    fresh = _stale().total_seconds() / 3
    if _interval() > 0 and counted is not None and time.monotonic() - counted[1] < fresh:
        return counted[0]
    return participants(session_id)


# --- the flusher ------------------------------------------------------------------------------


def ensure_running(app: Flask) -> None:
    """Start this process's flusher for `app` once (a background task of the Socket.IO server)."""
    key = id(app)
    with _lock:
        if key in _loops:
            return
        _loops.add(key)
    socketio.start_background_task(_run, app)


def resync() -> None:
    """Announce again the counts of every votable question of every live session (at the next flush).

    Marks them unannounced in the database, so any process's next flush or
    sweep sends them: a repair for clients that may hold wrong counts.
    """
    rows = db.session.execute(
        update(SessionQuestion)
        .where(
            SessionQuestion.session_id.in_(select(LiveSession.id).where(LiveSession.state == LiveSession.LIVE)),
            SessionQuestion.state.in_(SessionQuestion.PUBLIC_STATES),
            SessionQuestion.status.in_((SessionQuestion.OPEN, SessionQuestion.ANSWERING)),
        )
        .values(announced_votes=-1)
        .returning(SessionQuestion.session_id, SessionQuestion.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    with _lock:
        for session_id, question_id in rows:
            _dirty_votes.setdefault(session_id, set()).add(question_id)


def _run(app: Flask) -> None:
    """Flush every LIVE_FLUSH_MS, or at once when a mark after a quiet spell wakes the loop."""
    interval = app.config["LIVE_FLUSH_MS"] / 1000
    while True:
        woken = _wake.wait(timeout=interval)
        _wake.clear()
        with app.app_context():
            try:
                _sweep_if_due()
                flush(coalesced=not woken)
            except Exception:
                log.exception("live flush failed")
            finally:
                db.session.remove()
