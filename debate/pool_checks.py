"""Pooled PostgreSQL connections are checked before use only when they have sat idle.

SQLAlchemy's `pool_pre_ping` checks every connection at every checkout: one more round trip for every
socket event and page, about a tenth of a live vote's database work (issue 17, bench/live_load.py). A
connection that answered a moment ago is as good as one that has just been pinged; the ones at risk are
those that sat idle while PostgreSQL restarted or failed over, or a firewall dropped them. So a connection
idle for DB_PING_IDLE_S or longer gets the same ping before use, and a busy one does not. If PostgreSQL
goes away while the pool is busy, the statements in flight fail as they would have anyway; SQLAlchemy
sees the disconnect, invalidates the whole pool, and the next checkouts reconnect.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

IDLE_SINCE = "commonground_idle_since"  # key in each pooled connection's `info`


def ping_after_idle(engine: Engine, seconds: float) -> None:
    """Ping a connection at checkout when it has been idle at least `seconds` (0: at every checkout)."""

    @event.listens_for(engine, "checkin")
    def checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.pop(IDLE_SINCE, None)
        if since is None or time.monotonic() - since < seconds:
            return  # just opened, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failure means: do not use this connection
            raise exc.DisconnectionError(f"a pooled connection failed its ping: {error}") from error
