"""Equality monitoring: members' own answers, and the area's census profile.

Kept apart from every identity-bearing table on purpose: `EqualityAnswer` is keyed by the member's id only
so that its owner can see, change, download and erase it; `User` has no relationship to it, and no query
that renders a name or a post joins it. Reports read it only through `debate.services.equality.reports`,
which returns counts of at least ten people.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from debate.extensions import Model
from debate.models.base import utcnow


class EqualityAnswer(Model):
    """One member's answer to one question: an option's code, a postcode district, or "prefer_not".

    No row means "not answered", which reports count apart from "Prefer not to say".
    """

    __tablename__ = "equality_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    question: Mapped[str] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(String(60))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "question", name="uq_equality_answers_user_id_question"),)


class EqualityInvitation(Model):
    """That a member has seen the invitation to answer, and dismissed it: it is asked once, never again."""

    __tablename__ = "equality_invitations"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    dismissed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CensusShare(Model):
    """The area's share (per cent of residents) in one category of one question, with where it came from."""

    __tablename__ = "census_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(60))
    percent: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("question", "category", name="uq_census_profiles_question_category"),)
