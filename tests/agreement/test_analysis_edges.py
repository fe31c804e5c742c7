"""Thresholds, the public schema and input edge cases of the analysis."""

from __future__ import annotations

import json

import numpy as np
import pytest

from debate.services.agreement.analysis import MIN_PARTICIPANTS, MIN_VOTES, KState, Votes, analyse

KEYS = {
    "enough", "participants", "clustered", "statements", "votes", "k", "silhouette", "groups",
    "statement_results", "consensus_order", "most_agreed", "representative", "params",
}  # fmt: skip
PARAMS = {
    "min_votes", "min_participants", "k_min", "k_max", "k_wins", "pca_components", "smoothing",
    "z_threshold", "representative_max", "seed",
}  # fmt: skip


def _two_camps(per_camp: int, statements: int = 8) -> list[tuple[int, int, int]]:
    """Two camps that vote exactly opposite on every statement."""
    rows = []
    for voter in range(1, 2 * per_camp + 1):
        choice = 1 if voter <= per_camp else -1
        rows += [(voter, s, choice) for s in range(1, statements + 1)]
    return rows


def _not_enough(result, *, participants, clustered, statements, votes):
    public = result.public
    assert set(public) == KEYS and set(public["params"]) == PARAMS
    assert public["enough"] is False and result.placements == {}
    assert public["k"] is None and public["silhouette"] is None
    assert public["groups"] == [] and public["consensus_order"] == [] and public["representative"] == {}
    assert (public["participants"], public["clustered"], public["statements"], public["votes"]) == (
        participants,
        clustered,
        statements,
        votes,
    )
    assert all(r["consensus"] is None and r["groups"] == [] for r in public["statement_results"])
    json.dumps(public)


def test_the_public_schema_has_every_key_and_is_json():
    result = analyse(Votes.from_rows(_two_camps(6)), KState(), seed=1)
    public = result.public
    assert set(public) == KEYS and set(public["params"]) == PARAMS and public["params"]["seed"] == 1
    assert public["enough"] is True and public["k"] == 2
    assert set(public["statement_results"][0]) == {
        "statement_id", "agree", "disagree", "pass", "votes", "raw_agree", "consensus", "groups",
    }  # fmt: skip
    assert set(public["statement_results"][0]["groups"][0]) == {"agree", "disagree", "pass", "votes", "p_agree"}
    assert json.loads(json.dumps(public)) == public


def test_identical_voters_within_two_camps_make_two_groups():
    result = analyse(Votes.from_rows(_two_camps(6)), KState(), seed=1)
    assert [g["size"] for g in result.public["groups"]] == [6, 6]
    assert result.public["silhouette"] == 1.0
    assert {p.group for v, p in result.placements.items() if v <= 6} != {
        p.group for v, p in result.placements.items() if v > 6
    }


def test_below_min_participants_there_are_no_groups():
    assert MIN_PARTICIPANTS == 10 and MIN_VOTES == 7
    rows = [r for r in _two_camps(5) if r[0] <= 9]  # nine residents with 8 votes each
    rows += [(20, s, 1) for s in range(1, MIN_VOTES)]  # a tenth with 6 votes: not placed
    result = analyse(Votes.from_rows(rows), KState(k=2), seed=1)
    _not_enough(result, participants=10, clustered=9, statements=8, votes=9 * 8 + 6)
    assert result.k_state == KState(k=2)  # nothing computed: the memory is kept
    assert result.public["most_agreed"][0] in range(1, 9)


def test_exactly_min_participants_is_enough():
    rows = _two_camps(5)
    assert analyse(Votes.from_rows(rows), KState(), seed=1).public["enough"] is True


def test_no_votes_at_all():
    _not_enough(analyse(Votes.from_rows([]), KState(), seed=1), participants=0, clustered=0, statements=0, votes=0)


def test_statements_nobody_voted_on_have_results_but_no_rank():
    result = analyse(Votes.from_rows([], statements=[4, 2]), KState(), seed=1)
    _not_enough(result, participants=0, clustered=0, statements=2, votes=0)
    assert [r["statement_id"] for r in result.public["statement_results"]] == [2, 4]
    assert result.public["most_agreed"] == []
    assert result.public["statement_results"][0]["raw_agree"] == 0.0


def test_an_unvoted_statement_is_neutral_and_in_neither_list():
    result = analyse(Votes.from_rows(_two_camps(6), statements=[99]), KState(), seed=1)
    unvoted = result.public["statement_results"][-1]
    assert unvoted["statement_id"] == 99 and unvoted["votes"] == 0 and unvoted["consensus"] == 0.25
    assert 99 not in result.public["consensus_order"] and 99 not in result.public["most_agreed"]
    assert sorted(result.public["consensus_order"]) == sorted(result.public["most_agreed"]) == list(range(1, 9))


def test_one_statement():
    rows = [(v, 1, 1) for v in range(1, 21)]
    result = analyse(Votes.from_rows(rows), KState(), seed=1)
    _not_enough(result, participants=20, clustered=0, statements=1, votes=20)
    assert result.public["statement_results"][0]["raw_agree"] == 1.0


def test_all_passes():
    rows = [(v, s, 0) for v in range(1, 21) for s in range(1, 11)]
    result = analyse(Votes.from_rows(rows), KState(), seed=1)
    _not_enough(result, participants=20, clustered=20, statements=10, votes=200)
    assert all(r["pass"] == 20 and r["raw_agree"] == 0 for r in result.public["statement_results"])


def test_all_identical_voters():
    rows = [(v, s, 1 if s % 2 else -1) for v in range(1, 21) for s in range(1, 11)]
    _not_enough(
        analyse(Votes.from_rows(rows), KState(), seed=1), participants=20, clustered=20, statements=10, votes=200
    )


def test_most_agreed_ties_go_to_more_agrees_then_the_lower_id():
    rows = [(v, 3, 1) for v in range(1, 5)] + [(v, 2, 1) for v in range(1, 3)] + [(v, 1, 1) for v in range(1, 3)]
    rows += [(v, 1, -1) for v in range(3, 5)]
    assert analyse(Votes.from_rows(rows), KState(), seed=1).public["most_agreed"] == [3, 2, 1]


@pytest.mark.parametrize("choice", [2, -2, 5])
def test_a_choice_outside_agree_disagree_pass_is_refused(choice):
    with pytest.raises(ValueError, match="choice"):
        Votes.from_rows([(1, 1, choice)])


def test_a_matrix_of_the_wrong_shape_or_values_is_refused():
    with pytest.raises(ValueError, match="row per voter"):
        Votes(voters=(1, 2), statements=(1,), values=np.zeros((1, 1)))
    with pytest.raises(ValueError, match="agree"):
        Votes(voters=(1,), statements=(1,), values=np.array([[0.5]]))


def test_a_repeated_vote_counts_once_the_last_one():
    votes = Votes.from_rows([(1, 1, 1), (1, 1, -1)])
    assert votes.values.tolist() == [[-1.0]]
