"""Appeals: an author may ask once for another look at a decision about them.

A decision here is a content decision (review.Decision) or a sanction; both
have id, decided_by, subject_id and decided_at. A different moderator must
decide the appeal: reviewing your own call is not a second look.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from moderation import textshape
from moderation.categories import N_
from moderation.errors import AppealAlreadyDecided, AppealAlreadyFiled, AppealNotAllowed, SameModerator
from moderation.review import ReviewAction, ReviewState, transition


class Appealable(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def decided_by(self) -> str: ...
    @property
    def subject_id(self) -> str: ...
    @property
    def decided_at(self) -> datetime: ...
    @property
    def appealable(self) -> bool: ...


class AppealOutcome(str, enum.Enum):
    UPHELD = "upheld"  # the decision stands
    OVERTURNED = "overturned"  # the decision is reversed: content restored, sanction lifted


@dataclass(frozen=True)
class AppealRules:
    window: timedelta = timedelta(days=30)
    statement_max_chars: int = 2000

    def __post_init__(self) -> None:
        if self.statement_max_chars < 1:
            raise ValueError("statement_max_chars must be at least 1")


@dataclass(frozen=True)
class Appeal:
    decision_id: str
    appellant_id: str
    statement: str
    filed_at: datetime
    outcome: AppealOutcome | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str = ""


def _same(a: object, b: object) -> bool:
    """Compare ids as strings, so 5 and "5" can't slip past the same-person checks."""
    return str(a) == str(b)


def file_appeal(
    decision: Appealable,
    appellant_id: str,
    statement: str,
    prior: Iterable[Appeal],
    rules: AppealRules,
    now: datetime,
) -> Appeal:
    """A new appeal, or an AppealError saying why it can't be filed. `prior`: appeals already on record."""
    if not _same(appellant_id, decision.subject_id):
        raise AppealNotAllowed(N_("Only the person the decision is about can appeal it."))
    if not decision.appealable:
        raise AppealNotAllowed(N_("There is nothing to appeal in this decision."))
    if any(_same(a.decision_id, decision.id) for a in prior):
        raise AppealAlreadyFiled(N_("You have already appealed this decision; each decision can be appealed once."))
    if now - decision.decided_at > rules.window:
        raise AppealNotAllowed(f"Appeals must be made within {rules.window.days} days of the decision.")
    text = statement.strip()
    if not text:
        raise AppealNotAllowed(N_("Please explain why the decision should change."))
    if len(text) > rules.statement_max_chars * textshape.CODE_POINTS_PER_CHARACTER or (
        textshape.length(text) > rules.statement_max_chars
    ):
        raise AppealNotAllowed(f"Your appeal is too long: at most {rules.statement_max_chars:,} characters.")
    return Appeal(decision.id, appellant_id, text, now)


def decide_appeal(
    appeal: Appeal,
    decision: Appealable,
    moderator_id: str,
    outcome: AppealOutcome,
    now: datetime,
    note: str = "",
) -> Appeal:
    """Record the outcome; refused when already decided or when the deciding moderator made the decision."""
    if appeal.outcome is not None:
        raise AppealAlreadyDecided(N_("This appeal has already been decided."))
    if not _same(appeal.decision_id, decision.id):
        raise AppealNotAllowed(N_("This appeal is about another decision."))
    if _same(moderator_id, decision.decided_by):
        raise SameModerator(N_("A different moderator must decide this appeal."))
    if _same(moderator_id, appeal.appellant_id):
        raise SameModerator(N_("You can't decide your own appeal."))
    return replace(appeal, outcome=outcome, decided_by=moderator_id, decided_at=now, note=note)


def state_after(state: ReviewState, appeal: Appeal) -> ReviewState:
    """The item's state once a content appeal is decided: overturned restores it, upheld leaves it."""
    if appeal.outcome is AppealOutcome.OVERTURNED:
        return transition(state, ReviewAction.RESTORE)
    return state
