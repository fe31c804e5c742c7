"""The engine's answer: what to do with a submission, why, and what to store with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from moderation.categories import Category
from moderation.reasons import Action, Reason
from moderation.wordlist import TermAction


@dataclass(frozen=True)
class Match:
    """A watched term found in the submission, for moderators: which term, the text as written, where."""

    term: str
    action: TermAction
    category: Category
    text: str
    certain: bool
    field: str = "text"

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "action": self.action.value,
            "category": self.category.value,
            "text": self.text,
            "certain": self.certain,
            "field": self.field,
        }


@dataclass(frozen=True)
class Verdict:
    """PUBLISH, HOLD or REJECT.

    `reasons` explain the action to the author (those of the deciding severity).
    `flags` are system flags for moderators (FLAG terms): the item is published
    but goes into the review queue. `fingerprint` is stored with the post for
    duplicate detection.
    """

    action: Action
    reasons: tuple[Reason, ...] = ()
    flags: tuple[Reason, ...] = ()
    matches: tuple[Match, ...] = ()
    fingerprint: str = ""

    @property
    def published(self) -> bool:
        return self.action is Action.PUBLISH

    @property
    def held(self) -> bool:
        return self.action is Action.HOLD

    @property
    def rejected(self) -> bool:
        return self.action is Action.REJECT

    @property
    def retry_after(self) -> timedelta | None:
        """When rate limited: how long until a post would be accepted (for a Retry-After header)."""
        waits = [r.params["retry_after_seconds"] for r in self.reasons if "retry_after_seconds" in r.params]
        return timedelta(seconds=max(waits)) if waits else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action.value,
            "reasons": [r.to_dict() for r in self.reasons],
            "flags": [r.to_dict() for r in self.flags],
            "matches": [m.to_dict() for m in self.matches],
            "fingerprint": self.fingerprint,
        }
