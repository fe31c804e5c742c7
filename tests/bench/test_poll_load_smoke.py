"""The live poll benchmark still runs: 20 residents answer a poll in a few seconds against the app.

Not a performance test (no timing is asserted): it keeps bench/poll_load.py, the Node loader's poll
scenario and the app's poll events from drifting apart, and checks what must hold at any speed: every
answer acked is stored, every client sees results that include every answer, and the results every
client ends with are the database's.
"""

from __future__ import annotations

import math

import pytest

from tests.bench.test_live_load_smoke import on_test_services

CLIENTS, SECONDS = 20, 3.0

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def measured():
    with on_test_services():
        import poll_load

        yield poll_load, poll_load.measure(CLIENTS, SECONDS)


def test_every_answer_is_stored_and_reaches_every_client(measured):
    _, run = measured
    r = run["result"]
    assert r["joined"] == CLIENTS, r["join_errors"]
    assert run["acked"] == CLIENTS and run["refused"] == 0, r["refusal_samples"]
    assert run["stored"] == CLIENTS
    assert r["to_room_ms"]["missing"] == 0 and r["to_room_ms"]["answers"]["n"] == CLIENTS * CLIENTS
    assert r["missed_broadcasts"] == 0 and r["unrecovered"] == 0


def test_clients_end_with_the_database_results(measured):
    _, run = measured
    assert run["db_results"]["answers"] == CLIENTS
    assert run["state_matches"] and run["result"]["clients_differing_from_reference"] == 0


def test_results_are_coalesced_and_the_report_has_the_figures(measured):
    poll_load, run = measured
    r = run["result"]
    assert 0 < r["events_numbered"] < CLIENTS  # one results event per flush, not one per answer
    assert r["messages_delivered"] < CLIENTS * CLIENTS
    figures = [r["to_room_ms"]["answers"]["p99"], run["server_ms_per_action"], r["connect_ms"]["p95"]]
    assert all(isinstance(x, int | float) and math.isfinite(x) and x >= 0 for x in figures), figures
    text = poll_load.render(run, CLIENTS, SECONDS, [])
    assert "| answer to results on every client p50 / p95 / p99 ms |" in text
    assert "| every answer stored and on every client | yes |" in text
