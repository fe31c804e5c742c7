"""Signed, expiring, purpose-bound tokens for email links.

Each token names its purpose (so a verification link cannot reset a password)
and carries a fingerprint of the state it acts on, so it works once: a reset
link dies when the password changes, a verification link when the email does.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from debate.errors import ValidationError


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"cg-{purpose}")


def fingerprint(*parts: object) -> str:
    raw = "|".join(str(p) for p in parts).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def make(purpose: str, user_id: int, state: str) -> str:
    return _serializer(purpose).dumps({"u": user_id, "s": state})


def read(purpose: str, token: object, max_age_hours: int | None = None, *, expires: bool = True) -> tuple[int, str]:
    """Return (user_id, state) or raise ValidationError saying what is wrong.

    `expires=False` is for links that must keep working (unsubscribe links in old emails).
    """
    hours = max_age_hours or current_app.config["TOKEN_MAX_AGE_HOURS"]
    if not isinstance(token, str) or not token or len(token) > 500:
        raise ValidationError(_("That link is not valid."))
    try:
        data = _serializer(purpose).loads(token, max_age=hours * 3600 if expires else None)
    except SignatureExpired:
        raise ValidationError(_("That link has expired. Please ask for a new one.")) from None
    except BadSignature:
        raise ValidationError(_("That link is not valid. Please check you copied all of it.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise ValidationError(_("That link is not valid."))
    return data["u"], str(data.get("s", ""))
