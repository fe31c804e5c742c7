"""Accounts: registration, email verification, sign-in with throttling, passwords.

Every rule about who may have an account and how they prove it lives here;
the web views and socket handlers only translate.
"""

from __future__ import annotations

import functools
import secrets
from datetime import timedelta
from typing import Any

import regex
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from debate import lookalike, ratelimit
from debate.errors import PermissionDenied, ValidationError
from debate.extensions import db
from debate.i18n import DEFAULT, known
from debate.i18n.selection import from_address
from debate.models.accounts import LoginSession, Role, User
from debate.models.base import utcnow
from debate.services import mail, tokens
from debate.services.accounts import language, logins, sign_in_locks
from debate.services.moderation import screening as moderation_screening
from debate.services.moderation import standing as moderation_standing
from debate.services.text import clean_line

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
REGISTER = ratelimit.limit(
    "account.register",
    "10/hour",
    _l("At most 10 accounts can be registered an hour from one network address. Please try again later."),
)
SIGN_IN = ratelimit.limit(
    "account.sign_in",
    "20/minute",
    _l("Too many sign-in attempts from your network address. Please wait a minute and try again."),
)
CONFIRMATION = ratelimit.limit(
    "account.confirmation",
    "5/hour",
    _l("You can ask for at most 5 confirmation emails an hour. Please try again later."),
)
RESET_REQUEST = ratelimit.limit(
    "account.reset_request",
    "5/hour",
    _l("At most 5 password reset emails can be asked for an hour from one network address. Please try again later."),
)
RESET = ratelimit.limit(
    "account.reset",
    "10/hour",
    _l("Too many attempts to set a new password with reset links. Please try again later."),
)
RENAME = ratelimit.limit(
    "account.rename",
    "10/hour",
    _l("You can change your display name at most 10 times an hour. Please try again later."),
)
PASSWORD_CHECK = ratelimit.limit(
    "account.password_check",
    "10/hour",
    _l(
        "You can type your current password at most 10 times an hour (to change it or delete your account). "
        "Please try again later."
    ),
)
WHOAMI = ratelimit.limit(
    "account.whoami",
    "30/minute",
    _l("You can ask who you are signed in as at most 30 times a minute. Please wait a moment and try again."),
)

_hasher = PasswordHasher()
# A hash of a random password, verified against when the email is unknown, so
# that "no such account" takes as long as "wrong password".
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

# Something a person could be called by: a letter or digit in any script, or an emoji (a flag is two indicators).
_NAME_WORD = regex.compile(r"[\p{L}\p{N}\p{Extended_Pictographic}\p{Regional_Indicator}]")
# Role words and the site's own voice: a name that looks like one of these reads as staff speaking.
RESERVED_NAMES = {
    "former member",
    "admin",
    "administrator",
    "moderator",
    "councillor",
    "council",
    "representative",
    "official",
    "staff",
    "common ground",
    "system",
}
PASSWORD_MIN, PASSWORD_MAX = 10, 256
EMAIL_MAX = 254  # characters in an email address (RFC 5321's path limit)
NAME_MIN = 2  # characters in a display name; the most is the policy's (moderation_screening.display_name_max)
COMMON_PASSWORDS = {
    "password123",
    "1234567890",
    "qwertyuiop",
    "password1234",
    "iloveyou123",
    "letmein1234",
    "welcome123",
    "passw0rd123",
    "0123456789",
    "abcdefghij",
}


def clean_display_name(value: object) -> str:
    most = moderation_screening.display_name_max()
    name = clean_line(value, "display_name", _("Display name"), min_len=NAME_MIN, max_len=most)
    if not _NAME_WORD.search(name):
        raise ValidationError(_("Display name must contain letters, numbers or emoji."), "display_name")
    if "@" in name:
        raise ValidationError(_("Display name cannot contain '@' (it is public; keep emails private)."), "display_name")
    if set(lookalike.skeletons(name)) & _reserved_skeletons(
        current_app.config["SITE_NAME"], current_app.config["COUNCIL_NAME"], current_app.config["COUNCIL_NAME_CY"]
    ):
        raise ValidationError(
            _(
                "That display name is reserved: it looks too like a role or the site's own name "
                "(such as admin or moderator). Please choose another."
            ),
            "display_name",
        )
    return name


@functools.cache
def _reserved_skeletons(*site_names: str) -> frozenset[str]:
    words = RESERVED_NAMES | {name.casefold() for name in site_names if name}
    return frozenset(
        key for word in words for form in (word, word.title(), word.upper()) for key in lookalike.skeletons(form)
    )


def refuse_lookalike(name: str, user: User | None = None) -> None:
    """Refuse a name that looks like another member's (TR39 skeletons, case-blind or as written).

    One indexed query; which member it resembles is not said (that would list names by probing).
    """
    keys = lookalike.skeletons(name)
    query = select(User.id).where(or_(User.name_skeleton.in_(keys), User.name_skeleton_cased.in_(keys)))
    if user is not None and user.id is not None:
        query = query.where(User.id != user.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise ValidationError(
            _("That display name looks too like another member's name. Please choose another."), "display_name"
        )


def rename(user: User, display_name: object) -> User:
    """Change a member's public name, under the same rules as at registration."""
    require_active(user)
    name = moderation_screening.display_name(clean_display_name(display_name), str(user.id))
    refuse_lookalike(name, user)
    user.display_name = name
    db.session.commit()
    return user


def clean_email(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("Email address is required."), "email")
    if len(value) > EMAIL_MAX:
        raise ValidationError(_("Email address is too long."), "email")
    try:
        info = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        # The library's reason is English only; it follows the translated sentence.
        raise ValidationError(_("That email address is not valid: %(reason)s", reason=str(exc)), "email") from None
    return info.normalized.lower()


def check_password(password: object, confirm: object, email: str = "", field: str = "password") -> str:
    if not isinstance(password, str) or not password:
        raise ValidationError(_("Password is required."), field)
    if len(password) < PASSWORD_MIN:
        raise ValidationError(_("Password must be at least %(num)d characters.", num=PASSWORD_MIN), field)
    if len(password) > PASSWORD_MAX:
        raise ValidationError(_("Password is too long (at most %(num)d characters).", num=PASSWORD_MAX), field)
    if password != confirm:
        raise ValidationError(_("The two passwords do not match."), "confirm")
    if password.lower() in COMMON_PASSWORDS or (email and password.lower() == email.lower()):
        raise ValidationError(_("That password is too easy to guess. Please choose another."), field)
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User | None, password: str) -> bool:
    try:
        if user is None:
            _hasher.verify(_DUMMY_HASH, password)
            return False
        return _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def find_by_email(email: str) -> User | None:
    if "\x00" in email:  # PostgreSQL refuses NUL in text; no address contains one
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def register(display_name: object, email: object, password: object, confirm: object, locale: str | None = None) -> str:
    """Create an unverified resident account and email the link that confirms it; or, when the address
    already has an account, email its owner instead ("someone tried to register with your address").

    Either way the answer is the same, the address told to check its email (returned), so registering
    cannot be used to learn who has an account. Both ways check the same things, hash the password and
    send one email in the background, so they also take about as long. `locale` is the language the
    person registered in (the page's), recorded as the new account's language.
    """
    name = moderation_screening.display_name(clean_display_name(display_name))  # the admin's watched words
    address = clean_email(email)
    secret = check_password(password, confirm, address)
    refuse_lookalike(name)
    password_hash = hash_password(secret)
    if find_by_email(address) is None:
        user = User(display_name=name, email=address, password_hash=password_hash, role=Role.RESIDENT.value)
        chosen = known(locale)
        if chosen:
            user.locale = chosen
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # the same address registered twice at once: the second is the attempt
            db.session.rollback()
        else:
            send_verification(user, wait=False)
            return address
    _tell_of_attempt(address)
    return address


def _tell_of_attempt(address: str) -> None:
    """Tell an account's owner that someone tried to register with its address, with the ways in."""
    owner = find_by_email(address)
    if owner is None or owner.deleted_at is not None:
        return
    lang = language.of(owner)
    with language.speaking(owner):
        subject = _("Someone tried to register with your email address")
        body = _(
            "Hello %(name)s,\n\nSomeone, perhaps you, tried to create a new account on %(site)s with this email "
            "address. It already has an account, so no new one was made, and nothing about yours has changed.\n\n"
            "If it was you, sign in here:\n%(sign_in)s\n\n"
            "Forgotten your password? Choose a new one here:\n%(reset)s\n\n"
            "%(note)s If it was not you, you can ignore this email.\n",
            name=owner.display_name,
            site=current_app.config["SITE_NAME"],
            sign_in=_external("auth.login", lang=lang),
            reset=_reset_link(owner, lang),
            note=_reset_link_note(),
        )
    mail.send(owner.email, subject, body, wait=False, lang=lang)


def send_verification(user: User, wait: bool = True) -> None:
    token = tokens.make("verify", user.id, user.email)
    lang = language.of(user)
    link = _external("auth.verify_email", lang=lang, token=token)
    with language.speaking(user):
        subject = _("Confirm your email address")
        body = _(
            "Hello %(name)s,\n\nConfirm your email address by opening this link:\n%(link)s\n\n"
            "It works for %(hours)d hours. If you did not register, ignore this email.\n",
            name=user.display_name,
            link=link,
            hours=current_app.config["TOKEN_MAX_AGE_HOURS"],
        )
    mail.send(user.email, subject, body, wait=wait, lang=lang)


def verify_email(token: str) -> User:
    user_id, state = tokens.read("verify", token)
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or user.email != state:
        raise ValidationError(_("That link is not valid any more."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


def authenticate(email: object, password: object) -> User:
    """Check credentials. No answer says whether an account uses the address: a wrong password and an
    unknown address get the same refusal, and repeated failures lock the address alike (sign_in_locks),
    whose owner, if any, is emailed a reset link that ends the lock."""
    generic = ValidationError(_("Email or password is not right."))
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        raise ValidationError(_("Enter your email address and password."))
    if len(email) > EMAIL_MAX or len(password) > PASSWORD_MAX:
        raise generic
    address = email.strip()
    sign_in_locks.refuse_if_locked(address)
    user = find_by_email(address)
    if not password_matches(user, password) or user is None or user.deleted_at is not None:
        if sign_in_locks.failed(address) and user is not None and user.deleted_at is None:
            _tell_of_lock(user)
        raise generic
    sign_in_locks.clear(address)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return user


def _tell_of_lock(user: User) -> None:
    """The lock a stranger's guesses started must not shut the owner out: email them the way in."""
    cfg = current_app.config
    lang = language.of(user)
    with language.speaking(user):
        subject = _("Signing in to your account is paused")
        body = _(
            "Hello %(name)s,\n\nA wrong password was typed for your account %(failures)d times, so signing in "
            "with a password is paused for %(minutes)d minutes.\n\n"
            "If it was you, wait, or choose a new password now: this link works at once and ends the pause.\n"
            "%(reset)s\n\n%(note)s If it was not you, your password has not been guessed; if it is short or "
            "used elsewhere too, choose a new one with the link.\n",
            name=user.display_name,
            failures=cfg["LOGIN_MAX_FAILURES"],
            minutes=cfg["LOGIN_LOCK_MINUTES"],
            reset=_reset_link(user, lang),
            note=_reset_link_note(),
        )
    mail.send(user.email, subject, body, wait=False, lang=lang)


def start_login_session(user: User, user_agent: str = "") -> LoginSession:
    login = LoginSession(user_id=user.id, nonce=secrets.token_urlsafe(32), user_agent=browser_name(user_agent))
    db.session.add(login)
    db.session.commit()
    return login


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)


def browser_name(user_agent: str) -> str:
    """Keep the browser's name only, as the privacy page promises, not the full User-Agent."""
    for marker, name in _BROWSERS:
        if marker in (user_agent or ""):
            return name
    return "another browser"  # stored, and shown in the data download


def _live_logins() -> tuple[Any, ...]:
    """The one rule for a live login: not ended, younger than SESSION_ABSOLUTE_HOURS, account not deleted."""
    oldest = utcnow() - timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    return (
        LoginSession.ended_at.is_(None),
        LoginSession.created_at >= oldest,
        User.deleted_at.is_(None),
    )


def active_login(nonce: object) -> LoginSession | None:
    """The live login for a session nonce, or None if ended or past its absolute age."""
    if not isinstance(nonce, str) or not nonce:
        return None
    return db.session.scalar(
        select(LoginSession)
        .join(User, LoginSession.user_id == User.id)
        .where(LoginSession.nonce == nonce, *_live_logins())
    )


def signed_in_user(nonce: object, user_id: object) -> User | None:
    """The account a session cookie names while its login is live, in ONE query.

    Pages and every socket event ask this (a signed-out or expired login must
    stop a socket at its next event, so nothing is cached); in a busy live room
    the two queries of loading the login and then its user were a tenth of the
    server's work.
    """
    user_id = str(user_id or "")
    if not isinstance(nonce, str) or not nonce or not user_id.isdigit():
        return None
    row = db.session.execute(
        select(User, moderation_standing.no_sanction_on_record(User.id))
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == int(user_id), LoginSession.nonce == nonce, *_live_logins())
    ).first()
    if row is None:
        return None
    user: User = row[0]
    if row[1]:  # the same query said so: checking this member's standing later in the request needs none
        moderation_standing.known_clear(user.id)
    return user


def signed_in_id(nonce: object, user_id: object) -> int | None:
    """`signed_in_user`, answering with the account's id alone: a socket's connect needs no more than that.

    The same rule in one query, without building the account: in a join storm every resident's socket
    connects once, and loading the whole account for its id was a tenth of the work.
    """
    user_id = str(user_id or "")
    if not isinstance(nonce, str) or not nonce or not user_id.isdigit():
        return None
    found: int | None = db.session.scalar(
        select(LoginSession.user_id)
        .join(User, LoginSession.user_id == User.id)
        .where(LoginSession.user_id == int(user_id), LoginSession.nonce == nonce, *_live_logins())
    )
    return found


def signed_in_users(logins_of: dict[str, int]) -> dict[str, User]:
    """`signed_in_user` for many sockets at once (login nonce -> account id): the live ones, by nonce, in one
    query. Staff rooms ask it at every delivery (debate/socket_queue.py)."""
    wanted = {nonce: user_id for nonce, user_id in logins_of.items() if isinstance(nonce, str) and nonce}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(LoginSession.nonce, User)
        .join_from(LoginSession, User, LoginSession.user_id == User.id)
        .where(LoginSession.nonce.in_(wanted), *_live_logins())
    ).all()
    return {nonce: user for nonce, user in rows if wanted[nonce] == user.id}


def sign_out(nonce: object) -> None:
    """End the login a session cookie names (signing out), whoever it was, and close its sockets everywhere."""
    if not isinstance(nonce, str) or not nonce:
        return
    login = db.session.scalar(select(LoginSession).where(LoginSession.nonce == nonce))
    if login is not None:
        logins.end(login.user, logins.SIGNED_OUT, only=nonce)
        db.session.commit()


def request_password_reset(email: object) -> None:
    """Email a reset link if the account exists; say nothing either way (no account probing), and take
    no longer for sending it (the email goes in the background)."""
    address = clean_email(email)
    user = find_by_email(address)
    if user is None or user.deleted_at is not None:
        return
    lang = language.of(user)
    with language.speaking(user):
        subject = _("Reset your password")
        body = _(
            "Hello %(name)s,\n\nSomeone asked to reset the password for this account.\n"
            "Choose a new password here:\n%(reset)s\n\n%(note)s If it was not you, ignore this email.\n",
            name=user.display_name,
            reset=_reset_link(user, lang),
            note=_reset_link_note(),
        )
    mail.send(user.email, subject, body, wait=False, lang=lang)


def _reset_link(user: User, lang: str | None = None) -> str:
    token = tokens.make("reset", user.id, tokens.fingerprint(user.password_hash, user.credentials_version))
    return _external("auth.reset_password", lang=lang, token=token)


def _reset_link_note() -> str:
    return str(_("The link works once, for %(hours)d hours.", hours=current_app.config["TOKEN_MAX_AGE_HOURS"]))


def check_reset_token(token: str) -> User:
    user_id, state = tokens.read("reset", token)
    user = db.session.get(User, user_id)
    if (
        user is None
        or user.deleted_at is not None
        or state != tokens.fingerprint(user.password_hash, user.credentials_version)
    ):
        raise ValidationError(_("That link has already been used or is not valid any more."))
    return user


def reset_password(token: str, password: object, confirm: object) -> User:
    user = check_reset_token(token)
    secret = check_password(password, confirm, user.email)
    _set_password(user, secret)
    # Following an emailed link also proves the address.
    user.email_verified_at = user.email_verified_at or utcnow()
    logins.end(user, logins.PASSWORD_RESET)
    db.session.commit()
    return user


def change_password(user: User, current: object, password: object, confirm: object, keep_nonce: str | None) -> None:
    if not isinstance(current, str) or not password_matches(user, current):
        raise ValidationError(_("Your current password is not right."), "current")
    secret = check_password(password, confirm, user.email)
    if secret == current:
        raise ValidationError(_("The new password must differ from the current one."), "password")
    _set_password(user, secret)
    logins.end(user, logins.PASSWORD_CHANGED, keep=keep_nonce)
    db.session.commit()


def _set_password(user: User, secret: str) -> None:
    """A new password (changed, or by a reset link): old reset links stop working, and any sign-in lock on
    the address ends (the owner has proved they hold it)."""
    user.password_hash = hash_password(secret)
    user.credentials_version += 1
    sign_in_locks.clear(user.email)


def require_active(user: User) -> None:
    if user.deleted_at is not None:
        raise PermissionDenied(_("This account has been deleted."))


def _external(endpoint: str, lang: str | None = None, **values: Any) -> str:
    """An absolute link for an email, at the address of the recipient's language (`/cy/...` for Welsh; no
    prefix for English, which then speaks the reader's recorded choice), whatever the sending page speaks."""
    base = str(current_app.config["SERVER_URL"]).rstrip("/")
    path = url_for(endpoint, **values)
    here = from_address()
    if here and path.startswith(f"/{here}/"):
        path = path.removeprefix(f"/{here}")
    chosen = known(lang)
    if chosen and chosen != DEFAULT:
        path = f"/{chosen}{path}"
    return base + path
