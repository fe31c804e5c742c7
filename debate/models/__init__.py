"""Models, one module per aggregate. Import them all here so Alembic sees them."""

from debate.models.accountability import (
    AccountabilitySettings,
    QuestionAssignee,
    QuestionTransfer,
    TrackedQuestion,
)
from debate.models.accounts import LoginSession, RepresentativeProfile, Role, SignInLock, User
from debate.models.agreement import (
    AgreementPlacement,
    AgreementResult,
    AgreementRound,
    AgreementVote,
    Statement,
)
from debate.models.equality import CensusShare, EqualityAnswer, EqualityInvitation
from debate.models.forums import HelpfulVote, OfficialResponse, Reply, Revision, Thread, ThreadFollow
from debate.models.live import (
    ChatMessage,
    LiveSession,
    QuestionVote,
    SessionAnnouncement,
    SessionBridging,
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
from debate.models.notifications import Notification, NotificationPreference, SessionFollow
from debate.models.outcomes import Outcome, OutcomeUpdate
from debate.models.polls import Poll, PollAnswer, PollOption
from debate.models.surveys import (
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    SurveyTextAnswer,
)
from debate.models.topics import Topic

__all__ = [
    "AgreementPlacement",
    "AgreementResult",
    "AgreementRound",
    "AgreementVote",
    "Statement",
    "AccountabilitySettings",
    "QuestionAssignee",
    "QuestionTransfer",
    "TrackedQuestion",
    "AuditEntry",
    "CensusShare",
    "ChatMessage",
    "EqualityAnswer",
    "EqualityInvitation",
    "LiveSession",
    "QuestionVote",
    "SessionAnnouncement",
    "SessionEvent",
    "SessionFollow",
    "SessionPanelist",
    "SessionBridging",
    "SessionPresence",
    "SessionQuestion",
    "Flag",
    "HelpfulVote",
    "LoginSession",
    "ModerationAppeal",
    "ModerationDecision",
    "ModerationNotice",
    "ModerationSettings",
    "Notification",
    "NotificationPreference",
    "OfficialResponse",
    "Outcome",
    "Poll",
    "PollAnswer",
    "PollOption",
    "OutcomeUpdate",
    "Reply",
    "RepresentativeProfile",
    "ReviewItem",
    "Revision",
    "Role",
    "Sanction",
    "SignInLock",
    "Survey",
    "SurveyAnswer",
    "SurveyOption",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveySection",
    "SurveyTextAnswer",
    "Thread",
    "ThreadFollow",
    "Topic",
    "User",
]
