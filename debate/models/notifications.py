"""The notification centre: what a member is told, how they want it by email, the sessions they follow.

A notification is shown in the centre always (in-app is always on); whether it
is also emailed, at once or in the daily digest, is the member's preference
for its kind. `subject` names what it is about ("thread:12") so a busy thread
can be capped to one unread notification per follower.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from debate.extensions import Model
from debate.models.base import utcnow


class Notification(Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(60), default="")
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]  # sent at once ("instant")
    digest_sent_at: Mapped[datetime | None]  # went out in a daily digest

    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(Model):
    """How a member wants one kind by email: off, instant or daily. Kind "all" set to "off" stops every email."""

    __tablename__ = "notification_preferences"

    OFF, INSTANT, DAILY = "off", "instant", "daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notification_preferences_user_id_kind"),)


class SessionFollow(Model):
    """A member follows a live session: told once when it is about to start."""

    __tablename__ = "session_follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_start_at: Mapped[datetime | None]  # the start time they were told about (None: not yet)
    # Their answer to "Will you speak Welsh?" (None: not answered), for the host's interpreter planning.
    speaks_welsh: Mapped[bool | None] = mapped_column(Boolean)

    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_session_follows_session_id_user_id"),)
