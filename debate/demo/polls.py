"""Demo polls in the live demo session: one closed with its results, one open for a new user to answer.

Made through the poll services, as a host and residents would (`make run` shows them at once). Jo and
Alex (the demo residents who sign in) have not answered the open poll, so they can.
"""

from __future__ import annotations

from sqlalchemy import select

from debate.demo import live as live_demo
from debate.extensions import db
from debate.models import User
from debate.models.live import LiveSession
from debate.services.live import polls

FIRST_FIX = polls.PollForm(
    question="Which repair problem should the council tackle first?",
    question_cy="Pa broblem atgyweirio ddylai'r cyngor fynd i'r afael â hi gyntaf?",
    kind="single",
    options=["Damp and mould", "Heating and hot water", "Leaking roofs", "Broken lifts"],
    options_cy=["Lleithder a llwydni", "Gwres a dŵr poeth", "Toeau'n gollwng", "Lifftiau wedi torri"],
)
INFORMED = polls.PollForm(
    question="How well does the council keep you informed about repairs?",
    question_cy="Pa mor dda mae'r cyngor yn rhoi gwybod i chi am atgyweiriadau?",
    kind="scale",
)
# Who answered the closed poll (option by position) and the open one (1 to 5).
FIRST_FIX_ANSWERS = {
    live_demo.JO: 0,
    live_demo.ALEX: 1,
    live_demo.DEV: 0,
    live_demo.MARIA: 0,
    live_demo.GRACE: 2,
    live_demo.TOM: 1,
    live_demo.LEILA: 0,
}
INFORMED_ANSWERS = {live_demo.DEV: 2, live_demo.MARIA: 1, live_demo.GRACE: 3, live_demo.TOM: 2, live_demo.LEILA: 4}


def seed() -> bool:
    """Add the two polls to the live demo session; False when it is missing or has polls already."""
    live = db.session.scalar(select(LiveSession).where(LiveSession.title == live_demo.LIVE_TITLE))
    if live is None or live.state != LiveSession.LIVE or polls.listing(live, None):
        return False
    users = {u.email: u for u in db.session.scalars(select(User))}
    host = live.host
    with live_demo._votes_sent_at_once():  # noqa: SLF001 - the demo's own helper: no flusher in a command
        closed = polls.prepare(host, live.id, FIRST_FIX)
        polls.open_poll(host, closed.id)
        for email, option in FIRST_FIX_ANSWERS.items():
            polls.answer(users[email], closed.id, choices=[closed.options[option].id])
        polls.close_poll(host, closed.id)
        informed = polls.prepare(host, live.id, INFORMED)
        polls.open_poll(host, informed.id)
        for email, value in INFORMED_ANSWERS.items():
            polls.answer(users[email], informed.id, value=value)
    return True
