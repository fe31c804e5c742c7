"""The geometry of "where you sit": the opinion groups as circles and one voter's own point, as server-rendered SVG.

Pure (no database, no Flask), like `debate.services.charts`. The input is the public result's groups (each
with a centroid in the analysis's two-dimensional projection and a size) and the voter's own placement; the
output is in the SVG's own units, drawn by templates/agreement/_map.html. A circle's area is proportional to
its group's size, so a group of 70 looks bigger than a group of 30 by what it is. The projection's axes mean
nothing in themselves (they are the two directions in which votes differ most), so on a right-to-left page
the map is mirrored, like the bar charts: it reads from the inline start either way. Only the voter's own
point is ever drawn: nobody else's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH = 480
HEIGHT = 300
R_MIN = 18.0  # the smallest group's circle still holds its label
R_MAX = 64.0  # the largest group's circle
MARGIN = R_MAX + 8  # room around the outermost centres for their circles
POINT_R = 7.0  # the voter's own point


@dataclass(frozen=True)
class Circle:
    label: str  # "A"
    size: int
    x: float
    y: float
    r: float


@dataclass(frozen=True)
class Map:
    circles: list[Circle]
    you: tuple[float, float]
    you_label_y: float  # the "You" label's baseline: on the side of the point away from the line to its group
    width: int = WIDTH
    height: int = HEIGHT


def label_y(you: tuple[float, float], centre: tuple[float, float] | None) -> float:
    """Above the point when its group's centre is below it (or none is drawn), else below: clear of the line."""
    above = centre is None or centre[1] >= you[1]
    return round(you[1] - 12 if above else you[1] + 22, 1)


def _radius(size: int, largest: int) -> float:
    """Area proportional to size: the radius grows with its square root."""
    if largest <= 0:
        return R_MIN
    return R_MIN + (R_MAX - R_MIN) * math.sqrt(max(size, 0) / largest)


def _fit(points: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """One scale for both axes (distances keep their meaning) and the centre of the points' box."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    span_x = max(xs) - min(xs)
    span_y = max(ys) - min(ys)
    room_x = WIDTH - 2 * MARGIN
    room_y = HEIGHT - 2 * MARGIN
    scales = [room / span for room, span in ((room_x, span_x), (room_y, span_y)) if span > 1e-12]
    scale = min(scales) if scales else 1.0
    return scale, (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2


def layout(
    groups: Sequence[Mapping[str, Any]], you: tuple[float, float], rtl: bool = False, mine: int | None = None
) -> Map:
    """Circles for the public groups ({"label", "size", "centroid": [x, y]}) and the voter's point, fitted into
    WIDTH x HEIGHT. SVG's y grows downwards, so the projection's y is turned over; `rtl` mirrors x; `mine` is the
    index of the voter's own group (the label "You" goes on the side away from the line to its centre)."""
    points = [(float(g["centroid"][0]), float(g["centroid"][1])) for g in groups] + [you]
    scale, cx, cy = _fit(points)

    def place(x: float, y: float) -> tuple[float, float]:
        sx = WIDTH / 2 + (x - cx) * scale
        sy = HEIGHT / 2 - (y - cy) * scale
        return (round(WIDTH - sx if rtl else sx, 1), round(sy, 1))

    largest = max((int(g["size"]) for g in groups), default=0)
    circles = []
    for group in groups:
        x, y = place(float(group["centroid"][0]), float(group["centroid"][1]))
        circles.append(
            Circle(str(group["label"]), int(group["size"]), x, y, round(_radius(int(group["size"]), largest), 1))
        )
    point = place(*you)
    own = circles[mine] if mine is not None and 0 <= mine < len(circles) else None
    return Map(circles, point, label_y(point, (own.x, own.y) if own else None))
