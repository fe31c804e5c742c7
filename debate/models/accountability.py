"""Accountability: every question put to representatives, until it is answered (live, in writing, or by referral).

One `TrackedQuestion` per question, whatever its source: a live session's
question (copied when the session ends) or a forum post a moderator put to a
representative. Its current assignees are `QuestionAssignee` rows; a transfer
moves the row and leaves a `QuestionTransfer` behind, so the public record
shows who held the question and when. The figures on the record pages are
computed from these rows, never stored.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.extensions import Model
from debate.models.accounts import User
from debate.models.base import utcnow


class TrackedQuestion(Model):
    __tablename__ = "tracked_questions"

    SESSION, FORUM = "session", "forum"
    AWAITING, ANSWERED, REFERRED = "awaiting", "answered", "referred"
    LIVE, WRITTEN, REFERRAL = "live", "written", "referral"  # how it was answered

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(10))
    # "session:<question id>", "thread:<id>" or "reply:<id>": one tracked row per question, whatever its source.
    source_key: Mapped[str] = mapped_column(String(40), unique=True)
    session_question_id: Mapped[int | None] = mapped_column(ForeignKey("session_questions.id"), unique=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the moderator, for forum questions
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)  # a copy as put: later edits to the post do not rewrite the record
    put_at: Mapped[datetime]  # when it was asked
    tracked_at: Mapped[datetime]  # when it joined the list: the session's end, or when a moderator added it
    status: Mapped[str] = mapped_column(String(10), default=AWAITING, index=True)
    how: Mapped[str | None] = mapped_column(String(10))
    due_on: Mapped[date | None]  # the last day for a written answer (council-local); None when answered live
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answer_body: Mapped[str | None] = mapped_column(Text)
    answer_body_cy: Mapped[str] = mapped_column(Text, default="", server_default="")  # the answer in Welsh, if written
    referred_to: Mapped[str | None] = mapped_column(String(800))  # 200 characters, 4 code points each
    referred_at: Mapped[datetime | None]
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    referral_note: Mapped[str | None] = mapped_column(Text)
    referral_reply: Mapped[str | None] = mapped_column(Text)
    referral_reply_at: Mapped[datetime | None]
    referral_reply_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    asker: Mapped[User] = relationship(foreign_keys=[asker_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    referred_by: Mapped[User | None] = relationship(foreign_keys=[referred_by_id])
    referral_reply_by: Mapped[User | None] = relationship(foreign_keys=[referral_reply_by_id])
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])
    assignees: Mapped[list[QuestionAssignee]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionAssignee.id"
    )
    transfers: Mapped[list[QuestionTransfer]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionTransfer.id"
    )

    __table_args__ = (Index("ix_tracked_questions_status_due_on", "status", "due_on"),)

    @property
    def assignee_ids(self) -> set[int]:
        return {a.user_id for a in self.assignees}


class QuestionAssignee(Model):
    """A representative who currently owes the answer (the session's panel, or whoever it was transferred to)."""

    __tablename__ = "question_assignees"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracked_id: Mapped[int] = mapped_column(ForeignKey("tracked_questions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    question: Mapped[TrackedQuestion] = relationship(back_populates="assignees")
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("tracked_id", "user_id", name="uq_question_assignees_tracked_id_user_id"),)


class QuestionTransfer(Model):
    """One hand-over of a question to a colleague, with the reason given (shown on the public record)."""

    __tablename__ = "question_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracked_id: Mapped[int] = mapped_column(ForeignKey("tracked_questions.id"), index=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    question: Mapped[TrackedQuestion] = relationship(back_populates="transfers")
    from_user: Mapped[User] = relationship(foreign_keys=[from_user_id])
    to_user: Mapped[User] = relationship(foreign_keys=[to_user_id])


class AccountabilitySettings(Model):
    """The admin's settings, one row: how long representatives have, and which days are bank holidays
    (`services/bank_holidays`)."""

    __tablename__ = "accountability_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    due_working_days: Mapped[int] = mapped_column(Integer, default=20)
    # The nation whose official bank holidays count, and the days themselves ({"date", "name", "added"} each;
    # plain ISO dates before the official lists existed), loaded from the official list up to a year.
    bank_holiday_nation: Mapped[str] = mapped_column(
        String(20), default="england-and-wales", server_default="england-and-wales"
    )
    bank_holidays: Mapped[list] = mapped_column(JSON, default=list)
    bank_holidays_through: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
