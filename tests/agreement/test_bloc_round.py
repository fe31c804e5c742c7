"""The issue's 70/30 round at the analysis level: consensus is not the biggest bloc's favourite."""

from __future__ import annotations

import json
import random

import pytest

from debate.services.agreement.analysis import MIN_VOTES, KState, Votes, analyse
from tests.agreement.rounds import BLOC_A, BLOC_B, FEW, C, P, bloc_round

SEED = 7


@pytest.fixture(scope="module")
def scenario():
    plan = bloc_round()
    votes = Votes.from_rows(plan.rows)
    return plan, votes, analyse(votes, KState(), SEED)


def _votes_of(rows, voter):
    return sum(1 for v, _, _ in rows if v == voter)


def test_the_round_is_what_the_issue_describes(scenario):
    plan, votes, _ = scenario
    assert all(_votes_of(plan.rows, v) >= MIN_VOTES for v in BLOC_A + BLOC_B)
    assert all(_votes_of(plan.rows, v) < MIN_VOTES for v in FEW)
    choices = {(v, s): c for v, s, c in plan.rows}
    assert sum(choices[(v, C)] == 1 for v in BLOC_A) == 42 and sum(choices[(v, C)] == 1 for v in BLOC_B) == 18
    assert all(choices[(v, P)] == 1 for v in BLOC_A) and all(choices[(v, P)] == -1 for v in BLOC_B)
    # realistic noise: some residents disagree with their own bloc, pass, or skip a statement
    assert {c for (v, s), c in choices.items() if s not in (P, C)} == {-1, 0, 1}
    assert len(votes.voters) == 103


def test_where_we_agree_ranks_c_above_p_while_most_agreed_ranks_p_first(scenario):
    _, _, result = scenario
    public = result.public
    assert public["enough"] is True
    assert public["consensus_order"][0] == C
    assert public["consensus_order"].index(C) < public["consensus_order"].index(P)
    assert public["most_agreed"][0] == P
    by_id = {r["statement_id"]: r for r in public["statement_results"]}
    assert by_id[P]["raw_agree"] > by_id[C]["raw_agree"]
    assert by_id[C]["consensus"] > by_id[P]["consensus"]


def test_exactly_two_groups_named_by_size(scenario):
    _, _, result = scenario
    public = result.public
    assert public["k"] == 2 and result.k_state.k == 2
    assert [(g["label"], g["size"]) for g in public["groups"]] == [("A", 70), ("B", 30)]
    assert public["participants"] == 103 and public["clustered"] == 100
    assert 0 < public["silhouette"] <= 1


def test_every_voter_with_enough_votes_is_placed_in_their_blocs_group(scenario):
    plan, _, result = scenario
    assert set(result.placements) == set(BLOC_A) | set(BLOC_B)
    for voter, placement in result.placements.items():
        assert placement.group == (0 if plan.bloc[voter] == "A" else 1), voter
    assert not set(FEW) & set(result.placements)


def test_fewer_votes_count_as_participants_and_in_the_raw_counts(scenario):
    plan, _, result = scenario
    by_id = {r["statement_id"]: r for r in result.public["statement_results"]}
    statement = 3
    everyone = sum(1 for _, s, _ in plan.rows if s == statement)
    grouped = sum(g["votes"] for g in by_id[statement]["groups"])
    assert by_id[statement]["votes"] == everyone == grouped + len(FEW)


def test_group_counts_and_smoothing(scenario):
    _, _, result = scenario
    by_id = {r["statement_id"]: r for r in result.public["statement_results"]}
    group_a, group_b = by_id[P]["groups"]
    assert (group_a["agree"], group_a["votes"], group_b["agree"], group_b["votes"]) == (70, 70, 0, 30)
    assert group_a["p_agree"] == round(71 / 72, 4) and group_b["p_agree"] == round(1 / 32, 4)
    assert by_id[P]["consensus"] == round(71 / 72 / 32, 4)
    assert by_id[C]["consensus"] == round(43 / 72 * 19 / 32, 4)


def test_p_is_representative_of_a_and_c_of_nobody(scenario):
    _, _, result = scenario
    representative = result.public["representative"]
    assert set(representative) == {"A", "B"}
    first_a = representative["A"][0]
    assert (first_a["statement_id"], first_a["direction"]) == (P, "agree")
    assert first_a["z"] >= 1.645 and first_a["p_group"] > 0.5 > first_a["p_rest"]
    assert (P, "disagree") in {(r["statement_id"], r["direction"]) for r in representative["B"]}
    for rows in representative.values():
        assert 0 < len(rows) <= 5
        assert C not in {r["statement_id"] for r in rows}
        assert [r["z"] for r in rows] == sorted((r["z"] for r in rows), reverse=True)
        assert all(r["z"] >= 1.645 and r["p_group"] > 0.5 for r in rows)


def test_identical_output_for_a_fixed_seed_whatever_the_order_of_the_votes(scenario):
    plan, _, result = scenario
    shuffled = list(plan.rows)
    random.Random(3).shuffle(shuffled)
    again = analyse(Votes.from_rows(shuffled), KState(), SEED)
    assert json.dumps(again.public, sort_keys=True) == json.dumps(result.public, sort_keys=True)
    assert again.placements == result.placements and again.k_state == result.k_state


def test_the_public_result_names_nobody(scenario):
    _, _, result = scenario
    text = json.dumps(result.public)
    for voter in BLOC_A + BLOC_B + FEW:
        assert str(voter) not in text
