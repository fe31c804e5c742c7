"""Dates and plurals in Welsh come from CLDR and the catalogue's own plural rule, never from English by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask_babel import force_locale, ngettext

from debate.services import council_time


@pytest.mark.parametrize(
    ("code", "moment", "shown"),
    [
        ("en", datetime(2026, 9, 3, 18, 0), "Thu 3 Sep 2026, 19:00 BST"),
        ("cy", datetime(2026, 9, 3, 18, 0), "Iau 3 Medi 2026, 19:00 BST"),
        ("cy", datetime(2026, 12, 6, 19, 0), "Sul 6 Rhag 2026, 19:00 GMT"),
    ],
)
def test_times_name_the_day_and_month_in_the_readers_language(app, code, moment, shown):
    with app.test_request_context(f"/{code}/"), force_locale(code):
        assert council_time.shown(moment) == shown


def test_a_date_alone_in_welsh(app):
    with app.test_request_context("/cy/"), force_locale("cy"):
        assert council_time.shown_date(date(2026, 2, 14)) == "Sad 14 Chwef 2026"


# "question" in Welsh after a number: 0 cwestiynau, 1 cwestiwn, 2 gwestiwn, 3 chwestiwn, 6 chwestiwn, 100 cwestiwn.
WELSH_QUESTIONS = {0: "cwestiynau", 1: "cwestiwn", 2: "gwestiwn", 3: "chwestiwn", 6: "chwestiwn", 100: "cwestiwn"}


@pytest.mark.parametrize("count", list(WELSH_QUESTIONS))
def test_welsh_plural_forms_follow_the_catalogues_rule(app, count):
    with app.test_request_context("/cy/"), force_locale("cy"):
        text = ngettext("%(num)d question asked: %(parts)s.", "%(num)d questions asked: %(parts)s.", count, parts="…")
    assert text.startswith(f"{count} {WELSH_QUESTIONS[count]} "), text
