"""The Where we agree load benchmark still runs: 20 residents vote on a round while its groups recompute.

Not a performance test (no timing is asserted): it keeps bench/agreement_load.py, the Node loader's
"agree" scenario and the `agree:vote` event from drifting apart, and checks what must hold at any
speed: every vote is acked and stored, and after the votes stop the stored result catches up with them.
"""

from __future__ import annotations

import pytest

from tests.bench.test_live_load_smoke import on_test_services

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def measured():
    with on_test_services():
        import agreement_load

        yield agreement_load, agreement_load.measure(agreement_load.QUICK, intervals=(500,))


def test_every_vote_is_acked_and_stored_and_the_result_catches_up(measured):
    agreement_load, (run,) = measured
    quick = agreement_load.QUICK
    assert run["joined"] == quick["clients"]
    assert run["sent"] == int(quick["rate"] * quick["seconds"]) and run["acked"] == run["sent"], run["refused"]
    assert run["stored"] > run["seed_votes"]  # the clients are not among the seeded voters: their votes are new rows
    assert run["caught_up"] is True
    assert run["recomputes"] >= 1 and run["latency_ms"]["n"] == run["acked"]


def test_the_report_has_the_figures(measured):
    agreement_load, runs = measured
    text = agreement_load.render(runs, agreement_load.QUICK, ["--quick"])
    assert "| recomputing every 500 ms | " in text
    assert "caught up with every vote after the run: yes" in text
