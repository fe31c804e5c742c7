"""The bridging model behind the "broad support" order (debate/services/live/bridging.py), on its own.

The issue's scenario: a 60 % bloc upvotes only its own five questions, a 40 % bloc only its own five,
and question X is upvoted by 40 % of each bloc. X has fewer votes than any of the big bloc's questions,
and comes first by broad support.
"""

from __future__ import annotations

import random

import numpy as np
from scipy.stats import kendalltau

from debate.services.live import bridging
from debate.services.live.bridging import MIN_QUESTION_VOTES, MIN_VOTER_VOTES, MIN_VOTERS

BLOC_A = tuple(range(1, 61))
BLOC_B = tuple(range(101, 141))
QUESTIONS_A = (1, 2, 3, 4, 5)
QUESTIONS_B = (6, 7, 8, 9, 10)
X = 11
ALL = (*QUESTIONS_A, *QUESTIONS_B, X)


def _split_room() -> list[tuple[int, int]]:
    upvotes = [(v, q) for v in BLOC_A for q in QUESTIONS_A] + [(v, q) for v in BLOC_B for q in QUESTIONS_B]
    return upvotes + [(v, X) for v in BLOC_A[:24] + BLOC_B[:16]]  # 40 % of each bloc


def _seen(voters, questions=ALL) -> dict[int, tuple[int, ...]]:
    return {v: tuple(questions) for v in voters}


def _by_votes(upvotes) -> list[int]:
    counts: dict[int, int] = {}
    for _, question in upvotes:
        counts[question] = counts.get(question, 0) + 1
    return sorted(counts, key=lambda q: (-counts[q], q))


def test_broad_support_puts_x_first_and_most_votes_does_not():
    upvotes = _split_room()
    result = bridging.scores(upvotes, _seen(BLOC_A + BLOC_B))
    assert result.fallback is False and result.voters == 100 and result.questions == 11
    assert result.order()[0] == X
    assert _by_votes(upvotes)[0] != X and _by_votes(upvotes).index(X) >= len(QUESTIONS_A)  # behind bloc A's
    assert sorted(result.order()) == list(ALL)


def test_x_stays_first_in_a_noisy_room():
    """Voters miss one in ten of their bloc's questions and now and then upvote the other bloc's."""
    rng = random.Random(11)
    upvotes = []
    for voter in BLOC_A + BLOC_B:
        own, other = (QUESTIONS_A, QUESTIONS_B) if voter in BLOC_A else (QUESTIONS_B, QUESTIONS_A)
        upvotes += [(voter, q) for q in own if rng.random() < 0.9]
        upvotes += [(voter, q) for q in other if rng.random() < 0.05]
        upvotes += [(voter, X)] if rng.random() < 0.4 else []
    result = bridging.scores(upvotes, _seen(BLOC_A + BLOC_B))
    assert result.fallback is False and result.order()[0] == X
    assert _by_votes(upvotes)[0] != X


def test_without_the_implicit_feedback_weighting_the_big_blocs_question_wins():
    """What the module's docstring claims: weight 1 on "seen, not upvoted" and bloc A's questions win."""
    voters = BLOC_A + BLOC_B
    ratings = np.zeros((len(voters), len(ALL)))
    for voter, question in _split_room():
        ratings[voters.index(voter), ALL.index(question)] = 1.0
    plain = bridging.fit(ratings, np.ones_like(ratings))
    weighted = bridging.fit(ratings, np.where(ratings == 1.0, 1.0, bridging.UNVOTED_WEIGHT))
    assert ALL[int(np.argmax(plain))] in QUESTIONS_A
    assert ALL[int(np.argmax(weighted))] == X


def test_a_homogeneous_room_keeps_close_to_the_vote_order():
    rng = np.random.default_rng(0)
    popularity = np.linspace(0.9, 0.2, 12)
    voters = range(1, 61)
    upvotes = [(v, q + 1) for v in voters for q in range(12) if rng.random() < popularity[q]]
    result = bridging.scores(upvotes, _seen(voters, range(1, 13)))
    by_votes = _by_votes(upvotes)
    order = result.order()
    assert result.fallback is False and sorted(order) == sorted(by_votes)
    tau = kendalltau([order.index(q) for q in by_votes], range(len(by_votes))).statistic
    assert tau >= 0.8, (order, by_votes)
    assert set(order[:3]) == set(by_votes[:3])


def _room(voters: int, per_voter: int = MIN_VOTER_VOTES, questions: int = 6) -> list[tuple[int, int]]:
    """`voters` voters, each upvoting `per_voter` of `questions` questions in turn."""
    return [(v, (v + i) % questions + 1) for v in range(1, voters + 1) for i in range(per_voter)]


def test_fewer_than_min_voters_falls_back_to_votes():
    assert MIN_VOTERS == 10 and MIN_VOTER_VOTES == 5 and MIN_QUESTION_VOTES == 5
    short = bridging.scores(_room(MIN_VOTERS - 1), _seen(range(1, MIN_VOTERS), range(1, 7)))
    assert short.fallback is True and short.voters == MIN_VOTERS - 1 and short.order() == []
    enough = bridging.scores(_room(MIN_VOTERS), _seen(range(1, MIN_VOTERS + 1), range(1, 7)))
    assert enough.fallback is False and enough.voters == MIN_VOTERS and len(enough.order()) == 6


def test_voters_with_fewer_than_min_votes_are_left_out():
    light = [(v + 1000, q) for v, q in _room(40, per_voter=MIN_VOTER_VOTES - 1)]
    alone = bridging.scores(light, {})
    assert alone.fallback is True and alone.voters == 0
    assert bridging.scores(_room(MIN_VOTERS) + light, {}).voters == MIN_VOTERS


def test_questions_below_min_votes_get_no_score():
    upvotes = _room(12, questions=6) + [(v, 50) for v in range(1, MIN_QUESTION_VOTES)]  # 4 votes on 50
    result = bridging.scores(upvotes, _seen(range(1, 13), (*range(1, 7), 50)))
    assert 50 not in result.scores and result.questions == 6
    light = [(v, 50) for v in range(1001, 1041)]  # 40 voters with one upvote each: they do not count
    assert 50 not in bridging.scores(upvotes + light, {}).scores
    upvotes += [(MIN_QUESTION_VOTES, 50)]
    assert 50 in bridging.scores(upvotes, _seen(range(1, 13), (*range(1, 7), 50))).scores


def test_fewer_than_two_scored_questions_falls_back():
    upvotes = [(v, 1) for v in range(1, 13)] + [(v, 100 + v * 10 + i) for v in range(1, 13) for i in range(4)]
    result = bridging.scores(upvotes, {})
    assert result.voters == 12 and result.questions == 1 and result.fallback is True and result.order() == []


def test_no_votes_falls_back():
    assert bridging.scores([], {}) == bridging.Bridging()


def test_the_same_votes_in_any_order_give_the_same_scores():
    upvotes = _split_room()
    first = bridging.scores(upvotes, _seen(BLOC_A + BLOC_B))
    shuffled = list(upvotes)
    random.Random(5).shuffle(shuffled)
    seen = {v: tuple(reversed(ALL)) for v in reversed(BLOC_A + BLOC_B)}
    again = bridging.scores(shuffled, seen)
    assert again == first and again.order() == first.order()
