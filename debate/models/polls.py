"""Live polls in a session: the poll, its options, and one answer per person.

A host or moderator prepares a poll (a draft), opens it in the room, and closes
it. Residents answer once each and may change their answer until it closes. A
short-text answer is a resident's words: it carries the moderation columns and
only published ones are counted in the word list; a choice or a scale answer
needs no review, so it is published as it is stored.

`changes` counts answers stored or changed; `announced_changes` is the count last
put in a numbered "poll_results" event. A difference is an update the room is
still owed, seen by every server process (`live_pulse` sweeps it), as
`SessionQuestion.announced_votes` is for votes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.extensions import Model
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import LiveSession
from debate.models.moderated import ModeratedMixin


class Poll(Model):
    __tablename__ = "polls"

    SINGLE, MULTIPLE, SCALE, TEXT = "single", "multiple", "scale", "text"
    KINDS = (SINGLE, MULTIPLE, SCALE, TEXT)
    DRAFT, OPEN, CLOSED = "draft", "open", "closed"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    # Official content in both languages (debate/services/bilingual.py): the Welsh version, "" until written.
    question: Mapped[str] = mapped_column(String(1200))  # 300 characters, 4 code points each at most
    question_cy: Mapped[str] = mapped_column(String(1200), default="", server_default="")
    kind: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10), default=DRAFT)
    hide_results: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    announced_changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    session: Mapped[LiveSession] = relationship()
    options: Mapped[list[PollOption]] = relationship(
        back_populates="poll", cascade="all, delete-orphan", order_by="PollOption.position"
    )

    @property
    def is_choice(self) -> bool:
        return self.kind in (self.SINGLE, self.MULTIPLE)


class PollOption(Model):
    __tablename__ = "poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(600))
    label_cy: Mapped[str] = mapped_column(String(600), default="", server_default="")

    poll: Mapped[Poll] = relationship(back_populates="options")


class PollAnswer(ModeratedMixin, Model):
    """One person's answer to one poll: the chosen options' ids, a scale value, or a short text."""

    __tablename__ = "poll_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    choices: Mapped[list[int]] = mapped_column(JSON, default=list)
    value: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    # The poll's change number this answer was stored (or last changed) with: results that announce at
    # least this many changes (`changes` in the events) include it, so a client can tell when it is shown.
    change: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    poll: Mapped[Poll] = relationship()
    author: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("poll_id", "author_id", name="uq_poll_answers_poll_id_author_id"),
        Index("ix_poll_answers_poll_id_state", "poll_id", "state"),
    )
