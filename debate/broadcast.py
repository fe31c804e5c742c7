"""The one publisher of live events: the only caller of `socketio.emit`.

Services write to the database and commit, then call `publish`. The
transport comes from config: in-process, or through Redis when REDIS_URL is
set so that every server process's clients receive it. Tests swap in a
recorder with `use(recorder)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    return f"user:{user_id}"


def login_room(nonce: str) -> str:
    return f"login:{nonce}"


def sign_out_sockets(nonce: str) -> None:
    """Tell sockets of an ended login that they are signed out, then close them.

    Sockets on other processes also re-check the login on their next event, so
    a missed message cannot keep a signed-out socket working.
    """
    room = login_room(nonce)
    for namespace in ("/", "/account", "/staff"):
        publish("account:signed_out", {"reason": "signed_out"}, room, namespace)
        disconnect_room(room, namespace)


def disconnect_room(room: str, namespace: str = "/") -> int:
    """Disconnect this process's sockets in a room; returns how many."""
    server = socketio.server
    if server is None:
        return 0
    sids = [sid for sid, _ in server.manager.get_participants(namespace, room)]
    for sid in sids:
        server.disconnect(sid, namespace=namespace)
    return len(sids)
