"""Short-text poll answers in the moderation registry (`services/content.py`), as live chat is.

A short-text answer is a resident's words: it passes the moderation gate like a chat message, and only
published answers are counted in the poll's word list. After a moderator's decision the poll's results
are announced again with the next flush (`live_pulse`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

import moderation
from debate.extensions import db
from debate.models.accounts import User
from debate.models.polls import Poll, PollAnswer
from debate.services import content, privacy
from debate.services.live import content as live_content
from debate.services.live import poll_events
from debate.services.live import pulse as live_pulse


def describe_answer(answer: PollAnswer) -> content.ContentRef:
    poll = answer.poll
    live = poll.session
    label = _("Answer to the poll “%(question)s”", question=poll.question)
    url = f"/sessions/{live.id}#poll-{poll.id}"
    return live_content.in_session("poll_answer", answer, live, answer.body or "", label, url)


def set_answer_text(answer: PollAnswer, text: str) -> None:
    answer.body = text


def answer_after_change(answer: PollAnswer) -> None:
    """A moderator approved, rejected or edited it: the word list changes. An open poll's results go out with
    the next flush; a closed poll's with a "poll" event of their own (no flush announces a closed poll)."""
    poll = answer.poll
    if poll.state == Poll.OPEN:
        db.session.execute(
            update(Poll)
            .where(Poll.id == poll.id)
            .values(changes=Poll.changes + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        live_pulse.poll_changed(poll.session_id, poll.id)
    elif poll.state == Poll.CLOSED:
        poll_events.record_poll(poll)
        db.session.commit()


content.register(
    content.ContentType(
        "poll_answer",
        moderation.ContentKind.CHAT_MESSAGE,
        PollAnswer,
        describe_answer,
        set_answer_text,
        answer_after_change,
        posts=PollAnswer.body.is_not(None),  # a choice or a scale answer is no post: only short texts count
    )
)


def export_answers(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(PollAnswer).where(PollAnswer.author_id == user.id).order_by(PollAnswer.id))
    return [
        {
            "session_id": a.poll.session_id,
            "poll": a.poll.question,
            "choices": [o.label for o in a.poll.options if o.id in (a.choices or [])],
            "value": a.value,
            "text": a.body,
            "state": a.state,
            "answered_at": a.updated_at.isoformat() + "Z",
        }
        for a in rows
    ]


def erase_answers(user: User, remove_content: bool) -> None:
    """Their short texts are their words: removed when they ask for their content to go. Choices are counts."""
    if not remove_content:
        return
    for row in db.session.scalars(
        select(PollAnswer).where(PollAnswer.author_id == user.id, PollAnswer.body.is_not(None))
    ):
        db.session.delete(row)


privacy.register("poll_answers", _l("Your answers to live polls."), export_answers, erase_answers)
