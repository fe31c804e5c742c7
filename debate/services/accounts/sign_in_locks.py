"""Pausing sign-in with an email address after repeated wrong passwords, the same for every address.

After LOGIN_MAX_FAILURES wrong passwords for one address within LOGIN_LOCK_MINUTES, signing in with it
is refused (429) for LOGIN_LOCK_MINUTES, whether or not an account uses the address: the lock was
per account, so a real account answered 429 while an unknown address kept answering 400, which told a
stranger who has an account. Counting every address alike tells them nothing.

A stranger's five guesses must not shut the owner out: when the lock starts, the owner (if there is one)
is emailed a password reset link (`accounts.authenticate`), and resetting the password ends the lock at
once (`clear`).

Addresses are stored only as an HMAC under the app's SECRET_KEY (`key`), and a row is deleted at the next
sign-in, right or wrong, after it stops counting (`expires_at`), as the privacy page says.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.dml import ReturningInsert

from debate.errors import RateLimited
from debate.extensions import db
from debate.models.accounts import SignInLock
from debate.models.base import utcnow
from debate.services import rows

LOCKED = _l(
    "Too many failed sign-in attempts with this email address. Wait up to %(minutes)d minutes, or reset your "
    "password: a reset link works at once."
)


def key(address: str) -> str:
    """The address as stored: a keyed hash of it as typed, trimmed and in lower case (the account lookup's rule)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(
        secret, b"sign-in:" + address.strip().lower().encode("utf-8", "surrogatepass"), hashlib.sha256
    ).hexdigest()


def _span() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])


def refuse_if_locked(address: str) -> None:
    """Raise the 429 while the address is locked; the same answer whether or not an account uses it."""
    now = utcnow()
    until = db.session.scalar(select(SignInLock.locked_until).where(SignInLock.key == key(address)))
    if until is not None and until > now:
        minutes = current_app.config["LOGIN_LOCK_MINUTES"]
        message = _(LOCKED._args[0], minutes=minutes)  # the request's language
        raise RateLimited(message, retry_after=max(1, math.ceil((until - now).total_seconds())))


def failed(address: str) -> bool:
    """Count one wrong password for the address and commit; lock it at the limit. True when this one locked it
    (the caller then tells the account's owner, if there is one)."""
    now, span = utcnow(), _span()
    row_key = key(address)
    db.session.execute(delete(SignInLock).where(SignInLock.expires_at < now))  # rows that no longer count
    failures = db.session.execute(_count(row_key, now, span)).scalar_one()
    locked = False
    if failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        # Only one of two wrong passwords arriving together starts the lock (and sends the email).
        locked = (
            rows.changed(
                update(SignInLock)
                .where(SignInLock.key == row_key, SignInLock.failures >= current_app.config["LOGIN_MAX_FAILURES"])
                .values(failures=0, counting_since=now, locked_until=now + span, expires_at=now + span)
            )
            == 1
        )
    db.session.commit()
    return locked


def _count(row_key: str, now: datetime, span: timedelta) -> ReturningInsert[tuple[int]]:
    """One statement that adds a failure, starting the count again when the last one began over `span` ago."""
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stale = SignInLock.counting_since < now - span
    stmt = insert(SignInLock).values(key=row_key, failures=1, counting_since=now, expires_at=now + span)
    return stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "failures": case((stale, 1), else_=SignInLock.failures + 1),
            "counting_since": case((stale, now), else_=SignInLock.counting_since),
            "expires_at": case((SignInLock.locked_until > now + span, SignInLock.locked_until), else_=now + span),
        },
    ).returning(SignInLock.failures)


def clear(address: str) -> None:
    """Forget the address's failures and any lock (a right password, or a new one), in the caller's transaction;
    and rows that no longer count, so none outlives its use by more than the time to the next sign-in."""
    db.session.execute(delete(SignInLock).where(or_(SignInLock.key == key(address), SignInLock.expires_at < utcnow())))
