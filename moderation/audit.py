"""The shape of an audit log entry: who did what to which target, when, why, and what changed.

The app appends these to storage it never updates or deletes; the engine only
defines the record and its JSON form, so every writer produces the same shape.
`before` and `after` are frozen copies: an entry can't be edited after the fact.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from moderation.appeals import Appeal
from moderation.review import Decision, ReviewState
from moderation.sanctions import Sanction


class AuditAction(str, enum.Enum):
    APPROVE = "approve"
    HIDE = "hide"
    REMOVE = "remove"
    EDIT = "edit"
    AUTO_HIDE = "auto_hide"
    WITHDRAW = "withdraw"
    RESTORE = "restore"
    SANCTION = "sanction"
    LIFT_SANCTION = "lift_sanction"
    APPEAL_FILED = "appeal_filed"
    APPEAL_DECIDED = "appeal_decided"
    MERGE = "merge"  # a duplicate question folded into another (its votes and asker carried over)
    OUT_OF_ORDER = "out_of_order"  # a live question taken up or pinned ahead of the room's published order
    PUT_BACK = "put_back"  # a live question being answered put back in the list, not answered
    POLICY_CHANGED = "policy_changed"
    ORDER_RULE = "order_rule"  # a live room's published order changed (most votes, broad support)


@dataclass(frozen=True)
class AuditEntry:
    actor_id: str | None  # None: the system (e.g. auto-hide by flags)
    action: AuditAction
    target_type: str  # "post", "person", "appeal", "policy"
    target_id: str
    at: datetime
    reason: str | None = None  # a Category or ReasonCode value
    note: str = ""
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        for name in ("before", "after"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: datetimes as ISO 8601, enums as values."""
        return {
            "actor_id": self.actor_id,
            "action": self.action.value,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "at": self.at.isoformat(),
            "reason": self.reason,
            "note": self.note,
            "before": dict(self.before) if self.before is not None else None,
            "after": dict(self.after) if self.after is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditEntry:
        return cls(
            actor_id=data["actor_id"],
            action=AuditAction(data["action"]),
            target_type=data["target_type"],
            target_id=data["target_id"],
            at=datetime.fromisoformat(data["at"]),
            reason=data.get("reason"),
            note=data.get("note", ""),
            before=data.get("before"),
            after=data.get("after"),
        )


def for_decision(decision: Decision, before: ReviewState, after: ReviewState) -> AuditEntry:
    """The entry for a moderator's decision on a post."""
    return AuditEntry(
        actor_id=decision.decided_by,
        action=AuditAction(decision.action.value),
        target_type="post",
        target_id=decision.item_id,
        at=decision.decided_at,
        reason=decision.category.value if decision.category else None,
        note=decision.note,
        before={"state": before.value},
        after={"state": after.value},
    )


def for_sanction(sanction: Sanction) -> AuditEntry:
    """The entry for a sanction being issued."""
    return AuditEntry(
        actor_id=sanction.decided_by,
        action=AuditAction.SANCTION,
        target_type="person",
        target_id=sanction.subject_id,
        at=sanction.starts_at,
        reason=sanction.category.value,
        note=sanction.note,
        after={
            "sanction_id": sanction.id,
            "kind": sanction.kind.value,
            "ends_at": sanction.ends_at.isoformat() if sanction.ends_at else None,
        },
    )


def for_appeal_decision(appeal: Appeal, before: Appeal) -> AuditEntry:
    """The entry for an appeal's outcome."""
    if appeal.outcome is None or appeal.decided_at is None:
        raise ValueError("the appeal has no outcome yet")
    return AuditEntry(
        actor_id=appeal.decided_by,
        action=AuditAction.APPEAL_DECIDED,
        target_type="appeal",
        target_id=appeal.decision_id,
        at=appeal.decided_at,
        reason=appeal.outcome.value,
        note=appeal.note,
        before={"outcome": before.outcome.value if before.outcome else None},
        after={"outcome": appeal.outcome.value},
    )
