"""The public participation profile: each month's participants against the area, suppressed like every report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from debate.models.base import utcnow
from debate.services.equality import participants
from debate.services.equality.reports import Report, profile_of


@dataclass(frozen=True)
class Month:
    month: str  # "2026-11"
    report: Report


def monthly(most: int = 12) -> list[Month]:
    shown = []
    for first in participants.months(utcnow(), most):
        following = datetime(first.year + (first.month == 12), 1 if first.month == 12 else first.month + 1, 1)
        shown.append(Month(first.strftime("%Y-%m"), profile_of(participants.anywhere(first, following))))
    return shown
