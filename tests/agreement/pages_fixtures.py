"""The 70/30 round for the page tests: 70 residents in bloc A, 30 in bloc B, statements P and C and six more.

P is agreed by all of A and none of B; C by 60 % of each bloc; S1-S6 split the blocs the way P does (A
agrees with S1-S3 and disagrees with S4-S6, B the other way), so every voter has voted on eight statements.
`LOW` extra residents voted on three only (below the 7 needed to be placed). Votes go straight into rows (the
voting service's counters and the round's changes count kept right), then results.recompute runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from debate.extensions import db
from debate.models import Role, User
from debate.models.agreement import AgreementRound, AgreementVote, Statement
from debate.models.base import utcnow
from debate.services.accounts import credentials as accounts
from debate.services.agreement import results, rounds
from tests.conftest import PASSWORD

P = "Build the new bypass through the meadows."
C = "Keep the library open on Saturdays."
OTHERS = tuple(f"Statement number {n} about the town centre." for n in range(1, 7))
BLOC_A, BLOC_B, LOW = 70, 30, 2


@dataclass
class Round70:
    round: AgreementRound
    statements: dict[str, int]  # text -> id
    bloc_a: list[User]
    bloc_b: list[User]
    low: list[User]
    moderator: User


def _voters(prefix: str, n: int, password_hash: str) -> list[User]:
    people = [
        User(
            display_name=f"{prefix} {i}",
            email=f"{prefix.lower()}{i}@example.org",
            password_hash=password_hash,
            role=Role.RESIDENT.value,
            email_verified_at=utcnow(),
        )
        for i in range(n)
    ]
    db.session.add_all(people)
    db.session.flush()
    return people


def _vote(round_: AgreementRound, statement_id: int, voter: User, choice: int) -> None:
    db.session.add(AgreementVote(round_id=round_.id, statement_id=statement_id, voter_id=voter.id, choice=choice))


def _count(round_: AgreementRound) -> None:
    """The statements' counters and the round's changes, as the voting service keeps them."""
    for statement in db.session.scalars(select(Statement).where(Statement.round_id == round_.id)):
        for name, value in (("agree", 1), ("disagree", -1), ("passes", 0)):
            counted = db.session.scalar(
                select(func.count()).where(AgreementVote.statement_id == statement.id, AgreementVote.choice == value)
            )
            setattr(statement, name, int(counted or 0))
    round_.changes = int(db.session.scalar(select(func.count()).where(AgreementVote.round_id == round_.id)) or 0) + 8


def seed_votes(round_: AgreementRound, ids: dict[str, int], bloc_a: list[User], bloc_b: list[User], low: list[User]) -> None:
    for n, voter in enumerate(bloc_a):
        _vote(round_, ids[P], voter, 1)
        _vote(round_, ids[C], voter, 1 if n < 42 else -1)  # 42 of 70: 60 %
        for k, text in enumerate(OTHERS):
            _vote(round_, ids[text], voter, 1 if k < 3 else -1)
    for n, voter in enumerate(bloc_b):
        _vote(round_, ids[P], voter, -1)
        _vote(round_, ids[C], voter, 1 if n < 18 else -1)  # 18 of 30: 60 %
        for k, text in enumerate(OTHERS):
            _vote(round_, ids[text], voter, -1 if k < 3 else 1)
    for voter in low:
        for text in (P, C, OTHERS[0]):
            _vote(round_, ids[text], voter, 1)
    _count(round_)
    db.session.commit()


@pytest.fixture
def round70(app, topic, make_user) -> Round70:
    moderator = make_user(Role.MODERATOR, "Mo Derator")
    created = rounds.create_round(
        moderator,
        topic_id=topic.id,
        question="What should the town do next?",
        seed_statements=(P, C, *OTHERS),
    )
    rounds.open_round(moderator, created)
    ids = {s.body: s.id for s in db.session.scalars(select(Statement).where(Statement.round_id == created.id))}
    hashed = accounts.hash_password(PASSWORD)
    bloc_a, bloc_b, low = _voters("Ann", BLOC_A, hashed), _voters("Bea", BLOC_B, hashed), _voters("Lou", LOW, hashed)
    seed_votes(created, ids, bloc_a, bloc_b, low)
    results.recompute(created.id)
    return Round70(created, ids, bloc_a, bloc_b, low, moderator)
