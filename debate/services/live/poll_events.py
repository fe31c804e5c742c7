"""Polls in the session's numbered events: opening, closing, and coalesced results.

Opening or closing a poll is a "poll" event carrying the poll whole (its
question, options, state and results, with the room's and the projector's
markup in every language), so a reconnecting client catches up like any other
change. Answers are announced the way votes are (`live_pulse`): an answer only
moves `Poll.changes`; each flush claims the difference with one conditional
UPDATE and sends ONE "poll_results" event with the current counts of the polls
that changed, however many answers came in between.

Results a host has hidden until the poll closes are never in a public event
(only the number of answers); the moderators' room (`live:poll_staff`) is sent
them with each flush. The snapshot a joining reader gets lists the session's
open and closed polls (`snapshot_polls`, registered with `live_events`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update

from debate.extensions import db
from debate.i18n import LANGUAGES
from debate.models.base import utcnow
from debate.models.live import LiveSession
from debate.models.polls import Poll
from debate.services import council_time, rendering
from debate.services.live import events as live_events
from debate.services.live import poll_results

ROOM_POLLS = (Poll.OPEN, Poll.CLOSED)


def _render(name: str, *args: Any, langs: Sequence[str] | None = None) -> dict[str, Any]:
    """One macro of templates/live/_poll_macros.html in each language, side by side (`live_events.localised`)."""
    made = {}
    for code in langs or LANGUAGES:
        with rendering.outside_request(), force_locale(code):
            context: dict[str, Any] = {"fragment": True}
            current_app.update_template_context(context)
            module = current_app.jinja_env.get_template("live/_poll_macros.html").make_module(context)
            made[code] = str(getattr(module, name)(*args)).strip()
    return {live_events.LOCALISED: made}


def poll_data(poll: Poll, staff: bool = False) -> dict[str, Any]:
    """A poll as data: what it asks (both languages), its state and its results as `staff` or everyone sees them."""
    return {
        "id": poll.id,
        "session_id": poll.session_id,
        "question": poll.question,
        "question_cy": poll.question_cy,
        "kind": poll.kind,
        "state": poll.state,
        "hide_results": poll.hide_results,
        "position": poll.position,
        "changes": poll.announced_changes,
        "options": [{"id": o.id, "label": o.label, "label_cy": o.label_cy} for o in poll.options],
        **council_time.stamps(opened_at=poll.opened_at, closed_at=poll.closed_at),
        "results": poll_results.plain(poll_results.results(poll, staff)),
    }


def poll_wire(poll: Poll) -> dict[str, Any]:
    """`poll_data` for everyone, with the markup the room (`room`: the poll and its form; `results`) and the
    projector (`projector`) show for it."""
    found = poll_results.results(poll)
    data = poll_data(poll)
    data["html"] = {
        "room": _render("poll_card", poll, found),
        "results": _render("poll_results", found),
        "projector": _render("projector_poll", poll, found),
    }
    return data


def results_wire(poll: Poll, changes: int) -> dict[str, Any]:
    """What a "poll_results" event carries for one poll: the counts, the changes they include (an answer
    whose ack said `change` <= this is counted) and the results' markup."""
    found = poll_results.results(poll)
    return {
        "id": poll.id,
        "state": poll.state,
        "changes": changes,
        "results": poll_results.plain(found),
        "html": {"results": _render("poll_results", found), "projector": _render("projector_poll", poll, found)},
    }


def record_poll(poll: Poll) -> None:
    """A poll opened or closed: one numbered "poll" event; the moderators are sent its full results."""
    live = poll.session
    db.session.flush()
    live_events.record(live, "poll", lambda: {"poll": poll_wire(poll)})
    _to_staff(live, [poll], tools=True)


def _to_staff(live: LiveSession, polls: list[Poll], tools: bool = False) -> None:
    """The moderators' view: full results (hidden ones too) and, when a poll opens or closes, its buttons
    ("Close the poll"), which the everyone's fragment never carries."""

    def staff(poll: Poll) -> dict[str, Any]:
        data: dict[str, Any] = {"id": poll.id, "html": _render("poll_results", poll_results.results(poll, True))}
        if tools:
            data["tools"] = _render("staff_tools", poll)
        return data

    live_events.to_staff(live, "live:poll_staff", {"polls": [staff(p) for p in polls]})


def close_open(live: LiveSession) -> None:
    """The session ended: its open polls close with it, each a "poll" event (in the caller's transaction)."""
    for poll in db.session.scalars(select(Poll).where(Poll.session_id == live.id, Poll.state == Poll.OPEN)):
        poll.state, poll.closed_at, poll.announced_changes = Poll.CLOSED, utcnow(), poll.changes
        record_poll(poll)


def flush_results(session_id: int, poll_ids: set[int]) -> None:
    """Claim the unannounced answers of these polls and number their counts as ONE "poll_results" event.

    The claim (announced_changes := changes where they differ) and the event commit together, so another
    process's flush finds nothing left, and a process killed before the commit leaves it for the sweep.
    """
    live = db.session.get(LiveSession, session_id)
    if live is None:
        return
    claimed: dict[int, int] = {
        poll_id: changes
        for poll_id, changes in db.session.execute(
            update(Poll)
            .where(Poll.id.in_(sorted(poll_ids)), Poll.announced_changes != Poll.changes, Poll.state == Poll.OPEN)
            .values(announced_changes=Poll.changes)
            .returning(Poll.id, Poll.announced_changes)
            .execution_options(synchronize_session=False)
        )
    }
    if claimed:
        polls = list(db.session.scalars(select(Poll).where(Poll.id.in_(claimed)).order_by(Poll.id)))
        live_events.record(live, "poll_results", lambda: {"polls": [results_wire(p, claimed[p.id]) for p in polls]})
        _to_staff(live, polls)
    db.session.commit()


def unannounced() -> list[tuple[int, int]]:
    """(session, poll) of every open poll of a live session with answers not yet announced (the sweep)."""
    rows = db.session.execute(
        select(Poll.session_id, Poll.id)
        .join(LiveSession, LiveSession.id == Poll.session_id)
        .where(LiveSession.state == LiveSession.LIVE, Poll.state == Poll.OPEN, Poll.announced_changes != Poll.changes)
    ).all()
    return [(session_id, poll_id) for session_id, poll_id in rows]


def snapshot_polls(live: LiveSession) -> dict[str, Any]:
    """The session's open and closed polls, for a joining reader's snapshot."""
    polls = db.session.scalars(
        select(Poll).where(Poll.session_id == live.id, Poll.state.in_(ROOM_POLLS)).order_by(Poll.position, Poll.id)
    )
    return {"polls": [poll_wire(p) for p in polls]}


live_events.add_snapshot_part(snapshot_polls)
