"""What the live Q&A pages show: the room, the projector and the transcript, read in one place.

The pages are server-rendered and work without JavaScript; the room's script
then keeps them current from the event log. Only reading happens here: every
change goes through `live_sessions`, `live_questions` and `live_chat`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from debate.errors import NotFound
from debate.extensions import db
from debate.models.accounts import User
from debate.models.live import ChatMessage, LiveSession, SessionAnnouncement, SessionPanelist, SessionQuestion
from debate.models.topics import Topic
from debate.permissions import Permission, has, signed_in
from debate.services import bilingual
from debate.services.live import events as live_events
from debate.services.live import order as live_order
from debate.services.live import order_in_use, poll_pages
from debate.services.live import pulse as live_pulse
from debate.services.live import questions as live_questions
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions
from debate.services.live import skips as live_skips
from debate.services.moderation import standing as moderation_standing

SORTS = {"top": _l("Top"), "new": _l("Newest"), "answered": _l("Answered")}
PROJECTOR_NEXT = live_events.PROJECTOR_NEXT
PAGE = 50  # questions a room or transcript lists at a time without JavaScript ("Show more" for the next 50)


@dataclass
class Room:
    live: LiveSession
    roles: dict[str, bool]
    sort: str
    questions: list[SessionQuestion]  # the chosen tab's list, cut at `shown`
    answering: list[SessionQuestion]
    next_up: list[SessionQuestion]
    awaiting: list[SessionQuestion]  # after the session: waiting for a written answer
    tally: dict[str, int]
    announcements: list[SessionAnnouncement]
    chat: list[ChatMessage]
    participants: int
    ask_refusal: str | None
    chat_refusal: str | None
    restriction: moderation_standing.Restriction | None = None  # a sanction stops them asking and chatting now
    my_votes: set[int] = field(default_factory=set)
    mine: list[tuple[SessionQuestion, dict[str, Any]]] = field(default_factory=list)
    pending: list[SessionQuestion] = field(default_factory=list)
    merge_targets: list[Row[Any]] = field(default_factory=list)  # moderators: (id, body) of questions to merge into
    merge_target_ids: set[int] = field(default_factory=set)
    more: int = 0  # questions of this tab not on the page yet ("Show more")
    more_awaiting: int = 0  # after the session: questions awaiting a written answer not listed yet
    shown: int = PAGE
    polls: list[Any] = field(default_factory=list)  # poll_pages.PollView: open first, then drafts (staff), closed
    order: order_in_use.InUse = field(default_factory=order_in_use.InUse)  # the published order in use
    chat_kept: int = live_events.CHAT_SHOWN  # the room lists the last messages only; the script keeps as many

    @property
    def listed_ids(self) -> set[int]:
        return {q.id for q in self.questions}

    @property
    def title(self) -> bilingual.Shown:
        """The session's title in the reader's language when the council wrote one (with its `lang`)."""
        return bilingual.pick(self.live, "title")

    @property
    def description(self) -> bilingual.Shown:
        return bilingual.pick(self.live, "description")


def clean_sort(value: object) -> str:
    return value if isinstance(value, str) and value in SORTS else "top"


def refusal(user: User | None, live: LiveSession, doing: str) -> str | None:
    """Why this person can't ask or chat here right now (None when they can)."""
    chat = doing == "chat"
    if live.state == LiveSession.SCHEDULED:
        if chat:
            return _("This session has not started yet: you can chat once it is live.")
        return _("This session has not started yet: you can ask a question once it is live.")
    if live.state != LiveSession.LIVE:
        return (
            _("This session is over: you can no longer chat here.")
            if chat
            else _("This session is over: you can no longer ask a question here.")
        )
    if not signed_in(user):
        return _("Sign in to chat.") if chat else _("Sign in to ask a question.")
    if not has(user, Permission.POST):
        if chat:
            return _("Your account can't chat at the moment (has your email address been confirmed?).")
        return _("Your account can't ask a question at the moment (has your email address been confirmed?).")
    return None


# --- which questions a page shows: decided on a few small columns, then only those are loaded ----------


def _with_panel(live: LiveSession) -> LiveSession:
    """The session with its panel, the panellists and their profiles (the pages name them with their badge) in
    one query, instead of one for the list and one per panellist not already loaded."""
    panel = db.session.scalars(
        select(SessionPanelist)
        .options(joinedload(SessionPanelist.user).joinedload(User.representative))
        .where(SessionPanelist.session_id == live.id)
        .order_by(SessionPanelist.id)
    ).all()
    set_committed_value(live, "panel", list(panel))
    return live


def _load(ids: Iterable[int]) -> dict[int, SessionQuestion]:
    """Whole questions, with their askers (and representative badge) and answerers, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    stmt = (
        select(SessionQuestion)
        .options(
            joinedload(SessionQuestion.author).joinedload(User.representative),
            joinedload(SessionQuestion.answered_by),
        )
        .where(SessionQuestion.id.in_(wanted))
    )
    return {q.id: q for q in db.session.scalars(stmt).unique()}


def clean_shown(value: object) -> int:
    """How many questions of the tab the page lists: 50, 100, ... (the live layer shows them all)."""
    try:
        shown = int(str(value))
    except (TypeError, ValueError):
        return PAGE
    return min(max(PAGE, shown - shown % PAGE), 10_000)


def room(user: User | None, session_id: object, sort: object = "top", shown: object = PAGE) -> Room:
    """Everything the room page shows. The tab's order is computed from a few columns of every question;
    only the questions the page lists (`shown` of the tab, 50 by default: a phone without JavaScript does not
    want 1,000, and each costs ~0.4 ms of template) are loaded whole, so the page's queries and time stay
    the same however many questions the room has."""
    live = _with_panel(live_sessions.get(session_id))
    sort = clean_sort(sort)
    limit = clean_shown(shown)
    outline = live_events.room_outline(live.id)
    in_use = order_in_use.of(live.id)
    tab = live_events.tab_order(sort, outline, in_use.scores)
    answering = [q.id for q in live_events.answering_order(outline)]
    pinned = [q.id for q in live_events.next_up_order(outline)]
    awaiting = []
    if live.state == LiveSession.ENDED:
        waiting = [q for q in outline if q.status == SessionQuestion.AWAITING]
        awaiting = [q.id for q in sorted(waiting, key=live_order.natural_key)]
    listed = [q.id for q in tab[:limit]]
    loaded = _load([*listed, *answering, *pinned, *awaiting[:limit]])
    data = Room(
        live=live,
        roles=live_roles.roles(user, live),
        sort=sort,
        questions=[loaded[i] for i in listed],
        answering=[loaded[i] for i in answering],
        next_up=[loaded[i] for i in pinned],
        awaiting=[loaded[i] for i in awaiting[:limit]],
        tally=live_events.tally(live.id),
        announcements=announcements(live.id),
        chat=chat(live.id),
        participants=live_pulse.participants(live.id),
        ask_refusal=refusal(user, live, "ask a question"),
        chat_refusal=refusal(user, live, "chat"),
        restriction=moderation_standing.restriction(user) if live.state == LiveSession.LIVE else None,
        more=max(0, len(tab) - limit),
        more_awaiting=max(0, len(awaiting) - limit),
        shown=limit,
        polls=poll_pages.room_polls(user, live),
        order=in_use,
    )
    if signed_in(user):
        data.my_votes = live_questions.voted(user, list(loaded))
        own = db.session.scalars(
            select(SessionQuestion)
            .where(SessionQuestion.session_id == live.id, SessionQuestion.author_id == user.id)
            .order_by(SessionQuestion.id.desc())
        )
        data.mine = [(q, {"review": _review(q)}) for q in own]
        if data.roles["moderator"]:
            data.pending = live_events.held_questions(live.id)
            data.merge_targets = merge_targets(live.id)
            data.merge_target_ids = {t.id for t in data.merge_targets}
    return data


def _review(question: SessionQuestion) -> str:
    """The one part of `live_events.mine_data` the page's "Your questions" item shows: why others do not see
    the question, or what became of it. A public question that was not merged has nothing to say, so only the
    others pay for `mine_data` (its markdown and times cost ~0.15 ms a question, and one asker may have 100)."""
    if question.is_public and question.status != SessionQuestion.MERGED:
        return ""
    return str(live_events.mine_data(question)["review"])


def merge_targets(session_id: int) -> list[Row[Any]]:
    return live_events.merge_targets(session_id)


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
        .options(joinedload(ChatMessage.author).joinedload(User.representative))  # with the messages: one query
        .where(ChatMessage.session_id == session_id, ChatMessage.state.in_(ChatMessage.PUBLIC_STATES))
        .order_by(ChatMessage.id.desc())
        .limit(live_events.CHAT_SHOWN)
    )
    return list(reversed(list(db.session.scalars(stmt))))


def projector(session_id: object) -> dict[str, Any]:
    """The chamber screen: what is being answered, then what comes next (pinned first, then the fair order)."""
    live = live_sessions.get(session_id)
    outline = live_events.room_outline(live.id)
    in_use = order_in_use.of(live.id)
    answering = [q.id for q in live_events.answering_order(outline)]
    upcoming = [q.id for q in live_events.projector_order(outline, in_use.scores)]
    loaded = _load([*answering, *upcoming])
    return {
        "live": live,
        "title": bilingual.pick(live, "title"),
        "answering": [loaded[i] for i in answering],
        "next": [loaded[i] for i in upcoming],
        "participants": live_pulse.participants(live.id),
        "tally": live_events.tally(live.id),
        "polls": poll_pages.projector_polls(live),
        "order": in_use,
    }


def transcript(session_id: object, shown: object = PAGE) -> dict[str, Any]:
    """The record: every question the panel took, in order; those awaiting a written answer and those never
    taken up are listed `shown` at a time (the CSV and JSON exports hold them all), so a session of 1,000
    questions renders 50 of its leftovers, not 1,000."""
    live = _with_panel(live_sessions.get(session_id))
    limit = clean_shown(shown)
    ordered = live_questions.transcript_order(live_events.room_outline(live.id))
    taken = [q.id for q in ordered if q.taken_at is not None]
    awaiting = [q.id for q in ordered if q.status == SessionQuestion.AWAITING and q.taken_at is None]
    still_open = [q.id for q in ordered if q.status == SessionQuestion.OPEN and q.taken_at is None]
    loaded = _load([*taken, *awaiting[:limit], *still_open[:limit]])
    return {
        "live": live,
        "taken": [loaded[i] for i in taken],
        "awaiting": [loaded[i] for i in awaiting[:limit]],
        "open": [loaded[i] for i in still_open[:limit]],
        "more_awaiting": max(0, len(awaiting) - limit),
        "more_open": max(0, len(still_open) - limit),
        "shown": limit,
        "tally": live_events.tally(live.id),
        "polls": poll_pages.closed_polls(live),
        "order": order_in_use.of(live.id),
    }


def take(session_id: object, question_id: object, pinning: bool) -> dict[str, Any]:
    """What the host or a moderator must say before taking up (or pinning) this question: what became of the
    one being answered, and why this one goes ahead of the published order (the checks `live_questions` makes)."""
    live = live_sessions.get(session_id)
    question = live_questions.get(question_id)
    if question.session_id != live.id:
        raise NotFound(_("That question is not in this session."))
    expected = live_skips.next_in_order(live.id, pinning=pinning)
    others = [] if pinning else [q for q in live_questions.answering_now(live.id) if q.id != question.id]
    return {
        "live": live,
        "title": bilingual.pick(live, "title"),
        "question": question,
        "pinning": pinning,
        "expected": live_questions.get(expected) if expected not in (None, question.id) else None,
        "previous": others[0] if others else None,
        "order": order_in_use.of(live.id),
    }


def tally_sentence(tally: dict[str, int]) -> str:
    """Every question accounted for, in one sentence (live_events.tally_text, which live updates carry)."""
    return live_events.tally_text(tally)


def topics() -> list[Topic]:
    return list(db.session.scalars(select(Topic).order_by(Topic.title)))
