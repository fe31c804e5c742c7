"""The bar chart geometry shared by surveys and polls."""

from __future__ import annotations

from debate.services import charts


def test_the_longest_bar_fills_the_area_and_others_are_in_proportion():
    chart = charts.bars([("Own", 10), ("Rent", 5), ("Other", 0)], total=20)
    assert [b.width for b in chart.bars] == [charts.BAR_AREA, charts.BAR_AREA / 2, 0.0]
    assert [b.percent for b in chart.bars] == [50, 25, 0]
    assert [b.y for b in chart.bars] == [5, 5 + charts.ROW_HEIGHT, 5 + 2 * charts.ROW_HEIGHT]
    assert chart.height == 3 * charts.ROW_HEIGHT and chart.total == 20


def test_no_answers_draws_empty_bars_without_dividing_by_zero():
    chart = charts.bars([("Yes", 0), ("No", 0)], total=0)
    assert [(b.width, b.percent) for b in chart.bars] == [(0.0, 0), (0.0, 0)]
    assert charts.bars([], total=0).height == charts.ROW_HEIGHT


def test_percentages_are_of_the_people_who_answered_and_may_pass_100_together():
    chart = charts.bars([("Build", 2), ("Repair", 1), ("Help", 2)], total=3)
    assert [b.percent for b in chart.bars] == [67, 33, 67]
