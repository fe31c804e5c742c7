"""The monthly transparency report, on a crafted history with known answers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from moderation import (
    AppealOutcome,
    AppealRecord,
    Category,
    DecisionRecord,
    FlagRecord,
    HoldRecord,
    ReasonCode,
    ReviewAction,
    joined,
    report,
)

JAN = datetime(2025, 1, 10, 9, 0)
MAR = datetime(2025, 3, 5, 9, 0)


def history():
    flags = [
        FlagRecord("p1", Category.SPAM, JAN),
        FlagRecord("p1", Category.SPAM, JAN + timedelta(hours=1)),  # same item, same reason: one item
        FlagRecord("p1", Category.HATE, JAN + timedelta(hours=2)),
        FlagRecord("p2", Category.SPAM, JAN + timedelta(days=1)),
        FlagRecord("p9", Category.OFF_TOPIC, MAR),
    ]
    holds = [
        HoldRecord("p3", ReasonCode.NEW_ACCOUNT, JAN),
        HoldRecord("p3", ReasonCode.WATCHED_HELD, JAN),
        HoldRecord("p4", ReasonCode.PREMODERATED, JAN + timedelta(days=2)),
    ]
    decisions = [
        DecisionRecord("p1", ReviewAction.HIDE, Category.SPAM, JAN, JAN + timedelta(minutes=30)),
        DecisionRecord("p2", ReviewAction.REMOVE, Category.ILLEGAL, JAN, JAN + timedelta(minutes=90)),
        DecisionRecord("p3", ReviewAction.APPROVE, None, JAN, JAN + timedelta(minutes=10)),
        DecisionRecord("p4", ReviewAction.HIDE, Category.OFF_TOPIC, JAN, JAN + timedelta(hours=5)),
        DecisionRecord("p9", ReviewAction.HIDE, Category.OFF_TOPIC, MAR, MAR + timedelta(minutes=20)),
    ]
    appeals = [
        AppealRecord(JAN + timedelta(days=3), JAN + timedelta(days=4), AppealOutcome.OVERTURNED),
        AppealRecord(JAN + timedelta(days=3), JAN + timedelta(days=5), AppealOutcome.UPHELD),
        AppealRecord(JAN + timedelta(days=3), JAN + timedelta(days=6), AppealOutcome.UPHELD),
        AppealRecord(JAN + timedelta(days=25), MAR, AppealOutcome.OVERTURNED),  # filed in Jan/Feb, decided in March
    ]
    return flags, holds, decisions, appeals


def test_figures_per_month():
    january, february, march = report(*history())
    assert [m.month for m in (january, february, march)] == ["2025-01", "2025-02", "2025-03"]

    assert january.items_flagged == 2
    assert january.flags_by_reason == {"hate": 1, "spam": 2}
    assert january.items_held == 2
    assert january.held_by_reason == {"new_account": 1, "premoderated": 1, "watched_held": 1}
    assert january.items_hidden == 2 and january.hidden_by_reason == {"off_topic": 1, "spam": 1}
    assert january.items_removed == 1 and january.removed_by_reason == {"illegal": 1}
    assert january.decisions == 4
    assert january.median_minutes_to_decision == 60.0  # 10, 30, 90, 300
    assert january.appeals_filed == 3 and january.appeals_decided == 3
    assert january.appeals_overturned == 1 and january.overturned_share == 0.333


def test_quiet_months_show_zeros():
    february = report(*history())[1]
    assert february.month == "2025-02"
    assert february.appeals_filed == 1  # filed 4 February
    assert february.items_flagged == 0 and february.decisions == 0
    assert february.median_minutes_to_decision is None and february.overturned_share is None


def test_appeals_count_where_they_were_decided():
    march = report(*history())[2]
    assert march.appeals_filed == 0 and march.appeals_decided == 1 and march.overturned_share == 1.0
    assert march.median_minutes_to_decision == 20.0


def test_no_personal_data_in_the_output():
    published = json.dumps([m.to_dict() for m in report(*history())])
    for private in ("p1", "p2", "p3", "p4", "p9"):
        assert f'"{private}"' not in published
    assert set(report(*history())[0].to_dict()) == {
        "month",
        "items_flagged",
        "flags_by_reason",
        "items_held",
        "held_by_reason",
        "items_hidden",
        "hidden_by_reason",
        "items_removed",
        "removed_by_reason",
        "decisions",
        "median_minutes_to_decision",
        "appeals_filed",
        "appeals_decided",
        "appeals_overturned",
        "overturned_share",
    }


def test_empty_history():
    assert report() == ()


def test_year_boundary():
    december = datetime(2024, 12, 31, 23, 59)
    months = report(flags=[FlagRecord("p", Category.SPAM, december), FlagRecord("q", Category.SPAM, JAN)])
    assert [m.month for m in months] == ["2024-12", "2025-01"]


def test_windows_joined_give_the_whole_report():
    """Closed months computed once and the current month alone, put together, are the report of everything."""
    for split in ("2025-02", "2025-03", "2025-04"):
        older, newer = report(*history(), before=split), report(*history(), since=split)
        assert all(m.month < split for m in older) and all(m.month >= split for m in newer)
        assert joined(older, newer) == report(*history())
    # The appeal filed in February and decided in March: filed counts in the older window, decided in the newer.
    assert report(*history(), before="2025-03")[1].appeals_filed == 1
    assert report(*history(), since="2025-03")[0].appeals_decided == 1


def test_joined_fills_the_quiet_months_between():
    older = report([FlagRecord("p1", Category.SPAM, JAN)], before="2025-02")
    newer = report([FlagRecord("p2", Category.SPAM, datetime(2025, 4, 1))], since="2025-02")
    assert [m.month for m in joined(older, newer)] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert joined(older, ()) == older and joined((), newer) == newer
