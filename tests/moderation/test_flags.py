"""Flags: validating the form, weighing the flagger, and the threshold that hides an item."""

from __future__ import annotations

from datetime import timedelta

import pytest

from moderation import (
    Category,
    FlagRules,
    InvalidFlag,
    Role,
    SanctionKind,
    flag_weight,
    for_duration,
    should_hide,
    validate_flag,
)

from .helpers import NOW, member, newcomer

RULES = FlagRules()


def sanctioned(kind: SanctionKind, days_ago: int = 10, duration: timedelta | None = None):
    return for_duration(
        id="s",
        kind=kind,
        subject_id="100",
        decided_by="9",
        category=Category.SPAM,
        note="",
        starts_at=NOW - timedelta(days=days_ago),
        duration=duration,
    )


class TestValidation:
    def test_a_valid_flag(self):
        report = validate_flag("spam", "  selling things  ", RULES)
        assert report.category is Category.SPAM and report.note == "selling things"

    def test_note_is_optional_except_for_other(self):
        assert validate_flag("hate", None, RULES).note == ""
        with pytest.raises(InvalidFlag) as caught:
            validate_flag("other", "  ", RULES)
        assert caught.value.field == "note"
        assert validate_flag("other", "it's a duplicate of another thread", RULES).category is Category.OTHER

    @pytest.mark.parametrize("reason", ["", "rude", None, 3, "SPAM"])
    def test_unknown_reasons_are_refused(self, reason):
        with pytest.raises(InvalidFlag) as caught:
            validate_flag(reason, "", RULES)
        assert caught.value.field == "reason"

    def test_note_length_and_content(self):
        assert validate_flag("spam", "x" * 500, RULES)
        with pytest.raises(InvalidFlag, match="at most 500"):
            validate_flag("spam", "x" * 501, RULES)
        with pytest.raises(InvalidFlag, match="control"):
            validate_flag("spam", "a\x00b", RULES)
        with pytest.raises(InvalidFlag, match="text"):
            validate_flag("spam", 42, RULES)

    def test_every_category_is_accepted(self):
        for category in Category:
            assert validate_flag(category.value, "because", RULES).category is category


class TestWeights:
    def test_established_member_counts_one(self):
        assert flag_weight(member(), RULES, NOW) == 1.0

    def test_moderator_hides_at_once(self):
        weight = flag_weight(member(role=Role.MODERATOR), RULES, NOW)
        assert weight == RULES.threshold
        assert should_hide([weight], RULES)

    def test_new_account_counts_half(self):
        assert flag_weight(newcomer(), RULES, NOW) == 0.5
        assert flag_weight(member(approved_posts=2), RULES, NOW) == 0.5  # old but never posted much
        assert flag_weight(member(joined_at=NOW - timedelta(days=6)), RULES, NOW) == 0.5

    def test_recent_sanction_counts_less(self):
        assert flag_weight(member(sanctions=(sanctioned(SanctionKind.WARNING),)), RULES, NOW) == 0.25
        old = member(sanctions=(sanctioned(SanctionKind.WARNING, days_ago=120),))
        assert flag_weight(old, RULES, NOW) == 1.0

    def test_many_dismissed_flags_count_less(self):
        assert flag_weight(member(flags_rejected=6, flags_upheld=2), RULES, NOW) == 0.25
        assert flag_weight(member(flags_rejected=6, flags_upheld=10), RULES, NOW) == 1.0
        assert flag_weight(member(flags_rejected=4, flags_upheld=0), RULES, NOW) == 1.0

    def test_suspended_people_cannot_flag(self):
        suspended = member(sanctions=(sanctioned(SanctionKind.SUSPENSION, 1, timedelta(days=7)),))
        assert flag_weight(suspended, RULES, NOW) == 0.0

    def test_muted_people_can_flag_but_count_less(self):
        muted = member(sanctions=(sanctioned(SanctionKind.MUTE, 1, timedelta(days=7)),))
        assert flag_weight(muted, RULES, NOW) == 0.25

    def test_weights_are_configurable(self):
        rules = FlagRules(threshold=2.0, new_account_weight=0.0)
        assert flag_weight(newcomer(), rules, NOW) == 0.0
        assert flag_weight(member(role=Role.ADMIN), rules, NOW) == 2.0


class TestThreshold:
    @pytest.mark.parametrize(
        ("weights", "hidden"),
        [
            ([], False),
            ([1.0, 1.0], False),
            ([1.0, 1.0, 1.0], True),
            ([1.0, 1.0, 0.5], False),
            ([1.0, 1.0, 0.5, 0.5], True),
            ([0.5] * 5, False),
            ([0.5] * 6, True),
            ([0.1] * 30, True),  # floating point must not cheat anyone
            ([0.25] * 11, False),
            ([3.0], True),
        ],
    )
    def test_hidden_when_the_weights_reach_the_threshold(self, weights, hidden):
        assert should_hide(weights, RULES) is hidden
