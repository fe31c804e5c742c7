"""Demo "Where do we agree?" round: traffic on the high street, under "Jobs and the local economy".

Fifteen statements and 72 synthetic residents in two blocs of views (48 who want fewer cars in the centre,
24 who want easier parking), with noise: each resident skips some statements, passes on a few, and
sometimes votes against their bloc. Some statements both blocs mostly agree with (repair the pavements,
later buses, a Thursday market), so the results page shows two groups and a "Where we agree" list that
differs from "most agreed". The demo's own residents (Jo, Alex) have not voted, so they can try it.

Votes are written as rows directly (the voting service commits each vote: 1,000 commits would slow the
demo), with each statement's counters and the round's `changes` as the service keeps them; the result is
then computed once, as the background job computes it. A fixed random seed: every run shows the same.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

import moderation
from debate.demo import voices
from debate.extensions import db
from debate.models import Role, Topic, User
from debate.models.agreement import AgreementRound, AgreementVote, Statement
from debate.services.agreement import results

EMAIL = "agree{n}@demo.example.org"
BLOC_A, BLOC_B = 48, 24
QUESTION = "What should we do about traffic on the high street?"
QUESTION_CY = "Beth ddylem ei wneud am draffig ar y stryd fawr?"
DESCRIPTION = (
    "The council is preparing a plan for the high street. Vote on each statement, and add your own: the "
    "results show what people with different views agree on."
)
DESCRIPTION_CY = (
    "Mae'r cyngor yn paratoi cynllun ar gyfer y stryd fawr. Pleidleisiwch ar bob datganiad, ac ychwanegwch "
    "eich un chi: mae'r canlyniadau'n dangos beth mae pobl â barn wahanol yn cytuno arno."
)
# (statement, how likely bloc A agrees, how likely bloc B agrees)
STATEMENTS = [
    ("Close the high street to cars on Saturdays.", 0.95, 0.1),
    ("Parking on the high street should be free for the first hour.", 0.15, 0.9),
    ("More cycle lanes would bring more shoppers.", 0.85, 0.15),
    ("Delivery vans need access to the shops every morning.", 0.6, 0.9),
    ("The pavements on the high street need repairing.", 0.75, 0.75),
    ("Buses into town should run later in the evening.", 0.7, 0.7),
    ("Empty shops should be offered to local start-ups at a low rent.", 0.72, 0.7),
    ("The council should build a multi-storey car park.", 0.1, 0.8),
    ("Traffic on the high street makes it unsafe for children.", 0.9, 0.3),
    ("Most people who shop here arrive by car.", 0.2, 0.85),
    ("Market stalls should come back every Thursday.", 0.7, 0.72),
    ("The speed limit in the town centre should be 20 mph.", 0.85, 0.25),
    ("The high street needs more benches and trees.", 0.98, 0.35),
    ("Business rates are the main reason shops close.", 0.4, 0.8),
    ("Residents should decide the final plan in a public vote.", 0.5, 0.6),
]
SKIP, PASS = 0.12, 0.08


def _round(topic: Topic, host: User, now: datetime) -> tuple[AgreementRound, list[Statement]]:
    made = AgreementRound(
        topic_id=topic.id,
        question=QUESTION,
        question_cy=QUESTION_CY,
        description=DESCRIPTION,
        description_cy=DESCRIPTION_CY,
        state=AgreementRound.OPEN,
        opens_at=now - timedelta(days=6),
        created_by_id=host.id,
        created_at=now - timedelta(days=7),
        seed=1,
    )
    db.session.add(made)
    db.session.flush()
    rows = [
        Statement(
            round_id=made.id,
            author_id=host.id,
            body=body,
            is_seed=True,
            state="published",
            fingerprint=moderation.fingerprint(body),
            created_at=now - timedelta(days=7, minutes=-n),
        )
        for n, (body, _a, _b) in enumerate(STATEMENTS)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return made, rows


def _choice(rng: random.Random, likely: float) -> int | None:
    draw = rng.random()
    if draw < SKIP:
        return None
    if draw < SKIP + PASS:
        return AgreementVote.PASS
    return AgreementVote.AGREE if rng.random() < likely else AgreementVote.DISAGREE


def _vote(made: AgreementRound, rows: list[Statement], people: list[User], now: datetime) -> int:
    rng = random.Random(16)
    counters = {AgreementVote.AGREE: "agree", AgreementVote.DISAGREE: "disagree", AgreementVote.PASS: "passes"}
    votes = []
    for n, person in enumerate(people):
        in_a = n < BLOC_A
        for statement, (_body, likely_a, likely_b) in zip(rows, STATEMENTS, strict=True):
            choice = _choice(rng, likely_a if in_a else likely_b)
            if choice is None:
                continue
            at = now - timedelta(days=5, minutes=-n)
            votes.append(
                AgreementVote(
                    round_id=made.id,
                    statement_id=statement.id,
                    voter_id=person.id,
                    choice=choice,
                    created_at=at,
                    updated_at=at,
                )
            )
            name = counters[choice]
            setattr(statement, name, getattr(statement, name) + 1)
    db.session.add_all(votes)
    return len(votes)


def seed(now: datetime) -> None:
    """Add the demo round with its votes and compute its result (commits: the result is stored by the job)."""
    topic = db.session.scalar(select(Topic).where(Topic.slug == "jobs"))
    host = db.session.scalar(select(User).where(User.role == Role.MODERATOR.value).order_by(User.id))
    if topic is None or host is None:
        return
    made, rows = _round(topic, host, now)
    made.changes = len(rows) + _vote(
        made, rows, voices.residents("High street resident", EMAIL, BLOC_A + BLOC_B, now, now - timedelta(days=20)), now
    )
    db.session.commit()
    results.recompute(made.id)  # ends its transactions: nothing is left open for a migration to wait on
