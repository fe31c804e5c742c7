"""Authorisation in one place: named permissions checked by pages, JSON and sockets.

A permission is a name; `ROLE_PERMISSIONS` says which roles hold it. Checks take
the user explicitly (never `request`), so socket handlers can use them too.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeGuard

from flask_babel import gettext as _
from typing_extensions import TypeIs

from debate.errors import NotSignedIn, PermissionDenied, ServiceError
from debate.models.accounts import Role, User


class Permission(str, enum.Enum):
    POST = "post"
    MODERATE = "moderate"
    VERIFY_REPRESENTATIVES = "verify_representatives"
    APPOINT_MODERATORS = "appoint_moderators"
    MANAGE_TOPICS = "manage_topics"
    ANSWER_AS_REPRESENTATIVE = "answer_as_representative"
    FLAG = "flag"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_MODERATION_SETTINGS = "manage_moderation_settings"
    VIEW_PARTICIPATION = "view_participation"  # "who is missing" reports: counts only, the same for every holder
    RUN_AGREEMENT_ROUNDS = "run_agreement_rounds"  # open, change and close "Where we agree" rounds


_EVERYONE = {Permission.POST, Permission.FLAG}
_STAFF = _EVERYONE | {
    Permission.MODERATE,
    Permission.VIEW_AUDIT_LOG,
    Permission.VIEW_PARTICIPATION,
    Permission.RUN_AGREEMENT_ROUNDS,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RESIDENT: frozenset(_EVERYONE),
    Role.REPRESENTATIVE: frozenset(_EVERYONE | {Permission.ANSWER_AS_REPRESENTATIVE, Permission.VIEW_PARTICIPATION}),
    Role.MODERATOR: frozenset(_STAFF),
    Role.ADMIN: frozenset(
        _STAFF
        | {
            Permission.VERIFY_REPRESENTATIVES,
            Permission.APPOINT_MODERATORS,
            Permission.MANAGE_TOPICS,
            Permission.MANAGE_MODERATION_SETTINGS,
        }
    ),
}


def signed_in(user: User | None) -> TypeIs[User]:
    """A member signed in now: not None and not Flask-Login's anonymous user. One test, asked everywhere."""
    return user is not None and bool(getattr(user, "is_authenticated", False))


def has(user: Any, permission: Permission) -> TypeGuard[User]:
    """True when a signed-in, active, verified user holds the permission."""
    if not signed_in(user):
        return False
    if user.deleted_at is not None or user.email_verified_at is None:
        return False
    if permission is Permission.ANSWER_AS_REPRESENTATIVE and not user.is_verified_representative:
        return False
    if permission is Permission.VIEW_PARTICIPATION and user.role_enum is Role.REPRESENTATIVE:
        return user.is_verified_representative  # a representative sees reports once an admin has verified them
    return permission in ROLE_PERMISSIONS[user.role_enum]


def require(user, permission: Permission) -> None:
    """Raise a readable error unless the user holds the permission."""
    if not signed_in(user):
        raise NotSignedIn(_("Please sign in first."))
    if user.email_verified_at is None:
        raise PermissionDenied(_("Please confirm your email address first: check your inbox."))
    if not has(user, permission):
        raise PermissionDenied(_("Your account does not have permission to do that."))


def require_signed_in(user) -> None:
    if not signed_in(user):
        raise NotSignedIn(_("Please sign in first."))


def allows(check: Callable[..., object], *args: object) -> bool:
    """True when a service's refusal check (`check(*args)`, which raises the refusal) lets this through.

    Pages show a link or a form only when the check that guards the action allows it, so a link is never
    offered to someone the form would refuse, and the rule stays written once, in the service.
    """
    try:
        check(*args)
    except ServiceError:
        return False
    return True
