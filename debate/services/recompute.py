"""Coalesced background recomputation: opinion groups of a round, the bridging order of a live room.

A vote must not pay for a recomputation (seconds, for a large round), and a thousand votes a second
must not start a thousand of them. So a vote only marks its key (a round, a session) dirty here, in
this process; every RECOMPUTE_MS this process's loop runs each kind's job once for each key marked
since, whatever the number of votes (the same coalescing as `live/pulse` does for vote counts).

A job must be safe to run twice and in two processes at once: it compares what it computed from
(a counter of changes kept in the database) with what is stored, and stores conditionally. Each kind
also names its `stale` keys (changed in the database since their last stored result); every process
sweeps them every SWEEP_EVERY loops, so a key marked by a process that died is still recomputed.

RECOMPUTE_MS > 0: the background loop (the server). 0: the job runs at once, in the request that
marked it, after its commit. < 0: nothing runs by itself (tests call the job when they choose).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app

from debate.extensions import db, socketio

log = logging.getLogger("commonground.recompute")

SWEEP_EVERY = 15  # loops between two sweeps for stale keys


@dataclass(frozen=True)
class Kind:
    name: str
    job: Callable[[int], None]  # recompute and store for one key (runs in an app context)
    stale: Callable[[], Iterable[int]]  # keys whose stored result is behind the database


_kinds: dict[str, Kind] = {}
_dirty: dict[str, set[int]] = {}
_lock = threading.Lock()
_loops: set[int] = set()


def register(name: str, job: Callable[[int], None], stale: Callable[[], Iterable[int]]) -> None:
    _kinds[name] = Kind(name, job, stale)


def mark(name: str, key: int) -> None:
    """Something `key`'s result depends on was committed: recompute it soon (see the module's docstring)."""
    interval = int(current_app.config["RECOMPUTE_MS"])
    if interval < 0:
        return
    if interval == 0:
        _run_one(_kinds[name], key)
        return
    with _lock:
        _dirty.setdefault(name, set()).add(key)
    ensure_running(current_app._get_current_object())  # type: ignore[attr-defined]  # a LocalProxy, typed as Flask


def run_pending() -> None:
    """Run every job marked since the last call, each key once."""
    with _lock:
        pending = {name: keys for name, keys in _dirty.items() if keys}
        _dirty.clear()
    for name, keys in pending.items():
        for key in sorted(keys):
            _run_one(_kinds[name], key)


def sweep() -> None:
    """Mark every kind's stale keys (a dead process's marks, results lost to a crash)."""
    for kind in _kinds.values():
        try:
            keys = list(kind.stale())
        except Exception:
            log.exception("recompute sweep failed for %s", kind.name)
            db.session.rollback()
            continue
        with _lock:
            _dirty.setdefault(kind.name, set()).update(keys)


def _run_one(kind: Kind, key: int) -> None:
    try:
        kind.job(key)
    except Exception:
        log.exception("recompute of %s %s failed", kind.name, key)
        db.session.rollback()


def ensure_running(app: Flask) -> None:
    """Start this process's loop for `app` once (a background task of the Socket.IO server)."""
    with _lock:
        if id(app) in _loops:
            return
        _loops.add(id(app))
    socketio.start_background_task(_loop, app)


def _loop(app: Flask) -> None:
    interval = int(app.config["RECOMPUTE_MS"]) / 1000
    turns = 0
    while True:
        socketio.sleep(interval)
        turns += 1
        with app.app_context():
            try:
                if turns % SWEEP_EVERY == 0:
                    sweep()
                run_pending()
            finally:
                db.session.remove()
