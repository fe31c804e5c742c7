"""Queue order: live sessions first, then heavier flags, then the oldest."""

from __future__ import annotations

from datetime import timedelta

from moderation import QueueItem, priority_key

from .helpers import NOW


def test_queue_order():
    items = [
        QueueItem("old-light", False, 1.0, NOW - timedelta(hours=5)),
        QueueItem("new-heavy", False, 2.5, NOW),
        QueueItem("live-new", True, 0.0, NOW),
        QueueItem("old-heavy", False, 2.5, NOW - timedelta(hours=1)),
        QueueItem("live-flagged", True, 1.0, NOW),
        QueueItem("live-old", True, 0.0, NOW - timedelta(minutes=3)),
    ]
    assert [i.item_id for i in sorted(items, key=priority_key)] == [
        "live-flagged",
        "live-old",
        "live-new",
        "old-heavy",
        "new-heavy",
        "old-light",
    ]


def test_ties_are_stable_by_id():
    a = QueueItem("a", False, 1.0, NOW)
    b = QueueItem("b", False, 1.0, NOW)
    assert sorted([b, a], key=priority_key) == [a, b]
