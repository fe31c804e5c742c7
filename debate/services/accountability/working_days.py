"""The council's calendar for written answers: working days, skipping weekends and bank holidays.

Pure functions (no database, no clock) so the rules can be tested on their
own; `services/accountability` passes in the admin's settings and "today".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

SATURDAY = 5


def is_working_day(day: date, holidays: Iterable[date] = ()) -> bool:
    """Monday to Friday, and not a bank holiday."""
    return day.weekday() < SATURDAY and day not in set(holidays)


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The date `days` working days after `start` (which itself never counts).

    A question put on a Friday with 1 working day is due on Monday; one put on
    a Saturday is due on Monday too: the count starts from the next working day.
    `days` of 0 gives `start` itself.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    off = set(holidays)
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, off):
            left -= 1
    return day


def working_days_between(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """How many working days fall after `start` up to and including `end` (0 when end <= start)."""
    off = set(holidays)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, off):
            count += 1
    return count
