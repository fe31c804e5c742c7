"""What the live Q&A pages show: the room, the projector and the transcript, read in one place.

The pages are server-rendered and work without JavaScript; the room's script
then keeps them current from the event log. Only reading happens here: every
change goes through `live_sessions`, `live_questions` and `live_chat`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from debate.extensions import db
from debate.models.accounts import User
from debate.models.live import ChatMessage, LiveSession, SessionAnnouncement, SessionQuestion
from debate.models.topics import Topic
from debate.permissions import Permission, has
from debate.services import live_events, live_order, live_pulse, live_questions, live_sessions

SORTS = {"top": "Top", "new": "Newest", "answered": "Answered"}
PROJECTOR_NEXT = 5


@dataclass
class Room:
    live: LiveSession
    roles: dict[str, bool]
    sort: str
    questions: list[SessionQuestion]  # the chosen tab's list
    answering: list[SessionQuestion]
    next_up: list[SessionQuestion]
    awaiting: list[SessionQuestion]  # after the session: waiting for a written answer
    public: list[SessionQuestion]  # every question shown in the room (merge targets)
    tally: dict[str, int]
    announcements: list[SessionAnnouncement]
    chat: list[ChatMessage]
    participants: int
    ask_refusal: str | None
    chat_refusal: str | None
    my_votes: set[int] = field(default_factory=set)
    mine: list[tuple[SessionQuestion, dict[str, Any]]] = field(default_factory=list)
    pending: list[SessionQuestion] = field(default_factory=list)
    more: int = 0  # questions of this tab not on the page yet ("Show more")

    @property
    def listed_ids(self) -> set[int]:
        return {q.id for q in self.questions}


def _signed_in(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def clean_sort(value: object) -> str:
    return value if isinstance(value, str) and value in SORTS else "top"


def refusal(user: User | None, live: LiveSession, doing: str) -> str | None:
    """Why this person can't ask or chat here right now (None when they can)."""
    if live.state == LiveSession.SCHEDULED:
        return f"This session has not started yet: you can {doing} once it is live."
    if live.state != LiveSession.LIVE:
        return f"This session is over: you can no longer {doing} here."
    if not _signed_in(user):
        return f"Sign in to {doing}."
    if not has(user, Permission.POST):
        return f"Your account can't {doing} at the moment (has your email address been confirmed?)."
    return None


def _tab(sort: str, public: list[SessionQuestion]) -> list[SessionQuestion]:
    if sort == "new":
        return sorted(public, key=lambda q: q.id, reverse=True)
    if sort == "answered":
        done = [q for q in public if q.status == SessionQuestion.ANSWERED]
        return sorted(done, key=lambda q: (q.answered_at, q.id), reverse=True)
    return list(live_order.ranked(public))


PAGE = 50


def clean_shown(value: object) -> int:
    """How many questions of the tab the page lists: 50, 100, ... (the live layer shows them all)."""
    try:
        shown = int(str(value))
    except (TypeError, ValueError):
        return PAGE
    return min(max(PAGE, shown - shown % PAGE), 10_000)


def room(user: User | None, session_id: object, sort: object = "top", shown: object = PAGE) -> Room:
    """Everything the room page shows. The list is cut at `shown`: a page listing 1,000 questions
    costs ~0.4 ms of template per question, and a phone without JavaScript does not want them all."""
    live = live_sessions.get(session_id)
    sort = clean_sort(sort)
    limit = clean_shown(shown)
    public = live_events.public_questions(live.id)
    answering = [q for q in public if q.status == SessionQuestion.ANSWERING]
    pinned = sorted((q for q in public if q.pinned_at is not None), key=lambda q: q.pinned_at)
    awaiting = sorted(
        (q for q in public if q.status == SessionQuestion.AWAITING), key=lambda q: live_order.natural_key(q)
    )
    data = Room(
        live=live,
        roles=live_sessions.roles(user, live),
        sort=sort,
        questions=_tab(sort, public)[:limit],
        answering=answering,
        next_up=pinned,
        awaiting=awaiting if live.state == LiveSession.ENDED else [],
        public=public,
        tally=live_events.tally(live.id),
        announcements=announcements(live.id),
        chat=chat(live.id),
        participants=live_pulse.participants(live.id),
        ask_refusal=refusal(user, live, "ask a question"),
        chat_refusal=refusal(user, live, "chat"),
    )
    data.more = max(0, len(_tab(sort, public)) - limit)
    if _signed_in(user):
        data.my_votes = live_questions.voted(user, [q.id for q in public])
        own = db.session.scalars(
            select(SessionQuestion)
            .where(SessionQuestion.session_id == live.id, SessionQuestion.author_id == user.id)
            .order_by(SessionQuestion.id.desc())
        )
        data.mine = [(q, live_events.mine_data(q)) for q in own]
        if data.roles["moderator"]:
            data.pending = live_events.held_questions(live.id)
    return data


def announcements(session_id: int) -> list[SessionAnnouncement]:
    """Newest first."""
    stmt = (
        select(SessionAnnouncement)
        .where(SessionAnnouncement.session_id == session_id)
        .order_by(SessionAnnouncement.id.desc())
        .limit(live_events.ANNOUNCEMENTS_SHOWN)
    )
    return list(db.session.scalars(stmt))


def chat(session_id: int) -> list[ChatMessage]:
    """The last messages shown in the room, oldest first (as a conversation reads)."""
    stmt = (
        select(ChatMessage)
        .options(selectinload(ChatMessage.author).selectinload(User.representative))
        .where(ChatMessage.session_id == session_id, ChatMessage.state.in_(ChatMessage.PUBLIC_STATES))
        .order_by(ChatMessage.id.desc())
        .limit(live_events.CHAT_SHOWN)
    )
    return list(reversed(list(db.session.scalars(stmt))))


def projector(session_id: object) -> dict[str, Any]:
    """The chamber screen: what is being answered, then what comes next (pinned first, then the fair order)."""
    live = live_sessions.get(session_id)
    public = live_events.public_questions(live.id)
    pinned = sorted((q for q in public if q.pinned_at is not None), key=lambda q: q.pinned_at)
    ranked = [q for q in live_order.ranked(public) if q.pinned_at is None]
    return {
        "live": live,
        "answering": [q for q in public if q.status == SessionQuestion.ANSWERING],
        "next": (pinned + ranked)[:PROJECTOR_NEXT],
        "participants": live_pulse.participants(live.id),
        "tally": live_events.tally(live.id),
    }


def transcript(session_id: object) -> dict[str, Any]:
    live = live_sessions.get(session_id)
    questions = live_questions.transcript(live)
    return {
        "live": live,
        "taken": [q for q in questions if q.taken_at is not None],
        "awaiting": [q for q in questions if q.status == SessionQuestion.AWAITING and q.taken_at is None],
        "open": [q for q in questions if q.status == SessionQuestion.OPEN and q.taken_at is None],
        "tally": live_events.tally(live.id),
    }


TALLY_PARTS = (
    ("open", "open"),
    ("answered", "answered"),
    ("awaiting_answer", "awaiting a written answer"),
    ("awaiting_review", "awaiting review"),
    ("rejected", "rejected"),
    ("hidden", "hidden"),
    ("withdrawn", "withdrawn"),
    ("merged", "merged"),
)


def tally_sentence(tally: dict[str, int]) -> str:
    """Every question accounted for, in one sentence; only the states some question is in are named.

    The room's script builds the same sentence from live updates (live_session.js `tallySentence`).
    """
    asked = tally.get("asked", 0)
    if not asked:
        return "No questions asked yet."
    parts = ", ".join(f"{tally[key]} {label}" for key, label in TALLY_PARTS if tally.get(key))
    return f"{asked} question{'' if asked == 1 else 's'} asked: {parts}."


def topics() -> list[Topic]:
    return list(db.session.scalars(select(Topic).order_by(Topic.title)))
