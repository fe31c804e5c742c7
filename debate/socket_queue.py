"""How events reach this process's sockets: closing a login's sockets everywhere, and rooms re-checked at delivery.

Two things python-socketio's client managers do not do, added to both of ours (`LocalQueue` for one
process, `RedisQueue` when several share a Redis message queue):

* **Closing sockets on every process.** python-socketio disconnects a socket on another process only by
  its sid, which only the process holding it knows. `close` sends one `account:signed_out` message per
  namespace through the queue, addressed to a login's room or an account's room; each process, as it
  delivers it, tells and closes its own sockets in that room, except those in a room that is kept (the
  login that changed the password).
* **Private rooms are re-checked at delivery.** Being in a room is a permission checked once, when the
  socket joined. A login ended, or a moderator stood down, on another process whose message was lost
  (Redis pub/sub delivers at most once), or by a command with no message queue, would otherwise leave
  the socket receiving the account's private events, or held questions with their askers' real names.
  Before an event goes to a room the gate names (debate/realtime/delivery.py: an account's room, the
  staff rooms), each process asks who of its sockets there may still have it (one query, in an app
  context of its own), skips the others, and takes them out of a staff room.

The manager remembers which account and login each socket is (the `user:<id>` and `login:<nonce>` rooms
it joined) so the check needs no scan of every room.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import socketio
from flask import Flask

log = logging.getLogger("commonground.realtime")

SIGNED_OUT = "account:signed_out"
NAMESPACES = ("/", "/account", "/staff")
USER_ROOM_PREFIX = "user:"
LOGIN_ROOM_PREFIX = "login:"

Member = tuple[int | None, str | None]  # (account id, login nonce) of one socket, as far as its rooms say
Check = Callable[[dict[str, Member]], set[str]]  # sockets in a room -> those that may still receive it
Gate = Callable[[str, str], Check | None]  # (namespace, room) -> the room's check, or None for open rooms


class Delivery(socketio.Manager):
    """Local delivery, shared by both managers (in RedisQueue it sits after PubSubManager in the MRO, so
    the queue's own `emit` publishes and this one delivers on each process)."""

    def __init__(self) -> None:
        super().__init__()
        self.app: Flask | None = None
        self.gate: Gate | None = None
        self._who: dict[tuple[str, str], dict[str, str]] = {}  # (namespace, sid) -> {prefix: id or nonce}

    def bind(self, app: Flask, gate: Gate) -> None:
        """Give the manager its app (checks query the database) and the rooms' rules (debate/realtime/delivery.py)."""
        self.app, self.gate = app, gate

    # --- who each socket is -------------------------------------------------------------------

    def basic_enter_room(self, sid, namespace, room, eio_sid=None):
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        kind = _identity(room)
        if kind is not None:
            self._who.setdefault((namespace, sid), {})[kind] = room[len(kind) :]

    def basic_leave_room(self, sid, namespace, room):
        super().basic_leave_room(sid, namespace, room)
        kind = _identity(room)
        if kind is not None:
            known = self._who.get((namespace, sid))
            if known is not None:
                known.pop(kind, None)
                if not known:
                    del self._who[(namespace, sid)]

    def member(self, namespace: str, sid: str) -> Member:
        known = self._who.get((namespace, sid), {})
        user_id = known.get(USER_ROOM_PREFIX)
        return (int(user_id) if user_id and user_id.isdigit() else None, known.get(LOGIN_ROOM_PREFIX))

    # --- delivering ---------------------------------------------------------------------------

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        room = to or room
        check = self.gate(namespace, room) if isinstance(room, str) and self.gate is not None else None
        if check is not None:
            refused = self._recheck(namespace, room, check)
            if refused:
                skip_sid = [*(skip_sid if isinstance(skip_sid, list) else [skip_sid]), *refused]
        return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs)

    def _recheck(self, namespace: str, room: str, check: Check) -> set[str]:
        """The sockets of this process in the room that may no longer receive what it is sent.

        They are skipped; and they leave a staff room at once. An account's room is kept, since that is
        where `close` finds the sockets of the account to close (the message doing so may be on its way).
        """
        members = {sid: self.member(namespace, sid) for sid, _ in self.get_participants(namespace, room)}
        if not members:
            return set()
        assert self.app is not None  # bound in create_app, before any socket
        with self.app.app_context():  # a session of its own: this may run inside another's after-commit hook
            refused = members.keys() - check(members)
        for sid in refused:
            log.info("socket refused at delivery: namespace=%s room=%s user=%s", namespace, room, members[sid][0])
            if _identity(room) is None:
                self.basic_leave_room(sid, namespace, room)
        return refused

    # --- closing ------------------------------------------------------------------------------

    def close(self, room: str, reason: str, keep_room: str | None = None) -> None:
        """Tell and close every socket in `room` (a login's or an account's) but those in `keep_room`."""
        for namespace in NAMESPACES:
            self.close_here(namespace, room, reason, keep_room)

    def close_here(self, namespace: str, room: str, reason: str, keep_room: str | None) -> int:
        """This process's part of `close` in one namespace; returns how many sockets it closed."""
        kept = {sid for sid, _ in self.get_participants(namespace, keep_room)} if keep_room else set()
        closing = [sid for sid, _ in self.get_participants(namespace, room) if sid not in kept]
        for sid in closing:
            self.server.emit(SIGNED_OUT, {"reason": reason}, to=sid, namespace=namespace, ignore_queue=True)
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
        return len(closing)


class LocalQueue(Delivery):
    """One process, no message queue (development, tests)."""


class RedisQueue(socketio.RedisManager, Delivery):
    """Several processes sharing Redis; `close` reaches every one of them through the queue."""

    def __init__(self, url: str, channel: str) -> None:
        # RedisManager's, first in the MRO (its super() chain reaches Delivery's); named, as mypy sees no further
        # than Delivery past the untyped base
        socketio.RedisManager.__init__(self, url, channel=channel)

    def close(self, room: str, reason: str, keep_room: str | None = None) -> None:
        for namespace in NAMESPACES:
            message = {
                "method": "emit",
                "event": SIGNED_OUT,
                "data": [{"reason": reason}],
                "binary": False,
                "namespace": namespace,
                "room": room,
                "skip_sid": None,
                "callback": None,
                "host_id": self.host_id,
                "keep_room": keep_room,  # read by _handle_emit on every process, never sent to a client
            }
            self._handle_emit(message)  # this process
            self._publish(message)  # the others

    def _handle_emit(self, message: dict[str, Any]) -> None:
        room = message.get("room")
        if message.get("event") == SIGNED_OUT and isinstance(room, str) and _identity(room) is not None:
            data = message.get("data") or [{}]
            reason = data[0].get("reason", "signed_out") if isinstance(data[0], dict) else "signed_out"
            keep_room = message.get("keep_room")
            self.close_here(message.get("namespace") or "/", room, reason, keep_room if _identity(keep_room) else None)
            return
        super()._handle_emit(message)


def _identity(room: object) -> str | None:
    """Which identity room this is (an account's or a login's), if any."""
    if isinstance(room, str):
        for prefix in (USER_ROOM_PREFIX, LOGIN_ROOM_PREFIX):
            if room.startswith(prefix):
                return prefix
    return None
