"""Verified people of each role, made with the app's models, for seed scripts run against a server's database.

Seed scripts run as `python -c` in the checkout (so this module imports) inside
an app context; each person's email is `<key>@example.org`.
"""

from __future__ import annotations

from debate.extensions import db
from debate.models import RepresentativeProfile, Role, User
from debate.models.base import utcnow
from debate.services.accounts import credentials as accounts


def person(key: str, role: Role, name: str, password: str, verified: bool = True) -> User:
    """A member of a role (email `<key>@example.org`); representatives get a verified councillor's profile."""
    row = User(
        display_name=name,
        email=f"{key}@example.org",
        password_hash=accounts.hash_password(password),
        role=role.value,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(row)
    db.session.flush()
    if role is Role.REPRESENTATIVE:
        db.session.add(
            RepresentativeProfile(
                user_id=row.id,
                kind="councillor",
                title="Councillor",
                area="Riverside ward",
                party="independent",
                verified_at=utcnow(),
            )
        )
    db.session.commit()
    return row
