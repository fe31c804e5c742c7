"""The geometry of server-rendered bar charts (templates/_charts.html): no script, the numbers in a table beside.

Kept apart from any feature so surveys and polls draw the same charts. Widths
are in the SVG's own units: the bar area is `BAR_AREA` wide and the longest bar
fills it, so small differences stay visible; percentages are of `total`, the
people who answered the question (a multiple-choice question's can add up to
more than 100).
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 480  # the SVG's own units; it scales evenly to its box, so its text keeps its shape
VALUE_ROOM = 96  # room after the longest bar for its number ("1,234 (100%)")
BAR_AREA = float(WIDTH - VALUE_ROOM)  # the width the longest bar takes
ROW_HEIGHT = 44  # a label above its bar
LABEL_BASELINE = 15  # the label's baseline, from the row's top
BAR_TOP = 21  # the bar's top, from the row's top
BAR_HEIGHT = 16
LABEL_MOST = 60  # characters of a label drawn in the chart (the table beside has it whole)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of the people who answered, rounded
    width: float  # in the SVG's units: 0..BAR_AREA
    y: int  # the row's top

    @property
    def bar_y(self) -> int:
        return self.y + BAR_TOP

    @property
    def label_y(self) -> int:
        return self.y + LABEL_BASELINE

    @property
    def value_y(self) -> int:
        return self.bar_y + BAR_HEIGHT - 3

    @property
    def short_label(self) -> str:
        """The label as the chart draws it: cut with an ellipsis when too long for one line."""
        return self.label if len(self.label) <= LABEL_MOST else self.label[: LABEL_MOST - 1].rstrip() + "…"


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    total: int
    height: int
    width: int = WIDTH


def percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def bars(items: list[tuple[str, int]], total: int) -> Chart:
    """A horizontal bar chart of (label, count) pairs, in the order given: each label above its bar and the
    count after it, the longest bar filling BAR_AREA so that small differences stay visible."""
    most = max((count for _label, count in items), default=0)
    rows = [
        Bar(label, count, percent(count, total), round(BAR_AREA * count / most, 2) if most else 0.0, n * ROW_HEIGHT)
        for n, (label, count) in enumerate(items)
    ]
    return Chart(rows, total, max(1, len(rows)) * ROW_HEIGHT)
