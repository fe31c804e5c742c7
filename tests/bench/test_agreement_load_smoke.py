"""The Where we agree load benchmark still runs: 20 residents vote on a round while its groups recompute.

Not a performance test (no timing is asserted): it keeps bench/agreement_load.py, the Node loader's
"agree" scenario and the `agree:vote` event from drifting apart, and checks what must hold at any
speed: every vote is acked and stored, and after the votes stop the stored result catches up with them.
"""

from __future__ import annotations

import sys

import pytest

from tests.bench.test_live_load_smoke import BENCH, loader_missing
from tests.conftest import POSTGRES_URL, REDIS_URL, postgres_reachable, redis_reachable, skip_or_fail

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def measured():
    for reason in (loader_missing(), postgres_reachable(), redis_reachable()):
        skip_or_fail(reason)
    sys.path.insert(0, str(BENCH))
    import agreement_load
    import live_seed

    saved = live_seed.PG_SERVER, live_seed.REDIS_URL
    live_seed.PG_SERVER, live_seed.REDIS_URL = POSTGRES_URL.rsplit("/", 1)[0], REDIS_URL
    try:
        yield agreement_load, agreement_load.measure(agreement_load.QUICK, intervals=(500,))
    finally:
        live_seed.PG_SERVER, live_seed.REDIS_URL = saved


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
