"""Order of the moderators' review queue, as a pure sort key.

Live sessions come first (a held question is useless once the session ends),
then the heaviest flag weight (most likely harmful), then the oldest (fairness
to whoever has waited longest). The item id breaks ties so the order is stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class QueueItem:
    item_id: str
    live: bool
    flag_weight: float
    queued_at: datetime


def priority_key(item: QueueItem) -> tuple[int, float, datetime, str]:
    """Use as `sorted(items, key=priority_key)`."""
    return (0 if item.live else 1, -item.flag_weight, item.queued_at, item.item_id)
