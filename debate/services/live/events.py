"""The numbered event log of a live session, and what a (re)joining client is sent.

`record` gives the change the session's next sequence number (one UPDATE of
the session row, which also serialises the session's writers so numbers
follow commit order), stores it, and queues the broadcast for after the
commit. Every event carries the full current state of what it is about, so
applying one twice, or after a snapshot that already had it, is harmless.

Rooms: `live:<id>` (everyone reading), `live:<id>:staff` (moderators: held
questions), and each member's own `user:<id>` room on "/" (their questions'
review status).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Row, Select, func, select, update
from sqlalchemy.orm import selectinload

from debate import broadcast, ratelimit
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import (
    ChatMessage,
    LiveSession,
    QuestionVote,
    SessionAnnouncement,
    SessionEvent,
    SessionQuestion,
)
from debate.permissions import signed_in
from debate.services import after_commit, council_time
from debate.services.live import order as live_order
from debate.services.live import roles as live_roles
from debate.services.markdown import render_markdown
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation.text import category_label

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
JOIN = ratelimit.limit(
    "live.join",
    "30/minute",
    "You can join sessions at most 30 times a minute. Please wait a moment and try again.",
)
LEAVE = ratelimit.limit(
    "live.leave",
    "30/minute",
    "You can leave sessions at most 30 times a minute. Please wait a moment and try again.",
)

EVENT = "live:event"
SNAPSHOT_SECONDS = 5.0
CHAT_SHOWN = 50
ANNOUNCEMENTS_SHOWN = 20


def room(session_id: int) -> str:
    return f"live:{session_id}"


def staff_room(session_id: int) -> str:
    return f"live:{session_id}:staff"


def is_staff_room(name: str) -> bool:
    """A session's moderators' room (`staff_room`): held questions, with askers' real names."""
    head, _, rest = name.partition(":")
    number, _, tail = rest.partition(":")
    return head == "live" and number.isdigit() and tail == "staff"


# --- writing ----------------------------------------------------------------------------------


def record(live: LiveSession, kind: str, data: dict[str, Any] | Callable[[], dict[str, Any]]) -> SessionEvent:
    """Number and store one event in the caller's transaction; it is broadcast after the commit.

    `data` may be a function: it is called once the number is taken, i.e.
    once this transaction holds the session's row lock, so what it reads is
    at least as new as every earlier event of the session.
    """
    seq = db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == live.id)
        .values(seq=LiveSession.seq + 1)
        .returning(LiveSession.seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    event = SessionEvent(
        session_id=live.id, seq=seq, kind=kind, data=data() if callable(data) else data, created_at=utcnow()
    )
    db.session.add(event)
    after_commit.later(EVENT, wire(event), room(live.id))
    return event


def record_session(live: LiveSession) -> SessionEvent:
    return record(live, "session", lambda: {"session": session_data(live)})


def record_questions(live: LiveSession, questions: list[SessionQuestion]) -> SessionEvent:
    """Questions changed (asked, approved, answered, merged, hidden...): their state, the new order, the tally."""

    def build() -> dict[str, Any]:
        db.session.flush()
        for question in questions:
            db.session.refresh(question, ["vote_count"])  # votes are counted outside this lock
        return {
            "questions": [question_data(q) for q in questions],
            "top": top_ids(live.id),
            "tally": tally(live.id),
        }

    return record(live, "questions", build)


def wire(event: SessionEvent) -> dict[str, Any]:
    """The envelope clients receive. `at` (ms since the epoch, server clock) is when the event was numbered,
    inside its transaction: receipt time minus `at` is the whole fan-out (commit, message queue, delivery),
    which is what bench/live_load.py reports."""
    return {
        "session_id": event.session_id,
        "seq": event.seq,
        "kind": event.kind,
        "at": round(event.created_at.replace(tzinfo=UTC).timestamp() * 1000, 1),
        "data": event.data,
    }


def to_staff(live: LiveSession, name: str, data: dict[str, Any]) -> None:
    """Moderators in the room (held questions), after the commit; they resync on reconnect."""
    after_commit.later(name, {"session_id": live.id, **data}, staff_room(live.id))


def to_asker(question: SessionQuestion) -> None:
    """The asker's own view of their question (awaiting review, rejected...), after the commit."""
    payload = {"session_id": question.session_id, "question": mine_data(question)}
    after_commit.later("live:mine", payload, broadcast.user_room(question.author_id))


# --- what events carry ------------------------------------------------------------------------


def session_data(live: LiveSession) -> dict[str, Any]:
    return {
        "id": live.id,
        "title": live.title,
        "state": live.state,
        **council_time.stamps(
            starts_at=live.starts_at, ends_at=live.ends_at, started_at=live.started_at, ended_at=live.ended_at
        ),
        "premoderate": live.premoderate,
        "allow_anonymous": live.allow_anonymous,
        "chat_slow_seconds": live.chat_slow_seconds,
    }


def public_name(question: SessionQuestion) -> str:
    """Anonymous questions are anonymous to the public, never to moderators (see `staff_data`)."""
    return "Anonymous" if question.anonymous else question.author.public_name


def question_data(question: SessionQuestion) -> dict[str, Any]:
    """A question as everyone sees it. Not public (held, rejected, withdrawn): only its id and that it is gone."""
    if not question.is_public:
        return {"id": question.id, "visible": False}
    answered_by = question.answered_by
    return {
        "id": question.id,
        "visible": True,
        "body": question.body,
        "body_html": str(render_markdown(question.body)),
        "author": public_name(question),
        "votes": question.vote_count,
        "status": question.status,
        "pinned": question.pinned_at is not None,
        "edited_by_moderator": question.state == "edited",
        **council_time.stamps(
            created_at=question.created_at, taken_at=question.taken_at, answered_at=question.answered_at
        ),
        "answered_live": question.answered_live,
        "answered_by": answered_by.public_name if answered_by else None,
        "answer_html": str(render_markdown(question.answer_body)) if question.answer_body else None,
        "merged_into": question.merged_into_id,
        "out_of_order": live_order.departure(question.out_of_order_reason, question.out_of_order_note),
    }


REVIEW_LABELS = {
    "held": "Awaiting review: only you and the moderators can see it.",
    "withdrawn": "You withdrew this question.",
    "flag_hidden": "Hidden while moderators review flags about it.",
}


def mine_data(question: SessionQuestion) -> dict[str, Any]:
    """The asker's view of their own question: public ones as everyone sees them, plus why others are not."""
    data: dict[str, Any] = question_data(question) if question.is_public else {"id": question.id, "visible": False}
    data.update(body=question.body, state=question.state, review=_review_label(question))
    return data


def _review_label(question: SessionQuestion) -> str:
    if question.state in REVIEW_LABELS:
        return REVIEW_LABELS[question.state]
    if question.state in ("removed", "hidden"):
        reason = category_label(question.state_category) or "no reason given"
        note = f" Note from the moderator: {question.state_note}" if question.state_note else ""
        return f"Rejected by a moderator. Reason: {reason}.{note}"
    if question.status == SessionQuestion.MERGED:
        return "Merged with a question asking the same thing: your support now counts there."
    return ""


def staff_data(question: SessionQuestion, item_id: int | None) -> dict[str, Any]:
    """A held question for moderators: the real author even when anonymous to the public."""
    return {
        "id": question.id,
        "body": question.body,
        "body_html": str(render_markdown(question.body)),
        "author": question.author.public_name,
        "anonymous": question.anonymous,
        **council_time.stamps(created_at=question.created_at),
        "review_item_id": item_id,
        "reason": question.state_note or "",
    }


def chat_data(message: ChatMessage) -> dict[str, Any]:
    if not message.is_public:
        return {"id": message.id, "visible": False}
    return {
        "id": message.id,
        "visible": True,
        "body_html": str(render_markdown(message.body)),
        "author": message.author.public_name,
        "verified": message.author.is_verified_representative,
        **council_time.stamps(created_at=message.created_at),
    }


def announcement_data(note: SessionAnnouncement) -> dict[str, Any]:
    return {
        "id": note.id,
        "body_html": str(render_markdown(note.body)),
        "author": note.author.public_name,
        **council_time.stamps(created_at=note.created_at),
    }


# --- joining: catch-up or snapshot --------------------------------------------------------------


def events_after(live: LiveSession, last_seq: int) -> list[dict[str, Any]] | None:
    """The events after `last_seq`, or None when the client must take a full snapshot instead.

    None when the gap is longer than LIVE_CATCH_UP_MAX (a snapshot is smaller
    than replaying it), or when the client claims a number this session never
    reached (its memory is from another database, or forged).
    """
    current = live.seq
    if last_seq < 0 or last_seq > current or current - last_seq > current_app.config["LIVE_CATCH_UP_MAX"]:
        return None
    rows = db.session.scalars(
        select(SessionEvent)
        .where(SessionEvent.session_id == live.id, SessionEvent.seq > last_seq)
        .order_by(SessionEvent.seq)
    )
    return [wire(e) for e in rows]


_snapshots: dict[tuple[Any, ...], dict[str, Any]] = {}  # the latest public snapshot per session, by sequence number


def snapshot(live: LiveSession) -> dict[str, Any]:
    """Everything a new reader needs, built once per sequence number and shared by everyone who joins meanwhile.

    A thousand residents joining at the start of a session would otherwise each cost a full read of the
    room. Reusing it is safe because everything in it changes only with a numbered event, and a joiner
    applies the events after the number it was given: vote counts committed since the snapshot was built
    are not numbered yet, so they arrive in the next "votes" event. The key includes the app and the
    session's creation time, so a cached room is never served from another database (tests build many).
    It is kept for SNAPSHOT_SECONDS at most: what changes without an event (a deleted account's name
    becoming "former member") shows within seconds, as on a page.
    """
    key = (id(current_app._get_current_object()), live.id, live.created_at)  # type: ignore[attr-defined]  # a LocalProxy
    cached = _snapshots.get(key)
    now = time.monotonic()
    if cached is not None and cached["seq"] == live.seq and now - cached["at"] < SNAPSHOT_SECONDS:
        fresh: dict[str, Any] = cached["data"]
        return fresh
    seq = live.seq
    data = _build_snapshot(live)
    if len(_snapshots) > 1000:  # one entry per session joined recently; never grows without bound
        _snapshots.clear()
    _snapshots[key] = {"seq": seq, "at": now, "data": data}
    return data


def _build_snapshot(live: LiveSession) -> dict[str, Any]:
    questions = public_questions(live.id)
    chat = list(
        db.session.scalars(
            select(ChatMessage)
            .options(selectinload(ChatMessage.author).selectinload(User.representative))
            .where(ChatMessage.session_id == live.id, ChatMessage.state.in_(ChatMessage.PUBLIC_STATES))
            .order_by(ChatMessage.id.desc())
            .limit(CHAT_SHOWN)
        )
    )
    notes = list(
        db.session.scalars(
            select(SessionAnnouncement)
            .where(SessionAnnouncement.session_id == live.id)
            .order_by(SessionAnnouncement.id.desc())
            .limit(ANNOUNCEMENTS_SHOWN)
        )
    )
    return {
        "session": session_data(live),
        "questions": [question_data(q) for q in questions],
        "top": live_order.fair_top(questions),
        "chat": [chat_data(m) for m in reversed(chat)],
        "announcements": [announcement_data(n) for n in reversed(notes)],
        "tally": tally(live.id),
    }


def _with_people(stmt: Select[tuple[SessionQuestion]]) -> Select[tuple[SessionQuestion]]:
    """Load askers (with their representative profile, for the badge) and answerers in two queries, not 2N."""
    return stmt.options(
        selectinload(SessionQuestion.author).selectinload(User.representative),
        selectinload(SessionQuestion.answered_by),
    )


def top_ids(session_id: int) -> list[int]:
    """The fair top order from five small columns of the open questions: no ORM objects, no text.

    Sent with every change to the questions and every coalesced vote flush,
    so it must stay cheap in a room of 1,000 questions.
    """
    return live_order.fair_top(open_outline(session_id))  # pinned ones are shown apart: `ranked` leaves them out


def open_outline(session_id: int) -> Sequence[Row[tuple[int, int, int, str, datetime | None]]]:
    """The room's open questions as the five columns the published order reads (`live_order`)."""
    return db.session.execute(
        select(
            SessionQuestion.id,
            SessionQuestion.author_id,
            SessionQuestion.vote_count,
            SessionQuestion.status,
            SessionQuestion.pinned_at,
        ).where(*shown_in_room(session_id), SessionQuestion.status == SessionQuestion.OPEN)
    ).all()


def shown_in_room(session_id: int) -> tuple[ColumnElement[bool], ...]:
    """Which questions the room shows, as WHERE conditions: public, not merged into another. The one rule
    for the live updates, the top order, the pages (`live_pages`) and the transcript and its exports."""
    return (
        SessionQuestion.session_id == session_id,
        SessionQuestion.state.in_(SessionQuestion.PUBLIC_STATES),
        SessionQuestion.status != SessionQuestion.MERGED,
    )


def shown(question: SessionQuestion) -> bool:
    """`shown_in_room` for one question already loaded."""
    return question.is_public and question.status != SessionQuestion.MERGED


def awaits_written_answer(question: SessionQuestion) -> bool:
    """The one rule for "Awaiting a written answer", wherever it is said (room, transcript, exports, the asker's
    list, the record): the room shows the question and its session ended before the panel answered it.

    Ending a session moves every open question, held ones included, to `AWAITING`; so a held question
    approved afterwards awaits a written answer from the moment it is shown, whichever came first.
    """
    return shown(question) and question.status == SessionQuestion.AWAITING


def public_questions(session_id: int) -> list[SessionQuestion]:
    stmt = _with_people(select(SessionQuestion).where(*shown_in_room(session_id)).order_by(SessionQuestion.id))
    return list(db.session.scalars(stmt))


def personal(user: User | None, live: LiveSession) -> dict[str, Any]:
    """What only this reader sees: their votes, their questions' review status, and held questions for moderators."""

    data: dict[str, Any] = {"roles": live_roles.roles(user, live), "my_votes": [], "mine": [], "pending": None}
    if not signed_in(user):
        return data
    data["my_votes"] = list(
        db.session.scalars(
            select(QuestionVote.question_id)
            .join(SessionQuestion, SessionQuestion.id == QuestionVote.question_id)
            .where(QuestionVote.user_id == user.id, SessionQuestion.session_id == live.id)
        )
    )
    own = db.session.scalars(
        select(SessionQuestion)
        .where(SessionQuestion.session_id == live.id, SessionQuestion.author_id == user.id)
        .order_by(SessionQuestion.id)
    )
    data["mine"] = [mine_data(q) for q in own]
    if live_roles.is_moderator(user):
        held = held_questions(live.id)
        data["pending"] = [staff_data(q, getattr(moderation_queue.find("question", q.id), "id", None)) for q in held]
    return data


def held_questions(session_id: int) -> list[SessionQuestion]:
    stmt = _with_people(
        select(SessionQuestion)
        .where(SessionQuestion.session_id == session_id, SessionQuestion.state == "held")
        .order_by(SessionQuestion.id)
    )
    return list(db.session.scalars(stmt))


def tally(session_id: int) -> dict[str, int]:
    """Every question accounted for: how many were asked and where each one is now."""
    rows = db.session.execute(
        select(SessionQuestion.state, SessionQuestion.status, func.count())
        .where(SessionQuestion.session_id == session_id)
        .group_by(SessionQuestion.state, SessionQuestion.status)
    ).all()
    counts = dict.fromkeys(
        (
            "asked",
            "awaiting_review",
            "rejected",
            "hidden",
            "withdrawn",
            "merged",
            "answered",
            "open",
            "awaiting_answer",
        ),
        0,
    )
    for state, status, n in rows:
        counts["asked"] += n
        if state == "held":
            counts["awaiting_review"] += n
        elif state == "removed":
            counts["rejected"] += n
        elif state in ("hidden", "flag_hidden"):
            counts["hidden"] += n
        elif state == "withdrawn":
            counts["withdrawn"] += n
        elif status == SessionQuestion.MERGED:
            counts["merged"] += n
        elif status == SessionQuestion.ANSWERED:
            counts["answered"] += n
        elif status == SessionQuestion.AWAITING:
            counts["awaiting_answer"] += n
        else:
            counts["open"] += n
    return counts
