"""Small helpers for the outcome tests."""

from __future__ import annotations

from sqlalchemy import select

from debate.extensions import db
from debate.models.notifications import Notification
from debate.services.accountability import outcomes


def told(user_id: int) -> list[Notification]:
    """The outcome notifications a person has."""
    db.session.expire_all()
    stmt = select(Notification).where(Notification.user_id == user_id, Notification.kind == "outcome_published")
    return list(db.session.scalars(stmt))


def form(**changes) -> outcomes.OutcomeForm:
    values = {
        "heard": "You told us the **library** matters on Sundays.",
        "will_happen": "We will trial Sunday opening from March.",
        "status": "planned",
        "due_on": "2027-03-31",
    }
    values.update(changes)
    return outcomes.OutcomeForm(**values)
