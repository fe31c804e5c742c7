"""The room's short chat (with slow mode) and the host's announcements.

Chat passes the same moderation gate as every post (it can be flagged and
hidden like any other content). Slow mode is a rule of the room, not a
rate limit of the server: at most one message per `chat_slow_seconds` per
person, counted from the database so it holds across server processes.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

import moderation
from debate import ratelimit
from debate.errors import RateLimited
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import ChatMessage, LiveSession, SessionAnnouncement
from debate.permissions import Permission, require
from debate.services import publishing
from debate.services.live import content as live_content  # noqa: F401 - registers chat
from debate.services.live import events as live_events
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions
from debate.services.text import clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
CHAT = ratelimit.limit(
    "live.chat",
    "20/minute",
    _l("You can send at most 20 chat messages a minute. Please wait a moment and try again."),
)
ANNOUNCE = ratelimit.limit(
    "live.announce",
    "20/minute",
    _l("You can make at most 20 announcements a minute. Please wait a moment and try again."),
)

ANNOUNCEMENT_MAX = 500


def message_max() -> int:
    """The most characters in a chat message (the policy's `limits.chat_message`): form, socket and room read it."""
    return publishing.policy().limits.chat_message


def post(user: User, session_id: object, body: object) -> ChatMessage:
    require(user, Permission.POST)
    live = live_sessions.get(session_id)
    live_sessions.require_live(live, "chat")
    text = clean_text(
        body,
        "body",
        message_max(),
        missing=_("Write your message before sending it."),
        too_long=_("Your message is too long: {count} characters, and the limit is {limit}."),
    )
    _slow_mode(user, live)
    context = moderation.Context(kind=moderation.ContextKind.LIVE_SESSION, id=str(live.id))
    verdict = publishing.screen(user, moderation.ContentKind.CHAT_MESSAGE, text, context=context)
    message = ChatMessage(
        session_id=live.id,
        author_id=user.id,
        body=text,
        state=publishing.initial_state(verdict),
        fingerprint=verdict.fingerprint,
    )
    db.session.add(message)
    db.session.flush()
    publishing.screened("chat", message, verdict)
    if message.is_public:
        live_events.record(live, "chat", {"message": live_events.chat_data(message)})
    db.session.commit()
    return message


def _slow_mode(user: User, live: LiveSession) -> None:
    if live.chat_slow_seconds <= 0 or live_roles.is_host(user, live) or live_roles.is_moderator(user):
        return
    since = utcnow() - timedelta(seconds=live.chat_slow_seconds)
    last = db.session.scalar(
        select(ChatMessage.created_at)
        .where(ChatMessage.session_id == live.id, ChatMessage.author_id == user.id, ChatMessage.created_at > since)
        .order_by(ChatMessage.created_at.desc())
        .limit(1)
    )
    if last is not None:
        wait = max(1, int((last + timedelta(seconds=live.chat_slow_seconds) - utcnow()).total_seconds() + 0.999))
        raise RateLimited(
            ngettext(
                "Slow mode is on: one message every %(num)d second. Try again in %(wait)d s.",
                "Slow mode is on: one message every %(num)d seconds. Try again in %(wait)d s.",
                live.chat_slow_seconds,
                wait=wait,
            ),
            retry_after=wait,
        )


def announce(user: User, session_id: object, body: object) -> SessionAnnouncement:
    """The host speaks to the whole room (shown above the questions, read out by screen readers)."""
    live = live_sessions.get(session_id)
    live_sessions.require_host(user, live)
    if live.state in (live.ENDED, live.CANCELLED):
        live_sessions.require_live(live, "post announcements")
    note = SessionAnnouncement(
        session_id=live.id,
        author_id=user.id,
        body=clean_text(
            body,
            "body",
            ANNOUNCEMENT_MAX,
            missing=_("Write your announcement before sending it."),
            too_long=_("Your announcement is too long: {count} characters, and the limit is {limit}."),
        ),
    )
    db.session.add(note)
    db.session.flush()
    live_events.record(live, "announcement", {"announcement": live_events.announcement_data(note)})
    db.session.commit()
    return note
