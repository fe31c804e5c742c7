"""A live Q&A room over Socket.IO (namespace "/"): join and catch up, ask, vote, chat, moderate, answer.

Every event goes through the guard (who, may they, how often, is the payload
sane) and calls one service; the services check roles and the session's
state and raise readable refusals. Changes reach the room as numbered
"live:event" messages sent after the commit (see services/live/events.py);
the acks here only confirm the sender's own action.

Every socket speaks the language of the page that opened it (`?lang=` when it connects, read by
debate/i18n/selection.py): it joins its language's room (`live_events.room(id, lang)`), so the fragments it
is sent, its snapshot and catch-up, and its acks' error messages are all in that language.

Reading is public: anyone may join a room. Each socket may follow a few
sessions at once; which ones is kept per socket in this process, so the
participant count (`live_pulse`) moves exactly once per socket and session,
and a disconnect takes the socket out of every room it was counted in.

The protocol is documented for client authors in docs/realtime.md.
"""

from __future__ import annotations

import logging
import threading

from flask import request
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room

from debate.errors import Conflict, ServiceError, ValidationError
from debate.extensions import socketio
from debate.i18n import LANGUAGES
from debate.permissions import Permission
from debate.realtime.guard import Field, on_event
from debate.realtime.packets import RawJSON
from debate.services.live import broad_support as live_broad_support
from debate.services.live import chat as live_chat
from debate.services.live import events as live_events
from debate.services.live import pulse as live_pulse
from debate.services.live import questions as live_questions
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions
from debate.services.live import skips as live_skips
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags
from debate.services.submissions import KEY_MAX

log = logging.getLogger("commonground.realtime")

ROOMS_PER_SOCKET = 5
FLAGGABLE = ("question", "chat")

_lock = threading.Lock()
_joined: dict[str, set[int]] = {}  # socket id -> the sessions it is counted in (this process)


def joined_sessions(sid: str) -> set[int]:
    """The sessions a socket of this process is counted in (for tests and diagnostics)."""
    return set(_joined.get(sid, ()))


# --- reading ----------------------------------------------------------------------------------

JOIN = {"session_id": Field(int), "last_seq": Field(int, required=False)}
SESSION = {"session_id": Field(int)}
QUESTION = {"question_id": Field(int)}


@on_event("live:join", login=False, schema=JOIN, limit=live_events.JOIN)
def join(user, payload):
    """Join the room, THEN read: anything committed meanwhile arrives as an event the client can drop.

    Sending it again on an open socket (with `last_seq`) is how a client fills a gap.
    """
    session_id, sid, lang = payload["session_id"], request.sid, live_events.speaking()
    with _lock:
        rooms = _joined.setdefault(sid, set())
        new = session_id not in rooms
        if new and len(rooms) >= ROOMS_PER_SOCKET:
            raise Conflict(
                _(
                    "One connection can follow at most %(most)d sessions. Leave one first.",
                    most=ROOMS_PER_SOCKET,
                )
            )
    join_room(live_events.room(session_id, lang))
    if live_roles.is_moderator(user):  # the role now, not at the last join: a rejoin after a change follows it
        join_room(live_events.staff_room(session_id, lang))
    else:
        _leave_staff(session_id)
    try:
        live = live_sessions.get(session_id)
    except ServiceError:
        if new:
            _leave(session_id)
        raise
    if new:
        with _lock:
            _joined.setdefault(sid, set()).add(session_id)
        live_pulse.joined(session_id)
    last_seq = payload.get("last_seq")
    events = live_events.events_after(live, last_seq, lang) if last_seq is not None else None
    answer = {"session_id": live.id}
    if events is not None:
        answer["seq"] = events[-1]["seq"] if events else last_seq
        answer["events"] = events
    else:
        answer["seq"] = live.seq  # read before the snapshot: events after it may repeat what it shows
        answer["snapshot"] = RawJSON(live_events.snapshot_text(live, lang))  # written once, shared by joiners
    answer["personal"] = live_events.personal(user, live)
    answer["participants"] = live_pulse.participants_now(live.id)
    return answer


@on_event("live:leave", login=False, schema=SESSION, limit=live_events.LEAVE)
def leave(user, payload):
    session_id = payload["session_id"]
    _leave(session_id)
    with _lock:
        rooms = _joined.get(request.sid, set())
        counted = session_id in rooms
        rooms.discard(session_id)
    if counted:
        live_pulse.left(session_id)
    return {"session_id": session_id}


def _leave_staff(session_id: int) -> None:
    for lang in LANGUAGES:
        leave_room(live_events.staff_room(session_id, lang))


def _leave(session_id: int) -> None:
    """Out of the session's rooms, whichever language they were joined in."""
    for lang in LANGUAGES:
        leave_room(live_events.room(session_id, lang))
    _leave_staff(session_id)


@socketio.on("disconnect")
def disconnected(reason=None):
    """The socket is gone: it no longer counts in any room it joined."""
    with _lock:
        rooms = _joined.pop(request.sid, set())
    for session_id in sorted(rooms):
        try:
            live_pulse.left(session_id)
        except Exception:
            log.exception("live: could not count a leave for session %s", session_id)


# --- residents --------------------------------------------------------------------------------

ASK = {
    "session_id": Field(int),
    "body": Field(str, chars=live_questions.question_max),
    "anonymous": Field(bool, required=False),
    "key": Field(str, required=False, max_len=KEY_MAX),
}


@on_event("live:ask", schema=ASK, limit=live_questions.ASK)
def ask(user, payload):
    question = live_questions.ask(
        user, payload["session_id"], payload["body"], payload.get("anonymous", False), payload.get("key")
    )
    return {"question": live_events.mine_wire(question)}


@on_event("live:vote", schema=QUESTION, limit=live_questions.VOTE)
def vote(user, payload):
    question = live_questions.set_vote(user, payload["question_id"], True)
    return {"question_id": question.id, "votes": question.vote_count, "voted": True}


@on_event("live:unvote", schema=QUESTION, limit=live_questions.VOTE)
def unvote(user, payload):
    question = live_questions.set_vote(user, payload["question_id"], False)
    return {"question_id": question.id, "votes": question.vote_count, "voted": False}


@on_event("live:withdraw", schema=QUESTION, limit=live_questions.WITHDRAW)
def withdraw(user, payload):
    return {"question": live_events.mine_wire(live_questions.withdraw(user, payload["question_id"]))}


CHAT = {"session_id": Field(int), "body": Field(str, chars=live_chat.message_max)}


@on_event("live:chat", schema=CHAT, limit=live_chat.CHAT)
def chat(user, payload):
    message = live_chat.post(user, payload["session_id"], payload["body"])
    lang = live_events.speaking()
    return {"message": live_events.localised(live_events.chat_data(message, (lang,)), lang), "state": message.state}


FLAG = {
    "type": Field(str, max_len=10),
    "id": Field(int),
    "reason": Field(str, max_len=40),
    "note": Field(str, required=False, chars=moderation_flags.note_max),
}


@on_event("live:flag", schema=FLAG, limit=moderation_flags.FLAG)
def flag(user, payload):
    if payload["type"] not in FLAGGABLE:
        raise ValidationError(_('\'type\' must be "question" or "chat".'), "type")
    moderation_flags.raise_flag(user, payload["type"], payload["id"], payload["reason"], payload.get("note"))
    return {"type": payload["type"], "id": payload["id"], "flagged": True}


# --- moderators -------------------------------------------------------------------------------


def _data(question) -> dict:
    """A question as everyone sees it, in this socket's language."""
    return live_events.localised(live_events.question_data(question), live_events.speaking())


def _decided(question_id: int) -> dict:
    question = live_questions.get(question_id)
    return {"question_id": question.id, "state": question.state, "question": _data(question)}


@on_event("live:approve", permission=Permission.MODERATE, schema=QUESTION, limit=live_questions.MODERATE)
def approve(user, payload):
    live_questions.approve(user, payload["question_id"])
    return _decided(payload["question_id"])


REJECT = {
    "question_id": Field(int),
    "category": Field(str, max_len=40),
    "note": Field(str, required=False, chars=moderation_decisions.NOTE_MAX),
}


@on_event("live:reject", permission=Permission.MODERATE, schema=REJECT, limit=live_questions.MODERATE)
def reject(user, payload):
    live_questions.reject(user, payload["question_id"], payload["category"], payload.get("note", ""))
    return _decided(payload["question_id"])


FIX = {
    "question_id": Field(int),
    "text": Field(str, chars=live_questions.question_max),
    "note": Field(str, chars=moderation_decisions.NOTE_MAX),
}


@on_event("live:fix", permission=Permission.MODERATE, schema=FIX, limit=live_questions.MODERATE)
def fix(user, payload):
    live_questions.fix(user, payload["question_id"], payload["text"], payload["note"])
    return _decided(payload["question_id"])


MERGE = {"question_id": Field(int), "into_id": Field(int)}


@on_event("live:merge", permission=Permission.MODERATE, schema=MERGE, limit=live_questions.MODERATE)
def merge(user, payload):
    target = live_questions.merge(user, payload["question_id"], payload["into_id"])
    return {"question_id": payload["question_id"], "into": _data(target)}


# Why a question goes ahead of the published order (live_skips); the note is shown in the transcript.
DEPARTURE = {
    "reason": Field(str, required=False, max_len=40),
    "note": Field(str, required=False, chars=live_skips.NOTE_MAX),
}
PIN = {"question_id": Field(int), "pinned": Field(bool), **DEPARTURE}


@on_event("live:pin", permission=Permission.MODERATE, schema=PIN, limit=live_questions.MODERATE)
def pin(user, payload):
    question = live_questions.pin(
        user, payload["question_id"], payload["pinned"], reason=payload.get("reason"), note=payload.get("note", "")
    )
    return {"question": _data(question)}


# --- the panel and the host -------------------------------------------------------------------


ANSWERING = {"question_id": Field(int), "previous": Field(str, required=False, max_len=20), **DEPARTURE}


@on_event("live:answering", schema=ANSWERING, limit=live_questions.PANEL)
def answering(user, payload):
    question = live_questions.answering(
        user,
        payload["question_id"],
        previous=payload.get("previous"),
        reason=payload.get("reason"),
        note=payload.get("note", ""),
    )
    return {"question": _data(question)}


ANSWER = {
    "question_id": Field(int),
    "text": Field(str, required=False, chars=live_questions.ANSWER_MAX),
    **DEPARTURE,
}


@on_event("live:answer", schema=ANSWER, limit=live_questions.PANEL)
def answer(user, payload):
    question = live_questions.answer(
        user,
        payload["question_id"],
        payload.get("text", ""),
        reason=payload.get("reason"),
        note=payload.get("note", ""),
    )
    return {"question": _data(question)}


@on_event("live:reopen", schema=QUESTION, limit=live_questions.PANEL)
def reopen(user, payload):
    return {"question": _data(live_questions.reopen(user, payload["question_id"]))}


ANNOUNCE = {"session_id": Field(int), "body": Field(str, chars=live_chat.ANNOUNCEMENT_MAX)}


@on_event("live:announce", schema=ANNOUNCE, limit=live_chat.ANNOUNCE)
def announce(user, payload):
    note = live_chat.announce(user, payload["session_id"], payload["body"])
    lang = live_events.speaking()
    return {"announcement": live_events.localised(live_events.announcement_data(note, (lang,)), lang)}


ORDER = {"session_id": Field(int), "order_rule": Field(str, max_len=10)}


@on_event("live:order", schema=ORDER, limit=live_broad_support.CHOOSE)
def order(user, payload):
    """The host or a moderator chooses the room's order ("votes" or "broad"); the room hears it as an "order" event."""
    live = live_broad_support.choose(user, payload["session_id"], payload["order_rule"])
    return {"session_id": live.id, "order_rule": live.order_rule}


@on_event("live:start", schema=SESSION, limit=live_sessions.RUN)
def start(user, payload):
    return {"session": live_events.session_data(live_sessions.start(user, payload["session_id"]))}


@on_event("live:end", schema=SESSION, limit=live_sessions.RUN)
def end(user, payload):
    return {"session": live_events.session_data(live_sessions.end(user, payload["session_id"]))}
