"""Who took part in what, as SELECTs of member ids for `reports.profile_of` (the ids never leave the database).

A live session's participants asked, voted, chatted or answered a poll in it; a poll's answered it; a
survey's sent their answers; a thread's started it or replied. "Anywhere" is everyone who did any of these;
a month's participants did one of them that month.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, func, select, union

from debate.extensions import db
from debate.models.forums import Reply, Thread
from debate.models.live import ChatMessage, QuestionVote, SessionQuestion
from debate.models.polls import Poll, PollAnswer
from debate.models.surveys import SurveyResponse


def in_session(session_id: int) -> Select[tuple[int]]:
    voted = select(QuestionVote.user_id).join(SessionQuestion, SessionQuestion.id == QuestionVote.question_id)
    return select(
        union(
            select(SessionQuestion.author_id).where(SessionQuestion.session_id == session_id),
            voted.where(SessionQuestion.session_id == session_id),
            select(ChatMessage.author_id).where(ChatMessage.session_id == session_id),
            select(PollAnswer.author_id).join(Poll, Poll.id == PollAnswer.poll_id).where(Poll.session_id == session_id),
        )
        .subquery()
        .c[0]
    )


def in_thread(thread_id: int) -> Select[tuple[int]]:
    return select(
        union(
            select(Thread.author_id).where(Thread.id == thread_id),
            select(Reply.author_id).where(Reply.thread_id == thread_id),
        )
        .subquery()
        .c[0]
    )


def in_poll(poll_id: int) -> Select[tuple[int]]:
    return select(PollAnswer.author_id).where(PollAnswer.poll_id == poll_id).distinct()


def in_survey(survey_id: int) -> Select[tuple[int]]:
    """Who sent a response (a draft is not taking part yet; an erased account's response has no one)."""
    sent = select(SurveyResponse.user_id).where(
        SurveyResponse.survey_id == survey_id,
        SurveyResponse.submitted_at.is_not(None),
        SurveyResponse.user_id.is_not(None),
    )
    return cast(Select[tuple[int]], sent)  # the column is nullable; the WHERE leaves no NULL


def _acts() -> list[tuple[Any, Any]]:
    """Every way of taking part: (the member's id, when) columns. A new way of taking part is one line here."""
    return [
        (Thread.author_id, Thread.created_at),
        (Reply.author_id, Reply.created_at),
        (SessionQuestion.author_id, SessionQuestion.created_at),
        (QuestionVote.user_id, QuestionVote.created_at),
        (ChatMessage.author_id, ChatMessage.created_at),
        (PollAnswer.author_id, PollAnswer.created_at),
        (SurveyResponse.user_id, SurveyResponse.submitted_at),  # NULL until sent: never within any range
    ]


def anywhere(start: datetime | None = None, end: datetime | None = None) -> Select[tuple[int]]:
    """Everyone who wrote, asked, voted, chatted or answered (between `start` and `end`, when given)."""

    def within(member: Any, moment: Any) -> Select[tuple[int]]:
        found = select(member).where(moment.is_not(None), member.is_not(None))
        if start is not None:
            found = found.where(moment >= start)
        if end is not None:
            found = found.where(moment < end)
        return found

    return select(union(*(within(member, moment) for member, moment in _acts())).subquery().c[0])


def months(now: datetime, most: int = 12) -> list[datetime]:
    """The first day of each month from the first participation to `now` (at most `most`), newest first."""
    firsts = [db.session.scalar(select(func.min(moment))) for _member, moment in _acts()]
    known = [moment for moment in firsts if moment is not None]
    if not known:
        return []
    earliest = min(known)
    month = datetime(now.year, now.month, 1)
    shown: list[datetime] = []
    while month >= datetime(earliest.year, earliest.month, 1) and len(shown) < most:
        shown.append(month)
        month = datetime(month.year - (month.month == 1), 12 if month.month == 1 else month.month - 1, 1)
    return shown
