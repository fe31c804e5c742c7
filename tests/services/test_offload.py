"""offload.run: number crunching leaves the event loop (and the other cores) to the live rooms."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy  # noqa: F401 - loads the BLAS whose threads are counted
import pytest
from threadpoolctl import threadpool_info

from debate.services import offload


def test_without_gevent_the_work_runs_here_with_one_blas_thread():
    seen = offload.run(lambda: [pool["num_threads"] for pool in threadpool_info()])
    assert seen and set(seen) == {1}


def test_its_exception_reaches_the_caller():
    def broken() -> None:
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        offload.run(broken)


GEVENT_PROBE = textwrap.dedent(
    """
    from gevent import monkey
    monkey.patch_all()
    import gevent, numpy as np
    from debate.services import offload

    ticks = []
    def ticker():
        while True:
            ticks.append(1)
            gevent.sleep(0.005)

    def crunch():
        a = np.random.default_rng(0).random((700, 700))
        for _ in range(12):
            a = np.linalg.qr(a)[0]
        return a.shape[0], len(ticks)

    gevent.spawn(ticker)
    gevent.sleep(0.02)
    before = len(ticks)
    value, ticks_when_done = offload.run(crunch)
    print(value, ticks_when_done - before)
    """
)


def test_under_gevent_the_loop_keeps_running_during_the_work():
    """Run inline, the ticker greenlet could not tick at all while numpy worked; in the pool it does."""
    out = subprocess.run(
        [sys.executable, "-c", GEVENT_PROBE], capture_output=True, text=True, timeout=120, check=True
    ).stdout.split()
    assert out[0] == "700"
    assert int(out[1]) > 0
