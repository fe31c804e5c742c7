"""The bridging score behind the room's "broad support" order: support from voters who usually disagree.

The model is Community Notes' (X): every (voter, question) pair is predicted as

    r ≈ μ + b_voter + b_question + f_voter · f_question

with one factor dimension, the voters' "viewpoint". Whatever support a question draws from one side of
that axis only is explained by its factor; what is left, its intercept `b_question`, is support that
holds across the axis, and that is the score. As in Community Notes the intercepts are regularised
harder than the factors (λ_intercept = 0.15, λ_factor = 0.03, on the mean squared error), so support
is put down to viewpoint whenever it can be.

An upvote is the only signal a live room gives (nobody votes a question down), so the matrix is
implicit feedback: a question the voter upvoted counts 1 at full weight, a question that was on the
list while they were voting and that they left counts 0 at weight UNVOTED_WEIGHT (Hu, Koren and
Volinsky, "Collaborative Filtering for Implicit Feedback Datasets", 2008). Without that weighting the
intercept of a question loved by a 60 % bloc and ignored by the rest beats one chosen by 40 % of both
blocs (tests/live/test_bridging_model.py shows both).

Fitted by alternating least squares (each step a closed-form 2×2 ridge solve per voter and per
question), from a seeded start: the same votes give the same order. Published thresholds: only voters
with at least MIN_VOTER_VOTES votes are in the model, only questions with at least MIN_QUESTION_VOTES
votes from them get a score, and with fewer than MIN_VOTERS such voters or fewer than two scored
questions there is no score at all and the room falls back to votes (and says so).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

MIN_VOTER_VOTES = 5  # a voter counts in the model from this many upvotes in the session
MIN_QUESTION_VOTES = 5  # a question is scored from this many upvotes by counted voters
MIN_VOTERS = 10  # fewer counted voters than this: no bridging order, the room uses votes
UNVOTED_WEIGHT = 0.1  # the weight of "saw it, did not upvote it" beside an upvote's 1
LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03
ITERATIONS = 40
SEED = 2026


@dataclass(frozen=True)
class Bridging:
    """The model's answer for one room: scores for the questions that met the thresholds, or a fallback."""

    scores: Mapping[int, float] = field(default_factory=dict)  # question id -> intercept (higher first)
    voters: int = 0  # voters counted in the model
    questions: int = 0  # questions scored
    fallback: bool = True  # True: too few votes; order by votes

    def order(self) -> list[int]:
        """Scored question ids, best bridging score first; ties to the older (lower id) question."""
        return sorted(self.scores, key=lambda qid: (-self.scores[qid], qid))


def scores(upvotes: Iterable[tuple[int, int]], seen: Mapping[int, Iterable[int]]) -> Bridging:
    """Bridging scores from the room's upvotes.

    `upvotes`: (voter id, question id) pairs. `seen`: for each voter, the questions that were open to
    vote while they voted (their upvoted ones included); a question outside it is missing, not a 0.
    """
    by_voter: dict[int, set[int]] = {}
    for voter, question in upvotes:
        by_voter.setdefault(voter, set()).add(question)
    voters = sorted(v for v, qs in by_voter.items() if len(qs) >= MIN_VOTER_VOTES)
    if len(voters) < MIN_VOTERS:
        return Bridging(voters=len(voters))
    counts: dict[int, int] = {}
    for voter in voters:
        for question in by_voter[voter]:
            counts[question] = counts.get(question, 0) + 1
    questions = sorted(q for q, n in counts.items() if n >= MIN_QUESTION_VOTES)
    if len(questions) < 2:
        return Bridging(voters=len(voters), questions=len(questions))
    ratings, weights = _matrix(voters, questions, by_voter, seen)
    intercepts = fit(ratings, weights)
    return Bridging(
        # Rounded so that questions with the same votes tie exactly (the fit leaves them apart by float noise)
        # and the tie goes to the older question, as in every order of the room.
        scores={q: round(float(s), 9) for q, s in zip(questions, intercepts, strict=True)},
        voters=len(voters),
        questions=len(questions),
        fallback=False,
    )


def _matrix(
    voters: list[int], questions: list[int], by_voter: Mapping[int, set[int]], seen: Mapping[int, Iterable[int]]
) -> tuple[np.ndarray, np.ndarray]:
    column = {q: i for i, q in enumerate(questions)}
    ratings = np.zeros((len(voters), len(questions)))
    weights = np.zeros_like(ratings)
    for row, voter in enumerate(voters):
        for question in seen.get(voter, ()):
            if question in column:
                weights[row, column[question]] = UNVOTED_WEIGHT
        for question in by_voter[voter]:
            if question in column:
                ratings[row, column[question]] = 1.0
                weights[row, column[question]] = 1.0
    return ratings, weights


def fit(ratings: np.ndarray, weights: np.ndarray, iterations: int = ITERATIONS, seed: int = SEED) -> np.ndarray:
    """The question intercepts of the weighted model (see the module's docstring); ALS from a seeded start.

    The loss is the weighted mean squared error plus λ times the sum of squares of each term, so the
    regularisation keeps its strength whatever the room's size, as in Community Notes.
    """
    rng = np.random.default_rng(seed)
    n_voters, n_questions = ratings.shape
    scale = float(weights.sum()) or 1.0
    lam_i, lam_f = LAMBDA_INTERCEPT * scale / n_voters, LAMBDA_FACTOR * scale / n_voters
    lam_qi, lam_qf = LAMBDA_INTERCEPT * scale / n_questions, LAMBDA_FACTOR * scale / n_questions
    f_voter = np.asarray(rng.normal(0, 0.1, size=(n_voters,)))
    f_question = np.asarray(rng.normal(0, 0.1, size=(n_questions,)))
    b_voter = np.zeros(n_voters)
    b_question = np.zeros(n_questions)
    mu = 0.0
    for _ in range(iterations):
        residual = ratings - b_voter[:, None] - b_question[None, :] - np.outer(f_voter, f_question)
        mu = float((residual * weights).sum() / scale)
        b_voter, f_voter = _ridge2(ratings - mu - b_question[None, :], weights, f_question, lam_i, lam_f)
        b_question, f_question = _ridge2((ratings - mu - b_voter[:, None]).T, weights.T, f_voter, lam_qi, lam_qf)
    return b_question


def _ridge2(
    target: np.ndarray, weights: np.ndarray, other: np.ndarray, lam_b: float, lam_f: float
) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the (intercept, factor) minimising Σ w (t - b - f·other)² + lam_b b² + lam_f f²."""
    a11 = weights.sum(axis=1) + lam_b
    a12 = weights @ other
    a22 = weights @ (other**2) + lam_f
    weighted = target * weights
    r1 = weighted.sum(axis=1)
    r2 = weighted @ other
    det = a11 * a22 - a12 * a12
    return (a22 * r1 - a12 * r2) / det, (a11 * r2 - a12 * r1) / det
