"""Sanctions: what each forbids, and exactly when it starts and stops."""

from __future__ import annotations

from datetime import timedelta

import pytest

from moderation import (
    Capability,
    Category,
    InvalidSanction,
    Sanction,
    SanctionKind,
    active_sanctions,
    allows,
    blocking,
    for_duration,
    forbidden,
    lift,
)
from moderation.sanctions import recent

from .helpers import NOW


def make(kind: SanctionKind, duration: timedelta | None = None, sanction_id: str = "s1", **changes) -> Sanction:
    sanction = for_duration(
        id=sanction_id,
        kind=kind,
        subject_id="100",
        decided_by="9",
        category=Category.SPAM,
        note="",
        starts_at=NOW,
        duration=duration,
    )
    return Sanction(**(vars(sanction) | changes))


def test_a_mute_ending_at_noon_is_not_active_at_noon():
    mute = make(SanctionKind.MUTE, timedelta(hours=2))
    end = NOW + timedelta(hours=2)
    assert active_sanctions([mute], end - timedelta(microseconds=1)) == (mute,)
    assert active_sanctions([mute], end) == ()


def test_a_sanction_starts_at_its_start():
    mute = make(SanctionKind.MUTE, timedelta(hours=2))
    assert active_sanctions([mute], NOW - timedelta(seconds=1)) == ()
    assert active_sanctions([mute], NOW) == (mute,)


def test_a_ban_never_expires_but_can_be_lifted():
    ban = make(SanctionKind.BAN)
    assert active_sanctions([ban], NOW + timedelta(days=3650)) == (ban,)
    lifted = lift(ban, NOW + timedelta(days=1))
    assert active_sanctions([lifted], NOW + timedelta(days=1)) == ()
    assert active_sanctions([lifted], NOW + timedelta(hours=23)) == (lifted,)


def test_warnings_are_never_active():
    assert active_sanctions([make(SanctionKind.WARNING)], NOW) == ()


@pytest.mark.parametrize(
    ("kind", "denied"),
    [
        (SanctionKind.WARNING, set()),
        (SanctionKind.MUTE, {Capability.POST}),
        (SanctionKind.SUSPENSION, {Capability.POST, Capability.FLAG, Capability.VOTE}),
        (SanctionKind.BAN, {Capability.POST, Capability.FLAG, Capability.VOTE, Capability.SIGN_IN, Capability.READ}),
    ],
)
def test_what_each_sanction_forbids(kind, denied):
    duration = timedelta(days=1) if kind in (SanctionKind.MUTE, SanctionKind.SUSPENSION) else None
    sanction = make(kind, duration)
    assert forbidden([sanction], NOW) == denied
    assert allows([sanction], Capability.APPEAL, NOW)  # nobody loses the right to appeal
    assert allows([sanction], Capability.POST, NOW) is (Capability.POST not in denied)


def test_muted_people_can_still_sign_in_read_and_flag():
    mute = make(SanctionKind.MUTE, timedelta(days=1))
    for capability in (Capability.SIGN_IN, Capability.READ, Capability.FLAG, Capability.VOTE):
        assert allows([mute], capability, NOW)


def test_blocking_cites_the_most_severe_then_the_longest():
    short = make(SanctionKind.MUTE, timedelta(hours=1), "short")
    long = make(SanctionKind.MUTE, timedelta(days=2), "long")
    suspension = make(SanctionKind.SUSPENSION, timedelta(hours=1), "susp")
    assert blocking([short, long], Capability.POST, NOW).id == "long"
    assert blocking([short, long, suspension], Capability.POST, NOW).id == "susp"
    assert blocking([short], Capability.FLAG, NOW) is None


@pytest.mark.parametrize(
    ("kind", "duration"),
    [
        (SanctionKind.MUTE, None),
        (SanctionKind.SUSPENSION, timedelta(0)),
        (SanctionKind.BAN, timedelta(days=1)),
        (SanctionKind.WARNING, timedelta(days=1)),
    ],
)
def test_inconsistent_sanctions_are_refused(kind, duration):
    with pytest.raises(InvalidSanction):
        make(kind, duration)


def test_other_needs_a_note():
    with pytest.raises(InvalidSanction):
        make(SanctionKind.WARNING, category=Category.OTHER)


def test_recent_leaves_out_overturned_and_old_ones():
    old = make(SanctionKind.WARNING, starts_at=NOW - timedelta(days=200))
    fresh = make(SanctionKind.WARNING)
    wrong = lift(make(SanctionKind.MUTE, timedelta(days=1)), NOW, overturned=True)
    assert recent([old, fresh, wrong], NOW, timedelta(days=90)) == (fresh,)
