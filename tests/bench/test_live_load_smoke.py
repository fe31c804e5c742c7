"""The live load benchmark still runs: a few seconds of 20 residents against the app, bare Node and bare Flask-SocketIO.

Not a performance test (no timing is asserted): it keeps bench/live_load.py,
its Node loader and the app's wire format from drifting apart, and checks
what must hold at any speed: every client joined, nothing was lost, the
room every client ends with is the database's, and the figures are numbers.
"""

from __future__ import annotations

import contextlib
import math
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, REDIS_URL, postgres_reachable, redis_reachable, skip_or_fail

BENCH = Path(__file__).resolve().parents[2] / "bench"
CLIENTS, SECONDS = 20, 4.0

pytestmark = pytest.mark.server


def loader_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (the load generator is a Node program)"
    if not all((BENCH / "loader" / "node_modules" / name).is_dir() for name in ("socket.io-client", "socket.io", "ws")):
        return "the loader's npm packages are missing: run `npm ci --prefix bench/loader`"
    return None


@contextlib.contextmanager
def on_test_services():
    """The bench's modules importable, making their own databases on the test PostgreSQL server and Redis
    (skipped, or failed in CI, without node, the loader's packages, PostgreSQL or Redis)."""
    for reason in (loader_missing(), postgres_reachable(), redis_reachable()):
        skip_or_fail(reason)
    sys.path.insert(0, str(BENCH))
    import live_seed

    saved = live_seed.PG_SERVER, live_seed.REDIS_URL
    live_seed.PG_SERVER, live_seed.REDIS_URL = POSTGRES_URL.rsplit("/", 1)[0], REDIS_URL  # the bench makes its own
    try:
        yield
    finally:
        live_seed.PG_SERVER, live_seed.REDIS_URL = saved


@pytest.fixture(scope="module")
def runs():
    with on_test_services():
        import live_load

        yield live_load, live_load.measure([CLIENTS], SECONDS)


def numbers(run: dict) -> list[float]:
    r = run["result"]
    return [
        r["fanout_ms"]["p50"],
        r["fanout_ms"]["p99"],
        r["connect_ms"]["p95"],
        r["to_room_ms"]["questions"]["p99"],
        r["to_room_ms"]["votes"]["p99"],
        run["server_ms_per_action"],
        run["mem_per_conn_kib"],
    ]


def test_every_client_of_every_server_gets_every_message(runs):
    _, measured = runs
    assert set(measured[CLIENTS]) == {"app", "node", "bare-plain"}
    for run in measured[CLIENTS].values():
        r = run["result"]
        assert r["joined"] == CLIENTS, r["join_errors"]
        assert r["missed_broadcasts"] == 0 and r["unrecovered"] == 0
        assert r["final_seq"] is not None and r["fanout_ms"]["n"] > 0
        assert run["refused"] == 0, r["refusal_samples"]
        assert run["acked"] >= 0.8 * SECONDS * 12  # 2 questions and 10 votes a second
        assert r["to_room_ms"]["missing"] == {"questions": 0, "votes": 0}


def test_the_app_room_ends_as_the_database_says(runs):
    _, measured = runs
    app = measured[CLIENTS]["app"]
    assert app["db_questions"] >= 40
    assert app["db_mismatches"] == 0
    assert app["result"]["clients_differing_from_reference"] == 0


def test_figures_are_numbers_and_the_report_has_them(runs):
    live_load, measured = runs
    for run in measured[CLIENTS].values():
        assert run["loader_processes"] == 3 and 0 <= run["loader_cpu_pct"] <= run["loader_cpu_total_pct"]
        assert all(isinstance(x, int | float) and math.isfinite(x) and x >= 0 for x in numbers(run)), numbers(run)
    text = live_load.render(measured, SECONDS, ["--clients", str(CLIENTS)])
    assert f"### {CLIENTS} residents" in text
    assert "| server CPU ms per action |" in text and "### Verdict per target" in text
    assert "| app | bare Node | app/Node | bare, plain frames | app/plain |" in text
