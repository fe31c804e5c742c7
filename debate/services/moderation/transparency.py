"""The public transparency report, built from the stored records by the engine (counts only, no ids)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_date
from flask import current_app
from flask_babel import get_locale
from sqlalchemy import ColumnElement, Select, func, or_, select, union_all
from sqlalchemy.sql.elements import SQLCoreOperations

import moderation
from debate.extensions import db
from debate.models.base import utcnow
from debate.models.moderation import Appeal, Flag, ModerationDecision, ReviewItem


def monthly() -> list[moderation.MonthFigures]:
    """Every month with activity, newest first.

    Closed months never change, so their figures are computed once per app (process) and reused while the
    records before this month are the same ones (`_closed_key`: their counts and id sums, one cheap statement);
    only the current month is read and computed on every request.
    """
    now = utcnow()
    start = datetime(now.year, now.month, 1)
    month = start.strftime("%Y-%m")
    key = (month, _closed_key(start))
    cached = current_app.extensions.get(_CACHE)
    if cached and cached[0] == key:
        closed = cached[1]
    else:
        closed = moderation.report(*_records(start, before=True), before=month)
        current_app.extensions[_CACHE] = (key, closed)  # one entry: only the newest closed months are asked for
    current = moderation.report(*_records(start, before=False), since=month)
    return list(reversed(moderation.joined(closed, current)))


# app.extensions[_CACHE]: ((current month, _closed_key), figures of every closed month).
_CACHE = "transparency_closed_months"


def _closed_key(start: datetime) -> tuple[tuple[Any, ...], ...]:
    """How many records fall before `start`, and their id sums: any change to a closed month changes this."""

    def seen(
        model: type[Flag | ReviewItem | ModerationDecision | Appeal], moment: SQLCoreOperations[datetime | None]
    ) -> Select[tuple[int, int]]:
        return select(func.count(), func.coalesce(func.sum(model.id), 0)).where(moment < start)

    parts = [
        seen(Flag, Flag.created_at),
        seen(ReviewItem, ReviewItem.held_at),
        seen(ModerationDecision, ModerationDecision.decided_at),
        seen(Appeal, Appeal.filed_at),
        seen(Appeal, Appeal.decided_at),
    ]
    return tuple(tuple(row) for row in db.session.execute(union_all(*parts)))


def _records(
    start: datetime, before: bool
) -> tuple[
    list[moderation.FlagRecord],
    list[moderation.HoldRecord],
    list[moderation.DecisionRecord],
    list[moderation.AppealRecord],
]:
    """Flags, holds, decisions and appeals with a moment before `start` (or from it on)."""

    def window(moment: SQLCoreOperations[datetime | None]) -> ColumnElement[bool]:
        return moment < start if before else moment >= start

    flags = [
        moderation.FlagRecord(str(item_id), moderation.Category(category), at)
        for item_id, category, at in db.session.execute(
            select(Flag.review_item_id, Flag.category, Flag.created_at).where(window(Flag.created_at))
        )
    ]
    holds = [
        moderation.HoldRecord(str(item_id), moderation.ReasonCode(code), at)
        for item_id, code, at in db.session.execute(
            select(ReviewItem.id, ReviewItem.held_code, ReviewItem.held_at).where(window(ReviewItem.held_at))
        )
    ]
    # Columns, not ORM objects: building thousands of objects (and their state) cost more than the report.
    decided = select(
        ModerationDecision.review_item_id,
        ModerationDecision.action,
        ModerationDecision.category,
        ModerationDecision.queued_at,
        ModerationDecision.decided_at,
    ).where(window(ModerationDecision.decided_at))
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
    # An appeal filed in one window may be decided in the other: report() counts each moment in its own window.
    appealed = select(Appeal.filed_at, Appeal.decided_at, Appeal.outcome).where(
        or_(window(Appeal.filed_at), window(Appeal.decided_at))
    )
    appeals = [
        moderation.AppealRecord(a.filed_at, a.decided_at, moderation.AppealOutcome(a.outcome) if a.outcome else None)
        for a in db.session.execute(appealed)
    ]
    return flags, holds, decisions, appeals


def month_name(month: str) -> str:
    """'2025-03' as 'March 2025', in the reader's language ("Mawrth 2025"): the month's name from CLDR."""
    locale = get_locale()
    return format_date(datetime.strptime(month, "%Y-%m").date(), "LLLL y", locale=locale.language if locale else "en")
