"""Bank holidays: the council's nation's official list, shipped from the holidays library; the admin's changes.

A due date must never fall on a weekend or on a bank holiday of the nation the
council chose, whatever day the question was put and however many working
days the admin allows; the admin's additions, removals, reloads and choice of
nation must move new due dates at once.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from sqlalchemy import select

from debate.demo import seeding
from debate.errors import PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accountability import AccountabilitySettings, TrackedQuestion
from debate.services.accountability import bank_holidays
from debate.services.accountability import questions as accountability

SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


def official(nation: str, *years: int) -> set[date]:
    """The oracle: the library itself, asked directly."""
    return set(holidays.country_holidays("GB", subdiv=SUBDIVISIONS[nation], years=years))


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def assert_never_off(nation: str, working: tuple[int, ...] = (1, 5, 20)) -> None:
    calendar = accountability.settings().calendar
    off = official(nation, 2026, 2027, 2028)
    for n in working:
        config = accountability.Settings(n, calendar)
        for start in days(date(2026, 11, 1), date(2027, 12, 31)):
            due = accountability.due_date(start, config)
            assert due.weekday() < 5 and due not in off, (nation, n, start, due)


def test_by_default_due_dates_skip_england_and_wales_bank_holidays(app):
    """Before any admin saved anything (the list used to start empty: answers fell due on Christmas Day)."""
    off = official("england-and-wales", 2026, 2027, 2028)
    for start in days(date(2026, 11, 1), date(2027, 12, 31)):
        due = accountability.due_date(start)  # 20 working days
        assert due.weekday() < 5 and due not in off, (start, due)
    assert accountability.due_date(date(2026, 12, 21)) == date(2027, 1, 21)  # 25 and 28 Dec, 1 Jan skipped
    assert accountability.settings().nation == "england-and-wales"
    assert_never_off("england-and-wales")


@pytest.mark.parametrize("nation", ["england-and-wales", "scotland", "northern-ireland"])
def test_due_dates_never_fall_on_a_bank_holiday_of_the_chosen_nation(app, make_user, nation):
    from debate.models import Role

    accountability.save_settings(make_user(Role.ADMIN, "Ada Admin"), "20", nation)
    assert accountability.settings().nation == nation
    assert_never_off(nation)


def test_the_admins_changes_take_effect(app, make_user):
    from debate.models import Role

    admin = make_user(Role.ADMIN, "Ada Admin")
    friday = date(2027, 6, 4)

    def one_day_after(start: date) -> date:
        return accountability.due_date(start, accountability.Settings(1, accountability.settings().calendar))

    assert one_day_after(friday) == date(2027, 6, 7)

    accountability.add_bank_holiday(admin, "2027-06-07", "Bank holiday for a royal wedding")
    assert one_day_after(friday) == date(2027, 6, 8)
    accountability.remove_bank_holiday(admin, "2027-06-07")
    assert one_day_after(friday) == date(2027, 6, 7)
    accountability.remove_bank_holiday(admin, "2026-12-28")  # an official day the council works
    assert one_day_after(date(2026, 12, 24)) == date(2026, 12, 28)
    accountability.add_bank_holiday(admin, "2026-12-29", "Council closed")
    accountability.reload_bank_holidays(admin)  # the official day is back; the admin's own day stays
    assert one_day_after(date(2026, 12, 24)) == date(2026, 12, 30)
    accountability.save_settings(admin, "1", "scotland")  # 4 Jan 2027: Scotland's New Year Holiday (observed)
    assert one_day_after(date(2026, 12, 31)) == date(2027, 1, 5)
    assert one_day_after(date(2027, 11, 29)) == date(2027, 12, 1)  # Saint Andrew's Day
    calendar = accountability.settings().calendar
    assert date(2026, 12, 29) in calendar.between(2026, 2026)  # kept through the change of nation
    assert calendar.through == accountability.today().year + bank_holidays.YEARS_AHEAD
    # Past the years loaded, the official days still count.
    later = calendar.through + 2
    assert date(later, 12, 25) in calendar.between(later, later)

    for call, args, field in (
        (accountability.add_bank_holiday, ("2027-06-05", "Saturday"), "day"),  # a Saturday
        (accountability.add_bank_holiday, ("2027-12-27", "Twice"), "day"),  # already on the list
        (accountability.add_bank_holiday, ("2027-02-30", "No such day"), "day"),
        (accountability.add_bank_holiday, ("07/06/2027", "Wrong format"), "day"),
        (accountability.add_bank_holiday, ("2027-06-08", "  "), "name"),
        (accountability.add_bank_holiday, ("2027-06-08", "x" * 81), "name"),
        (accountability.add_bank_holiday, ("2027-06-08", "Bell\x07"), "name"),
        (accountability.remove_bank_holiday, ("2027-06-09",), "day"),  # not on the list
        (accountability.save_settings, ("20", "wales"), "nation"),
    ):
        with pytest.raises(ValidationError) as info:
            call(admin, *args)
        db.session.rollback()
        assert info.value.field == field, (call.__name__, args)
    with pytest.raises(PermissionDenied):
        accountability.add_bank_holiday(make_user(Role.MODERATOR, "Mo Moderator"), "2027-06-08", "Mine")


def test_a_list_saved_before_the_official_lists_keeps_its_days_and_gains_the_official_ones(app):
    db.session.add(AccountabilitySettings(id=1, due_working_days=5, bank_holidays=["2027-02-01"]))
    db.session.commit()
    config = accountability.settings()
    assert config.nation == "england-and-wales"
    assert {date(2027, 2, 1), date(2026, 12, 25)} <= config.calendar.between(2026, 2027)


def test_admin_page_adds_removes_reloads_and_picks_the_nation(as_user, people):
    assert as_user(people["moderator"]).get("/admin/accountability").status_code == 403
    assert as_user(people["moderator"]).post("/admin/accountability/holidays/reload").status_code == 403
    admin = as_user(people["admin"])
    page = admin.get("/admin/accountability").get_data(as_text=True)
    assert "Christmas Day" in page and "The official list" in page and 'value="england-and-wales" selected' in page
    bad = admin.post("/admin/accountability/holidays", data={"day": "2027-06-05", "name": "A Saturday"})
    assert bad.status_code == 400 and "is a weekend day" in bad.get_data(as_text=True)
    assert 'value="A Saturday"' in bad.get_data(as_text=True)  # what was typed stays
    added = admin.post("/admin/accountability/holidays", data={"day": "2027-06-07", "name": "Royal wedding"})
    assert added.status_code == 302
    page = admin.get("/admin/accountability").get_data(as_text=True)
    assert "Royal wedding" in page and "Added by an admin" in page
    assert admin.post("/admin/accountability/holidays/remove", data={"day": "2027-06-07"}).status_code == 302
    assert "Royal wedding" not in admin.get("/admin/accountability").get_data(as_text=True)
    saved = admin.post("/admin/accountability", data={"due_working_days": "15", "nation": "northern-ireland"})
    assert saved.status_code == 302
    page = admin.get("/admin/accountability").get_data(as_text=True)
    assert "Saint Patrick" in page and 'value="15"' in page and "Northern Ireland" in page
    assert admin.post("/admin/accountability/holidays/reload").status_code == 302


def test_the_demo_answers_fall_due_on_working_days(app):
    seeding.load_demo(password_factory=lambda: "demo-password-123")
    due = list(db.session.scalars(select(TrackedQuestion.due_on).where(TrackedQuestion.due_on.is_not(None))))
    assert due, "the demo has questions awaiting a written answer"
    off = official("england-and-wales", 2026, 2027)
    assert all(d.weekday() < 5 and d not in off for d in due), due
