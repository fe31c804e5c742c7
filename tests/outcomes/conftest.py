"""Fixtures for outcomes: the live fixtures (people, a session), an ended session with askers, a thread."""

from __future__ import annotations

import pytest

from debate.extensions import db
from debate.models.accounts import Role
from debate.models.base import utcnow
from debate.models.notifications import SessionFollow
from debate.services.forums import follows
from debate.services.forums import posts as forums
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions
from tests.conftest import PASSWORD
from tests.live import conftest as live_fixtures

# The live tests' fixtures, shared: people in every role, and a session scheduler.
people = live_fixtures.people
schedule = live_fixtures.schedule


@pytest.fixture
def ended(app, forum_policy, people, schedule):
    """A session that has ended: resident asked twice, resident2 once, resident3 follows it."""
    session = schedule(start=True)
    live_questions.ask(people["resident"], session.id, "Will the library stay open on Sundays?")
    live_questions.ask(people["resident"], session.id, "And what about the swimming pool?")
    live_questions.ask(people["resident2"], session.id, "When are the potholes on Mill Lane fixed?")
    db.session.add(SessionFollow(session_id=session.id, user_id=people["resident3"].id, created_at=utcnow()))
    db.session.commit()
    return live_sessions.end(people["admin"], session.id)


@pytest.fixture
def thread(app, forum_policy, people, topic):
    """A thread started by resident, followed by resident2 (and, as its author, resident)."""
    posted = forums.start_thread(people["resident"], topic.slug, "Bins are not collected", "Three weeks now.")
    follows.set_following(people["resident2"], posted.item.id, True)
    return posted.item


@pytest.fixture
def unverified_rep(make_user):
    from debate.models.accounts import RepresentativeProfile

    user = make_user(Role.REPRESENTATIVE, "Cllr Not Yet")
    profile = db.session.get(RepresentativeProfile, user.representative.id)
    profile.verified_at = None
    db.session.commit()
    return user


@pytest.fixture
def as_user(app):
    """A client signed in as the given user (each person their own browser)."""

    def make(user):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make
