"""Common Ground's moderation engine: pure rules, no Flask, no database, no app imports.

The app builds the inputs from its models, calls these functions, stores what
they return, and shows the reasons. Start with `evaluate` (see README.md).
"""

from moderation.appeals import Appeal, AppealOutcome, AppealRules, decide_appeal, file_appeal, state_after
from moderation.audit import AuditAction, AuditEntry, for_appeal_decision, for_decision, for_sanction
from moderation.categories import CATEGORY_LABELS, Category, label
from moderation.engine import evaluate
from moderation.errors import (
    AppealAlreadyDecided,
    AppealAlreadyFiled,
    AppealError,
    AppealNotAllowed,
    IllegalTransition,
    InvalidDecision,
    InvalidFlag,
    InvalidSanction,
    ModerationError,
    PolicyError,
    SameModerator,
)
from moderation.flags import FlagReport, FlagRules, flag_weight, should_hide, total_weight, validate_flag
from moderation.inputs import (
    AuthorHistory,
    AuthorStanding,
    ContentKind,
    Context,
    ContextKind,
    PastPost,
    Role,
    Submission,
)
from moderation.normalise import fingerprint
from moderation.policy import DuplicateRule, LengthLimits, NewAccountRules, Policy, RateLimit, TextRules
from moderation.queue import QueueItem, priority_key
from moderation.reasons import Action, Reason, ReasonCode
from moderation.review import (
    Decision,
    ReviewAction,
    ReviewState,
    allowed_actions,
    decide,
    edited_note,
    is_public,
    placeholder,
    transition,
)
from moderation.sanctions import (
    Capability,
    Sanction,
    SanctionKind,
    active_sanctions,
    allows,
    blocking,
    for_duration,
    forbidden,
    lift,
)
from moderation.transparency import AppealRecord, DecisionRecord, FlagRecord, HoldRecord, MonthFigures, joined, report
from moderation.verdict import Match, Verdict
from moderation.wordlist import TermAction, TermMatch, WatchedTerm, WatchList

__all__ = [
    "CATEGORY_LABELS",
    "Action",
    "Appeal",
    "AppealAlreadyDecided",
    "AppealAlreadyFiled",
    "AppealError",
    "AppealNotAllowed",
    "AppealOutcome",
    "AppealRecord",
    "AppealRules",
    "AuditAction",
    "AuditEntry",
    "AuthorHistory",
    "AuthorStanding",
    "Capability",
    "Category",
    "ContentKind",
    "Context",
    "ContextKind",
    "Decision",
    "DecisionRecord",
    "DuplicateRule",
    "FlagRecord",
    "FlagReport",
    "FlagRules",
    "HoldRecord",
    "IllegalTransition",
    "InvalidDecision",
    "InvalidFlag",
    "InvalidSanction",
    "LengthLimits",
    "Match",
    "ModerationError",
    "MonthFigures",
    "NewAccountRules",
    "PastPost",
    "Policy",
    "PolicyError",
    "QueueItem",
    "RateLimit",
    "Reason",
    "ReasonCode",
    "ReviewAction",
    "ReviewState",
    "Role",
    "SameModerator",
    "Sanction",
    "SanctionKind",
    "Submission",
    "TermAction",
    "TermMatch",
    "TextRules",
    "Verdict",
    "WatchList",
    "WatchedTerm",
    "active_sanctions",
    "allowed_actions",
    "allows",
    "blocking",
    "decide",
    "decide_appeal",
    "edited_note",
    "evaluate",
    "file_appeal",
    "fingerprint",
    "flag_weight",
    "for_appeal_decision",
    "for_decision",
    "for_duration",
    "for_sanction",
    "forbidden",
    "is_public",
    "label",
    "lift",
    "placeholder",
    "priority_key",
    "joined",
    "report",
    "should_hide",
    "state_after",
    "total_weight",
    "transition",
    "validate_flag",
]
