"""Live questions and chat messages in the moderation registry (`services/content.py`).

Moderation finds, shows, edits and re-broadcasts them through these entries
without importing live sessions. While their session is live they are
"live" items: the review queue puts them first.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

import moderation
from debate.extensions import db
from debate.models.live import ChatMessage, LiveSession, SessionQuestion
from debate.services import content
from debate.services.accountability import questions as accountability
from debate.services.live import events as live_events
from debate.services.live import question_notices


def question_url(question: SessionQuestion) -> str:
    return f"/sessions/{question.session_id}#q{question.id}"


def in_session(type_name: str, row: Any, live: LiveSession, text: str, label: str, url: str) -> content.ContentRef:
    """What the moderators' queue shows of something a member wrote in a live session (a question, a chat
    message, a poll's short answer): the session is its context, and whether it is live now."""
    return content.ContentRef(
        type=type_name,
        id=row.id,
        author_id=row.author_id,
        text=text,
        title=None,
        context_kind=moderation.ContextKind.LIVE_SESSION,
        context_id=f"session:{live.id}",
        context_label=label,
        url=url,
        created_at=row.created_at,
        state=row.state,
        live=live.state == LiveSession.LIVE,
    )


def describe_question(question: SessionQuestion) -> content.ContentRef:
    live = question.session
    label = _("Question in “%(title)s”", title=live.title)
    return in_session("question", question, live, question.body, label, question_url(question))


def describe_chat(message: ChatMessage) -> content.ContentRef:
    live = message.session
    label = _("Chat in “%(title)s”", title=live.title)
    return in_session("chat", message, live, message.body, label, f"/sessions/{live.id}#chat-{message.id}")


def set_question_text(question: SessionQuestion, text: str) -> None:
    question.body = text


def set_chat_text(message: ChatMessage, text: str) -> None:
    message.body = text


def question_after_change(question: SessionQuestion) -> None:
    """A moderator approved, rejected, hid or edited it (from the room or the review queue), or flags hid it: the
    room, the asker and the moderators see it, and after the session the record follows (`accountability.sync`)."""
    live_events.record_questions(question.session, [question])
    accountability.sync(question)
    live_events.to_asker(question)
    if question.state != "held":
        live_events.to_staff(question.session, "live:pending_removed", {"question_id": question.id})
    question_notices.reviewed(question)
    db.session.commit()


def chat_after_change(message: ChatMessage) -> None:
    live_events.record(message.session, "chat", {"message": live_events.chat_data(message)})
    db.session.commit()


content.register(
    content.ContentType(
        "question",
        moderation.ContentKind.QUESTION,
        SessionQuestion,
        describe_question,
        set_question_text,
        question_after_change,
    )
)
content.register(
    content.ContentType(
        "chat", moderation.ContentKind.CHAT_MESSAGE, ChatMessage, describe_chat, set_chat_text, chat_after_change
    )
)
