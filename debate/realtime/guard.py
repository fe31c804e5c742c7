"""The guard every socket event passes: who, may they, how often, is the payload sane.

Handlers are written as `fn(user, payload) -> result`; the guard turns the
result into `{"ok": true, "data": ...}` and any ServiceError into
`{"ok": false, "error": {"code", "message"}}`, so every event acks. Messages are in the socket's language:
each event runs in a request context made from the connection's environ, whose `?lang=` (the page's
language, sent by the live script) debate/i18n/selection.py reads.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import g, request, session
from flask_babel import gettext as _
from flask_babel import lazy_ngettext

from debate import bounds, ratelimit
from debate.errors import NotSignedIn, ServiceError, UnknownEvent, ValidationError
from debate.extensions import db, login_manager, socketio
from debate.models.accounts import User
from debate.permissions import Permission, require
from debate.realtime.packets import UNREADABLE
from debate.services import text
from debate.services.accounts import credentials as accounts

log = logging.getLogger("commonground.realtime")


@dataclass(frozen=True)
class Field:
    """One payload key: its type, whether it is required, and a size bound.

    Text that people write declares its limit in characters (`chars`, counted as
    grapheme clusters like the forms, the JSON API and the browser's counter)
    instead of `max_len`: the service's own constant, or its function when the
    limit is a setting (e.g. `live_questions.question_max`), never a copy.
    """

    kind: type
    required: bool = True
    max_len: int = 2000
    chars: int | Callable[[], int] | None = None

    def most_chars(self) -> int | None:
        return self.chars() if callable(self.chars) else self.chars


def validate(schema: dict[str, Field], data: Any) -> dict:
    """Check known keys, types and lengths; refuse anything else."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError(_("The message must be an object."))
    unknown = set(data) - set(schema)
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s.", name=sorted(unknown)[0][:40]))
    clean = {}
    for name, field in schema.items():
        if name not in data or data[name] is None:
            if field.required:
                raise ValidationError(_("'%(name)s' is required.", name=name), name)
            continue
        value = data[name]
        if field.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationError(_("'%(name)s' must be a whole number.", name=name), name)
        if field.kind is int and not bounds.in_int_range(value):
            lowest, highest = f"{bounds.INT_MIN:,}", f"{bounds.INT_MAX:,}"
            raise ValidationError(
                _("'%(name)s' is out of range (%(lowest)s to %(highest)s).", name=name, lowest=lowest, highest=highest),
                name,
            )
        if not isinstance(value, field.kind):
            raise ValidationError(_("'%(name)s' has the wrong type.", name=name), name)
        most = field.most_chars() if isinstance(value, str) else None
        if isinstance(value, str) and most is not None:
            count = text.size(value.strip(), most, name)
            if count > most:
                shown, limit_shown = f"{count:,}", f"{most:,}"
                raise ValidationError(
                    _(
                        "'%(name)s' is too long: %(count)s characters, and the limit is %(limit)s.",
                        name=name,
                        count=shown,
                        limit=limit_shown,
                    ),
                    name,
                )
        elif isinstance(value, str | list | dict) and len(value) > field.max_len:
            most_shown = f"{field.max_len:,}"
            raise ValidationError(_("'%(name)s' is too long (at most %(most)s).", name=name, most=most_shown), name)
        clean[name] = value
    return clean


def signed_in_user() -> User | None:
    """Who sent this event, re-checked in the database on every event (`accounts.signed_in_user`).

    `current_user` then answers the same for the rest of the event without loading again.
    """
    user = accounts.signed_in_user(session.get("login_nonce"), session.get("_user_id"))
    g._login_user = user if user is not None else login_manager.anonymous_user()  # Flask-Login's per-request user
    return user


def on_event(
    event: str,
    *,
    namespace: str = "/",
    permission: Permission | None = None,
    login: bool = True,
    schema: dict[str, Field] | None = None,
    limit: ratelimit.Limit,
) -> Callable:
    """Register a guarded socket event handler.

    `limit` is the action's one limit, defined beside its service and shared with the action's pages
    and JSON endpoints (debate/ratelimit.py): every event must name one.
    """

    def decorator(fn: Callable[[Any, dict], Any]) -> Callable:
        @functools.wraps(fn)
        def handler(data: Any = None, *extra: Any) -> dict:
            try:
                user = signed_in_user()
                if login and user is None:
                    raise NotSignedIn(_("Your session has ended. Please sign in again."))
                if permission is not None:
                    require(user, permission)
                ratelimit.hit(limit, user, f"socket:{_sid()}")
                if extra:  # one payload per event; a second argument must still get an ack
                    raise ValidationError(_("Send one object as the message."))
                payload = validate(schema or {}, data)
                return {"ok": True, "data": fn(user, payload)}
            except ServiceError as exc:
                db.session.rollback()
                if not isinstance(exc, ValidationError):
                    log.info(
                        "socket event refused: event=%s user=%s code=%s",
                        event,
                        getattr(g.get("_login_user"), "id", None),
                        exc.code,
                    )
                return {"ok": False, "error": exc.as_dict()}
            except Exception:
                db.session.rollback()
                log.exception("socket event failed: %s", event)
                message = _("Something went wrong on our side. Please try again.")
                return {"ok": False, "error": {"code": "server_error", "message": message}}

        handler.rate_limit = limit  # type: ignore[attr-defined]  # read by the tests and the docs
        handler.schema = schema or {}  # type: ignore[attr-defined]  # read by the tests
        socketio.on_event(event, handler, namespace=namespace)
        return handler

    return decorator


NAMESPACES = ("/", "/account", "/staff")
# Counted per socket (no database: whoever sent it, the answer is the same).
UNMATCHED = ratelimit.limit(
    "socket.unmatched",
    "60/minute",
    lazy_ngettext(
        "You sent more than %(num)d message a minute that no event here takes. Please wait a moment.",
        "You sent more than %(num)d messages a minute that no event here takes. Please wait a moment.",
        60,
    ),
)


def _sid() -> str:
    """This socket's id, which Flask-SocketIO sets on the request (Flask's own types do not know it)."""
    sid: str = request.sid  # type: ignore[attr-defined]
    return sid


def _socket_namespace() -> str:
    namespace: str = request.namespace  # type: ignore[attr-defined]  # set by Flask-SocketIO, as `sid`
    return namespace


def unmatched(event: str, data: Any = None, *extra: Any) -> dict:
    """Answer what no handler takes: an event nobody registered, or a packet that could not be read.

    Registered as each namespace's catch-all, so a client that asked for an ack always gets one. Counted
    against UNMATCHED per socket.
    """
    try:
        ratelimit.hit(UNMATCHED, None, f"socket:{_sid()}")
        if event == UNREADABLE:
            log.info("socket packet unreadable: namespace=%s", _socket_namespace())
            raise ValidationError(str(data))
        log.info("socket event unknown: namespace=%s event=%r", _socket_namespace(), event[:40])
        raise UnknownEvent(_("There is no event called %(event)s here.", event=repr(event[:40])))
    except ServiceError as exc:
        return {"ok": False, "error": exc.as_dict()}


unmatched.rate_limit = UNMATCHED  # type: ignore[attr-defined]  # read by the tests

for _namespace in NAMESPACES:
    socketio.on_event("*", unmatched, namespace=_namespace)
