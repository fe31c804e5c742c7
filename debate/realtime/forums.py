"""Reading a thread live: join its room, and catch up on what was posted while away.

Reading needs no account, so these events are public on "/". Replies are
posted through the page or the JSON API (the same service); the socket only
delivers what was committed.
"""

from __future__ import annotations

from flask_socketio import join_room, leave_room

from debate.errors import ServiceError
from debate.realtime.guard import Field, on_event
from debate.services.forums import live as forum_live
from debate.services.forums import pages as forum_pages

THREAD = {"thread_id": Field(int), "last_seen_reply_id": Field(int, required=False)}


@on_event("thread:join", login=False, schema=THREAD, limit=forum_live.JOIN)
def join_thread(user, payload):
    """Join the thread's room, then answer with the replies newer than the last one the page has.

    The room is joined before reading, so nothing committed in between is
    missed; the page drops anything it already has.
    """
    room = forum_live.thread_room(payload["thread_id"])
    join_room(room)
    try:
        return forum_pages.catch_up(user, payload["thread_id"], payload.get("last_seen_reply_id"))
    except ServiceError:
        leave_room(room)
        raise


@on_event("thread:leave", login=False, schema={"thread_id": Field(int)}, limit=forum_live.LEAVE)
def leave_thread(user, payload):
    leave_room(forum_live.thread_room(payload["thread_id"]))
    return {"thread_id": payload["thread_id"]}
