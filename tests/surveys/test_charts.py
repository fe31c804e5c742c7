"""The bar chart geometry shared by surveys and polls."""

from __future__ import annotations

from debate.services import charts


def test_the_longest_bar_fills_the_area_and_others_are_in_proportion():
    chart = charts.bars([("Own", 10), ("Rent", 5), ("Other", 0)], total=20)
    assert [b.width for b in chart.bars] == [charts.BAR_AREA, charts.BAR_AREA / 2, 0.0]
    assert [b.percent for b in chart.bars] == [50, 25, 0]
    assert [b.y for b in chart.bars] == [0, charts.ROW_HEIGHT, 2 * charts.ROW_HEIGHT]
    assert [b.bar_y for b in chart.bars] == [b.y + charts.BAR_TOP for b in chart.bars]
    assert charts.BAR_AREA + charts.VALUE_ROOM == chart.width  # room for the longest bar's number
    assert chart.height == 3 * charts.ROW_HEIGHT and chart.total == 20


def test_no_answers_draws_empty_bars_without_dividing_by_zero():
    chart = charts.bars([("Yes", 0), ("No", 0)], total=0)
    assert [(b.width, b.percent) for b in chart.bars] == [(0.0, 0), (0.0, 0)]
    assert charts.bars([], total=0).height == charts.ROW_HEIGHT


def test_percentages_are_of_the_people_who_answered_and_may_pass_100_together():
    chart = charts.bars([("Build", 2), ("Repair", 1), ("Help", 2)], total=3)
    assert [b.percent for b in chart.bars] == [67, 33, 67]


def test_a_long_label_is_cut_in_the_chart_and_kept_whole_for_the_table():
    long = "A very long option " * 6
    bar = charts.bars([(long, 1)], total=1).bars[0]
    assert bar.label == long and len(bar.short_label) <= charts.LABEL_MOST and bar.short_label.endswith("…")
    assert long.startswith(bar.short_label[:-1])
    assert charts.bars([("Short", 1)], total=1).bars[0].short_label == "Short"
