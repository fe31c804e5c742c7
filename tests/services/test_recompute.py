"""The coalescing loop behind opinion groups and the bridging order (services/recompute.py)."""

from __future__ import annotations

import pytest

from debate.services import recompute


@pytest.fixture
def kind(app):
    """A registered kind whose job records the keys it ran for; removed afterwards."""
    ran: list[int] = []
    stale: list[int] = []
    recompute.register("test.kind", ran.append, lambda: list(stale))
    yield ran, stale
    recompute._kinds.pop("test.kind", None)
    recompute._dirty.pop("test.kind", None)


def test_at_once_when_the_interval_is_zero(app, kind):
    ran, _ = kind
    app.config["RECOMPUTE_MS"] = 0
    recompute.mark("test.kind", 7)
    assert ran == [7]


def test_never_by_itself_below_zero(app, kind):
    ran, _ = kind
    app.config["RECOMPUTE_MS"] = -1
    recompute.mark("test.kind", 7)
    recompute.run_pending()
    assert ran == []


def test_many_marks_make_one_run_per_key(app, kind, monkeypatch):
    ran, _ = kind
    app.config["RECOMPUTE_MS"] = 60_000
    monkeypatch.setattr(recompute, "ensure_running", lambda app: None)  # the loop itself is not under test
    for _ in range(1000):
        recompute.mark("test.kind", 3)
    recompute.mark("test.kind", 1)
    recompute.run_pending()
    assert ran == [1, 3]
    recompute.run_pending()
    assert ran == [1, 3]  # nothing marked since


def test_the_sweep_marks_what_the_database_says_is_behind(app, kind, monkeypatch):
    ran, stale = kind
    stale.extend([5, 9])
    recompute.sweep()
    recompute.run_pending()
    assert ran == [5, 9]


def test_a_failing_job_does_not_stop_the_others(app, monkeypatch):
    ran: list[int] = []

    def job(key: int) -> None:
        if key == 1:
            raise RuntimeError("broken")
        ran.append(key)

    recompute.register("test.failing", job, list)
    try:
        app.config["RECOMPUTE_MS"] = 60_000
        monkeypatch.setattr(recompute, "ensure_running", lambda app: None)
        recompute.mark("test.failing", 1)
        recompute.mark("test.failing", 2)
        recompute.run_pending()
        assert ran == [2]
    finally:
        recompute._kinds.pop("test.failing", None)
