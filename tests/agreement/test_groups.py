"""The k-smoother and the singleton rule."""

from __future__ import annotations

import numpy as np
import pytest

from debate.services.agreement import groups
from debate.services.agreement.analysis import KState, Votes, analyse
from debate.services.agreement.groups import K_WINS, Grouping
from tests.agreement.rounds import bloc_round


def _found(*ks: int, best: int) -> dict[int, Grouping]:
    """Valid groupings for `ks`, `best` with the highest silhouette."""
    return {k: Grouping(k=k, labels=np.zeros(0, dtype=np.intp), silhouette=0.9 if k == best else 0.5) for k in ks}


def test_the_first_run_adopts_the_best_k():
    assert groups.smooth(KState(), _found(2, 3, 4, best=3)) == KState(k=3)


def test_a_new_k_is_adopted_after_winning_four_recomputations_in_a_row():
    state = KState(k=2)
    for wins in range(1, K_WINS):
        state = groups.smooth(state, _found(2, 3, best=3))
        assert state == KState(k=2, candidate=3, streak=wins)
    assert groups.smooth(state, _found(2, 3, best=3)) == KState(k=3)
    assert K_WINS == 4


def test_a_streak_broken_by_the_shown_k_starts_again():
    state = KState(k=2)
    for _ in range(K_WINS - 1):
        state = groups.smooth(state, _found(2, 3, best=3))
    state = groups.smooth(state, _found(2, 3, best=2))
    assert state == KState(k=2)
    for _ in range(K_WINS - 1):
        state = groups.smooth(state, _found(2, 3, best=3))
    assert state.k == 2 and state.streak == K_WINS - 1


def test_a_streak_broken_by_another_challenger_starts_that_ones_at_one():
    state = KState(k=2, candidate=3, streak=K_WINS - 1)
    assert groups.smooth(state, _found(2, 3, 4, best=4)) == KState(k=2, candidate=4, streak=1)


def test_when_the_shown_k_is_no_longer_valid_the_best_is_adopted_at_once():
    state = KState(k=4, candidate=3, streak=2)
    assert groups.smooth(state, _found(2, 3, best=2)) == KState(k=2)


def test_with_no_valid_grouping_the_memory_is_kept():
    state = KState(k=3, candidate=2, streak=2)
    assert groups.smooth(state, {}) == state


def test_ties_in_silhouette_go_to_fewer_groups():
    found = {k: Grouping(k=k, labels=np.zeros(0, dtype=np.intp), silhouette=0.7) for k in (2, 3)}
    assert groups.best(found) == 2


def test_the_smoother_holds_through_analyse():
    """A round whose best k is 2, with a stored k of 3 still valid: 3 stays until 2 has won four times."""
    votes = Votes.from_rows(bloc_round().rows)
    state = KState(k=3)
    shown = []
    for _ in range(K_WINS):
        result = analyse(votes, state, seed=7)
        state = result.k_state
        shown.append((result.public["k"], len(result.public["groups"])))
    assert shown == [(3, 3), (3, 3), (3, 3), (2, 2)]
    assert state == KState(k=2)


@pytest.mark.parametrize(("data", "expected"), [(None, KState()), ({}, KState()), ("x", KState())])
def test_state_from_nothing_starts_afresh(data, expected):
    assert KState.from_json(data) == expected


def test_state_round_trips_and_rejects_malformed_values():
    state = KState(k=3, candidate=2, streak=3)
    assert KState.from_json(state.to_json()) == state
    for bad in ({"k": 9}, {"k": "2"}, {"k": 2, "streak": -1}, {"k": 2, "candidate": 1}, {"k": True}):
        assert KState.from_json(bad) == KState()


def _two_blobs_and_an_outlier() -> np.ndarray:
    rng = np.random.default_rng(1)
    left = rng.normal((0, 0), 0.1, size=(10, 2))
    right = rng.normal((5, 0), 0.1, size=(10, 2))
    return np.vstack([left, right, [[40.0, 40.0]]])


def test_a_grouping_with_a_group_of_one_is_rejected():
    points = _two_blobs_and_an_outlier()
    for k in range(groups.K_MIN, groups.K_MAX + 1):
        assert groups.cluster(points, k, seed=1) is None, k  # the outlier is always alone
    assert groups.candidates(points, seed=1) == {}


def test_without_the_outlier_the_same_points_group():
    points = _two_blobs_and_an_outlier()[:-1]
    found = groups.candidates(points, seed=1)
    assert groups.best(found) == 2
    assert sorted(np.bincount(found[2].labels)) == [10, 10]
    assert all(min(np.bincount(g.labels)) >= 2 for g in found.values())


def test_one_odd_voter_out_of_twelve_gives_no_groups():
    """Eleven residents who vote alike and one who votes the opposite: the only split is a group of one."""
    rows = [(v, s, 1) for v in range(1, 12) for s in range(1, 9)] + [(12, s, -1) for s in range(1, 9)]
    result = analyse(Votes.from_rows(rows), KState(), seed=1)
    assert result.public["enough"] is False and result.placements == {}
    assert result.public["clustered"] == 12


def test_groups_are_named_largest_first_then_by_position():
    points = np.array([[5.0, 0], [5.1, 0], [0, 0], [0.1, 0], [0.2, 0], [9, 9], [9.1, 9]])
    labels = groups.ordered(points, np.array([0, 0, 1, 1, 1, 2, 2]), 3)
    assert labels.tolist() == [1, 1, 0, 0, 0, 2, 2]
    assert [groups.label(i) for i in range(3)] == ["A", "B", "C"]


def test_a_very_large_round_estimates_the_silhouette_on_a_seeded_sample(monkeypatch):
    rng = np.random.default_rng(2)
    points = np.vstack([rng.normal((0, 0), 1, size=(60, 2)), rng.normal((6, 0), 1, size=(60, 2))])
    labels = (points[:, 0] > 3).astype(np.intp)
    exact = groups.silhouette(points, labels, seed=1)
    monkeypatch.setattr(groups, "SILHOUETTE_SAMPLE", 50)
    sampled = groups.silhouette(points, labels, seed=1)
    assert sampled != exact and abs(sampled - exact) < 0.1
    assert groups.silhouette(points, labels, seed=1) == sampled
