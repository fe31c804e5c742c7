"""Coalesced broadcasts: vote counts and the participant count, a few times a second.

One message per vote to every client grows with votes x audience; instead a
vote only marks its question dirty here (a set insert), and every
LIVE_FLUSH_MS each session with dirty questions gets ONE numbered "votes"
event with the current counts of just those questions and the new top order.
Joins and leaves likewise only move this process's counter; the total is the
sum of every process's fresh counter (`SessionPresence`), broadcast when it
changes. So a join costs O(1), never a recount of the room.

State here is per process and only ever a hint of what to re-read: the counts
themselves are always read from the database at flush time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections import Counter
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import func, select, update

from debate import broadcast
from debate.extensions import db, socketio
from debate.models.base import utcnow
from debate.models.live import LiveSession, SessionPresence, SessionQuestion

log = logging.getLogger("commonground.live")

PROCESS = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
HEARTBEAT = timedelta(seconds=10)
STALE = timedelta(seconds=30)  # a process silent this long (killed) no longer counts

_lock = threading.Lock()
_dirty_votes: dict[int, set[int]] = {}
_local: Counter[int] = Counter()  # sockets of this process in each session's room
_dirty_presence: set[int] = set()
_published: dict[int, int] = {}  # the participant count last sent per session
_last_heartbeat = utcnow()
_loops: set[int] = set()


def _interval() -> float:
    return current_app.config["LIVE_FLUSH_MS"] / 1000


def _after_mark() -> None:
    """Send now (LIVE_FLUSH_MS=0, as in tests) or make sure this process's flusher runs."""
    if _interval() <= 0:
        flush()
    else:
        ensure_running(current_app._get_current_object())


# --- marking ----------------------------------------------------------------------------------


def vote_changed(session_id: int, question_id: int) -> None:
    """A vote was committed: its question's count goes out with the next flush."""
    with _lock:
        _dirty_votes.setdefault(session_id, set()).add(question_id)
    _after_mark()


def joined(session_id: int) -> None:
    with _lock:
        _local[session_id] += 1
        _dirty_presence.add(session_id)
    _after_mark()


def left(session_id: int) -> None:
    with _lock:
        if _local[session_id] > 0:
            _local[session_id] -= 1
        _dirty_presence.add(session_id)
    _after_mark()


def local_count(session_id: int) -> int:
    return _local[session_id]


# --- flushing ---------------------------------------------------------------------------------


def flush() -> None:
    """Send what changed since the last flush: one "votes" event per session, and participant counts."""
    global _last_heartbeat
    with _lock:
        votes = dict(_dirty_votes)
        _dirty_votes.clear()
        presence = set(_dirty_presence)
        _dirty_presence.clear()
        if utcnow() - _last_heartbeat >= HEARTBEAT:
            presence |= {sid for sid, n in _local.items() if n > 0} | set(_published)
            _last_heartbeat = utcnow()
    for session_id, question_ids in votes.items():
        try:
            _flush_votes(session_id, question_ids)
        except Exception:
            db.session.rollback()
            with _lock:  # try again next time rather than lose the update
                _dirty_votes.setdefault(session_id, set()).update(question_ids)
            raise
    for session_id in presence:
        _flush_presence(session_id)


def _flush_votes(session_id: int, question_ids: set[int]) -> None:
    from debate.services import live_events

    live = db.session.get(LiveSession, session_id)
    if live is None:
        return

    def build() -> dict:
        rows = db.session.execute(
            select(SessionQuestion.id, SessionQuestion.vote_count)
            .where(SessionQuestion.id.in_(sorted(question_ids)))
            .order_by(SessionQuestion.id)
        ).all()
        return {
            "votes": [[qid, count] for qid, count in rows],
            "top": live_events.top_ids(session_id),
        }

    live_events.record(live, "votes", build)
    db.session.commit()


def _flush_presence(session_id: int) -> None:
    """Store this process's count, read the total over fresh processes, send it if it changed."""
    now = utcnow()
    count = _local[session_id]
    changed = db.session.execute(
        update(SessionPresence)
        .where(SessionPresence.session_id == session_id, SessionPresence.process == PROCESS)
        .values(count=count, updated_at=now)
    ).rowcount
    if not changed:
        if db.session.get(LiveSession, session_id) is None:
            db.session.rollback()
            return
        db.session.add(SessionPresence(session_id=session_id, process=PROCESS, count=count, updated_at=now))
    db.session.commit()
    total = participants(session_id)
    if _published.get(session_id) != total:
        _published[session_id] = total
        from debate.services.live_events import room

        broadcast.publish("live:presence", {"session_id": session_id, "count": total}, room(session_id))
    if total == 0:
        _published.pop(session_id, None)


def participants(session_id: int) -> int:
    """People in the room now, across every server process that has reported recently."""
    fresh = utcnow() - STALE
    total = db.session.scalar(
        select(func.coalesce(func.sum(SessionPresence.count), 0)).where(
            SessionPresence.session_id == session_id, SessionPresence.updated_at >= fresh
        )
    )
    return int(total or 0)


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
    """Mark every votable question of every live session, so the next flush sends their current counts.

    A vote is committed first and numbered later (at the next flush); a process
    stopped in between takes the mark with it, and clients that catch up by
    sequence number would keep the old count for good. Each process does this
    once, when its flusher starts (on the first join or vote it serves).
    """
    rows = db.session.execute(
        select(SessionQuestion.session_id, SessionQuestion.id)
        .join(LiveSession, LiveSession.id == SessionQuestion.session_id)
        .where(
            LiveSession.state == LiveSession.LIVE,
            SessionQuestion.state.in_(SessionQuestion.PUBLIC_STATES),
            SessionQuestion.status.in_((SessionQuestion.OPEN, SessionQuestion.ANSWERING)),
        )
    ).all()
    with _lock:
        for session_id, question_id in rows:
            _dirty_votes.setdefault(session_id, set()).add(question_id)


def _run(app: Flask) -> None:
    interval = app.config["LIVE_FLUSH_MS"] / 1000
    with app.app_context():
        try:
            resync()
        except Exception:  # noqa: BLE001 - counts still go out with the next vote on each question
            log.exception("live resync failed")
        finally:
            db.session.remove()
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                flush()
            except Exception:  # noqa: BLE001 - keep flushing; the marks were put back
                log.exception("live flush failed")
            finally:
                db.session.remove()
