"""Opinion groups and group-aware consensus from a round's votes: the Pol.is method, pure and seeded.

1. The participant × statement matrix (1 agree, -1 disagree, 0 pass, missing where not voted).
2. Only participants with at least MIN_VOTES votes (passes count) are placed and grouped; everyone
   counts in the participation figures and the raw counts. With fewer than MIN_PARTICIPANTS such
   participants the answer is "not enough votes yet", never a guess.
3. A missing vote is filled with the statement's mean vote (among the placed participants), the matrix
   is reduced to two dimensions by PCA (scikit-learn, randomised SVD from `seed`), and each
   participant's point is scaled by sqrt(statements / their votes), as Pol.is does, so that someone
   who voted on few statements is not pulled into the middle by the filled-in means.
4. Groups: `groups` (k-means for 2 to 5 groups, best silhouette, no group of one, a k-smoother).
5. Consensus and the "most agreed" list: `consensus`. Each group's representative statements:
   `representative`.

The same votes, previous k-state and seed give the same result, group names included. This module
does no I/O: the caller loads the votes, runs `analyse` through `offload.run`, and stores the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.decomposition import PCA

from debate.services.agreement import consensus, groups, representative
from debate.services.agreement.consensus import Tally
from debate.services.agreement.groups import KState

__all__ = ["MIN_PARTICIPANTS", "MIN_VOTES", "Analysis", "KState", "Placement", "Votes", "analyse", "params"]

MIN_VOTES = 7  # votes (passes included) before a participant is placed and grouped
MIN_PARTICIPANTS = 10  # placed participants before any groups are shown
PCA_COMPONENTS = 2
DECIMALS = 4  # public figures are rounded to this; orders are decided on the exact values
CHOICES = (-1, 0, 1)


@dataclass(frozen=True)
class Votes:
    """The vote matrix: rows are voters (user ids), columns statements (ids); nan where not voted."""

    voters: tuple[int, ...]
    statements: tuple[int, ...]
    values: np.ndarray

    def __post_init__(self) -> None:
        if self.values.shape != (len(self.voters), len(self.statements)):
            raise ValueError("values must have one row per voter and one column per statement")
        cells = self.values[~np.isnan(self.values)]
        if not np.isin(cells, CHOICES).all():
            raise ValueError("a vote is 1 (agree), -1 (disagree), 0 (pass) or nan (not voted)")

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, int, int]], statements: Iterable[int] = ()) -> Votes:
        """From (voter, statement, choice) rows; `statements` adds columns nobody has voted on yet.

        Rows and columns are sorted by id, so the same votes in any order give the same matrix.
        """
        voter_ids, statement_ids, choices = np.array(list(rows), dtype=np.int64).reshape(-1, 3).T.copy()
        if not np.isin(choices, CHOICES).all():
            raise ValueError("choice must be -1, 0 or 1")
        voters, row_of = np.unique(voter_ids, return_inverse=True)
        extra = np.fromiter(statements, np.int64)
        columns, column_of = np.unique(np.concatenate([statement_ids, extra]), return_inverse=True)
        column_of = column_of[: len(choices)]
        last = _last_per_cell(row_of * len(columns) + column_of)
        values = np.full((len(voters), len(columns)), np.nan)
        values[row_of[last], column_of[last]] = choices[last]
        return cls(voters=_ids(voters), statements=_ids(columns), values=values)


def _last_per_cell(cells: np.ndarray) -> np.ndarray:
    """Indices of the last row given for each cell: a vote changed later replaces the earlier one."""
    _, first_backwards = np.unique(cells[::-1], return_index=True)
    return np.asarray(len(cells) - 1 - first_backwards)


def _ids(array: np.ndarray) -> tuple[int, ...]:
    return tuple(int(x) for x in array)


@dataclass(frozen=True)
class Placement:
    """Where one voter sits: PRIVATE, shown only to that voter."""

    group: int  # index into public["groups"]
    x: float
    y: float


@dataclass(frozen=True)
class Analysis:
    public: dict[str, Any]  # safe to show anyone: no one's group or position in it
    placements: dict[int, Placement]  # voter id -> placement, placed (clustered) voters only
    k_state: KState


def params(seed: int) -> dict[str, Any]:
    """The computation's parameters, published with every result."""
    return {
        "min_votes": MIN_VOTES,
        "min_participants": MIN_PARTICIPANTS,
        "k_min": groups.K_MIN,
        "k_max": groups.K_MAX,
        "k_wins": groups.K_WINS,
        "pca_components": PCA_COMPONENTS,
        "smoothing": consensus.SMOOTHING,
        "z_threshold": representative.Z_THRESHOLD,
        "representative_max": representative.REPRESENTATIVE_MAX,
        "seed": seed,
    }


def analyse(votes: Votes, previous: KState, seed: int) -> Analysis:
    """Groups, consensus and representative statements for `votes` (see the module's docstring)."""
    values = votes.values
    per_voter = np.count_nonzero(~np.isnan(values), axis=1)
    placed = np.flatnonzero(per_voter >= MIN_VOTES)
    everyone = consensus.tally(values)
    if len(placed) < MIN_PARTICIPANTS:
        return Analysis(_not_enough(votes, everyone, len(placed), seed), {}, previous)
    points = project(values[placed], seed)
    found = groups.candidates(points, seed)
    state = groups.smooth(previous, found)
    if state.k is None or state.k not in found:
        return Analysis(_not_enough(votes, everyone, len(placed), seed), {}, state)
    grouping = found[state.k]
    public = _public(votes, everyone, placed, points, grouping, seed)
    placements = {
        votes.voters[row]: Placement(int(g), _round(x), _round(y))
        for row, g, (x, y) in zip(placed, grouping.labels, points, strict=True)
    }
    return Analysis(public, placements, state)


def project(matrix: np.ndarray, seed: int) -> np.ndarray:
    """Each row's point on the opinion map: mean-filled, PCA to 2 dimensions, sparse voters scaled out."""
    voted = ~np.isnan(matrix)
    counts = voted.sum(axis=0)
    sums = np.where(voted, matrix, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros(matrix.shape[1]), where=counts > 0)
    filled = np.where(voted, matrix, means[None, :])
    if np.ptp(filled, axis=0).max() == 0:  # everyone voted alike: every point is the same
        return np.zeros((len(matrix), PCA_COMPONENTS))
    pca = PCA(n_components=PCA_COMPONENTS, svd_solver="randomized", random_state=seed)
    points = np.asarray(pca.fit_transform(filled), dtype=float)
    scale = np.sqrt(matrix.shape[1] / voted.sum(axis=1))
    return np.asarray(points * scale[:, None])


def _public(
    votes: Votes, everyone: Tally, placed: np.ndarray, points: np.ndarray, grouping: groups.Grouping, seed: int
) -> dict[str, Any]:
    placed_values = votes.values[placed]
    tallies = [consensus.tally(placed_values[grouping.labels == g]) for g in range(grouping.k)]
    scores = consensus.group_consensus(tallies)
    public = _base(votes, everyone, len(placed), seed)
    public.update(
        enough=True,
        k=grouping.k,
        silhouette=_round(grouping.silhouette),
        groups=[_group(g, points[grouping.labels == g]) for g in range(grouping.k)],
        statement_results=_statement_results(votes.statements, everyone, scores, tallies),
        consensus_order=consensus.order(scores, everyone.agree, consensus.total(tallies).votes, votes.statements),
        representative=_representative(votes.statements, tallies),
    )
    return public


def _not_enough(votes: Votes, everyone: Tally, placed: int, seed: int) -> dict[str, Any]:
    public = _base(votes, everyone, placed, seed)
    public["statement_results"] = _statement_results(votes.statements, everyone, None, [])
    return public


def _base(votes: Votes, everyone: Tally, placed: int, seed: int) -> dict[str, Any]:
    voted = ~np.isnan(votes.values)
    raw = consensus.raw_share(everyone.agree, everyone.votes)
    return {
        "enough": False,
        "participants": int(np.count_nonzero(voted.any(axis=1))),
        "clustered": placed,
        "statements": len(votes.statements),
        "votes": int(voted.sum()),
        "k": None,
        "silhouette": None,
        "groups": [],
        "statement_results": [],
        "consensus_order": [],
        "most_agreed": consensus.order(raw, everyone.agree, everyone.votes, votes.statements),
        "representative": {},
        "params": params(seed),
    }


def _group(index: int, members: np.ndarray) -> dict[str, Any]:
    centre = members.mean(axis=0)
    radius = float(np.sqrt(((members - centre) ** 2).sum(axis=1).mean()))
    return {
        "label": groups.label(index),
        "size": len(members),
        "centroid": [_round(centre[0]), _round(centre[1])],
        "radius": _round(radius),
    }


def _statement_results(
    ids: tuple[int, ...], everyone: Tally, scores: np.ndarray | None, tallies: list[Tally]
) -> list[dict[str, Any]]:
    raw = consensus.raw_share(everyone.agree, everyone.votes)
    p_agree = [consensus.smoothed(t.agree, t.votes) for t in tallies]
    results = []
    for i, statement_id in enumerate(ids):
        results.append(
            {
                "statement_id": statement_id,
                **_counts(everyone, i),
                "raw_agree": _round(raw[i]),
                "consensus": None if scores is None else _round(scores[i]),
                "groups": [{**_counts(t, i), "p_agree": _round(p[i])} for t, p in zip(tallies, p_agree, strict=True)],
            }
        )
    return results


def _counts(t: Tally, i: int) -> dict[str, int]:
    return {
        "agree": int(t.agree[i]),
        "disagree": int(t.disagree[i]),
        "pass": int(t.passes[i]),
        "votes": int(t.votes[i]),
    }


def _representative(ids: tuple[int, ...], tallies: list[Tally]) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = {}
    for g, group in enumerate(tallies):
        rest = consensus.total([t for h, t in enumerate(tallies) if h != g])
        result[groups.label(g)] = [
            {
                "statement_id": r.statement_id,
                "direction": r.direction,
                "p_group": _round(r.p_group),
                "p_rest": _round(r.p_rest),
                "z": _round(r.z),
            }
            for r in representative.representative(group, rest, ids)
        ]
    return result


def _round(value: float | np.floating[Any]) -> float:
    return round(float(value), DECIMALS)
