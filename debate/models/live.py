"""Live Q&A sessions: the session, its panel, questions, votes, chat, announcements, and the event log.

Every change a room's members must see is written as a `SessionEvent` with
the session's next sequence number, in the same transaction as the change.
Clients remember the last number they saw; on reconnecting they ask for what
came after it, so a dropped connection or a restarted server loses nothing.
Vote counts are kept on the question row (`vote_count`) so that listing a
room of 1,000 questions needs no aggregate over the votes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.extensions import Model
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.moderated import ModeratedMixin
from debate.models.topics import Topic


class LiveSession(Model):
    __tablename__ = "live_sessions"

    SCHEDULED, LIVE, ENDED, CANCELLED = "scheduled", "live", "ended", "cancelled"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(600))  # 150 characters, 4 code points each at most
    description: Mapped[str] = mapped_column(Text, default="")
    # Official content in both languages (debate/services/bilingual.py): the Welsh version, "" until written.
    title_cy: Mapped[str] = mapped_column(String(600), default="", server_default="")
    description_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime]  # scheduled start and end (naive UTC)
    ends_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default=SCHEDULED, index=True)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    premoderate: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    stream_url: Mapped[str | None] = mapped_column(String(500))
    chat_slow_seconds: Mapped[int] = mapped_column(Integer, default=10)
    # The room's published order of questions (`live_order.RULES`): "votes" (most votes) or "broad" (broad support).
    order_rule: Mapped[str] = mapped_column(String(10), default="votes", server_default="votes")
    # The last sequence number given to an event of this session.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic | None] = relationship()
    host: Mapped[User] = relationship()
    panel: Mapped[list[SessionPanelist]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionPanelist.id"
    )

    @property
    def is_live(self) -> bool:
        return self.state == self.LIVE

    @property
    def panel_ids(self) -> set[int]:
        return {p.user_id for p in self.panel}


class SessionPanelist(Model):
    """A representative on a session's panel: they answer its questions."""

    __tablename__ = "session_panelists"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    session: Mapped[LiveSession] = relationship(back_populates="panel")
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_session_panelists_session_id_user_id"),)


class SessionQuestion(ModeratedMixin, Model):
    """A resident's question. `state` is moderation's; `status` is where it is in the room.

    status: open -> answering -> answered; open/answering -> awaiting (the
    session ended first: it waits for a written answer); merged (a duplicate,
    its votes and asker carried to `merged_into_id`).
    """

    __tablename__ = "session_questions"

    OPEN, ANSWERING, ANSWERED, AWAITING, MERGED = "open", "answering", "answered", "awaiting", "merged"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    # The count last sent to the room in a numbered event: a difference is a vote still to announce,
    # seen by every server process (`live_pulse` sweeps it), so a process killed before its flush loses none.
    announced_votes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Votes given or taken back, ever (never goes down): summed over a session, what its bridging order was
    # computed from (`SessionBridging.changes`). Moved in the same UPDATE as `vote_count`, so it costs nothing.
    vote_changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pinned_at: Mapped[datetime | None]  # "next up", set by a moderator
    taken_at: Mapped[datetime | None]  # when the panel took it up: the transcript's order
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_live: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_body: Mapped[str | None] = mapped_column(Text)  # a written answer, Markdown
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("session_questions.id"))
    # Taken up or pinned ahead of the published order: why (a `live_order.DEPARTURE_REASONS` key), and a note.
    out_of_order_reason: Mapped[str | None] = mapped_column(String(20))
    out_of_order_note: Mapped[str | None] = mapped_column(String(300))
    submission_key: Mapped[str | None] = mapped_column(String(64))

    session: Mapped[LiveSession] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    __table_args__ = (
        UniqueConstraint("author_id", "submission_key", name="uq_session_questions_author_id_submission_key"),
        Index("ix_session_questions_session_id_state_status", "session_id", "state", "status"),
        Index("ix_session_questions_author_id_created_at", "author_id", "created_at"),
    )


class QuestionVote(Model):
    __tablename__ = "question_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("session_questions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("question_id", "user_id", name="uq_question_votes_question_id_user_id"),)


class ChatMessage(ModeratedMixin, Model):
    __tablename__ = "chat_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)

    session: Mapped[LiveSession] = relationship()
    author: Mapped[User] = relationship()

    __table_args__ = (
        Index("ix_chat_messages_session_id_id", "session_id", "id"),
        Index("ix_chat_messages_author_id_session_id_created_at", "author_id", "session_id", "created_at"),
    )


class SessionAnnouncement(Model):
    """A note from the host to everyone in the room ("we start in five minutes")."""

    __tablename__ = "session_announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()


class SessionEvent(Model):
    """One numbered change in a session, as it was broadcast: the catch-up log."""

    __tablename__ = "session_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_session_events_session_id_seq"),)


class SessionBridging(Model):
    """The latest bridging result of a room in broad-support order (`live_broad_support`): one row per session.

    `changes` is the sum of the session's `SessionQuestion.vote_changes` the result was computed from; a result
    is stored only over one computed from fewer changes, so of two processes the newer always wins.
    """

    __tablename__ = "session_bridging"

    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), primary_key=True)
    changes: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    voters: Mapped[int] = mapped_column(Integer, default=0)  # voters counted in the model
    questions: Mapped[int] = mapped_column(Integer, default=0)  # questions scored
    fallback: Mapped[bool] = mapped_column(Boolean, default=True)  # thresholds not met: the room orders by votes
    scores: Mapped[dict] = mapped_column(JSON, default=dict)  # question id (as text) -> bridging score


class SessionPresence(Model):
    """How many sockets one server process has in a session's room, refreshed every few seconds.

    The participant count is the sum over processes whose row is fresh, so a
    join costs one counter increment, never a recount of the audience.
    """

    __tablename__ = "session_presence"

    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"), primary_key=True)
    process: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
