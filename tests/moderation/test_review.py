"""The review state machine: every legal transition, and every illegal one raises."""

from __future__ import annotations

from itertools import product

import pytest

from moderation import (
    Category,
    Decision,
    IllegalTransition,
    InvalidDecision,
    ReviewAction,
    ReviewState,
    allowed_actions,
    decide,
    edited_note,
    is_public,
    placeholder,
    transition,
)

from .helpers import NOW

S, A = ReviewState, ReviewAction

# The expected machine, written out independently of the module's table.
LEGAL = {
    (S.PUBLISHED, A.APPROVE): S.APPROVED,
    (S.PUBLISHED, A.HIDE): S.HIDDEN,
    (S.PUBLISHED, A.REMOVE): S.REMOVED,
    (S.PUBLISHED, A.EDIT): S.EDITED,
    (S.PUBLISHED, A.AUTO_HIDE): S.FLAG_HIDDEN,
    (S.PUBLISHED, A.WITHDRAW): S.WITHDRAWN,
    (S.HELD, A.APPROVE): S.APPROVED,
    (S.HELD, A.HIDE): S.HIDDEN,
    (S.HELD, A.REMOVE): S.REMOVED,
    (S.HELD, A.EDIT): S.EDITED,
    (S.HELD, A.WITHDRAW): S.WITHDRAWN,
    (S.FLAG_HIDDEN, A.APPROVE): S.APPROVED,
    (S.FLAG_HIDDEN, A.HIDE): S.HIDDEN,
    (S.FLAG_HIDDEN, A.REMOVE): S.REMOVED,
    (S.FLAG_HIDDEN, A.EDIT): S.EDITED,
    (S.FLAG_HIDDEN, A.WITHDRAW): S.WITHDRAWN,
    (S.APPROVED, A.HIDE): S.HIDDEN,
    (S.APPROVED, A.REMOVE): S.REMOVED,
    (S.APPROVED, A.EDIT): S.EDITED,
    (S.APPROVED, A.WITHDRAW): S.WITHDRAWN,
    (S.EDITED, A.HIDE): S.HIDDEN,
    (S.EDITED, A.REMOVE): S.REMOVED,
    (S.EDITED, A.EDIT): S.EDITED,
    (S.EDITED, A.WITHDRAW): S.WITHDRAWN,
    (S.EDITED, A.RESTORE): S.APPROVED,
    (S.HIDDEN, A.APPROVE): S.APPROVED,
    (S.HIDDEN, A.REMOVE): S.REMOVED,
    (S.HIDDEN, A.WITHDRAW): S.WITHDRAWN,
    (S.HIDDEN, A.RESTORE): S.APPROVED,
    (S.REMOVED, A.RESTORE): S.APPROVED,
}
ILLEGAL = [pair for pair in product(ReviewState, ReviewAction) if pair not in LEGAL]


@pytest.mark.parametrize(("state", "action"), list(LEGAL), ids=lambda v: v.value)
def test_legal_transition(state, action):
    assert transition(state, action) is LEGAL[(state, action)]
    assert action in allowed_actions(state)


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=lambda v: v.value)
def test_illegal_transition_raises(state, action):
    assert action not in allowed_actions(state)
    with pytest.raises(IllegalTransition) as caught:
        transition(state, action)
    assert caught.value.state is state and caught.value.action is action
    assert str(caught.value) == f"Cannot {action.value} an item that is {state.value}."


def test_the_table_has_every_state():
    assert len(LEGAL) + len(ILLEGAL) == len(ReviewState) * len(ReviewAction)
    assert allowed_actions(S.WITHDRAWN) == frozenset()


def test_flags_do_not_hide_what_a_moderator_approved():
    assert A.AUTO_HIDE not in allowed_actions(S.APPROVED)
    assert A.AUTO_HIDE not in allowed_actions(S.EDITED)


def test_visibility_and_placeholders():
    assert {s for s in ReviewState if is_public(s)} == {S.PUBLISHED, S.APPROVED, S.EDITED}
    assert placeholder(S.HIDDEN, Category.SPAM) == "Hidden by moderators: Spam"
    assert placeholder(S.HIDDEN, Category.ABUSE_HARASSMENT) == "Hidden by moderators: Abuse or harassment"
    assert placeholder(S.REMOVED, Category.PERSONAL_INFORMATION) == "Removed by moderators: Personal information"
    assert placeholder(S.FLAG_HIDDEN) == "Hidden while moderators review reports"
    assert placeholder(S.WITHDRAWN) == "Deleted by its author"
    assert placeholder(S.HELD) is None and placeholder(S.APPROVED) is None
    assert edited_note(Category.PERSONAL_INFORMATION) == "Edited by a moderator: Personal information"


def make(action: ReviewAction, category: Category | None = Category.SPAM, note: str = "") -> Decision:
    return Decision("d1", "post-1", action, "9", "100", NOW, category, note)


def test_decisions_apply_through_the_machine():
    assert decide(S.FLAG_HIDDEN, make(A.HIDE)) is S.HIDDEN
    with pytest.raises(IllegalTransition):
        decide(S.REMOVED, make(A.APPROVE, None))


@pytest.mark.parametrize(
    ("action", "category", "note", "problem"),
    [
        (A.HIDE, None, "", "reason"),
        (A.REMOVE, None, "", "reason"),
        (A.EDIT, None, " ", "changed"),
        (A.HIDE, Category.OTHER, "", "note"),
        (A.AUTO_HIDE, Category.SPAM, "", "not a moderator"),
        (A.RESTORE, None, "", "not a moderator"),
    ],
)
def test_incomplete_decisions_are_refused(action, category, note, problem):
    with pytest.raises(InvalidDecision, match=problem):
        make(action, category, note)


def test_which_decisions_can_be_appealed():
    assert make(A.HIDE).appealable and make(A.REMOVE).appealable
    assert make(A.EDIT, None, "removed a phone number").appealable
    assert not make(A.APPROVE, None).appealable


@pytest.mark.parametrize(
    ("action", "category", "note", "against"),
    [
        (A.HIDE, Category.SPAM, "", True),
        (A.REMOVE, Category.ABUSE_HARASSMENT, "", True),
        (A.EDIT, Category.PERSONAL_INFORMATION, "took out a phone number", True),
        (A.REMOVE, Category.OTHER, "copied from a newspaper", True),
        # Not marks against the author: the question belonged elsewhere, or a typo was corrected.
        (A.REMOVE, Category.OFF_TOPIC, "", False),
        (A.HIDE, Category.OFF_TOPIC, "", False),
        (A.EDIT, None, "fixed a typo", False),
        (A.APPROVE, None, "", False),
    ],
)
def test_which_decisions_count_against_the_author(action, category, note, against):
    assert make(action, category, note).counts_against is against
