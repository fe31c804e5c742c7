"""The parts of the live benchmark issue 17 added still run, at tiny sizes (seconds each).

Not performance tests (no timing is asserted): they keep the bare Node server, the loader's raw client
and its worker split, the join storm and the two-process run working, and check what must hold at any
speed: every client joined, every event reached every client, the room equals the database, and the raw
client and socket.io-client see the same thing of the app.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.bench.test_live_load_smoke import on_test_services

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def bench():
    with on_test_services():
        import live_load
        import live_scale

        yield live_load, live_scale


def test_bare_node_numbers_and_broadcasts_each_action_once(bench):
    live_load, _ = bench
    load = live_load.Load(5.0, 20.0, "raw", 3)
    with tempfile.TemporaryDirectory() as tmp:
        run = live_load.run_bare("node", 12, 2.0, Path(tmp), load)
    r = run["result"]
    assert r["joined"] == 12 and r["client"] == "raw" and r["workers"] == 3
    assert run["acked"] == r["events_numbered"] == 50 and run["refused"] == 0
    assert r["fanout_ms"]["n"] == 12 * 50 == r["messages_delivered"]  # the three workers' raw samples, merged
    assert r["to_room_ms"]["questions"]["n"] == 12 * 10 and r["to_room_ms"]["votes"]["n"] == 12 * 40
    assert r["missed_broadcasts"] == 0 and r["unrecovered"] == 0
    assert run["loader_processes"] == 4  # the coordinator and its three workers, each sampled


def app_run(live_load, client: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return live_load.run_app(10, 2.0, Path(tmp), load=live_load.Load(2.0, 10.0, client, 2))


def test_raw_client_and_socket_io_client_see_the_same_app(bench):
    live_load, _ = bench
    runs = {client: app_run(live_load, client) for client in ("raw", "socket.io-client")}
    for client, run in runs.items():
        r = run["result"]
        assert r["client"] == client and r["joined"] == 10, r["join_errors"]
        assert run["acked"] == 24 and run["refused"] == 0, r["refusal_samples"]
        assert r["missed_broadcasts"] == 0 and r["unrecovered"] == 0
        assert r["to_room_ms"]["missing"] == {"questions": 0, "votes": 0}
        assert run["db_mismatches"] == 0 and r["clients_differing_from_reference"] == 0
        assert r["fanout_ms"]["n"] > 0
    raw, sio = runs["raw"]["result"], runs["socket.io-client"]["result"]
    assert len(raw["state"]) == len(sio["state"]) == runs["raw"]["db_questions"]
    assert raw["to_room_ms"]["questions"]["n"] == sio["to_room_ms"]["questions"]["n"] == 10 * 4


def test_join_storm_starts_connects_at_an_even_rate(bench):
    _, live_scale = bench
    load = live_scale.live_load.Load(workers=2)
    runs = live_scale.storm(20, 1.0, ("app", "node"), load)
    for run in runs.values():
        r = run["result"]
        assert r["joined"] == 20 and r["connect_ms"]["n"] == 20 and r["actions"] == {}
        assert 0.9 <= run["window_s"] <= 30  # the first start to the last join: the spread, at least
    text = live_scale.render_storm(runs, 20, 1.0, ["storm"])
    assert "| connect + join ack p50 / p95 / p99 / max ms |" in text and "not judged" in text


def test_two_app_processes_share_one_room(bench):
    live_load, live_scale = bench
    load = live_load.Load(2.0, 10.0, "raw", 2)
    with tempfile.TemporaryDirectory() as tmp:
        run = live_scale.capacity_one(2, 12, 3.0, Path(tmp), load)
    r = run["result"]
    assert r["joined"] == 12 and run["refused"] == 0, r["refusal_samples"]
    assert len(run["processes_cpu_s"]) == 2 and all(s > 0 for s in run["processes_cpu_s"])
    assert r["missed_broadcasts"] == 0 and r["unrecovered"] == 0
    assert run["db_mismatches"] == 0 and r["clients_differing_from_reference"] == 0
    assert r["to_room_ms"]["missing"] == {"questions": 0, "votes": 0}  # events of one process reach the other's
    text = live_scale.render_capacity([run, run], 12, 3.0, load, ["capacity"])
    assert "| server CPU ms per action, each process (sum) |" in text
