"""The issue's 70/30 round end to end through the services: the recompute job reads the votes from the
database and stores the result, and each voter with at least 7 votes (only they) has their own placement.

Five residents of each bloc and the three with few votes vote through `voting.vote` (about 150 votes, each
its own transaction); the other 90 residents' votes are stored in one go (as `voting.vote` stores them: the
row, the statement's counters, the round's changes), to keep the suite fast.
"""

from __future__ import annotations

import pytest

from debate.extensions import db
from debate.models import Role, User
from debate.models.agreement import AgreementRound, AgreementVote
from debate.models.base import utcnow
from debate.services.agreement import analysis, results, rounds, statements, voting
from tests.agreement.rounds import ALIGNED, BLOC_A, BLOC_B, FEW, C, P, bloc_round

NAMES = {value: name for name, value in voting.CHOICES.items()}


@pytest.fixture
def residents(app):
    """The round's 103 residents, made directly (no one signs in: a password hash is not needed)."""
    made = {}
    for key in BLOC_A + BLOC_B + FEW:
        made[key] = User(
            display_name=f"Resident {key}",
            email=f"r{key}@example.org",
            password_hash="-",
            role=Role.RESIDENT.value,
            email_verified_at=utcnow(),
        )
    db.session.add_all(made.values())
    db.session.commit()
    return made


def _store_at_once(round_, rows) -> None:
    """The votes as `voting.vote` stores them, in one transaction."""
    db.session.add_all(AgreementVote(round_id=round_.id, statement_id=s, voter_id=v, choice=c) for v, s, c in rows)
    for statement in statements.public(round_):
        mine = [c for _, s, c in rows if s == statement.id]
        statement.agree += mine.count(1)
        statement.disagree += mine.count(-1)
        statement.passes += mine.count(0)
    round_.changes = AgreementRound.changes + len(rows)
    db.session.commit()


def test_the_70_30_round_through_the_services(app, make_round, people, residents, monkeypatch):
    monkeypatch.setitem(app.config, "RECOMPUTE_MS", -1)  # no recomputation per vote: the job runs once, below
    plan = bloc_round()
    made = make_round(seeds=[f"Statement number {n}" for n in (P, C, *ALIGNED)])
    ids = {n: s.id for n, s in zip((P, C, *ALIGNED), sorted(statements.public(made), key=lambda s: s.id), strict=True)}
    by_service = set(BLOC_A[:5] + BLOC_B[:5] + FEW)
    for voter, statement, choice in plan.rows:
        if voter in by_service:
            voting.vote(residents[voter], made, ids[statement], NAMES[choice])
    _store_at_once(made, [(residents[v].id, ids[s], c) for v, s, c in plan.rows if v not in by_service])
    round_id = made.id
    results.recompute(round_id)
    db.session.expire_all()
    made = db.session.get(AgreementRound, round_id)
    stored = results.latest(made)
    public = stored.public
    assert (stored.participants, stored.clustered, stored.k) == (103, 100, 2)
    assert stored.changes == made.changes == made.computed_changes
    assert public["consensus_order"].index(ids[C]) < public["consensus_order"].index(ids[P])
    assert public["most_agreed"][0] == ids[P]
    sizes = sorted(group["size"] for group in public["groups"])
    assert sizes == [30, 70]
    for key in BLOC_A + BLOC_B:
        placed = results.placement(residents[key], made)
        assert isinstance(placed, analysis.Placement)
    groups = {key: results.placement(residents[key], made).group for key in BLOC_A + BLOC_B}
    assert len({groups[key] for key in BLOC_A}) == 1 and len({groups[key] for key in BLOC_B}) == 1
    assert groups[BLOC_A[0]] != groups[BLOC_B[0]]
    assert all(results.placement(residents[key], made) is None for key in FEW)  # fewer than 7 votes
    assert results.placement(None, made) is None
    assert made.k_state and analysis.KState.from_json(made.k_state).k == 2
    assert rounds.taking_part(made)
