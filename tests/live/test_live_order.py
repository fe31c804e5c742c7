"""The room's fair order (`live_order`): pure, on plain objects, no database."""

from __future__ import annotations

from dataclasses import dataclass

from debate.services.live import order as live_order


@dataclass
class Q:
    id: int
    author_id: int
    vote_count: int = 0
    status: str = "open"
    pinned_at: object = None


def ids(questions) -> list[int]:
    return [q.id for q in questions]


def test_most_votes_first_and_ties_go_to_the_older_question():
    questions = [Q(1, 1, 2), Q(2, 2, 5), Q(3, 3, 2), Q(4, 4, 0), Q(5, 5, 5)]
    assert ids(live_order.ranked(questions)) == [2, 5, 1, 3, 4]
    assert live_order.fair_top(questions) == [2, 5, 1, 3, 4]


def test_order_does_not_depend_on_the_input_order():
    questions = [Q(1, 1, 2), Q(2, 2, 5), Q(3, 3, 2), Q(4, 4, 0), Q(5, 5, 5)]
    assert live_order.fair_top(reversed(questions)) == live_order.fair_top(questions)


def test_an_asker_has_at_most_one_question_in_the_top_window():
    prolific = [Q(i, 99, 100 - i) for i in range(1, 8)]  # seven popular questions by one person
    others = [Q(100 + i, i, 1) for i in range(1, 12)]  # eleven one-vote questions by eleven people
    ranked = live_order.ranked(prolific + others)
    top = ranked[: live_order.FAIR_WINDOW]
    assert ids(top) == [1] + [101, 102, 103, 104, 105, 106, 107, 108, 109]
    assert len({q.author_id for q in top}) == live_order.FAIR_WINDOW
    assert live_order.fair_top(prolific + others) == ids(top)
    # Pushed out of the window, the asker's other questions keep their natural place among the rest.
    assert ids(ranked[live_order.FAIR_WINDOW :]) == [2, 3, 4, 5, 6, 7, 110, 111]
    assert len(ranked) == len(prolific) + len(others)


def test_a_repeat_asker_comes_only_after_everyone_else_had_a_place():
    questions = [Q(1, 1, 9), Q(2, 1, 8), Q(3, 2, 1), Q(4, 3, 0)]
    # Three askers: each has one place first; the popular asker's second question follows them.
    assert ids(live_order.ranked(questions)) == [1, 3, 4, 2]
    assert live_order.fair_top(questions) == [1, 3, 4, 2]


def test_only_open_unpinned_questions_are_ranked():
    questions = [
        Q(1, 1, 50, status="answering"),
        Q(2, 2, 40, status="answered"),
        Q(3, 3, 30, pinned_at="now"),
        Q(4, 4, 20, status="awaiting"),
        Q(5, 5, 10, status="merged"),
        Q(6, 6, 1),
        Q(7, 7, 2),
    ]
    assert live_order.fair_top(questions) == [7, 6]


def test_the_top_holds_at_most_the_window():
    questions = [Q(i, i, i) for i in range(1, 30)]
    top = live_order.fair_top(questions)
    assert len(top) == live_order.FAIR_WINDOW
    assert top == list(range(29, 19, -1))


def test_empty_room():
    assert live_order.fair_top([]) == []
    assert live_order.ranked([]) == []


def test_natural_key_and_rule_text():
    assert live_order.natural_key(Q(7, 1, 3)) == (-3, 7)
    assert str(live_order.FAIR_WINDOW) in live_order.RULE
