"""Fixtures for the agreement tests of rounds, statements and votes: people, and a round on a topic."""

from __future__ import annotations

import pytest

from debate.models import Role
from debate.services.agreement import rounds

SEEDS = (
    "The high street needs more places to sit.",
    "Parking charges in the town centre should go down.",
    "New homes should be built near the station.",
)


@pytest.fixture
def people(make_user):
    """A moderator who runs rounds, an admin, and three residents."""
    return {
        "moderator": make_user(Role.MODERATOR, "Mo Derator"),
        "admin": make_user(Role.ADMIN, "Ada Admin"),
        "alice": make_user(Role.RESIDENT, "Alice"),
        "bob": make_user(Role.RESIDENT, "Bob"),
        "cara": make_user(Role.RESIDENT, "Cara"),
    }


@pytest.fixture
def make_round(people, topic):
    """A round on the topic with the SEEDS as opening statements; open unless told."""

    def make(*, open_=True, seeds=SEEDS, **fields):
        created = rounds.create_round(
            people["moderator"],
            topic_id=topic.id,
            question=fields.pop("question", "What should change on the high street?"),
            seed_statements=seeds,
            **fields,
        )
        if open_:
            rounds.open_round(people["moderator"], created)
        return created

    return make
