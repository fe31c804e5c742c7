"""The demo round: two groups, a "Where we agree" list unlike "most agreed", and a resident who has not voted."""

from __future__ import annotations

from sqlalchemy import select

from debate.demo import agreement as agreement_demo
from debate.extensions import db
from debate.models import Role, Topic
from debate.models.agreement import AgreementRound
from debate.models.base import utcnow
from debate.services.agreement import results, voting


def test_the_demo_round_shows_groups_and_where_we_agree(app, make_user):
    db.session.add(Topic(slug="jobs", title="Jobs and the local economy"))
    db.session.commit()
    make_user(Role.MODERATOR)
    jo = make_user()
    agreement_demo.seed(utcnow())
    made = db.session.scalar(select(AgreementRound))
    assert made.state == AgreementRound.OPEN and made.question == agreement_demo.QUESTION
    stored = results.latest(made)
    assert stored.public["enough"] and stored.k in (2, 3)
    assert stored.participants == agreement_demo.BLOC_A + agreement_demo.BLOC_B
    assert stored.changes == made.changes == made.computed_changes  # nothing left for the background job
    assert stored.public["consensus_order"][0] != stored.public["most_agreed"][0]
    assert voting.progress(jo, made) == (0, len(agreement_demo.STATEMENTS))
