"""The geometry of server-rendered bar charts (templates/_charts.html): no script, the numbers in a table beside.

Kept apart from any feature so surveys and polls draw the same charts. Widths
are in the SVG's own units: the bar area is `BAR_AREA` wide and the longest bar
fills it, so small differences stay visible; percentages are of `total`, the
people who answered the question (a multiple-choice question's can add up to
more than 100).
"""

from __future__ import annotations

from dataclasses import dataclass

BAR_AREA = 100.0  # the width the longest bar takes, in the SVG's units
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of the people who answered, rounded
    width: float  # in the SVG's units: 0..BAR_AREA
    y: int  # the bar's top


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    total: int
    height: int
    width: float = BAR_AREA


def percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def bars(items: list[tuple[str, int]], total: int) -> Chart:
    """A horizontal bar chart of (label, count) pairs, in the order given."""
    most = max((count for _label, count in items), default=0)
    rows = [
        Bar(
            label,
            count,
            percent(count, total),
            round(BAR_AREA * count / most, 2) if most else 0.0,
            n * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2,
        )
        for n, (label, count) in enumerate(items)
    ]
    return Chart(rows, total, max(1, len(rows)) * ROW_HEIGHT)
