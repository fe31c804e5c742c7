"""Flags (reports) from members: checking the form, weighing the flagger, and when an item hides.

Weights make brigading harder without silencing anyone: a moderator's flag
hides at once; an established member in good standing counts 1; a brand-new
account counts less, and so does one with recent sanctions or a record of
flags that moderators dismissed. When the weights reach the threshold the item
is hidden until a moderator reviews it (review.ReviewAction.AUTO_HIDE).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from moderation import sanctions, textshape
from moderation.categories import N_, Category
from moderation.errors import InvalidFlag
from moderation.inputs import AuthorStanding


@dataclass(frozen=True)
class FlagRules:
    threshold: float = 3.0
    established_weight: float = 1.0
    new_account_weight: float = 0.5
    sanctioned_weight: float = 0.25
    poor_record_weight: float = 0.25
    new_for: timedelta = timedelta(days=7)  # an account younger than this is new...
    new_until_posts: int = 3  # ...and so is one with fewer approved posts than this
    sanction_memory: timedelta = timedelta(days=90)
    poor_record_min_rejected: int = 5  # a record is poor with at least this many dismissed flags...
    poor_record_share: float = 0.5  # ...making up more than this share of all their decided flags
    note_max_chars: int = 500

    def __post_init__(self) -> None:
        if self.threshold <= 0:
            raise ValueError("threshold must be above 0")
        weights = (self.established_weight, self.new_account_weight, self.sanctioned_weight, self.poor_record_weight)
        if any(w < 0 for w in weights) or self.new_until_posts < 0 or self.note_max_chars < 1:
            raise ValueError("weights and counts must not be negative")


@dataclass(frozen=True)
class FlagReport:
    """A validated flag as submitted: the app stores it with the flagger, item, time and weight."""

    category: Category
    note: str


def validate_flag(reason: object, note: object, rules: FlagRules) -> FlagReport:
    """Check a flag form. 'other' needs a note saying what is wrong, since moderators can't guess."""
    try:
        category = Category(reason)
    except ValueError:
        raise InvalidFlag("reason", N_("Please choose a reason from the list.")) from None
    if note is not None and not isinstance(note, str):
        raise InvalidFlag("note", N_("The note must be text."))
    text = (note or "").strip()
    if category is Category.OTHER and not text:
        raise InvalidFlag("note", N_("Please say what is wrong when you choose “Other reason”."))
    if len(text) > rules.note_max_chars * textshape.CODE_POINTS_PER_CHARACTER or (
        textshape.length(text) > rules.note_max_chars
    ):
        raise InvalidFlag("note", f"The note is too long: at most {rules.note_max_chars:,} characters.")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        raise InvalidFlag("note", N_("The note contains control characters."))
    return FlagReport(category, text)


def is_new(person: AuthorStanding, rules: FlagRules, now: datetime) -> bool:
    return now - person.joined_at < rules.new_for or person.approved_posts < rules.new_until_posts


def poor_record(person: AuthorStanding, rules: FlagRules) -> bool:
    decided = person.flags_upheld + person.flags_rejected
    return (
        person.flags_rejected >= rules.poor_record_min_rejected
        and person.flags_rejected / decided > rules.poor_record_share
    )


def flag_weight(flagger: AuthorStanding, rules: FlagRules, now: datetime) -> float:
    """How much this person's flag counts now. Store it with the flag: later changes don't rewrite history."""
    if not sanctions.allows(flagger.sanctions, sanctions.Capability.FLAG, now):
        return 0.0
    if flagger.staff:
        return rules.threshold
    weight = rules.new_account_weight if is_new(flagger, rules, now) else rules.established_weight
    if sanctions.recent(flagger.sanctions, now, rules.sanction_memory):
        weight = min(weight, rules.sanctioned_weight)
    if poor_record(flagger, rules):
        weight = min(weight, rules.poor_record_weight)
    return weight


def total_weight(weights: Iterable[float]) -> float:
    return math.fsum(weights)


def should_hide(weights: Iterable[float], rules: FlagRules) -> bool:
    """True when the flags raised since the item was last reviewed reach the threshold.

    Pass only flags since the last review: an item a moderator approved is not
    hidden again by old flags (review forbids AUTO_HIDE on approved items anyway).
    """
    return round(total_weight(weights), 9) >= rules.threshold
