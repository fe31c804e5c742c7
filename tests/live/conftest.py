"""Fixtures for live Q&A tests: a live session with a panel, and people in every role."""

from __future__ import annotations

from datetime import timedelta

import pytest

from debate.extensions import socketio
from debate.models.accounts import Role
from debate.models.base import utcnow
from debate.services import council_time
from debate.services.live import sessions as live_sessions
from tests.conftest import PASSWORD


def _local(moment) -> str:
    return council_time.to_local(moment).strftime(live_sessions.DATETIME_FORMAT)


@pytest.fixture
def people(app, make_user):
    """A host (admin), a moderator, two councillors, and three residents."""
    return {
        "admin": make_user(Role.ADMIN, "Ada Admin"),
        "moderator": make_user(Role.MODERATOR, "Mo Moderator"),
        "councillor": make_user(Role.REPRESENTATIVE, "Cllr Amina Shah"),
        "councillor2": make_user(Role.REPRESENTATIVE, "Cllr Ben Ortiz"),
        "resident": make_user(Role.RESIDENT, "Rita Resident"),
        "resident2": make_user(Role.RESIDENT, "Sam Resident"),
        "resident3": make_user(Role.RESIDENT, "Tom Resident"),
    }


@pytest.fixture
def schedule(app, people):
    """Schedule a session (by the admin unless told otherwise); returns it."""

    def make(host=None, *, premoderate=True, anonymous=True, panel=None, start=False, slow=10, **extra):
        starts = utcnow() + timedelta(hours=1)
        form = live_sessions.SessionForm(
            title=extra.get("title", "Housing: ask your councillors"),
            description=extra.get("description", "Rents, repairs and new homes."),
            starts_at=_local(starts),
            ends_at=_local(starts + timedelta(hours=2)),
            panel=[u.id for u in (panel or [people["councillor"], people["councillor2"]])],
            premoderate=premoderate,
            allow_anonymous=anonymous,
            chat_slow_seconds=slow,
        )
        live = live_sessions.schedule(host or people["admin"], form)
        if start:
            live_sessions.start(host or people["admin"], live.id)
        return live

    return make


@pytest.fixture
def live(schedule):
    """A live, pre-moderated session that takes anonymous questions."""
    return schedule(start=True)


@pytest.fixture
def connect(app):
    """A socket for a person (signed in over HTTP) or for an anonymous reader; all closed at teardown."""
    opened = []

    def make(user=None, lang=None):
        """`lang`: the page's language the room's script connects with (`?lang=cy`); None: none given."""
        browser = app.test_client()
        if user is not None:
            assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        tc = socketio.test_client(app, flask_test_client=browser, query_string=f"lang={lang}" if lang else None)
        assert tc.is_connected()
        opened.append(tc)
        return tc

    yield make
    for tc in opened:
        if tc.is_connected():
            tc.disconnect()
        type(tc).clients.pop(tc.eio_sid, None)
