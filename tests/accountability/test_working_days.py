"""The due-date calendar: N working days after a date, skipping weekends and the admin's bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from debate.services.accountability.working_days import add_working_days, is_working_day, working_days_between

MON, FRI, SAT, SUN = date(2026, 11, 23), date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 29)
CHRISTMAS = [date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)]


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (MON, 1, date(2026, 11, 24)),
        (FRI, 1, date(2026, 11, 30)),  # over the weekend
        (SAT, 1, date(2026, 11, 30)),  # put on a Saturday: Monday is the first working day
        (SUN, 1, date(2026, 11, 30)),
        (SAT, 5, date(2026, 12, 4)),
        (FRI, 5, date(2026, 12, 4)),
        (MON, 5, date(2026, 11, 30)),
        (MON, 20, date(2026, 12, 21)),  # the default: four weeks without holidays
        (MON, 0, MON),
        (SUN, 0, SUN),
    ],
)
def test_weekends_are_skipped(start, days, due):
    assert add_working_days(start, days) == due


def test_bank_holidays_are_skipped():
    # Mon 21 Dec + 5: Tue 22, Wed 23, Thu 24, (Fri 25 and Mon 28 off), Tue 29, Wed 30.
    assert add_working_days(date(2026, 12, 21), 5) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 21), 5, CHRISTMAS) == date(2026, 12, 30)


def test_over_the_year_end():
    # Wed 30 Dec + 3: Thu 31, (Fri 1 Jan off, weekend), Mon 4, Tue 5.
    assert add_working_days(date(2026, 12, 30), 3, CHRISTMAS) == date(2027, 1, 5)
    assert add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 4)
    # Starting on a holiday counts from the next working day, like a weekend.
    assert add_working_days(date(2026, 12, 25), 1, CHRISTMAS) == date(2026, 12, 29)


def test_a_holiday_on_a_weekend_changes_nothing():
    assert add_working_days(FRI, 1, [SAT, SUN]) == add_working_days(FRI, 1)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(MON, -1)


def test_is_working_day_and_days_between():
    assert is_working_day(MON) and not is_working_day(SAT) and not is_working_day(SUN)
    assert not is_working_day(date(2026, 12, 25), CHRISTMAS)
    assert working_days_between(MON, FRI) == 4
    assert working_days_between(FRI, date(2026, 11, 30)) == 1
    assert working_days_between(FRI, MON) == 0
    assert working_days_between(date(2026, 12, 21), date(2026, 12, 30), CHRISTMAS) == 5
    for days in range(0, 45):
        due = add_working_days(date(2026, 12, 18), days, CHRISTMAS)
        assert working_days_between(date(2026, 12, 18), due, CHRISTMAS) == days
