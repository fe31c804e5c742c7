"""A member's language: the one their pages, emails and notifications use, recorded when they choose it."""

from __future__ import annotations

from contextlib import AbstractContextManager

from flask_babel import force_locale

from debate.extensions import db
from debate.i18n import DEFAULT, known
from debate.models.accounts import User


def record(user: User, code: str) -> bool:
    """Store `code` as the member's language; True when it changed. An unknown code changes nothing."""
    chosen = known(code)
    if chosen is None or user.locale == chosen:
        return False
    user.locale = chosen
    db.session.commit()
    return True


def of(user: User | None) -> str:
    """The language to write to this member in (emails, notifications): their choice, else English."""
    return known(getattr(user, "locale", None)) or DEFAULT


def speaking(user: User | None) -> AbstractContextManager[None]:
    """Render inside this block in the member's language: `with language.speaking(user): ...`."""
    context: AbstractContextManager[None] = force_locale(of(user))
    return context
