"""The council's bank holidays: the official list of its nation, with the admin's own changes.

The UK has three lists (England and Wales, Scotland, Northern Ireland); the
council picks one (England and Wales until it says otherwise). The official
days come from the `holidays` library (pinned in requirements.txt), loaded
into the settings as data for the coming `YEARS_AHEAD` years; the admin adds
a day (a one-off royal occasion the library does not know yet) or removes
one, and reloads the official list when the nation changes or the library is
upgraded. Years past the loaded ones take the library's days, so a due date
never falls on a bank holiday because nobody reloaded the list.

No database and no clock here: `services/accountability` stores the
`Calendar` in its settings row and passes "today".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

import holidays
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from debate.errors import ValidationError
from debate.services.council_time import shown_date

NATIONS = {
    "england-and-wales": (_l("England and Wales"), "ENG"),
    "scotland": (_l("Scotland"), "SCT"),
    "northern-ireland": (_l("Northern Ireland"), "NIR"),
}
DEFAULT_NATION = "england-and-wales"
YEARS_AHEAD = 10  # the official list is loaded for this year and the next ten
NAME_MAX = 80
VERSION = holidays.__version__  # of the library the official lists come from (the settings page names it)
SOURCE = f"the holidays library, version {VERSION}"


@dataclass(frozen=True, order=True)
class Holiday:
    day: date
    name: str
    added: bool = False  # by an admin, not on the official list: kept when the official list is reloaded


@lru_cache(maxsize=64)
def official(nation: str, year: int) -> tuple[Holiday, ...]:
    """The nation's bank holidays in one year, substitute days included ("Boxing Day (observed)")."""
    _label, subdivision = NATIONS[nation]
    days = holidays.country_holidays("GB", subdiv=subdivision, years=year)
    return tuple(sorted(Holiday(day, name) for day, name in days.items()))


def nation_name(nation: str) -> str:
    return str(NATIONS.get(nation, NATIONS[DEFAULT_NATION])[0])


@dataclass(frozen=True)
class Calendar:
    """The bank holidays the council counts: `days` as stored, loaded from the official list up to `through`."""

    nation: str
    days: tuple[Holiday, ...]
    through: int | None  # the last year the official list was loaded for; None: never loaded

    def between(self, first_year: int, last_year: int) -> frozenset[date]:
        """Every bank holiday from 1 January of `first_year` to 31 December of `last_year`."""
        found = {h.day for h in self.days if first_year <= h.day.year <= last_year}
        for year in range(first_year, last_year + 1):
            if self.through is None or year > self.through:
                found.update(h.day for h in official(self.nation, year))
        return frozenset(found)

    def upcoming(self, today: date) -> list[Holiday]:
        return [h for h in self.days if h.day >= today]

    def to_json(self) -> list[dict[str, Any]]:
        return [{"date": h.day.isoformat(), "name": h.name, "added": h.added} for h in self.days]


def loaded(nation: str, today: date, kept: tuple[Holiday, ...] = ()) -> Calendar:
    """The nation's official list from this year for `YEARS_AHEAD` years, with the days in `kept` that are
    earlier (history) or were added by an admin (their own additions survive a reload)."""
    if nation not in NATIONS:
        raise ValidationError(_("Choose England and Wales, Scotland or Northern Ireland."), "nation")
    last = today.year + YEARS_AHEAD
    fresh = [h for year in range(today.year, last + 1) for h in official(nation, year)]
    keep = [h for h in kept if h.day.year < today.year or h.added]
    by_day = {h.day: h for h in fresh}
    by_day.update((h.day, h) for h in keep)
    return Calendar(nation, tuple(sorted(by_day.values())), last)


def from_json(nation: str | None, stored: list[Any] | None, through: int | None) -> Calendar:
    """A stored calendar. Entries saved before the official lists existed are plain ISO dates the admin typed."""
    days = []
    for entry in stored or ():
        if isinstance(entry, str):
            days.append(Holiday(date.fromisoformat(entry), "Bank holiday", added=True))
        else:
            days.append(Holiday(date.fromisoformat(entry["date"]), entry.get("name", ""), bool(entry.get("added"))))
    return Calendar(nation if nation in NATIONS else DEFAULT_NATION, tuple(sorted(days)), through)


# --- the admin's changes ------------------------------------------------------------------------


def parse_day(text: object) -> date:
    """A date as a date field sends it (YYYY-MM-DD)."""
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        raise ValidationError(_("Choose the date of the bank holiday."), "day")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValidationError(_("“%(value)s” is not a date written as YYYY-MM-DD.", value=value[:20]), "day")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a real date.", value=value), "day") from None


def clean_name(text: object) -> str:
    value = " ".join(text.split()) if isinstance(text, str) else ""
    if not value:
        raise ValidationError(_("Name the bank holiday, for example “State funeral”."), "name")
    if len(value) > NAME_MAX or not value.isprintable():
        raise ValidationError(_("The name is at most %(most)d printable characters.", most=NAME_MAX), "name")
    return value


def with_day(calendar: Calendar, day: date, name: str) -> Calendar:
    if day.weekday() >= 5:
        raise ValidationError(
            _("%(day)s is a weekend day: weekends never count as working days anyway.", day=shown_date(day)), "day"
        )
    if any(h.day == day for h in calendar.days):
        raise ValidationError(_("%(day)s is already on the list.", day=shown_date(day)), "day")
    return replace(calendar, days=tuple(sorted((*calendar.days, Holiday(day, name, added=True)))))


def without_day(calendar: Calendar, day: date) -> Calendar:
    kept = tuple(h for h in calendar.days if h.day != day)
    if len(kept) == len(calendar.days):
        raise ValidationError(_("%(day)s is not on the list.", day=shown_date(day)), "day")
    return replace(calendar, days=kept)
