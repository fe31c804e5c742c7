"""Fixtures for the accountability tests: the live fixtures, a session that ended with questions, a clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from debate.extensions import db
from debate.models.accountability import TrackedQuestion
from debate.models.notifications import Notification
from debate.services.accountability import questions as accountability
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions
from tests.conftest import PASSWORD
from tests.live import conftest as live_fixtures

people = live_fixtures.people
schedule = live_fixtures.schedule
live = live_fixtures.live


@pytest.fixture
def clock(app, monkeypatch):
    """Move this feature's clock: `clock.set(moment)` or `clock.days(n)` from the real now."""

    class Clock:
        moment: datetime | None = None

        def set(self, moment: datetime) -> None:
            self.moment = moment
            monkeypatch.setattr(accountability, "now", lambda: self.moment)

        def days(self, n: float) -> datetime:
            self.set(datetime.utcnow().replace(microsecond=0) + timedelta(days=n))
            return self.moment

    return Clock()


@pytest.fixture
def ended(app, forum_policy, people, schedule):
    """A session that ended with one question answered live and two left awaiting a written answer.

    Returns (session, {"live": q, "waiting": q, "other": q}) as SessionQuestions.
    """
    live = schedule(start=True)
    asked = {}
    for name, author, text in (
        ("live", people["resident2"], "When will the bins be collected weekly again?"),
        ("waiting", people["resident"], "Why is the Northgate library closed on Sundays?"),
        ("other", people["resident3"], "Can the bus shelter on Mill Road be repaired?"),
    ):
        question = live_questions.ask(author, live.id, text)
        live_questions.approve(people["moderator"], question.id)
        asked[name] = question
    live_questions.answer(people["councillor"], asked["live"].id, "From **March**.")
    live_sessions.end(people["admin"], live.id)
    return live, asked


def tracked_for(question) -> TrackedQuestion:
    db.session.expire_all()
    return accountability.for_session_question(question)


def notifications_of(user, kind: str | None = None) -> list[Notification]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    return [n for n in rows if kind is None or n.kind == kind]


@pytest.fixture
def as_user(app):
    """A client signed in as the given user (each person their own browser)."""

    def make(user):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make
