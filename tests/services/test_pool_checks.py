"""Pooled PostgreSQL connections are pinged before use only after sitting idle (debate/pool_checks.py)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from debate import pool_checks
from tests.conftest import POSTGRES_URL, postgres_reachable, skip_or_fail


@pytest.fixture
def engine(monkeypatch):
    skip_or_fail(postgres_reachable())
    engine = create_engine(POSTGRES_URL, pool_size=1, max_overflow=0)
    pings: list[object] = []
    real_ping = engine.dialect.do_ping

    def counted(dbapi_connection):
        pings.append(dbapi_connection)
        return real_ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    engine.pings = pings  # type: ignore[attr-defined]
    yield engine
    engine.dispose()


def use(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("select pg_backend_pid()")).scalar_one()


def test_a_connection_in_use_a_moment_ago_is_not_pinged(engine):
    pool_checks.ping_after_idle(engine, 30)
    first = use(engine)
    assert [use(engine) for _ in range(5)] == [first] * 5
    assert engine.pings == []


def test_a_connection_idle_past_the_threshold_is_pinged_first(engine):
    pool_checks.ping_after_idle(engine, 0.2)
    use(engine)
    use(engine)
    assert engine.pings == []
    time.sleep(0.3)
    use(engine)
    assert len(engine.pings) == 1


def test_zero_pings_every_checkout_as_pool_pre_ping_did(engine):
    pool_checks.ping_after_idle(engine, 0)
    for _ in range(3):
        use(engine)
    assert len(engine.pings) == 2  # every checkout of a pooled connection (the new one needs none)


def test_a_connection_that_fails_its_ping_is_replaced_not_used(engine):
    pool_checks.ping_after_idle(engine, 0)
    first = use(engine)
    other = create_engine(POSTGRES_URL, poolclass=NullPool)
    with other.connect() as killer:  # the server ends the pooled backend, as a restart or a firewall would
        killer.execute(text("select pg_terminate_backend(:pid)"), {"pid": first})
    other.dispose()
    time.sleep(0.1)
    assert use(engine) != first  # pinged, found dead, replaced: the caller never saw the error
