"""Synthetic residents for the demo's consultation content (survey respondents, a round's voters).

They cannot sign in (an unusable password hash) and are numbered, so a demo can make dozens at once.
"""

from __future__ import annotations

from datetime import datetime

from debate.extensions import db
from debate.models import Role, User


def residents(name: str, email: str, count: int, verified_at: datetime, created_at: datetime) -> list[User]:
    """`count` residents named "<name> <n>" with addresses `email.format(n=n)`, n from 1, flushed."""
    people = [
        User(
            display_name=f"{name} {n}",
            email=email.format(n=n),
            password_hash="!demo-voice",  # noqa: S106 - not a password: an unusable hash
            role=Role.RESIDENT.value,
            email_verified_at=verified_at,
            created_at=created_at,
        )
        for n in range(1, count + 1)
    ]
    db.session.add_all(people)
    db.session.flush()
    return people
