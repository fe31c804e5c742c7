"""Live events that wait for the commit: state in the database first, then the broadcast.

Every feature uses it. A service (or a feature's transaction that stored held content) queues events
with `later`, or another live action (closing a login's sockets) with
`run`; they run only once the session commits, and are dropped if it
rolls back, so no moderator sees an item that was never stored and no socket
is closed for a login that did not end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from debate import broadcast
from debate.extensions import db

log = logging.getLogger("commonground.moderation")
_KEY = "moderation_pending_events"
STAFF_NAMESPACE = "/staff"
QUEUE_ROOM = "queue"


def later(name: str, payload: dict[str, Any], room: str, namespace: str = "/") -> None:
    """Publish `name` after the current transaction commits."""
    db.session.info.setdefault(_KEY, []).append(partial(broadcast.publish, name, payload, room, namespace))


def run(action: Callable[[], None]) -> None:
    """Run `action` after the current transaction commits, in an app context (and database session) of its
    own: what it sets off, such as a socket's disconnect handler, may use the database, and this session
    has just committed inside its hook, where it can emit no SQL."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy, typed as the Flask it stands for

    def run() -> None:
        with app.app_context():
            action()

    db.session.info.setdefault(_KEY, []).append(run)


def to_queue(name: str, payload: dict[str, Any]) -> None:
    """Tell every moderator with the queue open (the "queue" room of /staff), after the commit."""
    later(name, payload, QUEUE_ROOM, STAFF_NAMESPACE)


def to_user(user_id: int, name: str, payload: dict[str, Any]) -> None:
    """Tell one member on their personal /account channel, after the commit."""
    later(name, payload, broadcast.user_room(user_id), "/account")


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    for action in session.info.pop(_KEY, []):
        try:
            action()
        except Exception:
            log.exception("could not run %r after the commit", action)


@event.listens_for(Session, "after_soft_rollback")
def _drop(session: Session, previous_transaction: SessionTransaction) -> None:
    """A rolled-back savepoint keeps the events of its enclosing transaction; the outermost drops them."""
    if previous_transaction.parent is None:
        session.info.pop(_KEY, None)
