"""Appeals: once per decision, by the person concerned, decided by another moderator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from moderation import (
    AppealAlreadyDecided,
    AppealAlreadyFiled,
    AppealNotAllowed,
    AppealOutcome,
    AppealRules,
    Category,
    Decision,
    ReviewAction,
    ReviewState,
    SameModerator,
    SanctionKind,
    decide_appeal,
    file_appeal,
    for_duration,
    state_after,
)

from .helpers import NOW

RULES = AppealRules()
HIDE = Decision("d1", "post-1", ReviewAction.HIDE, "mod-a", "author-1", NOW, Category.ABUSE_HARASSMENT)


def filed():
    return file_appeal(HIDE, "author-1", "It was a quote, not an insult.", [], RULES, NOW + timedelta(hours=1))


def test_the_author_files_an_appeal():
    appeal = filed()
    assert appeal.decision_id == "d1" and appeal.outcome is None
    assert appeal.statement == "It was a quote, not an insult."


def test_only_the_author_may_appeal():
    with pytest.raises(AppealNotAllowed):
        file_appeal(HIDE, "someone-else", "unfair", [], RULES, NOW)


def test_appeal_twice_is_refused():
    first = filed()
    with pytest.raises(AppealAlreadyFiled):
        file_appeal(HIDE, "author-1", "again", [first], RULES, NOW + timedelta(hours=2))


def test_appeals_of_other_decisions_do_not_count():
    other = Decision("d2", "post-2", ReviewAction.HIDE, "mod-a", "author-1", NOW, Category.SPAM)
    assert file_appeal(other, "author-1", "please", [filed()], RULES, NOW)


def test_window_and_statement():
    with pytest.raises(AppealNotAllowed, match="30 days"):
        file_appeal(HIDE, "author-1", "late", [], RULES, NOW + timedelta(days=31))
    with pytest.raises(AppealNotAllowed, match="explain"):
        file_appeal(HIDE, "author-1", "   ", [], RULES, NOW)
    with pytest.raises(AppealNotAllowed, match="too long"):
        file_appeal(HIDE, "author-1", "x" * 2001, [], RULES, NOW)


def test_nothing_to_appeal_in_an_approval():
    approve = Decision("d3", "post-3", ReviewAction.APPROVE, "mod-a", "author-1", NOW)
    with pytest.raises(AppealNotAllowed):
        file_appeal(approve, "author-1", "why?", [], RULES, NOW)


def test_the_same_moderator_cannot_decide_the_appeal():
    with pytest.raises(SameModerator):
        decide_appeal(filed(), HIDE, "mod-a", AppealOutcome.OVERTURNED, NOW + timedelta(days=1))


def test_ids_are_compared_as_text():
    decision = Decision("d9", "post-9", ReviewAction.HIDE, "7", "author-1", NOW, Category.SPAM)
    appeal = file_appeal(decision, "author-1", "please", [], RULES, NOW)
    with pytest.raises(SameModerator):
        decide_appeal(appeal, decision, 7, AppealOutcome.UPHELD, NOW)  # type: ignore[arg-type]


def test_a_moderator_cannot_decide_their_own_appeal():
    decision = Decision("d4", "post-4", ReviewAction.HIDE, "mod-a", "mod-b", NOW, Category.SPAM)
    appeal = file_appeal(decision, "mod-b", "I was quoting", [], RULES, NOW)
    with pytest.raises(SameModerator):
        decide_appeal(appeal, decision, "mod-b", AppealOutcome.OVERTURNED, NOW)


def test_overturned_restores_visibility():
    decided = decide_appeal(filed(), HIDE, "mod-b", AppealOutcome.OVERTURNED, NOW + timedelta(days=1), "quote")
    assert decided.outcome is AppealOutcome.OVERTURNED and decided.decided_by == "mod-b"
    assert state_after(ReviewState.HIDDEN, decided) is ReviewState.APPROVED
    assert state_after(ReviewState.REMOVED, decided) is ReviewState.APPROVED


def test_upheld_leaves_the_item_as_it_is():
    decided = decide_appeal(filed(), HIDE, "mod-b", AppealOutcome.UPHELD, NOW + timedelta(days=1))
    assert state_after(ReviewState.HIDDEN, decided) is ReviewState.HIDDEN


def test_an_appeal_is_decided_once():
    decided = decide_appeal(filed(), HIDE, "mod-b", AppealOutcome.UPHELD, NOW)
    with pytest.raises(AppealAlreadyDecided):
        decide_appeal(decided, HIDE, "mod-c", AppealOutcome.OVERTURNED, NOW)


def test_an_appeal_belongs_to_its_decision():
    other = Decision("d2", "post-2", ReviewAction.HIDE, "mod-z", "author-1", NOW, Category.SPAM)
    with pytest.raises(AppealNotAllowed):
        decide_appeal(filed(), other, "mod-b", AppealOutcome.UPHELD, NOW)


def test_sanctions_can_be_appealed_too():
    mute = for_duration(
        id="s1",
        kind=SanctionKind.MUTE,
        subject_id="author-1",
        decided_by="mod-a",
        category=Category.ABUSE_HARASSMENT,
        note="",
        starts_at=NOW,
        duration=timedelta(days=1),
    )
    appeal = file_appeal(mute, "author-1", "I was provoked", [], RULES, NOW + timedelta(hours=1))
    with pytest.raises(SameModerator):
        decide_appeal(appeal, mute, "mod-a", AppealOutcome.OVERTURNED, NOW)
    assert decide_appeal(appeal, mute, "mod-b", AppealOutcome.OVERTURNED, NOW).outcome is AppealOutcome.OVERTURNED
