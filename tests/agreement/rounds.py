"""Synthetic rounds for the agreement tests: the issue's 70/30 bloc round, seeded.

70 residents in bloc A and 30 in bloc B vote on statement P (agreed by all of A, none of B), statement
C (agreed by exactly 60 % of each bloc) and twelve bloc-aligned statements with realistic noise: a
resident agrees with their own bloc's statements 3 times in 4, passes on 1 in 20, and skips one in ten;
P and C are voted on by everyone. Three residents voted on four statements only: they count as
participants and in the raw counts, but are not placed in a group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

P, C = 1, 2
ALIGNED = tuple(range(3, 15))  # odd ids: bloc A's statements, even ids: bloc B's
BLOC_A = tuple(range(1001, 1071))  # 70 residents
BLOC_B = tuple(range(2001, 2031))  # 30 residents
FEW = (3001, 3002, 3003)  # four votes each: below MIN_VOTES


@dataclass(frozen=True)
class Round:
    rows: list[tuple[int, int, int]]
    bloc: dict[int, str]  # voter id -> "A" or "B" (the bloc voters were drawn from)


def bloc_round(seed: int = 16) -> Round:
    """The 70/30 round as (voter, statement, choice) rows."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[int, int, int]] = []
    bloc = {v: "A" for v in BLOC_A} | {v: "B" for v in BLOC_B}
    for name, members in (("A", BLOC_A), ("B", BLOC_B)):
        agreeing_c = set(members[: round(len(members) * 0.6)])
        for voter in members:
            rows.append((voter, P, 1 if name == "A" else -1))
            rows.append((voter, C, 1 if voter in agreeing_c else -1))
            for statement in ALIGNED:
                if rng.random() < 0.1:
                    continue
                own = (statement % 2 == 1) == (name == "A")
                rows.append((voter, statement, _noisy(rng, own)))
    for voter in FEW:
        for statement in ALIGNED[:4]:
            rows.append((voter, statement, _noisy(rng, statement % 2 == 1)))
    return Round(rows=rows, bloc=bloc)


def _noisy(rng: np.random.Generator, own: bool) -> int:
    """Agree with one's own bloc's statement 3 times in 4 (disagree with the other's), pass 1 in 20."""
    draw = rng.random()
    if draw < 0.05:
        return 0
    with_bloc = draw < 0.80
    return 1 if with_bloc == own else -1
