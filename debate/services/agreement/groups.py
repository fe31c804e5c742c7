"""Opinion groups: k-means on the voters' map, the singleton rule and the k-smoother.

Groups are found the way Pol.is finds them: k-means (scikit-learn, a fixed number of restarts from a
seeded start) for every k from K_MIN to K_MAX, and the k whose grouping has the best silhouette wins.
A grouping with a group of one is rejected: a "group" of one person is that person, and showing its
opinions would show theirs. The number of groups shown changes only when a new k has won K_WINS
recomputations in a row (`smooth`), so a page does not flicker between 2 and 3 groups as votes come in.

Groups are ordered by size (largest first), then by their centre's position, and named A, B, C… in
that order; never by anything about the people in them.
"""

from __future__ import annotations

import string
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score

K_MIN = 2
K_MAX = 5
K_WINS = 4  # a new number of groups is adopted after winning this many recomputations in a row
N_INIT = 10  # k-means restarts (from seeded starts); the best of them is kept
MIN_GROUP = 2  # a grouping with a smaller group is rejected (the singleton rule)
DECIMALS = 9  # points equal to this many decimals are the same point when counting distinct points
SILHOUETTE_SAMPLE = 5000  # beyond this many points the silhouette is estimated on a seeded sample (cost n²)


@dataclass(frozen=True)
class KState:
    """The k-smoother's memory, stored with the round between recomputations.

    `k`: the number of groups shown; `candidate`: another k that won the latest recomputations;
    `streak`: how many recomputations in a row it has won.
    """

    k: int | None = None
    candidate: int | None = None
    streak: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"k": self.k, "candidate": self.candidate, "streak": self.streak}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> KState:
        """The stored state; anything missing or malformed starts the memory afresh rather than failing."""
        if not isinstance(data, Mapping):
            return cls()
        k, candidate, streak = data.get("k"), data.get("candidate"), data.get("streak", 0)
        if not _valid_k(k) or not _valid_k(candidate) or not _count(streak):
            return cls()
        return cls(k=k, candidate=candidate, streak=streak)


def _valid_k(value: object) -> bool:
    return value is None or (type(value) is int and K_MIN <= value <= K_MAX)


def _count(value: object) -> bool:
    return type(value) is int and 0 <= value <= K_WINS


@dataclass(frozen=True)
class Grouping:
    """One valid grouping of the points: a group index per point (0 = A) and its silhouette."""

    k: int
    labels: np.ndarray
    silhouette: float


def candidates(points: np.ndarray, seed: int) -> dict[int, Grouping]:
    """Every valid grouping of `points` into K_MIN..K_MAX groups, by k.

    Invalid: fewer distinct points than k, k not below the number of points, or a group smaller than
    MIN_GROUP (the singleton rule). With no valid grouping the result is empty.
    """
    n = len(points)
    distinct = len(np.unique(np.round(points, DECIMALS), axis=0)) if n else 0
    found: dict[int, Grouping] = {}
    for k in range(K_MIN, min(K_MAX, n - 1, distinct) + 1):
        labels = cluster(points, k, seed)
        if labels is not None:
            score = silhouette(points, labels, seed)
            found[k] = Grouping(k=k, labels=labels, silhouette=score)
    return found


def silhouette(points: np.ndarray, labels: np.ndarray, seed: int) -> float:
    """The mean silhouette; on a seeded sample of SILHOUETTE_SAMPLE points in very large rounds."""
    if len(points) <= SILHOUETTE_SAMPLE:
        return float(silhouette_score(points, labels))
    return float(silhouette_score(points, labels, sample_size=SILHOUETTE_SAMPLE, random_state=seed))


def cluster(points: np.ndarray, k: int, seed: int) -> np.ndarray | None:
    """k-means labels in the public order, or None when a group would be smaller than MIN_GROUP."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # duplicate points: handled by the sizes below
        model = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed).fit(points)
    labels = np.asarray(model.labels_, dtype=np.intp)
    sizes = np.bincount(labels, minlength=k)
    if sizes.min() < MIN_GROUP:
        return None
    return ordered(points, labels, k)


def ordered(points: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Relabel so group 0 is the largest, then by the centre's x, then y: the same input, the same names."""
    keys = []
    for group in range(k):
        members = points[labels == group]
        centre = members.mean(axis=0)
        keys.append((-len(members), round(float(centre[0]), DECIMALS), round(float(centre[1]), DECIMALS), group))
    new_index = np.empty(k, dtype=np.intp)
    for position, key in enumerate(sorted(keys)):
        new_index[key[3]] = position
    return np.asarray(new_index[labels], dtype=np.intp)


def best(found: Mapping[int, Grouping]) -> int | None:
    """The k with the highest silhouette; a tie goes to fewer groups."""
    if not found:
        return None
    return max(found, key=lambda k: (found[k].silhouette, -k))


def smooth(previous: KState, found: Mapping[int, Grouping]) -> KState:
    """The k to show after this recomputation, and the memory for the next one.

    - No valid grouping: the memory is kept as it was (there is nothing to show this time).
    - No k shown yet, or the k shown is no longer valid (say it now has a group of one): the best k is
      adopted at once, since there is no grouping left to keep showing.
    - The k shown wins again: any challenger's streak is reset.
    - Another k wins: its streak grows by one (or starts at one if a different k was the challenger);
      after K_WINS wins in a row it is adopted.
    """
    winner = best(found)
    if winner is None:
        return previous
    if previous.k is None or previous.k not in found:
        return KState(k=winner)
    if winner == previous.k:
        return KState(k=previous.k)
    streak = previous.streak + 1 if previous.candidate == winner else 1
    if streak >= K_WINS:
        return KState(k=winner)
    return KState(k=previous.k, candidate=winner, streak=streak)


def label(index: int) -> str:
    """The public name of group `index`: A, B, C…"""
    return string.ascii_uppercase[index]
