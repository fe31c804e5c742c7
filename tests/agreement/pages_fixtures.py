"""The 70/30 round for the page tests, on real rows: the analysis tests' seeded round (tests/agreement/rounds.py).

70 residents in bloc A and 30 in bloc B; P is agreed by all of A and none of B, C by 60 % of each bloc, twelve
more statements split the blocs with noise; three residents voted on four statements only (below the 7 needed
to be placed). Votes go straight into rows (the statements' counters and the round's changes kept as the
voting service keeps them), then results.recompute runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from debate.extensions import db
from debate.models import Role, User
from debate.models.agreement import AgreementRound, AgreementVote, Statement
from debate.models.base import utcnow
from debate.services.accounts import credentials as accounts
from debate.services.agreement import results, rounds
from tests.agreement import rounds as bloc_rounds

P = "Build the new bypass through the meadows."
C = "Keep the library open on Saturdays."
OTHERS = tuple(f"Statement number {n} about the town centre." for n in bloc_rounds.ALIGNED)
TEXTS = {bloc_rounds.P: P, bloc_rounds.C: C} | dict(zip(bloc_rounds.ALIGNED, OTHERS, strict=True))


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


def _count(round_: AgreementRound) -> None:
    """The statements' counters and the round's changes, as the voting service keeps them."""
    for statement in db.session.scalars(select(Statement).where(Statement.round_id == round_.id)):
        for name, value in (("agree", 1), ("disagree", -1), ("passes", 0)):
            counted = db.session.scalar(
                select(func.count()).where(AgreementVote.statement_id == statement.id, AgreementVote.choice == value)
            )
            setattr(statement, name, int(counted or 0))
    voted = db.session.scalar(select(func.count()).where(AgreementVote.round_id == round_.id))
    round_.changes = AgreementRound.changes + int(voted or 0)


def seed_votes(round_: AgreementRound, ids: dict[str, int], people: dict[int, User]) -> None:
    """The math tests' seeded 70/30 rows (tests/agreement/rounds.py), on real statements and residents."""
    for voter, statement, choice in bloc_rounds.bloc_round().rows:
        db.session.add(
            AgreementVote(
                round_id=round_.id, statement_id=ids[TEXTS[statement]], voter_id=people[voter].id, choice=choice
            )
        )
    _count(round_)
    db.session.commit()


def build_round70(topic, make_user, password: str) -> Round70:
    """The 70/30 round, open, its votes in and its result computed (a fixture in each test module calls it)."""
    return seeded_round(topic.id, make_user(Role.MODERATOR, "Mo Derator"), password, "")


def seeded_round(topic_id: int, moderator: User, password: str, prefix: str) -> Round70:
    """The round on a topic, its residents' emails starting with `prefix` (the browser test's seed uses one)."""
    created = rounds.create_round(
        moderator,
        topic_id=topic_id,
        question="What should the town do next?",
        seed_statements=tuple(TEXTS[n] for n in sorted(TEXTS)),
    )
    rounds.open_round(moderator, created)
    ids = {s.body: s.id for s in db.session.scalars(select(Statement).where(Statement.round_id == created.id))}
    hashed = accounts.hash_password(password)
    bloc_a = _voters(f"{prefix}Ann", len(bloc_rounds.BLOC_A), hashed)
    bloc_b = _voters(f"{prefix}Bea", len(bloc_rounds.BLOC_B), hashed)
    low = _voters(f"{prefix}Lou", len(bloc_rounds.FEW), hashed)
    people = dict(zip(bloc_rounds.BLOC_A + bloc_rounds.BLOC_B + bloc_rounds.FEW, bloc_a + bloc_b + low, strict=True))
    seed_votes(created, ids, people)
    results.recompute(created.id)
    return Round70(created, ids, bloc_a, bloc_b, low, moderator)
