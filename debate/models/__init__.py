"""Models, one module per aggregate. Import them all here so Alembic sees them."""

from debate.models.accounts import LoginSession, RepresentativeProfile, Role, User
from debate.models.forums import HelpfulVote, OfficialResponse, Reply, Revision, Thread, ThreadFollow
from debate.models.live import (
    ChatMessage,
    LiveSession,
    QuestionVote,
    SessionAnnouncement,
    SessionEvent,
    SessionPanelist,
    SessionPresence,
    SessionQuestion,
)
from debate.models.moderation import Appeal as ModerationAppeal
from debate.models.moderation import (
    AuditEntry,
    Flag,
    ModerationDecision,
    ModerationNotice,
    ModerationSettings,
    ReviewItem,
    Sanction,
)
from debate.models.topics import Topic

__all__ = [
    "AuditEntry",
    "ChatMessage",
    "LiveSession",
    "QuestionVote",
    "SessionAnnouncement",
    "SessionEvent",
    "SessionPanelist",
    "SessionPresence",
    "SessionQuestion",
    "Flag",
    "HelpfulVote",
    "LoginSession",
    "ModerationAppeal",
    "ModerationDecision",
    "ModerationNotice",
    "ModerationSettings",
    "OfficialResponse",
    "Reply",
    "RepresentativeProfile",
    "ReviewItem",
    "Revision",
    "Role",
    "Sanction",
    "Thread",
    "ThreadFollow",
    "Topic",
    "User",
]
