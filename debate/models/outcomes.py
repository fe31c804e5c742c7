"""Outcomes ("you said, we did"): what representatives heard in a session or thread, and what happens next.

One outcome per session or per thread, never both: the check constraint and
the two unique columns say so in the database, so two representatives
publishing at once cannot leave two outcomes. Every change (the first
publication included) is kept as an `OutcomeUpdate` row holding the outcome
as it became, so residents can see what was promised and when it moved.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.extensions import Model
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.forums import Thread
from debate.models.live import LiveSession


class Outcome(Model):
    __tablename__ = "outcomes"

    PLANNED, IN_PROGRESS, DONE, NOT_GOING_AHEAD = "planned", "in_progress", "done", "not_going_ahead"
    STATUSES = (PLANNED, IN_PROGRESS, DONE, NOT_GOING_AHEAD)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("live_sessions.id"), unique=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"), unique=True)
    # A published survey result the outcome cites ("you said" in numbers): its respondents are told.
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"), index=True)
    # A "Where we agree" round whose consensus statements the outcome cites (what every group agreed on).
    agreement_round_id: Mapped[int | None] = mapped_column(ForeignKey("agreement_rounds.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    heard: Mapped[str] = mapped_column(Text)  # Markdown: what was heard
    will_happen: Mapped[str] = mapped_column(Text)  # Markdown: what will happen
    # Official content in both languages (debate/services/bilingual.py): the Welsh version, "" until written.
    heard_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    will_happen_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default=PLANNED)
    due_on: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[LiveSession | None] = relationship()
    thread: Mapped[Thread | None] = relationship()
    author: Mapped[User] = relationship()
    updates: Mapped[list[OutcomeUpdate]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="OutcomeUpdate.id"
    )

    __table_args__ = (
        CheckConstraint(
            "(session_id IS NULL AND thread_id IS NOT NULL) OR (session_id IS NOT NULL AND thread_id IS NULL)",
            name="one_subject",
        ),
    )

    @property
    def kind(self) -> str:
        return "session" if self.session_id is not None else "thread"


class OutcomeUpdate(Model):
    """The outcome as one change left it (the first row is the publication), with who made it and why."""

    __tablename__ = "outcome_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    heard: Mapped[str] = mapped_column(Text)
    will_happen: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")  # Markdown: what changed and why, optional
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    outcome: Mapped[Outcome] = relationship(back_populates="updates")
    author: Mapped[User] = relationship()

    __table_args__ = (Index("ix_outcome_updates_outcome_id_id", "outcome_id", "id"),)
