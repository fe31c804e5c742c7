"""Counting votes per statement, and the group-aware consensus that ranks "Where we agree".

Raw counts rank by the largest bloc: a statement every member of a 70 % bloc agrees with beats one
that 60 % of everybody agrees with. Group-aware consensus (Pol.is) multiplies each group's
probability of agreeing, so a statement ranks high only when every group is likely to agree with it.
Each group's probability is smoothed, (agrees + 1) / (votes + 2) (Laplace's rule of succession, passes
counted as votes), so a small group with few votes is neither certain to agree nor certain not to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SMOOTHING = "(agrees + 1) / (votes + 2)"


@dataclass(frozen=True)
class Tally:
    """Per statement (one entry per column): agrees, disagrees, passes and votes of some voters."""

    agree: np.ndarray
    disagree: np.ndarray
    passes: np.ndarray

    @property
    def votes(self) -> np.ndarray:
        return np.asarray(self.agree + self.disagree + self.passes)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.agree + other.agree, self.disagree + other.disagree, self.passes + other.passes)


def tally(values: np.ndarray) -> Tally:
    """Counts per column of a vote matrix (1 agree, -1 disagree, 0 pass, nan not voted)."""
    return Tally(
        agree=np.count_nonzero(values == 1, axis=0),
        disagree=np.count_nonzero(values == -1, axis=0),
        passes=np.count_nonzero(values == 0, axis=0),
    )


def smoothed(successes: np.ndarray, votes: np.ndarray) -> np.ndarray:
    """(successes + 1) / (votes + 2): a share that is never exactly 0 or 1."""
    return np.asarray((successes + 1.0) / (votes + 2.0), dtype=float)


def raw_share(successes: np.ndarray, votes: np.ndarray) -> np.ndarray:
    """successes / votes, 0 where nobody voted."""
    return np.asarray(np.divide(successes, votes, out=np.zeros(len(votes), dtype=float), where=votes > 0))


def total(tallies: Sequence[Tally]) -> Tally:
    """The counts of several groups together (at least one)."""
    result = tallies[0]
    for t in tallies[1:]:
        result = result + t
    return result


def group_consensus(groups: Sequence[Tally]) -> np.ndarray:
    """The product over groups of each group's smoothed probability of agreeing, per statement."""
    result = np.ones(len(groups[0].agree), dtype=float)
    for group in groups:
        result = result * smoothed(group.agree, group.votes)
    return result


def order(scores: np.ndarray, agrees: np.ndarray, votes: np.ndarray, ids: Sequence[int]) -> list[int]:
    """Ids of the statements with votes, by score descending; ties: more agrees, then the older (lower) id.

    A statement nobody has voted on is left out: its score would be the smoothing's prior alone, and
    "where we agree" would open with statements nobody has read yet.
    """
    voted = [i for i in range(len(ids)) if votes[i] > 0]
    ranked = sorted(voted, key=lambda i: (-float(scores[i]), -int(agrees[i]), ids[i]))
    return [ids[i] for i in ranked]
