"""Fixtures for equality monitoring: many residents with given answers, signed-in clients."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from debate.extensions import db
from debate.models import Role, User
from debate.models.base import utcnow
from debate.models.equality import EqualityAnswer
from tests.conftest import PASSWORD
from tests.live.conftest import live, people, schedule  # noqa: F401 - fixtures shared with the live tests


@pytest.fixture
def residents(app) -> Callable[..., list[User]]:
    """`residents(n, age="16-24", sex="female")`: n new residents who gave these answers (no password)."""
    counter = itertools.count(1)

    def make(n: int, **answers: str) -> list[User]:
        made = []
        for _ in range(n):
            i = next(counter)
            user = User(
                display_name=f"Crowd Member {i}",
                email=f"crowd{i}@example.org",
                password_hash="!no-password",  # noqa: S106 - an unusable hash
                role=Role.RESIDENT.value,
                email_verified_at=utcnow(),
            )
            db.session.add(user)
            made.append(user)
        db.session.flush()
        for user in made:
            for question, answer in answers.items():
                db.session.add(EqualityAnswer(user_id=user.id, question=question, answer=answer))
        db.session.commit()
        return made

    return make


@pytest.fixture
def signed_in(app) -> Callable:
    def make(user: User):
        client = app.test_client()
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return client

    return make
