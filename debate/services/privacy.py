"""'Download my data' and 'delete my account', as a registry features add to.

Each feature that stores personal data registers an exporter (what it holds
about a user, as JSON-ready data) and an eraser (what to do when the user
leaves: anonymise, or remove their content if they asked). The account pages
call `export_user` and `delete_user` and need not know the features.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from debate.errors import ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.services.accounts import logins

Exporter = Callable[[User], object]
Eraser = Callable[[User, bool], None]


@dataclass(frozen=True)
class DataSection:
    name: str
    description: object  # a lazy string (flask_babel.lazy_gettext): the export is written in the reader's language
    exporter: Exporter
    eraser: Eraser | None


_REGISTRY: dict[str, DataSection] = {}


def register(name: str, description: object, exporter: Exporter, eraser: Eraser | None = None) -> None:
    """Add a feature's data to the export and deletion. Called at import time."""
    _REGISTRY[name] = DataSection(name, description, exporter, eraser)


def sections() -> list[DataSection]:
    return list(_REGISTRY.values())


def export_user(user: User) -> dict[str, Any]:
    return {
        "exported_at": utcnow().isoformat() + "Z",
        "format": "Common Ground personal data export, version 1",
        "sections": {s.name: {"description": str(s.description), "data": s.exporter(user)} for s in _REGISTRY.values()},
    }


def delete_user(user: User, password_ok: bool, remove_content: bool) -> None:
    """Close the account in one transaction: every eraser runs, then the account is anonymised."""
    if not password_ok:
        raise ValidationError(_("Your password is not right, so your account was not deleted."), "password")
    if user.deleted_at is not None:
        raise ValidationError(_("This account is already deleted."))
    logins.end(user, logins.ACCOUNT_DELETED)  # every browser, and every socket, of the account
    # The account itself is anonymised last, after features have used its identity.
    ordered = sorted(_REGISTRY.values(), key=lambda s: s.name == "account")
    for section in ordered:
        if section.eraser is not None:
            section.eraser(user, remove_content)
    db.session.commit()
