"""Where we agree: a round of short statements on a topic or thread, residents' votes, the computed result.

A round belongs to a topic or to a thread, never both (the check constraint). Residents vote agree (1),
disagree (-1) or pass (0) on each statement, once each and changeable while the round is open (the
unique key on (statement_id, voter_id)). A statement a resident adds is their words: it carries the
moderation columns and only public statements are shown for voting.

`changes` counts votes and statements stored or changed; `AgreementResult.changes` is the count the stored
result was computed from. A difference is a recomputation still owed, seen by every process (the
recompute sweep), as `Poll.changes` / `announced_changes` are for live polls.

`AgreementPlacement` is private: a voter's own group and position, shown to them only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.extensions import Model
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.moderated import ModeratedMixin


class AgreementRound(Model):
    __tablename__ = "agreement_rounds"

    DRAFT, OPEN, CLOSED = "draft", "open", "closed"
    STATES = (DRAFT, OPEN, CLOSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"), index=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"), index=True)
    # Official content in both languages (debate/services/bilingual.py): the Welsh version, "" until written.
    question: Mapped[str] = mapped_column(String(1200))  # 300 characters, 4 code points each at most
    question_cy: Mapped[str] = mapped_column(String(1200), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    state: Mapped[str] = mapped_column(String(10), default=DRAFT, index=True)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    allow_statements: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The changes count the stored result was computed from (a copy of AgreementResult.changes, so the
    # stale sweep is one comparison on this table).
    computed_changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The k-smoother's memory between recomputations (analysis.KState.to_json()).
    k_state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    created_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(topic_id IS NULL AND thread_id IS NOT NULL) OR (topic_id IS NOT NULL AND thread_id IS NULL)",
            name="one_subject",
        ),
    )

    @property
    def is_open(self) -> bool:
        return self.state == self.OPEN


class Statement(ModeratedMixin, Model):
    """One short statement of a round: the host's opening ones (`is_seed`) or a resident's own."""

    __tablename__ = "agreement_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("agreement_rounds.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(String(560))  # 140 characters, 4 code points each at most
    is_seed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    submission_key: Mapped[str | None] = mapped_column(String(64))
    agree: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    disagree: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    passes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    round: Mapped[AgreementRound] = relationship()
    author: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("author_id", "submission_key", name="uq_agreement_statements_author_id_submission_key"),
        Index("ix_agreement_statements_round_id_state", "round_id", "state"),
    )

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passes


class AgreementVote(Model):
    """One resident's vote on one statement: 1 agree, -1 disagree, 0 pass."""

    __tablename__ = "agreement_votes"

    AGREE, DISAGREE, PASS = 1, -1, 0
    CHOICES = {"agree": AGREE, "disagree": DISAGREE, "pass": PASS}

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("agreement_rounds.id"), index=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("agreement_statements.id"))
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    choice: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("statement_id", "voter_id", name="uq_agreement_votes_statement_id_voter_id"),
        CheckConstraint("choice IN (-1, 0, 1)", name="choice"),
        # A voter's votes in a round (progress, the next statement, on every vote): by round alone PostgreSQL
        # read all of a large round's votes, 21 ms a vote at 228,000 (bench/agreement_load.py).
        Index("ix_agreement_votes_voter_id_round_id", "voter_id", "round_id"),
    )


class AgreementResult(Model):
    """The stored analysis of a round (one row per round), replaced only by one computed from more changes."""

    __tablename__ = "agreement_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("agreement_rounds.id"), unique=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[int] = mapped_column(Integer, default=0)
    participants: Mapped[int] = mapped_column(Integer, default=0)
    clustered: Mapped[int] = mapped_column(Integer, default=0)
    statements: Mapped[int] = mapped_column(Integer, default=0)
    votes: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    k: Mapped[int | None] = mapped_column(Integer)
    # analysis.Analysis.public: safe to show anyone (no one's membership in it).
    public: Mapped[dict[str, Any]] = mapped_column(JSON)


class AgreementPlacement(Model):
    """PRIVATE: where one clustered voter sits (their group and position), shown to that voter only."""

    __tablename__ = "agreement_placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("agreement_rounds.id"))
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    group: Mapped[int] = mapped_column(Integer)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)

    __table_args__ = (UniqueConstraint("round_id", "voter_id", name="uq_agreement_placements_round_id_voter_id"),)
