"""Small helpers shared by the views: calling a service from a form, template globals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, request
from flask_login import current_user

from debate.errors import ServiceError
from debate.permissions import Permission, has
from debate.services import moderation_standing


def attempt(action: Callable[[], Any]) -> tuple[Any, ServiceError | None]:
    """Run a service call for a form; on a ServiceError return it for the page to show."""
    from debate.extensions import db

    try:
        return action(), None
    except ServiceError as exc:
        db.session.rollback()
        return None, exc


def flash_error(exc: ServiceError) -> None:
    flash(exc.message, "error")


def safe_next(default: str) -> str:
    """Only same-site relative paths are followed after sign-in (no open redirect)."""
    target = request.values.get("next", "")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default  # control characters: header injection, or stripped by browsers into "//host"
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and "\\" not in target:
        return target
    return default


def template_globals() -> dict:
    return {
        "site_name": current_app.config["SITE_NAME"],
        "council_name": current_app.config["COUNCIL_NAME"],
        "can": lambda perm: has(current_user, Permission(perm)),
        # Why the signed-in member may not write now (a sanction), or None: pages show it instead of the form.
        "write_restriction": lambda: moderation_standing.restriction(current_user),
    }
