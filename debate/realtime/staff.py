"""The moderators' live channel (/staff): the review queue updates for everyone who has it open.

Connecting needs the MODERATE permission; every event checks it again (a
moderator stood down keeps no powers on an open socket). Events call the same
services as the queue's forms; the services commit first and then publish
queue:item_added / item_updated / item_removed to the "queue" room.

Its queue room follows the current role: a change of role closes the member's
sockets (`logins.end`), connecting checks the role, and every delivery checks
again who in it is staff now (debate/realtime/delivery.py).
"""

from __future__ import annotations

import logging

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from debate import broadcast
from debate.extensions import socketio
from debate.permissions import Permission, has
from debate.realtime.guard import Field, on_event
from debate.services import after_commit
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import queue as moderation_queue

log = logging.getLogger("commonground.realtime")
NS = after_commit.STAFF_NAMESPACE


@socketio.on("connect", namespace=NS)
def connect_staff(auth=None):
    if not has(current_user, Permission.MODERATE):
        log.info(
            "socket refused: namespace=%s user=%s reason=not a moderator origin=%s",
            NS,
            getattr(current_user, "id", None),
            request.headers.get("Origin"),
        )
        raise ConnectionRefusedError(_("Only moderators can open the review queue's live channel."))
    cap = current_app.config["SOCKET_CONNECTIONS_PER_USER"]
    room = broadcast.user_room(current_user.id)
    server = socketio.server
    if server is not None and len(list(server.manager.get_participants(NS, room))) >= cap:
        raise ConnectionRefusedError(_("Too many open connections for this account. Close a tab and retry."))
    join_room(room)
    join_room(after_commit.QUEUE_ROOM)
    join_room(broadcast.login_room(session["login_nonce"]))
    log.info("socket connect: namespace=%s user=%s", NS, current_user.id)


@on_event(
    "queue:claim",
    namespace=NS,
    permission=Permission.MODERATE,
    schema={"item_id": Field(int)},
    limit=moderation_queue.CLAIM,
)
def claim(user, payload):
    item = moderation_queue.claim(user, payload["item_id"])
    return moderation_queue.summary(item)


DECIDE_SCHEMA = {
    "item_id": Field(int),
    "action": Field(str, max_len=10),
    "category": Field(str, required=False, max_len=40),
    "note": Field(str, required=False, chars=moderation_decisions.NOTE_MAX),
    "text": Field(str, required=False, chars=moderation_decisions.text_max),  # an edit of any kind of post
}


@on_event(
    "queue:decide",
    namespace=NS,
    permission=Permission.MODERATE,
    schema=DECIDE_SCHEMA,
    limit=moderation_decisions.DECIDE,
)
def decide(user, payload):
    decision = moderation_decisions.decide(
        user,
        payload["item_id"],
        payload["action"],
        payload.get("category"),
        payload.get("note", ""),
        payload.get("text"),
    )
    return {"item_id": payload["item_id"], "decision_id": decision.id, "action": decision.action}
