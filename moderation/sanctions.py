"""Sanctions on a person: what each forbids, and when it is in force.

Times are half-open intervals [starts_at, ends_at): a mute ending at 12:00 is
no longer in force at 12:00:00, so "muted until 12:00" means what it says.
Nobody loses the right to appeal (APPEAL is never forbidden), even when banned.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from moderation.categories import Category
from moderation.errors import InvalidSanction


class SanctionKind(str, enum.Enum):
    WARNING = "warning"
    MUTE = "mute"
    SUSPENSION = "suspension"
    BAN = "ban"


class Capability(str, enum.Enum):
    SIGN_IN = "sign_in"
    READ = "read"
    POST = "post"
    FLAG = "flag"
    VOTE = "vote"
    APPEAL = "appeal"


FORBIDS: dict[SanctionKind, frozenset[Capability]] = {
    SanctionKind.WARNING: frozenset(),
    # A muted person still signs in, reads, flags and votes: they just can't post.
    SanctionKind.MUTE: frozenset({Capability.POST}),
    SanctionKind.SUSPENSION: frozenset({Capability.POST, Capability.FLAG, Capability.VOTE}),
    # Banned: nothing as a member (public pages stay public to anyone signed out).
    SanctionKind.BAN: frozenset(set(Capability) - {Capability.APPEAL}),
}

_TIMED = {SanctionKind.MUTE, SanctionKind.SUSPENSION}
_RANK = {SanctionKind.BAN: 3, SanctionKind.SUSPENSION: 2, SanctionKind.MUTE: 1, SanctionKind.WARNING: 0}


@dataclass(frozen=True)
class Sanction:
    """A moderator's sanction. Mutes and suspensions need an end; bans and warnings have none."""

    id: str
    kind: SanctionKind
    subject_id: str
    decided_by: str
    category: Category
    note: str
    starts_at: datetime
    ends_at: datetime | None = None
    lifted_at: datetime | None = None
    overturned: bool = False

    def __post_init__(self) -> None:
        if self.kind in _TIMED and (self.ends_at is None or self.ends_at <= self.starts_at):
            raise InvalidSanction(f"A {self.kind.value} needs an end time after its start.")
        if self.kind not in _TIMED and self.ends_at is not None:
            raise InvalidSanction(f"A {self.kind.value} has no end time (use a suspension for a temporary ban).")
        if self.category is Category.OTHER and not self.note.strip():
            raise InvalidSanction("A sanction for another reason needs a note saying what it was.")

    @property
    def decided_at(self) -> datetime:
        return self.starts_at

    @property
    def appealable(self) -> bool:
        return not self.overturned

    def in_force(self, now: datetime) -> bool:
        """True while this sanction restricts the person (warnings never do)."""
        if self.kind is SanctionKind.WARNING or now < self.starts_at:
            return False
        if self.lifted_at is not None and self.lifted_at <= now:
            return False
        return self.ends_at is None or now < self.ends_at


def for_duration(
    *,
    id: str,
    kind: SanctionKind,
    subject_id: str,
    decided_by: str,
    category: Category,
    note: str,
    starts_at: datetime,
    duration: timedelta | None = None,
) -> Sanction:
    """Build a sanction from a start and a duration, which is how moderators think of mutes."""
    ends_at = starts_at + duration if duration is not None else None
    return Sanction(id, kind, subject_id, decided_by, category, note, starts_at, ends_at)


def lift(sanction: Sanction, at: datetime, *, overturned: bool = False) -> Sanction:
    """End a sanction early; `overturned` when an appeal found it wrong (then it no longer counts against them)."""
    return replace(sanction, lifted_at=at, overturned=overturned)


def active_sanctions(sanctions: Iterable[Sanction], now: datetime) -> tuple[Sanction, ...]:
    """The restricting sanctions in force at `now`, most severe first."""
    active = [s for s in sanctions if s.in_force(now)]
    return tuple(sorted(active, key=lambda s: (-_RANK[s.kind], s.ends_at is not None, s.ends_at or s.starts_at)))


def forbidden(sanctions: Iterable[Sanction], now: datetime) -> frozenset[Capability]:
    """Everything the person may not do right now."""
    out: set[Capability] = set()
    for sanction in active_sanctions(sanctions, now):
        out |= FORBIDS[sanction.kind]
    return frozenset(out)


def allows(sanctions: Iterable[Sanction], capability: Capability, now: datetime) -> bool:
    return capability not in forbidden(sanctions, now)


def blocking(sanctions: Iterable[Sanction], capability: Capability, now: datetime) -> Sanction | None:
    """The sanction to cite when refusing `capability`: the most severe, then the one that lasts longest."""
    relevant = [s for s in active_sanctions(sanctions, now) if capability in FORBIDS[s.kind]]
    if not relevant:
        return None
    return max(relevant, key=lambda s: (_RANK[s.kind], s.ends_at is None, s.ends_at or s.starts_at))


def recent(sanctions: Iterable[Sanction], now: datetime, within: timedelta) -> tuple[Sanction, ...]:
    """Sanctions (warnings included) issued within `within` or still in force, except overturned ones."""
    since = now - within
    return tuple(s for s in sanctions if not s.overturned and (s.starts_at > since or s.in_force(now)))
