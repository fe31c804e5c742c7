"""The review state machine for one item of content, and moderators' decisions.

The table below is the whole truth: any (state, action) pair not in it raises
IllegalTransition, so a stale moderation page can't, say, approve removed
content. Approved or edited items are not auto-hidden by flags again: a person
already looked, and new flags only queue the item for another look.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from moderation.categories import BREACHES, Category, label
from moderation.errors import IllegalTransition, InvalidDecision


class ReviewState(str, enum.Enum):
    PUBLISHED = "published"  # public, never reviewed
    HELD = "held"  # waiting for review before anyone sees it
    FLAG_HIDDEN = "flag_hidden"  # hidden by flags, waiting for review
    APPROVED = "approved"  # public, a moderator reviewed it
    EDITED = "edited"  # public, changed by a moderator (with a note saying so)
    HIDDEN = "hidden"  # hidden by a moderator; the author still sees it and may appeal
    REMOVED = "removed"  # taken down by a moderator (unlawful, personal information)
    WITHDRAWN = "withdrawn"  # deleted by its author


class ReviewAction(str, enum.Enum):
    APPROVE = "approve"
    HIDE = "hide"
    REMOVE = "remove"
    EDIT = "edit"
    AUTO_HIDE = "auto_hide"  # the system, when flag weight reaches the threshold
    WITHDRAW = "withdraw"  # the author
    RESTORE = "restore"  # an appeal overturned the decision


class Actor(str, enum.Enum):
    MODERATOR = "moderator"
    SYSTEM = "system"
    AUTHOR = "author"
    APPEAL = "appeal"


ACTOR: dict[ReviewAction, Actor] = {
    ReviewAction.APPROVE: Actor.MODERATOR,
    ReviewAction.HIDE: Actor.MODERATOR,
    ReviewAction.REMOVE: Actor.MODERATOR,
    ReviewAction.EDIT: Actor.MODERATOR,
    ReviewAction.AUTO_HIDE: Actor.SYSTEM,
    ReviewAction.WITHDRAW: Actor.AUTHOR,
    ReviewAction.RESTORE: Actor.APPEAL,
}

_S, _A = ReviewState, ReviewAction
TRANSITIONS: dict[ReviewState, dict[ReviewAction, ReviewState]] = {
    _S.PUBLISHED: {
        _A.APPROVE: _S.APPROVED,
        _A.HIDE: _S.HIDDEN,
        _A.REMOVE: _S.REMOVED,
        _A.EDIT: _S.EDITED,
        _A.AUTO_HIDE: _S.FLAG_HIDDEN,
        _A.WITHDRAW: _S.WITHDRAWN,
    },
    _S.HELD: {
        _A.APPROVE: _S.APPROVED,
        _A.HIDE: _S.HIDDEN,
        _A.REMOVE: _S.REMOVED,
        _A.EDIT: _S.EDITED,
        _A.WITHDRAW: _S.WITHDRAWN,
    },
    _S.FLAG_HIDDEN: {
        _A.APPROVE: _S.APPROVED,
        _A.HIDE: _S.HIDDEN,
        _A.REMOVE: _S.REMOVED,
        _A.EDIT: _S.EDITED,
        _A.WITHDRAW: _S.WITHDRAWN,
    },
    _S.APPROVED: {_A.HIDE: _S.HIDDEN, _A.REMOVE: _S.REMOVED, _A.EDIT: _S.EDITED, _A.WITHDRAW: _S.WITHDRAWN},
    _S.EDITED: {
        _A.HIDE: _S.HIDDEN,
        _A.REMOVE: _S.REMOVED,
        _A.EDIT: _S.EDITED,
        _A.WITHDRAW: _S.WITHDRAWN,
        _A.RESTORE: _S.APPROVED,
    },
    _S.HIDDEN: {_A.APPROVE: _S.APPROVED, _A.REMOVE: _S.REMOVED, _A.WITHDRAW: _S.WITHDRAWN, _A.RESTORE: _S.APPROVED},
    _S.REMOVED: {_A.RESTORE: _S.APPROVED},
    _S.WITHDRAWN: {},
}

PUBLIC_STATES = frozenset({_S.PUBLISHED, _S.APPROVED, _S.EDITED})


def allowed_actions(state: ReviewState) -> frozenset[ReviewAction]:
    return frozenset(TRANSITIONS[state])


def transition(state: ReviewState, action: ReviewAction) -> ReviewState:
    """The state after `action`, or IllegalTransition if the state does not allow it."""
    try:
        return TRANSITIONS[state][action]
    except KeyError:
        raise IllegalTransition(state, action) from None


def is_public(state: ReviewState) -> bool:
    return state in PUBLIC_STATES


def placeholder(state: ReviewState, category: Category | None = None) -> str | None:
    """What readers see instead of the content, or None when the content itself shows (or, held, nothing does)."""
    if state is _S.HIDDEN:
        return f"Hidden by moderators: {label(category or Category.OTHER)}"
    if state is _S.REMOVED:
        return f"Removed by moderators: {label(category or Category.OTHER)}"
    if state is _S.FLAG_HIDDEN:
        return "Hidden while moderators review reports"
    if state is _S.WITHDRAWN:
        return "Deleted by its author"
    return None


def edited_note(category: Category | None = None) -> str:
    """The note shown with content a moderator edited."""
    return "Edited by a moderator" + (f": {label(category)}" if category else "")


_NEEDS_CATEGORY = frozenset({_A.HIDE, _A.REMOVE})
APPEALABLE = frozenset({_A.HIDE, _A.REMOVE, _A.EDIT})
# What a moderator did to an author's post that can count against them (see `counts_against`).
ADVERSE = frozenset({_A.HIDE, _A.REMOVE, _A.EDIT})


@dataclass(frozen=True)
class Decision:
    """A moderator's decision on one item: what, why (category and note), who, when."""

    id: str
    item_id: str
    action: ReviewAction
    decided_by: str
    subject_id: str  # the author of the item
    decided_at: datetime
    category: Category | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if ACTOR[self.action] is not Actor.MODERATOR:
            raise InvalidDecision(f"{self.action.value} is not a moderator's decision.")
        if self.action in _NEEDS_CATEGORY and self.category is None:
            raise InvalidDecision(f"Choose a reason to {self.action.value} this: the author will see it.")
        if self.action is _A.EDIT and not self.note.strip():
            raise InvalidDecision("Say what you changed and why: the author will see it.")
        if self.category is Category.OTHER and not self.note.strip():
            raise InvalidDecision("Add a note when the reason is “Other reason”.")

    @property
    def appealable(self) -> bool:
        return self.action in APPEALABLE

    @property
    def counts_against(self) -> bool:
        """Whether this decision is a mark against the author: hidden, removed or edited for a breach of the
        rules (`BREACHES`). Not an off-topic rejection, nor a correction with no reason (a typo fixed)."""
        return self.action in ADVERSE and self.category in BREACHES


def decide(state: ReviewState, decision: Decision) -> ReviewState:
    """Apply a moderator's decision to an item in `state`."""
    return transition(state, decision.action)
