"""Run number crunching (opinion groups, the bridging order) without stalling the live rooms.

The server is one gevent process: a computation of a few seconds run in a greenlet would hold every
socket of the process for that long. Under gevent the work goes to the hub's pool of native threads,
where numpy and scikit-learn's compiled loops release the GIL and the event loop keeps its turn (every
`sys.getswitchinterval()` at worst). Each computation may use one BLAS/OpenMP thread only, so that
on a small machine it leaves the other cores to the server. Without gevent (tests, `flask` commands)
the work simply runs here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from threadpoolctl import threadpool_limits

T = TypeVar("T")


def _limited(work: Callable[[], T]) -> T:
    with threadpool_limits(limits=1):
        return work()


def _under_gevent() -> bool:
    if "gevent" not in sys.modules:
        return False
    from gevent import monkey

    return bool(monkey.is_module_patched("threading"))


def run(work: Callable[[], T]) -> T:
    """`work()` in a native thread when the process runs gevent; its result (or its exception) here."""
    if not _under_gevent():
        return _limited(work)
    import gevent

    result: T = gevent.get_hub().threadpool.apply(_limited, (work,))
    return result
