"""The one publisher of live events: the only caller of `socketio.emit`.

Services write to the database and commit, then call `publish`. The
transport comes from config: in-process, or through Redis when REDIS_URL is
set so that every server process's clients receive it. Tests swap in a
recorder with `use(recorder)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from debate import socket_queue
from debate.extensions import socketio

Sink = Callable[[str, dict, str, str], None]


def _emit(event: str, payload: dict, room: str, namespace: str) -> None:
    socketio.emit(event, payload, to=room, namespace=namespace)


_sink: Sink = _emit


def publish(event: str, payload: dict[str, Any], room: str, namespace: str = "/") -> None:
    """Send an event to everyone in a room. Call only after the commit."""
    _sink(event, payload, room, namespace)


def use(sink: Sink | None) -> None:
    """Replace the transport (tests); None restores the real one."""
    global _sink
    _sink = sink or _emit


def user_room(user_id: int) -> str:
    return f"{socket_queue.USER_ROOM_PREFIX}{user_id}"


def login_room(nonce: str) -> str:
    return f"{socket_queue.LOGIN_ROOM_PREFIX}{nonce}"


def close_sockets(room: str, reason: str, keep_room: str | None = None) -> None:
    """Tell the sockets in a login's or an account's room that they are signed out, and close them, on every
    process (but those in `keep_room`). Call only after the commit: services call `logins.end`, not this.

    Sockets another process missed also re-check the login on their next event, and staff rooms re-check
    at delivery (debate/socket_queue.py), so a lost message cannot keep a signed-out socket working.
    """
    server = socketio.server
    if server is not None:
        server.manager.close(room, reason, keep_room)
