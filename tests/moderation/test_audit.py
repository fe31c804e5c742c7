"""Audit entries: one shape for every writer, JSON-ready, not editable after the fact."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from moderation import (
    AppealOutcome,
    AppealRules,
    AuditAction,
    AuditEntry,
    Category,
    Decision,
    ReviewAction,
    ReviewState,
    SanctionKind,
    decide,
    decide_appeal,
    file_appeal,
    for_appeal_decision,
    for_decision,
    for_duration,
    for_sanction,
)

from .helpers import NOW


def test_a_decision_entry_has_who_what_target_when_why_and_change():
    decision = Decision("d1", "post-1", ReviewAction.HIDE, "9", "100", NOW, Category.SPAM, "selling")
    entry = for_decision(decision, ReviewState.PUBLISHED, decide(ReviewState.PUBLISHED, decision))
    assert entry.to_dict() == {
        "actor_id": "9",
        "action": "hide",
        "target_type": "post",
        "target_id": "post-1",
        "at": "2025-03-01T12:00:00",
        "reason": "spam",
        "note": "selling",
        "before": {"state": "published"},
        "after": {"state": "hidden"},
    }


def test_round_trip_through_json():
    entry = AuditEntry(
        "9", AuditAction.POLICY_CHANGED, "policy", "main", NOW, None, "tighter links", {"a": 1}, {"a": 2}
    )
    assert AuditEntry.from_dict(json.loads(json.dumps(entry.to_dict()))) == entry


def test_entries_cannot_be_changed():
    before = {"state": "published"}
    entry = AuditEntry(None, AuditAction.AUTO_HIDE, "post", "p1", NOW, None, "", before, None)
    before["state"] = "tampered"
    assert entry.before == {"state": "published"}
    with pytest.raises(TypeError):
        entry.before["state"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        entry.note = "x"  # type: ignore[misc]


def test_sanction_and_appeal_entries():
    mute = for_duration(
        id="s1",
        kind=SanctionKind.MUTE,
        subject_id="100",
        decided_by="9",
        category=Category.ABUSE_HARASSMENT,
        note="insults",
        starts_at=NOW,
        duration=timedelta(hours=1),
    )
    entry = for_sanction(mute)
    assert (entry.action, entry.target_id, entry.after["ends_at"]) == (
        AuditAction.SANCTION,
        "100",
        "2025-03-01T13:00:00",
    )
    appeal = file_appeal(mute, "100", "sorry", [], AppealRules(), NOW)
    decided = decide_appeal(appeal, mute, "8", AppealOutcome.UPHELD, NOW + timedelta(minutes=5))
    entry = for_appeal_decision(decided, appeal)
    assert (entry.actor_id, entry.reason, entry.before, entry.after) == (
        "8",
        "upheld",
        {"outcome": None},
        {"outcome": "upheld"},
    )
    with pytest.raises(ValueError):
        for_appeal_decision(appeal, appeal)
