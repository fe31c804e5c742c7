"""Moderation records: the review queue, flags, decisions, appeals, sanctions, notices, settings, audit log.

The rules live in the `moderation` engine; these tables only remember what it
decided. Each model converts itself to the engine's dataclass (`as_engine`) so
services hand the engine plain values. The audit log is append-only: the ORM
refuses to update or delete an entry, and on PostgreSQL a trigger (migration
0003_moderation) refuses it for any SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

import moderation
from debate.extensions import Model
from debate.models.accounts import User
from debate.models.base import utcnow


class ReviewItem(Model):
    """One piece of content that needs (or needed) a moderator: held, flagged or appealed.

    One row per content item for its whole life: a decided item that is flagged
    again is reopened, so its flags, decisions and appeals stay together.
    """

    __tablename__ = "review_items"
    __table_args__ = (UniqueConstraint("content_type", "content_id", name="uq_review_items_content"),)

    OPEN, DECIDED = "open", "decided"
    HELD, FLAGGED, APPEALED = "held", "flagged", "appealed"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    content_id: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    context_kind: Mapped[str] = mapped_column(String(20), default="forum")
    context_id: Mapped[str] = mapped_column(String(80), default="")
    context_label: Mapped[str] = mapped_column(String(200), default="")
    live: Mapped[bool] = mapped_column(Boolean, default=False)
    cause: Mapped[str] = mapped_column(String(20))  # why it is in the queue now: held, flagged, appealed
    flag_weight: Mapped[float] = mapped_column(Float, default=0.0)  # flags raised since the last review
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # the engine's reasons
    status: Mapped[str] = mapped_column(String(10), default=OPEN, index=True)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None]
    # When and why the engine held it (kept for the transparency report; never overwritten).
    held_at: Mapped[datetime | None]
    held_code: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)  # entered the queue this time
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def target_id(self) -> str:
        """How the engine and the audit log name this content: "reply:12"."""
        return f"{self.content_type}:{self.content_id}"

    def as_queue_item(self) -> moderation.QueueItem:
        return moderation.QueueItem(str(self.id), self.live, self.flag_weight, self.queued_at)


class Flag(Model):
    """A member's report: one per member per item; its weight is fixed when raised."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("review_item_id", "flagger_id", name="uq_flags_item_flagger"),)

    UPHELD, REJECTED = "upheld", "rejected"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), index=True)
    flagger_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    outcome: Mapped[str | None] = mapped_column(String(10))  # upheld / rejected once reviewed
    outcome_at: Mapped[datetime | None]


class ModerationDecision(Model):
    """A moderator's decision on one item, with the text before and after when they edited it."""

    __tablename__ = "moderation_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # the author
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    state_before: Mapped[str] = mapped_column(String(20))
    state_after: Mapped[str] = mapped_column(String(20))
    text_before: Mapped[str | None] = mapped_column(Text)
    text_after: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime]
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def as_engine(self, target_id: str) -> moderation.Decision:
        return moderation.Decision(
            id=f"decision:{self.id}",
            item_id=target_id,
            action=moderation.ReviewAction(self.action),
            decided_by=str(self.moderator_id),
            subject_id=str(self.subject_id),
            decided_at=self.decided_at,
            category=moderation.Category(self.category) if self.category else None,
            note=self.note,
        )


class Sanction(Model):
    """A warning, mute, suspension or ban on a member, with its reason and (for mutes) its end."""

    __tablename__ = "sanctions"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None]
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    overturned: Mapped[bool] = mapped_column(Boolean, default=False)

    def as_engine(self) -> moderation.Sanction:
        return moderation.Sanction(
            id=f"sanction:{self.id}",
            kind=moderation.SanctionKind(self.kind),
            subject_id=str(self.subject_id),
            decided_by=str(self.moderator_id),
            category=moderation.Category(self.category),
            note=self.note,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            lifted_at=self.lifted_at,
            overturned=self.overturned,
        )


class Appeal(Model):
    """An author's request for another look at one decision or sanction; decided by another moderator."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_decisions.id"), unique=True)
    sanction_id: Mapped[int | None] = mapped_column(ForeignKey("sanctions.id"), unique=True)
    appellant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])

    @property
    def engine_decision_id(self) -> str:
        return f"decision:{self.decision_id}" if self.decision_id else f"sanction:{self.sanction_id}"

    def as_engine(self) -> moderation.Appeal:
        return moderation.Appeal(
            decision_id=self.engine_decision_id,
            appellant_id=str(self.appellant_id),
            statement=self.statement,
            filed_at=self.filed_at,
            outcome=moderation.AppealOutcome(self.outcome) if self.outcome else None,
            decided_by=str(self.decided_by_id) if self.decided_by_id else None,
            decided_at=self.decided_at,
            note=self.note,
        )


class ModerationNotice(Model):
    """What a member is told: a decision about their content, a sanction, a flag's outcome, an appeal's."""

    __tablename__ = "moderation_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # decision, sanction, flag_outcome, appeal_outcome, hidden
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_decisions.id"))
    sanction_id: Mapped[int | None] = mapped_column(ForeignKey("sanctions.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read: Mapped[bool] = mapped_column(Boolean, default=False)


class ModerationSettings(Model):
    """The admin's Policy as JSON, one row. `revision` changes on every save so caches notice."""

    __tablename__ = "moderation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AuditEntry(Model):
    """One moderation action, forever: who, what, which target, when, why, and what changed."""

    __tablename__ = "moderation_audit"
    __table_args__ = (Index("ix_moderation_audit_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # None: the system
    action: Mapped[str] = mapped_column(String(30), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    @classmethod
    def from_engine(cls, entry: moderation.AuditEntry) -> AuditEntry:
        return cls(
            actor_id=int(entry.actor_id) if entry.actor_id is not None else None,
            action=entry.action.value,
            target_type=entry.target_type,
            target_id=entry.target_id,
            at=entry.at,
            reason=entry.reason,
            note=entry.note,
            before=dict(entry.before) if entry.before is not None else None,
            after=dict(entry.after) if entry.after is not None else None,
        )


class AppendOnly(Exception):
    """Raised on any attempt to change or remove an audit entry."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AppendOnly("The moderation audit log is append-only: entries cannot be changed.")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AppendOnly("The moderation audit log is append-only: entries cannot be deleted.")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk(state) -> None:
    """Bulk ORM statements (session.execute(update(AuditEntry))) skip the mapper events: refuse them here."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_ is AuditEntry:
            raise AppendOnly("The moderation audit log is append-only.")
