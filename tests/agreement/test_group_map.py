"""The "where you sit" map's geometry and the stated p bound: pure functions, no app."""

from __future__ import annotations

import math

import pytest

from debate.services.agreement import group_map, pages
from debate.services.agreement.analysis import Placement

GROUPS = [
    {"label": "A", "size": 70, "centroid": [1.0, 0.5]},
    {"label": "B", "size": 30, "centroid": [-2.0, -0.5]},
]


def test_circle_areas_follow_the_group_sizes_and_everything_fits():
    drawn = group_map.layout(GROUPS, (-1.5, 0.2))
    a, b = drawn.circles
    assert a.r == group_map.R_MAX and group_map.R_MIN < b.r < a.r
    assert (a.r - group_map.R_MIN) / (b.r - group_map.R_MIN) == pytest.approx(math.sqrt(70 / 30), abs=0.01)
    for circle in drawn.circles:
        assert circle.r <= circle.x <= group_map.WIDTH - circle.r
        assert circle.r <= circle.y <= group_map.HEIGHT - circle.r
    assert 0 <= drawn.you[0] <= group_map.WIDTH and 0 <= drawn.you[1] <= group_map.HEIGHT


def test_one_scale_for_both_axes_and_y_upwards():
    drawn = group_map.layout(GROUPS, (1.0, -0.5))
    a, b = drawn.circles
    sx = (a.x - b.x) / 3.0
    sy = (b.y - a.y) / 1.0  # the projection's y grows upwards, the SVG's downwards
    assert sx == pytest.approx(sy, rel=0.01)
    assert drawn.you[0] == pytest.approx(a.x, abs=0.2) and drawn.you[1] == pytest.approx(b.y, abs=0.2)


def test_a_right_to_left_page_mirrors_the_map():
    ltr, rtl = group_map.layout(GROUPS, (0.0, 0.0)), group_map.layout(GROUPS, (0.0, 0.0), rtl=True)
    for left, right in zip(ltr.circles, rtl.circles, strict=True):
        assert right.x == pytest.approx(group_map.WIDTH - left.x, abs=0.1) and right.y == left.y
    assert rtl.you[0] == pytest.approx(group_map.WIDTH - ltr.you[0], abs=0.1)


def test_everything_at_one_point_does_not_divide_by_zero():
    same = [{"label": "A", "size": 2, "centroid": [0.0, 0.0]}, {"label": "B", "size": 2, "centroid": [0.0, 0.0]}]
    drawn = group_map.layout(same, (0.0, 0.0))
    assert drawn.you == (group_map.WIDTH / 2, group_map.HEIGHT / 2)


@pytest.mark.parametrize(("z", "bound"), [(1.7, 0.05), (2.4, 0.01), (3.2, 0.001), (9.1, 0.001), (-3.2, 0.001)])
def test_the_p_bound_stated_beside_each_test(z, bound):
    assert pages.p_below(z, 0.05) == bound
    assert pages.one_sided_p(1.645) == pytest.approx(0.05, abs=0.001)


def test_a_placement_that_does_not_fit_the_result_is_not_drawn():
    public = {"enough": True, "groups": GROUPS, "params": {"min_votes": 7, "min_participants": 10}}
    assert pages.seat(public, Placement(group=5, x=0.0, y=0.0), 9).label is None
    assert pages.seat(public, Placement(group=1, x=0.0, y=0.0), 9).label == "B"
    assert pages.seat(public, Placement(group=1, x=0.0, y=0.0), 9).others == 29
    assert pages.seat(public, None, 3).needed == 4
    assert pages.seat(public | {"enough": False}, Placement(group=1, x=0.0, y=0.0), 9).label is None
    assert not pages.seat(public, None, None).signed_in


def test_the_you_label_stays_clear_of_the_line_to_the_group():
    below = group_map.layout(GROUPS, (-2.0, 1.0), mine=1)  # B's centre is below the point: the label goes above
    assert below.you_label_y < below.you[1]
    above = group_map.layout(GROUPS, (-2.0, -2.0), mine=1)  # B's centre is above it: the label goes below
    assert above.you_label_y > above.you[1]
