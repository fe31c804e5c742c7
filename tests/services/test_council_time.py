"""One time format everywhere, on the council's clock: GMT or BST as the date requires (issue 12, item 23).

Pages said "UTC" on the forum and "GMT" in live rooms, and the live layer formatted times in the reader's
own browser zone. debate/services/council_time.py now writes every time; these pin its output around the
clocks changing, and that the app's setting, not the server's or the reader's zone, decides.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from flask import Flask

from debate.services import council_time


@pytest.fixture
def council():
    app = Flask(__name__)
    app.config["TIMEZONE"] = "Europe/London"
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        # Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
        (datetime(2026, 3, 29, 0, 59), "Sun 29 Mar 2026, 00:59 GMT"),
        (datetime(2026, 3, 29, 1, 0), "Sun 29 Mar 2026, 02:00 BST"),
        # And back at 01:00 UTC on Sunday 25 October 2026: 01:xx happens twice, once in each.
        (datetime(2026, 10, 25, 0, 59), "Sun 25 Oct 2026, 01:59 BST"),
        (datetime(2026, 10, 25, 1, 0), "Sun 25 Oct 2026, 01:00 GMT"),
        (datetime(2026, 12, 3, 19, 0), "Thu 3 Dec 2026, 19:00 GMT"),
        # Late on 30 June in UTC is already 1 July here.
        (datetime(2026, 6, 30, 23, 30), "Wed 1 Jul 2026, 00:30 BST"),
        # An aware time is the same moment whatever zone it was written in.
        (datetime(2026, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=-4))), "Wed 1 Jul 2026, 14:00 BST"),
    ],
)
def test_shown_on_the_councils_clock(council, stored, shown):
    assert council_time.shown(stored) == shown


def test_the_dates_follow_the_councils_clock(council):
    assert council_time.local_date(datetime(2026, 6, 30, 23, 30)) == date(2026, 7, 1)
    assert council_time.local_date(datetime(2026, 12, 31, 23, 30)) == date(2026, 12, 31)
    assert council_time.shown_date(datetime(2026, 6, 30, 23, 30)) == "Wed 1 Jul 2026"
    assert council_time.shown_date(date(2026, 12, 25)) == "Fri 25 Dec 2026"
    assert council_time.shown_date(None) == council_time.shown(None) == ""


def test_machine_readable_times_are_utc(council):
    assert council_time.iso(datetime(2026, 7, 1, 13, 0, 5, 123456)) == "2026-07-01T13:00:05Z"
    assert council_time.iso(datetime(2026, 7, 1, 14, 0, tzinfo=timezone(timedelta(hours=1)))) == "2026-07-01T13:00:00Z"
    assert str(council_time.time_tag(datetime(2026, 7, 1, 13, 0))) == (
        '<time datetime="2026-07-01T13:00:00Z">Wed 1 Jul 2026, 14:00 BST</time>'
    )
    assert council_time.parse_iso("2026-07-01T13:00:00") == datetime(2026, 7, 1, 13, 0)
    assert council_time.parse_iso("2026-07-01T14:00:00+01:00") == datetime(2026, 7, 1, 13, 0)
    assert council_time.parse_iso("2026-07-01T13:00:00.5Z") == datetime(2026, 7, 1, 13, 0, 0, 500000)
    for not_a_time in ("2026-07-01", "13:00", "reply:12", 12, None, "2026-07-01T13:00:00 and more"):
        assert council_time.parse_iso(not_a_time) is None


def test_stamps_give_the_live_layer_what_pages_show(council):
    stamps = council_time.stamps(created_at=datetime(2026, 3, 29, 1, 0), answered_at=None)
    assert stamps == {
        "created_at": "2026-03-29T01:00:00Z",
        "answered_at": None,
        "shown": {"created_at": "Sun 29 Mar 2026, 02:00 BST"},
    }


def test_the_councils_setting_decides_not_the_servers_zone(council, monkeypatch):
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    assert council_time.shown(datetime(2026, 1, 15, 12, 0)) == "Thu 15 Jan 2026, 12:00 GMT"
    council.config["TIMEZONE"] = "America/New_York"
    assert council_time.shown(datetime(2026, 1, 15, 12, 0)) == "Thu 15 Jan 2026, 07:00 EST"
    assert council_time.shown(datetime(2026, 7, 15, 12, 0, tzinfo=UTC)) == "Wed 15 Jul 2026, 08:00 EDT"
    assert council_time.to_utc(datetime(2026, 7, 15, 8, 0)) == datetime(2026, 7, 15, 12, 0)
