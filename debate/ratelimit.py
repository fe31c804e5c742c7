"""How often a person may do an action: one limit per action, whatever the way in.

Each action's limit is defined once, beside its service, e.g. in live_questions:

    ASK = ratelimit.limit("live.ask", "10/minute", _l("You can ask at most 10 questions a minute. ..."))

and every way in counts against that one limit: a page or JSON view with `@ratelimit.limited(ASK)`, a
socket event with `on_event(..., limit=ASK)` (debate/realtime/guard.py). A signed-in member is counted
by account, so the form, the JSON API and the socket share one budget; what anonymous people do
(sign in, register, ask for a reset link) is counted by network address, and an anonymous socket
reader by socket, since a whole hall joining a session can share one address. Over the limit, the
same `RateLimited` error (the limit's own message, and how many seconds to wait) becomes the 429
page, the JSON 429 and the socket's `rate_limited` ack. The message is a lazy_gettext string, so each
person reads it in their own language (the page's, or the socket's `?lang=`) when it is raised.

Counts are kept in Flask-Limiter's storage (memory, or Redis when REDIS_URL is set), so the limits
hold across server processes; `RATELIMIT_ENABLED=false` turns them off (tests do).
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from flask import current_app, request
from flask_login import current_user
from limits import RateLimitItem, parse

from debate.errors import RateLimited, Text
from debate.extensions import limiter
from debate.permissions import signed_in

log = logging.getLogger("commonground.ratelimit")

WRITES = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Limit:
    """At most `rate` (e.g. "10/minute") of one action per person; `message` is what they read when over it
    (lazy_gettext, or lazy_ngettext for a number: made text in the reader's language when it is raised)."""

    action: str
    rate: str
    message: Text

    @cached_property
    def item(self) -> RateLimitItem:
        return parse(self.rate)


_defined: dict[str, Limit] = {}


def limit(action: str, rate: str, message: Text) -> Limit:
    """Define an action's limit. Each action is defined once: a second definition is a mistake."""
    if action in _defined:
        raise ValueError(f"the rate limit for {action!r} is already defined")
    defined = Limit(action, rate, message)
    defined.item  # noqa: B018 - a malformed rate fails at start-up, not at the first request
    _defined[action] = defined
    return defined


def defined() -> dict[str, Limit]:
    """Every limit defined so far, by action (for the docs and the tests)."""
    return dict(_defined)


def who(user: Any, anonymous: str) -> str:
    """The counter's key: the account when signed in, else what the way in knows of an anonymous person."""
    if signed_in(user):
        return f"user:{user.id}"
    return anonymous


def hit(limit: Limit, user: Any, anonymous: str) -> None:
    """Count one action; raise RateLimited (with the seconds to wait) when it is over the limit."""

    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    key = who(user, anonymous)
    strategy = limiter.limiter
    if strategy.hit(limit.item, limit.action, key):
        return
    reset_at = strategy.get_window_stats(limit.item, limit.action, key).reset_time
    log.warning("rate limit hit: action=%s key=%s rate=%s", limit.action, key.split(":", 1)[0], limit.rate)
    raise RateLimited(limit.message, retry_after=max(1, math.ceil(reset_at - time.time())))


def limited(limit: Limit, methods: Iterable[str] = WRITES) -> Callable:
    """Count a page or JSON view against an action's limit (its writes only, unless told `methods`)."""
    counted = frozenset(methods)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:

            if request.method in counted:
                hit(limit, current_user, f"address:{request.remote_addr}")
            return view(*args, **kwargs)

        wrapper.rate_limit = limit  # type: ignore[attr-defined]  # read by the tests and the docs
        return wrapper

    return decorator
