"""Connection handling, and the signed-in member's own channel (/account)."""

from __future__ import annotations

import logging

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from debate import broadcast
from debate.extensions import socketio
from debate.realtime.guard import on_event
from debate.services.accounts import credentials as accounts

log = logging.getLogger("commonground.realtime")


@socketio.on("connect")
def connect_public(auth=None):
    """Anyone may read public live rooms; signed-in sockets also join their login room and their own room.

    Their own room on "/" carries what only they see in a live session ("live:mine"). The login is checked
    as for any page (`accounts.signed_in_id`: the same rule), but only the account's id is read, not the
    account: every socket of a join storm connects here first.
    """
    nonce = session.get("login_nonce")
    user_id = accounts.signed_in_id(nonce, session.get("_user_id"))
    if user_id is not None:
        join_room(broadcast.login_room(nonce))
        join_room(broadcast.user_room(user_id))
    log.info("socket connect: namespace=/ user=%s origin=%s", user_id, request.headers.get("Origin"))


@socketio.on("connect", namespace="/account")
def connect_account(auth=None):
    """The personal channel needs a live login; refuse everything else."""
    if not current_user.is_authenticated:
        log.info("socket refused: namespace=/account reason=not signed in origin=%s", request.headers.get("Origin"))
        raise ConnectionRefusedError(_("Please sign in first."))
    room = broadcast.user_room(current_user.id)
    cap = current_app.config["SOCKET_CONNECTIONS_PER_USER"]
    server = socketio.server
    if server is not None and len(list(server.manager.get_participants("/account", room))) >= cap:
        log.info("socket refused: user=%s reason=too many connections", current_user.id)
        raise ConnectionRefusedError(_("Too many open connections for this account. Close a tab and retry."))
    join_room(room)
    join_room(broadcast.login_room(session["login_nonce"]))
    log.info("socket connect: namespace=/account user=%s", current_user.id)


@on_event("whoami", namespace="/account", limit=accounts.WHOAMI)
def whoami(user, payload):
    """Who this socket is signed in as: lets the page confirm its live channel."""
    return {
        "id": user.id,
        "display_name": user.display_name,
        "role": user.role,
        "verified_representative": user.is_verified_representative,
    }
