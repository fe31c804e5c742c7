"""The arithmetic of consensus and representative statements, on hand-made counts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from debate.services.agreement import consensus, representative
from debate.services.agreement.consensus import Tally


def _tally(agree, disagree, passes=None) -> Tally:
    agree, disagree = np.array(agree), np.array(disagree)
    return Tally(agree, disagree, np.zeros_like(agree) if passes is None else np.array(passes))


def test_smoothing_counts_passes_as_votes():
    group = _tally([3], [1], [2])
    assert group.votes.tolist() == [6]
    assert consensus.smoothed(group.agree, group.votes)[0] == pytest.approx(4 / 8)


def test_consensus_is_the_product_over_groups():
    a, b = _tally([70, 42], [0, 28]), _tally([0, 18], [30, 12])
    assert consensus.group_consensus([a, b]).tolist() == pytest.approx([71 / 72 * 1 / 32, 43 / 72 * 19 / 32])


def test_raw_share_is_zero_without_votes():
    assert consensus.raw_share(np.array([0, 3]), np.array([0, 4])).tolist() == [0.0, 0.75]


def test_order_breaks_ties_by_agrees_then_id_and_leaves_out_the_unvoted():
    scores = np.array([0.5, 0.5, 0.5, 0.9])
    agrees = np.array([1, 2, 1, 0])
    votes = np.array([2, 4, 2, 0])
    assert consensus.order(scores, agrees, votes, [30, 20, 10, 40]) == [20, 10, 30]


def test_the_z_test_by_hand():
    p_in, p_out, z = representative.z_test(np.array([70]), np.array([70]), np.array([0]), np.array([30]))
    pooled = 72 / 104
    expected = (71 / 72 - 1 / 32) / math.sqrt(pooled * (1 - pooled) * (1 / 72 + 1 / 32))
    assert (p_in[0], p_out[0], z[0]) == pytest.approx((71 / 72, 1 / 32, expected))
    assert z[0] == pytest.approx(9.7377, abs=1e-4)


def test_a_difference_without_a_majority_is_not_representative():
    """40 % of the group against 5 % of the rest: significant, but the group mostly does not agree."""
    group, rest = _tally([40], [60]), _tally([5], [95])
    _, _, z = representative.z_test(group.agree, group.votes, rest.agree, rest.votes)
    assert z[0] > representative.Z_THRESHOLD
    assert representative.representative(group, rest, [1]) == []


def test_a_majority_without_a_significant_difference_is_not_representative():
    group, rest = _tally([6], [4]), _tally([50], [50])
    assert representative.representative(group, rest, [1]) == []


def test_disagreement_can_be_representative_and_the_strongest_five_come_first():
    n = 8
    group = _tally([0] * n, [30 - i for i in range(n)], [i for i in range(n)])  # more passes, weaker
    rest = _tally([30] * n, [0] * n)
    found = representative.representative(group, rest, list(range(100, 100 + n)))
    assert [r.statement_id for r in found] == [100, 101, 102, 103, 104]
    assert all(r.direction == "disagree" and r.z >= representative.Z_THRESHOLD for r in found)
    assert [r.z for r in found] == sorted((r.z for r in found), reverse=True)
