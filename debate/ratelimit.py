"""Rate limits for actions Flask-Limiter cannot see (socket events, services).

Uses the same storage as Flask-Limiter (memory, or Redis when REDIS_URL is set),
so limits hold across server processes.
"""

from __future__ import annotations

import logging

from limits import parse

from debate.errors import RateLimited
from debate.extensions import limiter

log = logging.getLogger("commonground.ratelimit")


def hit(scope: str, key: str, rate: str, message: str | None = None) -> None:
    """Count one action; raise RateLimited when `rate` (e.g. "10/minute") is exceeded."""
    from flask import current_app

    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    item = parse(rate)
    if not limiter.limiter.hit(item, scope, key):
        log.warning("rate limit hit: scope=%s key=%s rate=%s", scope, key, rate)
        raise RateLimited(message or "You are doing that too often. Please wait a moment and try again.")
