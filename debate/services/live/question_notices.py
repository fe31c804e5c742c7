"""What askers of live questions are told: approved, rejected (with the reason), answered.

Called inside the live feature's transactions; `notifications.notify` waits for
their commit. A moderator's approve, hide or remove of a question reaches the
asker as question_approved / question_rejected rather than a second, generic
"moderation" notification (the moderation notice, with its appeal, is still
on the notices page).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from debate.extensions import db
from debate.models.accounts import User
from debate.models.live import SessionQuestion
from debate.models.notifications import Notification
from debate.services import notifications
from debate.services.accounts import language as account_language
from debate.services.live import events as live_events

DECISIONS_TOLD_HERE = ("approve", "hide", "remove")


def _subject(question: SessionQuestion) -> str:
    return f"question:{question.id}"


def reviewed(question: SessionQuestion) -> None:
    """After a moderator's decision: approved (told once per question) or rejected (told each time, with why)."""
    title = question.session.title
    if question.state == "approved":
        told = db.session.scalar(
            select(Notification.id).where(
                Notification.user_id == question.author_id,
                Notification.kind == "question_approved",
                Notification.subject == _subject(question),
            )
        )
        if told is None:
            with account_language.speaking(question.author):  # written in the asker's language
                text = _(
                    "Moderators approved your question in “%(title)s”: everyone in the session can see it.",
                    title=title,
                )
            notifications.notify(
                question.author_id,
                "question_approved",
                text,
                f"/sessions/{question.session_id}#q{question.id}",
                subject=_subject(question),
            )
    elif question.state in ("removed", "hidden"):
        with account_language.speaking(question.author):  # written in the asker's language, the reason too
            text = _(
                "Your question in “%(title)s” was not published. %(review)s You can appeal on your notices page.",
                title=title,
                review=live_events.mine_data(question)["review"],
            )
        notifications.notify(
            question.author_id,
            "question_rejected",
            text,
            "/notices",
            subject=_subject(question),
        )


def answered(question: SessionQuestion, by: User) -> None:
    title, name = question.session.title, by.public_name
    with account_language.speaking(question.author):  # written in the asker's language
        if question.answered_live:
            text = _("Your question in “%(title)s” was answered live by %(name)s.", title=title, name=name)
        else:
            text = _("Your question in “%(title)s” was answered in writing by %(name)s.", title=title, name=name)
    notifications.notify(
        question.author_id,
        "question_answered",
        text,
        f"/sessions/{question.session_id}#q{question.id}",
        subject=_subject(question),
    )
