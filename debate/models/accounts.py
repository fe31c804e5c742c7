"""Accounts: people, their role, a representative's public profile, login sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from debate import lookalike
from debate.extensions import Model
from debate.models.base import utcnow


class Role(str, enum.Enum):
    """What a person may do. Admin includes moderator powers."""

    RESIDENT = "resident"
    REPRESENTATIVE = "representative"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(240))  # 60 characters, 4 code points each at most
    # The name's two look-alike skeletons (debate/lookalike.py), kept in step with it by `_skeletons`,
    # so "does this name look like a member's?" is one indexed query.
    name_skeleton: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)
    name_skeleton_cased: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.RESIDENT.value)
    email_verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    # Bumped when the password changes, so reset links already sent stop working.
    credentials_version: Mapped[int] = mapped_column(default=1)
    # The language they chose (debate/i18n): their pages, emails and notifications use it. None: not chosen yet.
    locale: Mapped[str | None] = mapped_column(String(8))

    representative: Mapped[RepresentativeProfile | None] = relationship(
        back_populates="user", uselist=False, foreign_keys="RepresentativeProfile.user_id"
    )

    @validates("display_name")
    def _skeletons(self, _key: str, name: str) -> str:
        self.name_skeleton, self.name_skeleton_cased = lookalike.skeletons(name or "")
        return name

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_verified_representative(self) -> bool:
        return (
            self.role == Role.REPRESENTATIVE.value
            and self.representative is not None
            and self.representative.verified_at is not None
        )

    @property
    def public_name(self) -> str:
        return "former member" if self.deleted_at else self.display_name

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class RepresentativeProfile(Model):
    """A representative's public details; verified_at is set by an admin only."""

    __tablename__ = "representative_profiles"

    KINDS = ("councillor", "mp", "minister", "official")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(480))  # 120 characters (services/text.py: the code-point cap)
    area: Mapped[str] = mapped_column(String(480))
    party: Mapped[str] = mapped_column(String(480), default="independent")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(back_populates="representative", foreign_keys=[user_id])


class LoginSession(Model):
    """One signed-in browser. Ending it signs that browser (and its sockets) out."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()


class SignInLock(Model):
    """Wrong passwords typed for one email address lately, whether or not an account uses it.

    Keyed by a keyed hash of the address (services/accounts/sign_in_locks.py), so an address a stranger typed is
    not kept; a row is worth nothing after `expires_at` and is then deleted.
    """

    __tablename__ = "sign_in_locks"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    counting_since: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    expires_at: Mapped[datetime] = mapped_column(index=True)
