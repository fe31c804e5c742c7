"""The demo's polls: the live session has a closed poll with answers and an open one a demo resident can answer."""

from __future__ import annotations

from sqlalchemy import select

from debate.demo import live as live_demo
from debate.demo import polls as poll_demo
from debate.demo import seeding
from debate.extensions import db
from debate.models import User
from debate.models.live import LiveSession
from debate.models.polls import Poll
from debate.services.live import poll_results


def test_the_live_demo_session_has_a_closed_and_an_open_poll(app, client):
    seeding.load_demo(password_factory=lambda: "demo-password-123")
    live = db.session.scalar(select(LiveSession).where(LiveSession.title == live_demo.LIVE_TITLE))
    polls = list(db.session.scalars(select(Poll).where(Poll.session_id == live.id).order_by(Poll.id)))
    assert [p.state for p in polls] == [Poll.CLOSED, Poll.OPEN]
    closed, still_open = polls
    assert poll_results.results(closed).answers == len(poll_demo.FIRST_FIX_ANSWERS)
    assert poll_results.results(still_open).answers == len(poll_demo.INFORMED_ANSWERS)
    assert closed.question_cy and all(o.label_cy for o in closed.options)
    assert poll_demo.seed() is False  # loading it again adds nothing
    jo = db.session.scalar(select(User).where(User.email == live_demo.JO))
    assert jo.email not in poll_demo.INFORMED_ANSWERS  # Jo can try answering the open poll
    page = client.get(f"/sessions/{live.id}").get_data(as_text=True)
    assert "Which repair problem should the council tackle first?" in page
    assert "How well does the council keep you informed about repairs?" in page
