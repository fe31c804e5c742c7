"""Times as people read them: one format everywhere, on the council's clock.

Times are stored as naive UTC. Whatever shows one to a person (a page, a live update, an email, a
notice, a refusal) writes it with `shown`, "Thu 3 Dec 2026, 19:00 GMT": the council's time zone
(TIMEZONE, Europe/London by default), so GMT or BST as the date requires; a date alone with
`shown_date`, "Thu 3 Dec 2026". Pages wrap a time in <time datetime="..."> (`time_tag`; `iso` is UTC)
through the Jinja filters `when` and `time_tag` (debate/web/times.py). Live events carry the same strings
(`stamps`), so the live room (static/js/live/, inserting the server's fragments) never formats a time itself.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.units import format_unit
from flask import current_app, has_app_context
from flask_babel import get_locale
from markupsafe import Markup


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_utc(local: datetime) -> datetime:
    """A council-local wall-clock time as naive UTC (how times are stored)."""
    return local.replace(tzinfo=zone()).astimezone(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored time (naive UTC, or aware) on the council's clock."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone())


def local_date(moment: datetime) -> date:
    """The council-local date of a stored time (late on 30 June UTC is 1 July in summer)."""
    return to_local(moment).date()


def shown(moment: datetime | None) -> str:
    """A time as every page, live update and email shows it: "Thu 3 Dec 2026, 19:00 GMT" ("" for none)."""
    if moment is None:
        return ""
    local = to_local(moment)
    return _shown_minute(_language(), local.replace(tzinfo=None, second=0, microsecond=0), local.tzname() or "")


@lru_cache(maxsize=8192)
def _shown_minute(code: str, wall_clock: datetime, zone_name: str) -> str:
    """`shown` for one minute on the council's clock, remembered: the words depend on nothing else, and a
    page shows hundreds of times that fall in the same few minutes (a live room's questions, a queue's
    flags), each costing Babel ~40 µs to format."""
    return f"{format_datetime(wall_clock, 'EEE d MMM y, HH:mm', locale=code)} {zone_name}"


def shown_date(day: date | datetime | None) -> str:
    """A date as people read it, "Thu 3 Dec 2026"; a stored time becomes its council-local date first."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = local_date(day)
    return _shown_day(_language(), day)


@lru_cache(maxsize=4096)
def _shown_day(code: str, day: date) -> str:
    """`shown_date` remembered per language and day, as `_shown_minute` is per minute."""
    return format_date(day, "EEE d MMM y", locale=code)


def _language() -> str:
    """The language being written (English where there is no app with languages: a script, a bare test app)."""
    if not has_app_context() or "babel" not in current_app.extensions:
        return "en"
    locale = get_locale()
    return locale.language if locale else "en"


def minutes(amount: float) -> str:
    """A number of minutes, whole or not, in the reader's language with CLDR's plural rules ("12.5 munud")."""
    return format_unit(amount, "duration-minute", length="long", locale=_language())


def iso(moment: datetime | None) -> str | None:
    """The machine-readable form (<time datetime>, JSON): UTC, ISO 8601 to the second, with a Z."""
    if moment is None:
        return None
    utc = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    return utc.isoformat(timespec="seconds") + "Z"


_TIME_TAG = Markup('<time datetime="%s">%s</time>')


def time_tag(moment: datetime | None) -> Markup:
    """A time as pages show it, machine-readable too: <time datetime="2026-12-03T19:00:00Z">Thu ...</time>."""
    if moment is None:
        return Markup("")
    # Markup's % escapes as .format does, without string.Formatter's pure-Python parsing of the template.
    return _TIME_TAG % (iso(moment), shown(moment))


def parse_iso(value: object) -> datetime | None:
    """A time written as ISO 8601 (as logs and JSON keep them), as naive UTC; None for anything else."""
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        return None
    moment = datetime.fromisoformat(value)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)?")


def stamps(**moments: datetime | None) -> dict[str, Any]:
    """For a live event: each time as ISO (for <time datetime> and ordering) and, under "shown", as pages
    show it, so the live layer prints exactly what a reload would."""
    out: dict[str, Any] = {name: iso(moment) for name, moment in moments.items()}
    out["shown"] = {name: shown(moment) for name, moment in moments.items() if moment is not None}
    return out
