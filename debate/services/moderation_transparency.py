"""The public transparency report, built from the stored records by the engine (counts only, no ids)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

import moderation
from debate.extensions import db
from debate.models.moderation import Appeal, Flag, ModerationDecision, ReviewItem

HELD_LABELS = {
    "muted": "Author muted",
    "suspended": "Author suspended",
    "banned": "Author banned",
    "empty": "Empty",
    "too_long": "Too long",
    "control_characters": "Control characters",
    "direction_controls": "Text direction controls",
    "combining_flood": "Stacked accents",
    "rate_limited": "Posting too fast",
    "duplicate": "Repeated post",
    "new_account": "New account's first posts",
    "too_many_links": "Too many links for a new account",
    "premoderated": "Place reviews every post",
    "watched_blocked": "Watched word",
    "watched_held": "Watched word",
    "watched_flagged": "Watched word",
}


def monthly() -> list[moderation.MonthFigures]:
    """Every month with activity, newest first."""
    flags = [
        moderation.FlagRecord(str(item_id), moderation.Category(category), at)
        for item_id, category, at in db.session.execute(select(Flag.review_item_id, Flag.category, Flag.created_at))
    ]
    holds = [
        moderation.HoldRecord(str(item_id), moderation.ReasonCode(code), at)
        for item_id, code, at in db.session.execute(
            select(ReviewItem.id, ReviewItem.held_code, ReviewItem.held_at).where(ReviewItem.held_at.is_not(None))
        )
    ]
    # Columns, not ORM objects: building thousands of objects (and their state) cost more than the report.
    decided = select(
        ModerationDecision.review_item_id,
        ModerationDecision.action,
        ModerationDecision.category,
        ModerationDecision.queued_at,
        ModerationDecision.decided_at,
    )
    decisions = [
        moderation.DecisionRecord(
            str(d.review_item_id),
            moderation.ReviewAction(d.action),
            moderation.Category(d.category) if d.category else None,
            d.queued_at,
            d.decided_at,
        )
        for d in db.session.execute(decided)
    ]
    appeals = [
        moderation.AppealRecord(a.filed_at, a.decided_at, moderation.AppealOutcome(a.outcome) if a.outcome else None)
        for a in db.session.execute(select(Appeal.filed_at, Appeal.decided_at, Appeal.outcome))
    ]
    return list(reversed(moderation.report(flags, holds, decisions, appeals)))


def reason_label(code: str) -> str:
    """A category or hold reason code as the public reads it."""
    try:
        return moderation.label(moderation.Category(code))
    except ValueError:
        return HELD_LABELS.get(code, code.replace("_", " ").capitalize())


def month_name(month: str) -> str:
    """'2025-03' as 'March 2025'."""
    return datetime.strptime(month, "%Y-%m").strftime("%B %Y")
