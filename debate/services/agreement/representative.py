"""Each group's representative statements: where the group differs from everyone else (Pol.is' "repness").

For a group and a statement, the group's smoothed share agreeing, (agrees + 1) / (votes + 2), is
compared with the same share among the other clustered voters by a one-sided two-proportion z-test
(pooled variance). The statement represents the group when z >= Z_THRESHOLD (1.645: significant at
the 95 % level, one-sided) and more than half the group agrees; the same for disagreeing. A group
keeps its REPRESENTATIVE_MAX strongest (highest z first). There is no correction for testing many
statements: with 100 statements about five would pass by chance in a group that does not differ at
all, which is why the share must also be a majority, and why the list says "where the group differs",
not "what the group believes".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from debate.services.agreement.consensus import Tally, smoothed

Z_THRESHOLD = 1.645
REPRESENTATIVE_MAX = 5


@dataclass(frozen=True)
class Representative:
    statement_id: int
    direction: str  # "agree" or "disagree"
    p_group: float
    p_rest: float
    z: float


def z_test(
    successes_in: np.ndarray, votes_in: np.ndarray, successes_out: np.ndarray, votes_out: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The smoothed shares inside and outside the group, and z for "inside is higher" (pooled)."""
    p_in = smoothed(successes_in, votes_in)
    p_out = smoothed(successes_out, votes_out)
    pooled = (successes_in + successes_out + 2.0) / (votes_in + votes_out + 4.0)
    spread = np.sqrt(pooled * (1.0 - pooled) * (1.0 / (votes_in + 2.0) + 1.0 / (votes_out + 2.0)))
    return p_in, p_out, np.asarray((p_in - p_out) / spread, dtype=float)


def representative(group: Tally, rest: Tally, ids: Sequence[int]) -> list[Representative]:
    """The group's representative statements, strongest first (ties to the lower id), at most REPRESENTATIVE_MAX."""
    found: list[Representative] = []
    for direction, inside, outside in (("agree", group.agree, rest.agree), ("disagree", group.disagree, rest.disagree)):
        p_in, p_out, z = z_test(inside, group.votes, outside, rest.votes)
        for i in np.flatnonzero((z >= Z_THRESHOLD) & (p_in > 0.5)):
            found.append(Representative(ids[int(i)], direction, float(p_in[i]), float(p_out[i]), float(z[i])))
    found.sort(key=lambda r: (-r.z, r.statement_id))
    return found[:REPRESENTATIVE_MAX]
