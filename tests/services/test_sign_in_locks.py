"""Sign-in locks: counted per email address, the same whether or not an account uses it; the owner of a
real account is told, with a reset link that ends the lock (services/accounts/sign_in_locks.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from debate.errors import RateLimited, ValidationError
from debate.extensions import db
from debate.models import SignInLock
from debate.models.base import utcnow
from debate.services import mail
from debate.services.accounts import credentials as accounts
from debate.services.accounts import sign_in_locks
from tests.conftest import PASSWORD

NEW_PASSWORD = "a different long secret"
UNKNOWN = "nobody@example.org"


@pytest.fixture(autouse=True)
def request_context(app):
    """The emails build links with url_for, as they do inside a page request."""
    with app.test_request_context():
        yield


def fail(address: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(ValidationError, match="not right"):
            accounts.authenticate(address, "not the password")


def lock_of(address: str) -> SignInLock | None:
    db.session.expire_all()
    return db.session.get(SignInLock, sign_in_locks.key(address))


def refusal(address: str, password: str = PASSWORD) -> RateLimited:
    with pytest.raises(RateLimited) as info:
        accounts.authenticate(address, password)
    return info.value


def test_a_real_account_and_an_unknown_address_lock_alike(app, make_user):
    user = make_user()
    limit = app.config["LOGIN_MAX_FAILURES"]
    fail(user.email, limit)
    fail(UNKNOWN, limit)

    real, unknown = refusal(user.email), refusal(UNKNOWN)  # even the right password, while locked

    assert real.message == unknown.message
    assert real.message.startswith("Too many failed sign-in attempts")
    minutes = app.config["LOGIN_LOCK_MINUTES"]
    for refused in (real, unknown):  # the seconds left of each lock (the two began moments apart)
        assert minutes * 60 - 60 <= refused.retry_after <= minutes * 60


def test_one_failure_below_the_limit_does_not_lock_and_a_right_password_starts_again(app, make_user):
    user = make_user()
    below = app.config["LOGIN_MAX_FAILURES"] - 1
    fail(user.email, below)
    assert accounts.authenticate(user.email, PASSWORD).id == user.id
    assert lock_of(user.email) is None
    fail(user.email, below)
    assert accounts.authenticate(user.email, PASSWORD).id == user.id


def test_the_address_counts_however_it_is_typed(app, make_user):
    user = make_user()
    typed = [user.email.upper(), f"  {user.email} ", user.email.title()]
    for n in range(app.config["LOGIN_MAX_FAILURES"]):
        fail(typed[n % len(typed)], 1)
    assert refusal(user.email).code == "rate_limited"


def test_the_lock_lasts_the_configured_minutes_and_then_lifts(app, make_user):
    user = make_user()
    before = utcnow()
    fail(user.email, app.config["LOGIN_MAX_FAILURES"])
    lock = lock_of(user.email).locked_until - before
    minutes = app.config["LOGIN_LOCK_MINUTES"]
    assert timedelta(minutes=minutes) <= lock < timedelta(minutes=minutes, seconds=30)
    db.session.execute(update(SignInLock).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert accounts.authenticate(user.email, PASSWORD).id == user.id


def test_failures_older_than_the_lock_span_start_the_count_again(app, make_user):
    user = make_user()
    fail(user.email, app.config["LOGIN_MAX_FAILURES"] - 1)
    long_ago = utcnow() - timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"], seconds=1)
    db.session.execute(update(SignInLock).values(counting_since=long_ago))
    db.session.commit()
    fail(user.email, 1)
    assert lock_of(user.email).failures == 1
    assert accounts.authenticate(user.email, PASSWORD).id == user.id


def test_the_owner_is_told_once_with_a_reset_link_and_nobody_for_an_unknown_address(app, make_user):
    user = make_user()
    limit = app.config["LOGIN_MAX_FAILURES"]
    fail(UNKNOWN, limit)
    assert mail.outbox() == []
    fail(user.email, limit)
    refusal(user.email)
    refusal(user.email)
    [notice] = mail.outbox()
    assert notice["To"] == user.email
    assert notice["Subject"].endswith("Signing in to your account is paused")
    assert "http://localhost/reset/" in notice.get_content()


def test_the_reset_link_works_during_the_lock_and_ends_it(app, make_user):
    user = make_user()
    fail(user.email, app.config["LOGIN_MAX_FAILURES"])
    refusal(user.email)
    token = mail.outbox()[-1].get_content().split("/reset/")[1].split()[0]

    accounts.reset_password(token, NEW_PASSWORD, NEW_PASSWORD)

    assert lock_of(user.email) is None
    assert accounts.authenticate(user.email, NEW_PASSWORD).id == user.id


def test_changing_the_password_ends_a_lock_too(app, make_user):
    user = make_user()
    fail(user.email, app.config["LOGIN_MAX_FAILURES"])
    accounts.change_password(user, PASSWORD, NEW_PASSWORD, NEW_PASSWORD, None)
    assert accounts.authenticate(user.email, NEW_PASSWORD).id == user.id


def test_no_address_is_stored_and_spent_rows_are_deleted(app, make_user):
    user = make_user()
    fail(user.email, 1)
    fail(UNKNOWN, 1)
    keys = set(db.session.scalars(select(SignInLock.key)))
    assert keys == {sign_in_locks.key(user.email), sign_in_locks.key(UNKNOWN)}
    assert not any("@" in k or "nobody" in k for k in keys)
    db.session.execute(update(SignInLock).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    fail("someone@example.org", 1)
    assert set(db.session.scalars(select(SignInLock.key))) == {sign_in_locks.key("someone@example.org")}
