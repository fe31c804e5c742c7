"""The monthly transparency report: how much was flagged, held, hidden and removed, and why;
how appeals went; how long people waited for a decision.

Inputs are minimal records the app builds from its tables; the output holds
counts and durations only, keyed by month and reason code: no ids, names or
text, so it can be published as it is.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moderation.appeals import AppealOutcome
from moderation.categories import Category
from moderation.reasons import ReasonCode
from moderation.review import ReviewAction


@dataclass(frozen=True)
class FlagRecord:
    item_id: str
    category: Category
    at: datetime


@dataclass(frozen=True)
class HoldRecord:
    item_id: str
    code: ReasonCode
    at: datetime


@dataclass(frozen=True)
class DecisionRecord:
    item_id: str
    action: ReviewAction
    category: Category | None
    queued_at: datetime  # when the item entered the review queue
    decided_at: datetime


@dataclass(frozen=True)
class AppealRecord:
    filed_at: datetime
    decided_at: datetime | None = None
    outcome: AppealOutcome | None = None


@dataclass(frozen=True)
class MonthFigures:
    month: str  # "2025-03"
    items_flagged: int = 0
    flags_by_reason: dict[str, int] = field(default_factory=dict)
    items_held: int = 0
    held_by_reason: dict[str, int] = field(default_factory=dict)
    items_hidden: int = 0
    hidden_by_reason: dict[str, int] = field(default_factory=dict)
    items_removed: int = 0
    removed_by_reason: dict[str, int] = field(default_factory=dict)
    decisions: int = 0
    median_minutes_to_decision: float | None = None
    appeals_filed: int = 0
    appeals_decided: int = 0
    appeals_overturned: int = 0
    overturned_share: float | None = None  # of the appeals decided this month

    def to_dict(self) -> dict[str, Any]:
        return {name: (dict(value) if isinstance(value, dict) else value) for name, value in vars(self).items()}


def _month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _by_reason(pairs: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Count distinct items per reason (an item flagged five times for spam counts once)."""
    return dict(sorted(Counter(reason for _, reason in set(pairs)).items()))


def report(
    flags: Iterable[FlagRecord] = (),
    holds: Iterable[HoldRecord] = (),
    decisions: Iterable[DecisionRecord] = (),
    appeals: Iterable[AppealRecord] = (),
    *,
    since: str | None = None,
    before: str | None = None,
) -> tuple[MonthFigures, ...]:
    """Figures for every month from the first to the last with activity (quiet months show zeros).

    `since` and `before` ("2025-03") keep only the moments in months from `since` and before `before`, so an
    app can compute closed months once and only the current month afresh (`joined` puts the two together).
    Records are grouped by month in one pass: the cost grows with the records, not records times months.
    """

    def kept(moment: datetime | None) -> str | None:
        month = _month(moment) if moment else None
        if month is None or (since and month < since) or (before and month >= before):
            return None
        return month

    buckets: dict[str, _Month] = {}

    def bucket(moment: datetime | None) -> _Month | None:
        month = kept(moment)
        return None if month is None else buckets.setdefault(month, _Month())

    for f in flags:
        if (b := bucket(f.at)) is not None:
            b.flagged.append((f.item_id, f.category.value))
    for h in holds:
        if (b := bucket(h.at)) is not None:
            b.held.append((h.item_id, h.code.value))
    for d in decisions:
        if (b := bucket(d.decided_at)) is not None:
            b.decided.append(d)
    for a in appeals:
        if (b := bucket(a.filed_at)) is not None:
            b.filed += 1
        if (b := bucket(a.decided_at)) is not None:
            b.closed.append(a)
    if not buckets:
        return ()
    months = _months_between(min(buckets), max(buckets))
    return tuple(_figures(m, buckets[m]) if m in buckets else MonthFigures(month=m) for m in months)


def joined(older: Iterable[MonthFigures], newer: Iterable[MonthFigures]) -> tuple[MonthFigures, ...]:
    """Two reports of consecutive windows as one, the quiet months between them shown as zeros."""
    older, newer = tuple(older), tuple(newer)
    if not older or not newer:
        return older + newer
    gap = _months_between(older[-1].month, newer[0].month)[1:-1]
    return older + tuple(MonthFigures(month=m) for m in gap) + newer


@dataclass
class _Month:
    """One month's records, gathered in one pass over all of them."""

    flagged: list[tuple[str, str]] = field(default_factory=list)
    held: list[tuple[str, str]] = field(default_factory=list)
    decided: list[DecisionRecord] = field(default_factory=list)
    filed: int = 0
    closed: list[AppealRecord] = field(default_factory=list)


def _figures(month: str, records: _Month) -> MonthFigures:
    flagged, held, decided, closed = records.flagged, records.held, records.decided, records.closed
    hidden = [(d.item_id, _reason(d)) for d in decided if d.action is ReviewAction.HIDE]
    removed = [(d.item_id, _reason(d)) for d in decided if d.action is ReviewAction.REMOVE]
    waits = [(d.decided_at - d.queued_at).total_seconds() / 60 for d in decided]
    overturned = sum(1 for a in closed if a.outcome is AppealOutcome.OVERTURNED)
    return MonthFigures(
        month=month,
        items_flagged=len({item for item, _ in flagged}),
        flags_by_reason=_by_reason(flagged),
        items_held=len({item for item, _ in held}),
        held_by_reason=_by_reason(held),
        items_hidden=len({item for item, _ in hidden}),
        hidden_by_reason=_by_reason(hidden),
        items_removed=len({item for item, _ in removed}),
        removed_by_reason=_by_reason(removed),
        decisions=len(decided),
        median_minutes_to_decision=round(statistics.median(waits), 1) if waits else None,
        appeals_filed=records.filed,
        appeals_decided=len(closed),
        appeals_overturned=overturned,
        overturned_share=round(overturned / len(closed), 3) if closed else None,
    )


def _reason(decision: DecisionRecord) -> str:
    return (decision.category or Category.OTHER).value
