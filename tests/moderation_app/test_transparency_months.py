"""The transparency report reuses closed months' figures and computes only the current month afresh."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from debate.extensions import db
from debate.models.base import utcnow
from debate.models.moderation import Flag
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import transparency as moderation_transparency


def _flag_in_closed_month(moderator, notes, author, months_back: int = 2):
    """A flag raised now, then moved into a month before this one (as if raised then)."""
    note = notes.make(author, f"Text flagged {months_back} months ago")
    flag = moderation_flags.raise_flag(moderator, "note", note.id, "spam", "")
    moved = utcnow().replace(day=1) - timedelta(days=31 * (months_back - 1) + 1)
    db.session.execute(update(Flag).where(Flag.id == flag.id).values(created_at=moved))
    db.session.commit()
    return moved.strftime("%Y-%m")


def _by_month() -> dict[str, object]:
    return {m.month: m for m in moderation_transparency.monthly()}


def test_closed_months_are_computed_once_and_the_current_month_still_moves(
    app, notes, make_user, moderators, monkeypatch
):
    author = make_user()
    closed_month = _flag_in_closed_month(moderators[0], notes, author)
    this_month = utcnow().strftime("%Y-%m")
    first = _by_month()
    assert first[closed_month].items_flagged == 1 and first[closed_month].flags_by_reason == {"spam": 1}

    reads = []
    real = moderation_transparency._records
    monkeypatch.setattr(
        moderation_transparency, "_records", lambda start, before: reads.append(before) or real(start, before)
    )
    moderation_flags.raise_flag(moderators[1], "note", notes.make(author, "Flagged today").id, "off_topic", "")
    second = _by_month()
    assert reads == [False]  # only the current month was read; the closed months came from the cache
    assert second[closed_month] == first[closed_month]
    assert second[this_month].items_flagged == 1 and second[this_month].flags_by_reason == {"off_topic": 1}
    assert list(second) == sorted(second, reverse=True)  # newest first, quiet months between shown as zeros
    assert len(second) == 3 and second[min(second)] == first[closed_month]


def test_a_change_to_a_closed_month_is_seen(app, notes, make_user, moderators):
    author = make_user()
    closed_month = _flag_in_closed_month(moderators[0], notes, author)
    assert _by_month()[closed_month].items_flagged == 1
    _flag_in_closed_month(moderators[1], notes, author)
    assert _by_month()[closed_month].items_flagged == 2
    db.session.delete(db.session.scalars(select(Flag)).first())
    db.session.commit()
    assert _by_month()[closed_month].items_flagged == 1
