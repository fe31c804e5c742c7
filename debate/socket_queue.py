"""The Redis message queue between server processes, plus closing a login's sockets on every process.

python-socketio disconnects a socket on another process only by its sid,
which only the process holding it knows. Signing out must close every
socket of that login wherever it is: the `account:signed_out` event to the
login's room already reaches every process through the queue, so each
process closes its own sockets in that room as it delivers the event.
"""

from __future__ import annotations

import socketio

SIGNED_OUT = "account:signed_out"
LOGIN_ROOM_PREFIX = "login:"


class RedisQueue(socketio.RedisManager):
    """socketio.RedisManager whose delivery of `account:signed_out` to a login room also disconnects it."""

    def _handle_emit(self, message: dict) -> None:
        super()._handle_emit(message)
        room = message.get("room")
        if message.get("event") == SIGNED_OUT and isinstance(room, str) and room.startswith(LOGIN_ROOM_PREFIX):
            namespace = message.get("namespace") or "/"
            for sid, _ in list(self.get_participants(namespace, room)):
                self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
