"""Accounts service: registration, verification, sign-in throttling, passwords, login sessions."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from debate.errors import ValidationError
from debate.extensions import db
from debate.models import LoginSession, Role, User
from debate.models.base import utcnow
from debate.services import mail, tokens
from debate.services.accounts import credentials as accounts
from tests.conftest import PASSWORD

NEW_PASSWORD = "a different long secret"


@pytest.fixture(autouse=True)
def request_context(app):
    """The emails build links with url_for, as they do inside a page request."""
    with app.test_request_context():
        yield


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def register(name="Ada Lovelace", email="ada@example.org", password=PASSWORD, confirm=None) -> User:
    """Register; the service answers only with the address told to check its email, so find the account."""
    address = accounts.register(name, email, password, password if confirm is None else confirm)
    return accounts.find_by_email(address)


def token_from_last_email(path: str) -> str:
    body = mail.outbox()[-1].get_content()
    match = re.search(rf"https?://\S+/{path}/(\S+)", body)
    assert match, body
    return match.group(1)


@contextmanager
def issued_hours_ago(monkeypatch, hours: float):
    """Tokens made inside this block carry a timestamp `hours` in the past."""
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time() - hours * 3600))
    try:
        yield
    finally:
        monkeypatch.undo()


def reset_token(user: User) -> str:
    accounts.request_password_reset(user.email)
    return token_from_last_email("reset")


# --- registration -------------------------------------------------------------------------


def test_register_creates_unverified_resident_and_sends_verification_link(app):
    user = register()
    assert user.id is not None
    assert user.role == Role.RESIDENT.value
    assert user.email_verified_at is None
    assert user.password_hash != PASSWORD
    assert accounts.password_matches(user, PASSWORD)
    [message] = mail.outbox()
    assert message["To"] == "ada@example.org"
    assert "http://localhost/verify/" in message.get_content()


def test_register_normalises_email_to_lower_case(app):
    assert register(email="  Ada@Example.ORG ").email == "ada@example.org"


@pytest.mark.parametrize("email", ["ada@example.org", "ADA@example.org", " Ada@Example.Org"])
def test_registering_an_existing_email_answers_the_same_and_tells_the_owner(app, email):
    owner = register(email="ada@example.org")
    answer = accounts.register("Someone Else", email, "another long password", "another long password")

    assert answer == "ada@example.org"  # as for a new address: the address told to check its email
    assert accounts.register("Brand New", "brand@example.org", PASSWORD, PASSWORD) == "brand@example.org"
    assert user_count() == 2  # the owner and the brand new account: no second account for the address
    db.session.expire_all()
    unchanged = db.session.get(User, owner.id)
    assert unchanged.display_name == "Ada Lovelace" and accounts.password_matches(unchanged, PASSWORD)
    confirm, attempt, new = mail.outbox()
    assert attempt["To"] == "ada@example.org"
    assert attempt["Subject"].endswith("Someone tried to register with your email address")
    body = attempt.get_content()
    assert "http://localhost/login" in body and "http://localhost/reset/" in body
    assert "Someone Else" not in body  # nothing the stranger typed is repeated to the owner
    assert new["To"] == "brand@example.org" and "http://localhost/verify/" in new.get_content()


def test_the_attempt_emails_reset_link_works(app):
    register(email="ada@example.org")
    accounts.register("Someone Else", "ada@example.org", "another long password", "another long password")
    token = token_from_last_email("reset")
    user = accounts.reset_password(token, NEW_PASSWORD, NEW_PASSWORD)
    assert accounts.authenticate("ada@example.org", NEW_PASSWORD).id == user.id


def test_registering_does_the_same_work_for_a_new_and_an_existing_email(app, monkeypatch):
    """Both ways hash the password once and send one email without waiting for it, so the answer takes
    about as long either way (bench/account_timing.py measures it)."""
    hashed, sent = [], []
    real_hash, real_send = accounts.hash_password, mail.send
    monkeypatch.setattr(accounts, "hash_password", lambda secret: hashed.append(1) or real_hash(secret))
    monkeypatch.setattr(
        mail, "send", lambda *args, **kwargs: sent.append(kwargs.get("wait", True)) or real_send(*args, **kwargs)
    )
    register(email="ada@example.org")
    assert (hashed, sent) == ([1], [False])
    hashed.clear(), sent.clear()
    accounts.register("Someone Else", "ada@example.org", "another long password", "another long password")
    assert (hashed, sent) == ([1], [False])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "ada@"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a" * 250 + "@example.org"}, "email"),
        ({"confirm": "something else entirely"}, "confirm"),
        ({"password": "short", "confirm": "short"}, "password"),
        ({"password": "x" * 257, "confirm": "x" * 257}, "password"),
        ({"password": "password123", "confirm": "password123"}, "password"),
        ({"password": "Password123", "confirm": "Password123"}, "password"),
        ({"password": "ada@example.org", "confirm": "ada@example.org"}, "password"),
        ({"name": ""}, "display_name"),
        ({"name": "   \t  "}, "display_name"),
        ({"name": "A"}, "display_name"),
        ({"name": "x" * 61}, "display_name"),
        ({"name": "x" * 10_000}, "display_name"),
        ({"name": "admin"}, "display_name"),
        ({"name": "Former  Member"}, "display_name"),
        ({"name": " MODERATOR "}, "display_name"),
        ({"name": "Ａｄｍｉｎ"}, "display_name"),
        ({"name": "\u3164\u3164"}, "display_name"),
        ({"name": "Ada\u202eecalevoL"}, "display_name"),
        ({"name": "Ada\u200bLovelace"}, "display_name"),
        ({"name": "ada@example.org"}, "display_name"),
        ({"name": "ada @ home"}, "display_name"),
        ({"name": "!!! ???"}, "display_name"),
        ({"name": None}, "display_name"),
    ],
)
def test_register_refusals_write_nothing(app, kwargs, field):
    with pytest.raises(ValidationError) as info:
        register(**kwargs)
    assert info.value.field == field
    assert user_count() == 0
    assert mail.outbox() == []


def test_register_race_on_the_same_email_tells_the_owner_not_a_crash(app, monkeypatch):
    register()
    real = accounts.find_by_email
    calls = iter([None])  # the second request passed the check before the first one committed
    monkeypatch.setattr(accounts, "find_by_email", lambda email: next(calls, real(email)))
    accounts.register("Double Click", "ada@example.org", PASSWORD, PASSWORD)
    assert user_count() == 1
    assert [m["Subject"].split("] ")[1] for m in mail.outbox()] == [
        "Confirm your email address",
        "Someone tried to register with your email address",
    ]


def test_register_accepts_longest_allowed_password_and_name(app):
    user = register(name="n" * 60, password="p" * 256)
    assert user.display_name == "n" * 60


def test_register_trims_and_collapses_display_name(app):
    assert register(name="  Ada   Lovelace  ").display_name == "Ada Lovelace"


# --- email verification -------------------------------------------------------------------


def test_verify_email_with_the_emailed_token(app):
    user = register()
    verified = accounts.verify_email(token_from_last_email("verify"))
    assert verified.id == user.id
    assert verified.email_verified_at is not None


def test_verify_email_twice_is_harmless(app):
    register()
    token = token_from_last_email("verify")
    first = accounts.verify_email(token).email_verified_at
    assert accounts.verify_email(token).email_verified_at == first


def tampered(token: str, how: str) -> str:
    payload, timestamp, signature = token.split(".")
    if how == "signature":
        return f"{payload}.{timestamp}.{signature[::-1]}"
    if how == "payload":
        other = tokens.make("verify", 999, "someone@example.org").split(".")[0]
        return f"{other}.{timestamp}.{signature}"
    return {"truncated": token[:-5], "empty": "", "huge": token * 20}[how]


@pytest.mark.parametrize("how", ["signature", "payload", "truncated", "empty", "huge"])
def test_verify_email_refuses_tampered_token(app, how):
    user = register()
    with pytest.raises(ValidationError):
        accounts.verify_email(tampered(token_from_last_email("verify"), how))
    assert db.session.get(User, user.id).email_verified_at is None


def test_verify_email_refuses_a_token_made_for_another_purpose(app):
    user = register()
    reset = tokens.make("reset", user.id, user.email)  # same payload shape, wrong purpose
    with pytest.raises(ValidationError):
        accounts.verify_email(reset)
    assert db.session.get(User, user.id).email_verified_at is None


def test_verify_email_refuses_an_expired_token(app, monkeypatch):
    user = register()
    hours = app.config["TOKEN_MAX_AGE_HOURS"]
    with issued_hours_ago(monkeypatch, hours + 0.1):
        token = tokens.make("verify", user.id, user.email)
    with pytest.raises(ValidationError, match="expired"):
        accounts.verify_email(token)
    assert db.session.get(User, user.id).email_verified_at is None


def test_verify_email_accepts_a_token_just_inside_its_lifetime(app, monkeypatch):
    user = register()
    with issued_hours_ago(monkeypatch, app.config["TOKEN_MAX_AGE_HOURS"] - 0.1):
        token = tokens.make("verify", user.id, user.email)
    assert accounts.verify_email(token).email_verified_at is not None


def test_verify_email_refuses_token_for_a_changed_address(app):
    user = register()
    token = token_from_last_email("verify")
    user.email = "new@example.org"
    db.session.commit()
    with pytest.raises(ValidationError):
        accounts.verify_email(token)


# --- authentication -----------------------------------------------------------------------


def test_authenticate_with_right_password(app, make_user):
    user = make_user()
    assert accounts.authenticate(user.email.upper(), PASSWORD).id == user.id


def test_authenticate_gives_the_same_message_for_unknown_email_and_wrong_password(app, make_user):
    user = make_user()
    with pytest.raises(ValidationError) as unknown:
        accounts.authenticate("nobody@example.org", PASSWORD)
    with pytest.raises(ValidationError) as wrong:
        accounts.authenticate(user.email, "not the password")
    assert unknown.value.message == wrong.value.message
    assert unknown.value.field is None and wrong.value.field is None


@pytest.mark.parametrize(("email", "password"), [("", PASSWORD), (None, PASSWORD), ("a@example.org", ""), (1, 2)])
def test_authenticate_refuses_missing_credentials(app, email, password):
    with pytest.raises(ValidationError):
        accounts.authenticate(email, password)


def test_authenticate_with_nul_in_email_is_a_normal_refusal(app, make_user):
    user = make_user()
    with pytest.raises(ValidationError, match="not right"):
        accounts.authenticate(user.email + "\x00", PASSWORD)


def test_deleted_user_cannot_sign_in(app, make_user):
    user = make_user()
    user.deleted_at = utcnow()
    db.session.commit()
    with pytest.raises(ValidationError):
        accounts.authenticate(user.email, PASSWORD)


# --- password reset -----------------------------------------------------------------------


def test_reset_request_for_unknown_email_sends_nothing(app):
    accounts.request_password_reset("nobody@example.org")
    assert mail.outbox() == []


def test_reset_request_emails_a_link_to_the_owner(app, make_user):
    user = make_user()
    accounts.request_password_reset(user.email.upper())
    [message] = mail.outbox()
    assert message["To"] == user.email
    assert "http://localhost/reset/" in message.get_content()


def test_reset_token_works_once(app, make_user):
    user = make_user()
    token = reset_token(user)
    accounts.reset_password(token, NEW_PASSWORD, NEW_PASSWORD)
    assert accounts.authenticate(user.email, NEW_PASSWORD).id == user.id
    with pytest.raises(ValidationError, match="already been used"):
        accounts.reset_password(token, "yet another password", "yet another password")
    assert accounts.authenticate(user.email, NEW_PASSWORD).id == user.id


def test_reset_with_bad_new_password_keeps_the_old_one_and_the_token(app, make_user):
    user = make_user()
    token = reset_token(user)
    with pytest.raises(ValidationError):
        accounts.reset_password(token, NEW_PASSWORD, "mismatch mismatch")
    assert accounts.authenticate(user.email, PASSWORD).id == user.id
    assert accounts.check_reset_token(token).id == user.id


def test_reset_ends_every_login_session(app, make_user):
    user = make_user()
    nonces = [accounts.start_login_session(user).nonce for _ in range(2)]
    accounts.reset_password(reset_token(user), NEW_PASSWORD, NEW_PASSWORD)
    assert all(accounts.active_login(n) is None for n in nonces)


def test_reset_token_expires(app, make_user, monkeypatch):
    user = make_user()
    with issued_hours_ago(monkeypatch, app.config["TOKEN_MAX_AGE_HOURS"] + 1):
        token = reset_token(user)
    with pytest.raises(ValidationError, match="expired"):
        accounts.reset_password(token, NEW_PASSWORD, NEW_PASSWORD)
    assert accounts.password_matches(db.session.get(User, user.id), PASSWORD)


def test_verification_token_cannot_reset_a_password(app, make_user):
    user = make_user()
    token = tokens.make("verify", user.id, tokens.fingerprint(user.password_hash, user.credentials_version))
    with pytest.raises(ValidationError):
        accounts.reset_password(token, NEW_PASSWORD, NEW_PASSWORD)


# --- change password ----------------------------------------------------------------------


def test_change_password_refuses_wrong_current(app, make_user):
    user = make_user()
    with pytest.raises(ValidationError) as info:
        accounts.change_password(user, "not my password", NEW_PASSWORD, NEW_PASSWORD, None)
    assert info.value.field == "current"
    assert accounts.password_matches(user, PASSWORD)


def test_change_password_refuses_the_same_password(app, make_user):
    user = make_user()
    with pytest.raises(ValidationError) as info:
        accounts.change_password(user, PASSWORD, PASSWORD, PASSWORD, None)
    assert info.value.field == "password"


def test_change_password_ends_other_sessions_but_keeps_this_one(app, make_user):
    user = make_user()
    this, other = (accounts.start_login_session(user).nonce for _ in range(2))
    accounts.change_password(user, PASSWORD, NEW_PASSWORD, NEW_PASSWORD, this)
    assert accounts.active_login(this) is not None
    assert accounts.active_login(other) is None
    assert accounts.password_matches(user, NEW_PASSWORD)
    assert not accounts.password_matches(user, PASSWORD)


def test_change_password_kills_outstanding_reset_links(app, make_user):
    user = make_user()
    token = reset_token(user)
    accounts.change_password(user, PASSWORD, NEW_PASSWORD, NEW_PASSWORD, None)
    with pytest.raises(ValidationError):
        accounts.check_reset_token(token)


# --- login sessions -----------------------------------------------------------------------


def test_login_session_is_active_until_ended(app, make_user):
    login = accounts.start_login_session(make_user(), "Firefox")
    assert accounts.active_login(login.nonce).id == login.id
    accounts.sign_out(login.nonce)
    assert accounts.active_login(login.nonce) is None


@pytest.mark.parametrize("nonce", [None, "", "no-such-nonce", 42])
def test_active_login_of_unknown_nonce_is_none(app, nonce):
    assert accounts.active_login(nonce) is None


def test_login_session_expires_after_absolute_hours(app, make_user):
    login = accounts.start_login_session(make_user())
    hours = app.config["SESSION_ABSOLUTE_HOURS"]
    login.created_at = utcnow() - timedelta(hours=hours, minutes=-1)
    db.session.commit()
    assert accounts.active_login(login.nonce) is not None
    login.created_at = utcnow() - timedelta(hours=hours, minutes=1)
    db.session.commit()
    assert accounts.active_login(login.nonce) is None


def test_login_session_of_deleted_user_is_not_active(app, make_user):
    user = make_user()
    login = accounts.start_login_session(user)
    user.deleted_at = utcnow()
    db.session.commit()
    assert accounts.active_login(login.nonce) is None


def test_only_the_browser_name_is_kept(app, make_user):
    user = make_user()
    firefox = accounts.start_login_session(
        user, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    )
    unknown = accounts.start_login_session(user, "A" * 1000)
    assert db.session.get(LoginSession, firefox.id).user_agent == "Firefox"
    assert db.session.get(LoginSession, unknown.id).user_agent == "another browser"


# --- emails that must not say who has an account ----------------------------------------------


SLOW = 3.0  # seconds a remote mail server takes to take a message


def test_account_emails_are_sent_without_holding_up_the_answer(app, make_user, monkeypatch):
    """Registering, asking for a reset link and the lock notice send an email only when an account uses the
    address (or a new one is made): SMTP in the background, so the answer does not take longer for it."""
    sent: list[str] = []

    def slow_smtp(settings, fields, body):  # the SMTP conversation (bench/account_timing.py fakes the server)
        time.sleep(SLOW)
        sent.append(fields["To"])

    monkeypatch.setattr(mail, "_deliver", slow_smtp)
    app.config["MAIL_SERVER"] = "smtp.example.org"
    owner = make_user()
    actions = [
        lambda: accounts.register("Nell New", "fresh@example.org", PASSWORD, PASSWORD),
        lambda: accounts.register("Tess Taken", owner.email, PASSWORD, PASSWORD),
        lambda: accounts.request_password_reset(owner.email),
    ]
    actions += [lambda: pytest.raises(ValidationError, accounts.authenticate, owner.email, "a wrong guess")] * (
        app.config["LOGIN_MAX_FAILURES"]
    )
    for action in actions:
        started = time.monotonic()
        action()
        assert time.monotonic() - started < SLOW / 2
    deadline = time.monotonic() + 4 * SLOW
    while len(sent) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(sent) == sorted(["fresh@example.org", owner.email, owner.email, owner.email])
