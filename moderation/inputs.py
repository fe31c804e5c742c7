"""What the app tells the engine about a submission: the content, where it goes, and who wrote it.

All plain frozen dataclasses, built by the app from its models, so the engine
never needs the database. Datetimes may be naive UTC (as the app stores them) or
aware, but not mixed: the engine only compares and subtracts them.
Ids are strings; the app converts its integer keys with str().
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from moderation.sanctions import Sanction


class ContentKind(str, enum.Enum):
    THREAD = "thread"
    REPLY = "reply"
    QUESTION = "question"
    CHAT_MESSAGE = "chat_message"
    DISPLAY_NAME = "display_name"


# Kinds that are posts: the posting rules (new accounts, pace, pre-moderation) apply to these.
POST_KINDS = frozenset({ContentKind.THREAD, ContentKind.REPLY, ContentKind.QUESTION, ContentKind.CHAT_MESSAGE})


class ContextKind(str, enum.Enum):
    FORUM = "forum"
    LIVE_SESSION = "live_session"
    PROFILE = "profile"


class Role(str, enum.Enum):
    """Mirrors the app's roles by value, without importing the app."""

    RESIDENT = "resident"
    REPRESENTATIVE = "representative"
    MODERATOR = "moderator"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.MODERATOR, Role.ADMIN})


@dataclass(frozen=True)
class Context:
    """Where the content goes. `premoderated` comes from the place's own settings,
    e.g. a live session that reviews every question: {ContentKind.QUESTION}."""

    kind: ContextKind = ContextKind.FORUM
    id: str = ""
    premoderated: frozenset[ContentKind] = frozenset()

    @property
    def live(self) -> bool:
        return self.kind is ContextKind.LIVE_SESSION


@dataclass(frozen=True)
class Submission:
    """One piece of user content. A thread passes its title too, so both are judged together."""

    kind: ContentKind
    text: str
    context: Context = field(default_factory=Context)
    title: str | None = None
    lang: str | None = None  # the language the author marked ("cy", "en"), None when not known


@dataclass(frozen=True)
class AuthorStanding:
    """A person's standing: used for authors, and for flaggers when weighing their flags.

    `approved_posts` counts posts that became public (published, or approved after review).
    `flags_upheld` / `flags_rejected` count this person's flags that moderators acted on / dismissed.
    """

    person_id: str
    role: Role
    joined_at: datetime
    approved_posts: int = 0
    sanctions: tuple[Sanction, ...] = ()
    flags_upheld: int = 0
    flags_rejected: int = 0

    @property
    def staff(self) -> bool:
        return self.role in STAFF_ROLES


@dataclass(frozen=True)
class PastPost:
    """A post the author made recently: when, and `Verdict.fingerprint` as stored with it."""

    at: datetime
    fingerprint: str


@dataclass(frozen=True)
class AuthorHistory:
    """The author's accepted posts (published or held) within `Policy.history_window()`, any order."""

    recent_posts: tuple[PastPost, ...] = ()
