"""How a login ends, whichever way it ends, and what that does to its live sockets.

A login is one signed-in browser (a `LoginSession` row). It ends when its member signs out, changes
or resets their password, or deletes their account, and when a moderator suspends or bans them or an
admin changes their role. Every one of these calls `end`, the one place a login ends: it ends the rows
in the caller's transaction and, once that commits, closes their sockets on every server process
(`broadcast.close_sockets`, through the message queue).

Ending the row alone is not enough. A socket keeps the copy of the session it connected with and the
rooms it joined then (its account's room, and a moderator's staff rooms), so it would go on receiving
the account's private events (`live:mine`, `moderation:notice`, `notification:new`) and, for a
moderator stood down, held questions with their askers' real names. Its next event would be refused,
but what it is sent needs no event.

A suspension, a ban or a change of role end the member's logins because what a browser may do, and
which rooms its sockets are in, were settled under the old rules: they sign in again under the new ones
(a suspended or banned member may still sign in, to read, see why and appeal).
"""

from __future__ import annotations

from sqlalchemy import update

from debate import broadcast
from debate.extensions import db
from debate.models.accounts import LoginSession, User
from debate.models.base import utcnow
from debate.services import after_commit

# Why a login ended: the `reason` its sockets are told in `account:signed_out` (docs/realtime.md).
SIGNED_OUT = "signed_out"
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a reason, not a password
PASSWORD_RESET = "password_reset"  # noqa: S105 - a reason, not a password
ACCOUNT_DELETED = "account_deleted"
SANCTIONED = "sanctioned"
ROLE_CHANGED = "role_changed"
REASONS = (SIGNED_OUT, PASSWORD_CHANGED, PASSWORD_RESET, ACCOUNT_DELETED, SANCTIONED, ROLE_CHANGED)


def end(user: User, reason: str, *, only: str | None = None, keep: str | None = None) -> None:
    """End the member's logins (just one: `only`; all but one: `keep`) in the caller's transaction, and
    close their sockets on every process once it commits.

    Without `only`, every socket of the account closes but those of the login kept, including sockets of
    logins that had already ended or expired and were never closed.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown reason for ending a login: {reason!r}")
    ending = [LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)]
    if only is not None:
        ending.append(LoginSession.nonce == only)
    if keep is not None:
        ending.append(LoginSession.nonce != keep)
    db.session.execute(update(LoginSession).where(*ending).values(ended_at=utcnow()))
    room = broadcast.login_room(only) if only is not None else broadcast.user_room(user.id)
    keep_room = broadcast.login_room(keep) if keep is not None and only is None else None
    after_commit.run(lambda: broadcast.close_sockets(room, reason, keep_room))
