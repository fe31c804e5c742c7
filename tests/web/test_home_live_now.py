"""The home page leads with the session live now, and those starting soon, with a link to join (issue 12, item 23).

It used to list topics only: a resident arriving during a session was not told one was on.
"""

from __future__ import annotations

import re
from datetime import timedelta

from debate.extensions import db
from debate.models import Role
from debate.models.base import utcnow
from debate.models.live import LiveSession, SessionPanelist
from debate.services.live import sessions as live_sessions


def session(host, title: str, state: str, starts_in: timedelta, hours: int = 2) -> LiveSession:
    now = utcnow()
    row = LiveSession(
        title=title, host_id=host.id, starts_at=now + starts_in, ends_at=now + starts_in + timedelta(hours=hours)
    )
    row.state = state
    if state == LiveSession.LIVE:
        row.started_at = now + starts_in
    row.panel = [SessionPanelist(user_id=host.id)]
    db.session.add(row)
    db.session.commit()
    return row


def on_now_section(client) -> str | None:
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'<section class="on-now".*?</section>', page, re.S)
    return found.group(0) if found else None


def test_live_and_soon_sessions_lead_the_home_page(client, make_user):
    rep = make_user(Role.REPRESENTATIVE, name="Cllr Rota")
    live = session(rep, "Housing: live now", LiveSession.LIVE, timedelta(minutes=-20))
    soon = session(rep, "Buses: starting soon", LiveSession.SCHEDULED, timedelta(hours=3))
    late = session(rep, "Parks: due to start", LiveSession.SCHEDULED, timedelta(minutes=-10))
    session(rep, "Libraries: next week", LiveSession.SCHEDULED, timedelta(days=7))
    session(rep, "Bins: over", LiveSession.ENDED, timedelta(days=-1))
    session(rep, "Roads: cancelled", LiveSession.CANCELLED, timedelta(hours=2))
    box = on_now_section(client)
    assert box is not None
    assert '<h2 id="on-now-heading">Live now</h2>' in box
    assert f'<a class="button" href="/sessions/{live.id}">Join the session' in box
    assert "Housing: live now" in box and "Cllr Rota" in box
    assert box.index("Parks: due to start") < box.index("Buses: starting soon")  # soonest first
    assert f'href="/sessions/{soon.id}"' in box and f'href="/sessions/{late.id}"' in box
    for elsewhere in ("Libraries: next week", "Bins: over", "Roads: cancelled"):
        assert elsewhere not in box
    on_now = live_sessions.on_now()
    assert [s.id for s in on_now.live] == [live.id] and [s.id for s in on_now.soon] == [late.id, soon.id]


def test_only_starting_soon(client, make_user):
    rep = make_user(Role.REPRESENTATIVE)
    soon = session(rep, "Buses: starting soon", LiveSession.SCHEDULED, timedelta(hours=1))
    box = on_now_section(client)
    assert '<h2 id="on-now-heading">Starting soon</h2>' in box and f'href="/sessions/{soon.id}">Open the room' in box


def test_nothing_on_nothing_shown(client, make_user):
    rep = make_user(Role.REPRESENTATIVE)
    session(rep, "Libraries: next week", LiveSession.SCHEDULED, timedelta(days=3))
    session(rep, "Parks: long over", LiveSession.SCHEDULED, timedelta(days=-2))  # never started, and past its end
    assert on_now_section(client) is None
    assert not live_sessions.on_now()
