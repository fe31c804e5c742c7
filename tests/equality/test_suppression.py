"""The suppression rule on its own: primary under the threshold, secondary so no hidden cell can be worked out."""

from __future__ import annotations

from itertools import combinations

from debate.services.equality import suppression


def recoverable(categories: dict[str, int], prefer: int, missing: int, hidden: set[str]) -> set[str]:
    """Hidden cells an attacker can compute from the shown totals: the only hidden cell in a shown sum."""
    answered = sum(categories.values())
    outer = {"answered": answered, "prefer_not": prefer, "not_answered": missing}
    found = set()
    for cells in (outer, categories if "answered" not in hidden else {}):
        inside = [key for key in cells if key in hidden]
        if len(inside) == 1:
            found.add(inside[0])
    return found


def test_cells_under_ten_are_hidden_and_zero_too():
    hidden = suppression.suppress_question({"a": 50, "b": 9, "c": 0, "d": 30}, 12, 20, 10)
    assert {"b", "c"} <= hidden and "a" not in hidden and "d" not in hidden


def test_one_hidden_category_takes_the_next_smallest_with_it():
    hidden = suppression.suppress_question({"a": 50, "b": 3, "c": 12, "d": 30}, 15, 20, 10)
    assert hidden == {"b", "c"}


def test_one_hidden_of_prefer_not_and_not_answered_hides_the_other():
    hidden = suppression.suppress_question({"a": 50, "b": 40}, 4, 25, 10)
    assert hidden == {"prefer_not", "not_answered"}


def test_few_answers_hide_every_category():
    hidden = suppression.suppress_question({"a": 5, "b": 3}, 40, 20, 10)
    assert {"a", "b", "answered"} <= hidden


def test_no_hidden_cell_can_ever_be_worked_out():
    """Every small grid: no suppressed cell is the only hidden one in a sum whose total is shown."""
    values = (0, 4, 10, 25)
    for a, b, c in ((x, y, z) for x in values for y in values for z in values):
        for prefer, missing in combinations((0, 3, 11, 40), 2):
            categories = {"a": a, "b": b, "c": c}
            hidden = suppression.suppress_question(categories, prefer, missing, 10)
            shown = {**categories, "prefer_not": prefer, "not_answered": missing}
            assert all(n >= 10 for key, n in shown.items() if key not in hidden), (categories, prefer, missing)
            assert not recoverable(categories, prefer, missing, hidden), (categories, prefer, missing, hidden)


def test_the_threshold_is_never_below_ten(app):
    app.config["EQUALITY_MIN_CELL"] = 3
    assert suppression.threshold() == 10
    app.config["EQUALITY_MIN_CELL"] = 15
    assert suppression.threshold() == 15
