"""Who may still receive what a room is sent: asked at every delivery, by each process, of its own sockets.

A socket joins rooms once (its account's room when it connects) and would stay in them whatever
happened since. The socket managers (debate/socket_queue.py) ask `gate` before each delivery; for the
rooms below, the sockets that fail the check are skipped, so a login that ended elsewhere (another
process, a lost message) cannot leak what is private:

* an account's room (`user:<id>`: `live:mine`, `moderation:notice`, `notification:new`): a socket whose
  login is no longer live.

Each check is one query for all of this process's sockets in the room. Rooms everyone may read (a live
session's, a thread's) are not checked.
"""

from __future__ import annotations

from debate.services import accounts
from debate.socket_queue import USER_ROOM_PREFIX, Check, Member


def gate(namespace: str, room: str) -> Check | None:
    """The check for a room, or None when anyone in it may have what it is sent."""
    if room.startswith(USER_ROOM_PREFIX):
        return signed_in_now
    return None


def signed_in_now(members: dict[str, Member]) -> set[str]:
    """The sockets (sid -> (account id, login nonce)) whose login is still live."""
    users = _live(members)
    return {sid for sid, (user_id, nonce) in members.items() if nonce in users}


def _live(members: dict[str, Member]) -> dict:
    """The live logins among the sockets', by nonce (one query; a socket with no login room has none)."""
    return accounts.signed_in_users({nonce: user_id for user_id, nonce in members.values() if user_id and nonce})
