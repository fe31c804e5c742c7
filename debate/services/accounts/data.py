"""The accounts feature's own entries in the privacy registry."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from debate.extensions import db
from debate.models.accounts import LoginSession, User
from debate.models.base import utcnow
from debate.services import privacy


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def export_account(user: User) -> dict[str, Any]:
    rep = user.representative
    return {
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "email_verified_at": _iso(user.email_verified_at),
        "created_at": _iso(user.created_at),
        "representative_profile": None
        if rep is None
        else {
            "kind": rep.kind,
            "title": rep.title,
            "area": rep.area,
            "party": rep.party,
            "requested_at": _iso(rep.requested_at),
            "verified_at": _iso(rep.verified_at),
        },
    }


def export_logins(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id).order_by(LoginSession.created_at)
    )
    return [
        {"signed_in_at": _iso(r.created_at), "signed_out_at": _iso(r.ended_at), "browser": r.user_agent} for r in rows
    ]


def erase_account(user: User, remove_content: bool) -> None:
    """Anonymise: the row stays so content can say 'former member', but nothing identifies them."""
    for login in db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)):
        db.session.delete(login)
    if user.representative is not None:
        db.session.delete(user.representative)
    user.display_name = "former member"
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@invalid"
    user.password_hash = "!deleted"  # noqa: S105 - not a password: an unusable hash
    user.deleted_at = utcnow()


privacy.register("account", _l("Your account details and role."), export_account, erase_account)
privacy.register("sign_ins", _l("When and from which browser you signed in."), export_logins)
