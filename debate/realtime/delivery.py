"""Who may still receive what a room is sent: asked at every delivery, by each process, of its own sockets.

A socket joins rooms once (its account's room when it connects, a staff room when a moderator joins a
live session or opens the review queue) and would stay in them whatever happened since. The socket
managers (debate/socket_queue.py) ask `gate` before each delivery; for the rooms below, the sockets that
fail the check leave the room before the event goes out, so a login that ended or a role that changed
elsewhere (another process, a lost message) cannot leak what is private:

* an account's room (`user:<id>`: `live:mine`, `moderation:notice`, `notification:new`): a socket whose
  login is no longer live;
* the staff rooms (the review queue on /staff, each live session's held questions on "/", which carry
  anonymous askers' real names): a socket whose account may not moderate now.

Each check is one query for all of this process's sockets in the room. Rooms everyone may read (a live
session's, a thread's) are not checked.
"""

from __future__ import annotations

from debate.permissions import Permission, has
from debate.services import after_commit
from debate.services.accounts import credentials as accounts
from debate.services.live import events as live_events
from debate.socket_queue import USER_ROOM_PREFIX, Check, Member


def gate(namespace: str, room: str) -> Check | None:
    """The check for a room, or None when anyone in it may have what it is sent."""
    if room.startswith(USER_ROOM_PREFIX):
        return signed_in_now
    if staff_only(namespace, room):
        return staff_now
    return None


def staff_only(namespace: str, room: str) -> bool:
    """Is this a room only staff may be in: the review queue, or a live session's held questions?"""
    if namespace == after_commit.STAFF_NAMESPACE:
        return room == after_commit.QUEUE_ROOM
    return namespace == "/" and live_events.is_staff_room(room)


def signed_in_now(members: dict[str, Member]) -> set[str]:
    """The sockets (sid -> (account id, login nonce)) whose login is still live."""
    users = _live(members)
    return {sid for sid, (user_id, nonce) in members.items() if nonce in users}


def staff_now(members: dict[str, Member]) -> set[str]:
    """The sockets whose login is live and whose account may moderate now."""
    users = _live(members)
    return {
        sid for sid, (user_id, nonce) in members.items() if nonce in users and has(users[nonce], Permission.MODERATE)
    }


def _live(members: dict[str, Member]) -> dict:
    """The live logins among the sockets', by nonce (one query; a socket with no login room has none)."""
    return accounts.signed_in_users({nonce: user_id for user_id, nonce in members.values() if user_id and nonce})
