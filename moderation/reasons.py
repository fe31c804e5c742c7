"""What the engine answers and why: the action, and reasons an author can read.

Every reason carries a stable `code` (for the app and for translation), an
English `message` addressed to the author, the `rule` (a path into the Policy,
or `watchlist:<term>`) so an admin can find what fired, and `params` with the
numbers in the message so a translated message can be rebuilt from them.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Any


class Action(str, enum.Enum):
    """What happens to a submission. Ordered by severity: see `severity`."""

    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


_SEVERITY = {Action.PUBLISH: 0, Action.HOLD: 1, Action.REJECT: 2}


def severity(action: Action) -> int:
    """Rank used to combine reasons: the most severe one decides."""
    return _SEVERITY[action]


class ReasonCode(str, enum.Enum):
    MUTED = "muted"
    SUSPENDED = "suspended"
    BANNED = "banned"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"
    DIRECTION_CONTROLS = "direction_controls"
    COMBINING_FLOOD = "combining_flood"
    RATE_LIMITED = "rate_limited"
    DUPLICATE = "duplicate"
    NEW_ACCOUNT = "new_account"
    TOO_MANY_LINKS = "too_many_links"
    PREMODERATED = "premoderated"
    WATCHED_BLOCKED = "watched_blocked"
    WATCHED_HELD = "watched_held"
    WATCHED_FLAGGED = "watched_flagged"


@dataclass(frozen=True)
class Reason:
    """One rule's finding. `action` is what this rule alone asks for."""

    code: ReasonCode
    message: str
    rule: str
    action: Action
    field: str = "text"  # which input: "text" or "title"
    params: dict[str, Any] = dataclasses.field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "message": self.message,
            "rule": self.rule,
            "action": self.action.value,
            "field": self.field,
            "params": dict(self.params),
        }
