"""Flags: validated and weighed by the engine, one per member per item, hiding at the threshold."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from debate.errors import Conflict, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models import Role
from debate.models.moderation import AuditEntry, Flag, ModerationNotice, ReviewItem
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import sanctions as moderation_sanctions


def test_three_established_flags_hide_the_content_pending_review(app, notes, established, make_user, published):
    author = make_user(name="Author")
    note = notes.make(author)
    flaggers = [established() for _ in range(3)]
    moderation_flags.raise_flag(flaggers[0], "note", note.id, "spam", "")
    moderation_flags.raise_flag(flaggers[1], "note", note.id, "abuse_harassment", "rude")
    db.session.refresh(note)
    assert note.state == "published"
    moderation_flags.raise_flag(flaggers[2], "note", note.id, "spam", "")
    db.session.refresh(note)
    assert note.state == "flag_hidden"
    item = moderation_queue.find("note", note.id)
    assert item.status == "open" and item.cause == "flagged" and item.flag_weight == 3.0
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "auto_hide")).one()
    assert audit.actor_id is None and audit.target_id == f"note:{note.id}"
    assert audit.before == {"state": "published"} and audit.after == {"state": "flag_hidden"}
    told = db.session.scalars(select(ModerationNotice).where(ModerationNotice.user_id == author.id)).all()
    assert [n.kind for n in told] == ["hidden"]
    assert notes.changed == [note.id]  # the feature was asked to re-broadcast the row
    names = [e[0] for e in published]
    assert names.count("queue:item_added") == 1 and "moderation:notice" in names
    added = next(e for e in published if e[0] == "queue:item_added")
    assert added[2:] == ("queue", "/staff")
    assert set(added[1]) == {"id", "status", "cause", "live", "flag_weight", "claimed"}  # no text, no names


def test_new_accounts_weigh_less(app, notes, make_user):
    author = make_user()
    note = notes.make(author)
    for _ in range(3):
        moderation_flags.raise_flag(make_user(), "note", note.id, "spam", "")
    db.session.refresh(note)
    assert note.state == "published"  # 3 x 0.5 = 1.5, below the threshold of 3
    assert moderation_queue.find("note", note.id).flag_weight == 1.5
    weights = db.session.scalars(select(Flag.weight)).all()
    assert weights == [0.5, 0.5, 0.5]


def test_a_moderators_flag_hides_at_once(app, notes, make_user, moderators):
    note = notes.make(make_user())
    moderation_flags.raise_flag(moderators[0], "note", note.id, "hate", "")
    db.session.refresh(note)
    assert note.state == "flag_hidden"


def test_one_flag_per_member_per_item(app, notes, make_user):
    note = notes.make(make_user())
    flagger = make_user()
    moderation_flags.raise_flag(flagger, "note", note.id, "spam", "")
    with pytest.raises(Conflict, match="already flagged"):
        moderation_flags.raise_flag(flagger, "note", note.id, "hate", "")
    assert db.session.scalar(select(Flag.id).where(Flag.flagger_id == flagger.id)) is not None
    assert len(db.session.scalars(select(Flag)).all()) == 1


def test_unique_constraint_backs_the_check(app, notes, make_user):
    note = notes.make(make_user())
    flagger = make_user()
    moderation_flags.raise_flag(flagger, "note", note.id, "spam", "")
    item = moderation_queue.find("note", note.id)
    db.session.add(Flag(review_item_id=item.id, flagger_id=flagger.id, category="spam", note="", weight=1))
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    ("reason", "note", "field", "message"),
    [
        ("nonsense", "", "reason", "choose a reason"),
        ("other", "  ", "note", "say what is wrong"),
        ("spam", "x" * 501, "note", "too long"),
        ("spam", "bad\x07bell", "note", "control characters"),
    ],
)
def test_flag_form_is_validated_by_the_engine(app, notes, make_user, reason, note, field, message):
    item = notes.make(make_user())
    with pytest.raises(ValidationError) as caught:
        moderation_flags.raise_flag(make_user(), "note", item.id, reason, note)
    assert caught.value.field == field and message in caught.value.message.lower()
    assert db.session.scalars(select(ReviewItem)).all() == []


def test_cannot_flag_own_hidden_or_missing_content(app, notes, make_user):
    author = make_user()
    mine = notes.make(author)
    with pytest.raises(PermissionDenied, match="your own"):
        moderation_flags.raise_flag(author, "note", mine.id, "spam", "")
    held = notes.make(author, state="held")
    with pytest.raises(Conflict, match="not shown publicly"):
        moderation_flags.raise_flag(make_user(), "note", held.id, "spam", "")
    from debate.errors import NotFound

    with pytest.raises(NotFound):
        moderation_flags.raise_flag(make_user(), "note", 9999, "spam", "")
    with pytest.raises(NotFound):
        moderation_flags.raise_flag(make_user(), "nothing", 1, "spam", "")


def test_unverified_members_cannot_flag(app, notes, make_user):
    note = notes.make(make_user())
    with pytest.raises(PermissionDenied, match="confirm your email"):
        moderation_flags.raise_flag(make_user(verified=False), "note", note.id, "spam", "")


@pytest.mark.parametrize(
    ("kind", "allowed"), [("warning", True), ("mute", True), ("suspension", False), ("ban", False)]
)
def test_suspended_and_banned_members_cannot_flag(app, notes, make_user, moderators, kind, allowed):
    note = notes.make(make_user())
    flagger = make_user()
    moderation_sanctions.issue(moderators[0], flagger.id, kind, "spam", "", "1d")
    if allowed:
        moderation_flags.raise_flag(flagger, "note", note.id, "spam", "")
    else:
        with pytest.raises(PermissionDenied, match="You can't flag content: Your account is"):
            moderation_flags.raise_flag(flagger, "note", note.id, "spam", "")


def test_an_approved_item_is_queued_again_by_new_flags_but_not_hidden(app, notes, make_user, moderators):
    from debate.services.moderation import decisions as moderation_decisions

    note = notes.make(make_user())
    moderation_flags.raise_flag(moderators[0], "note", note.id, "spam", "")
    item = moderation_queue.find("note", note.id)
    moderation_decisions.decide(moderators[1], item.id, "approve")
    db.session.refresh(note)
    assert note.state == "approved"
    moderation_flags.raise_flag(make_user(Role.ADMIN), "note", note.id, "spam", "")  # an admin's flag: full weight
    db.session.refresh(note)
    db.session.refresh(item)
    assert note.state == "approved"  # a person already looked: flags only queue it again
    assert item.status == "open" and item.flag_weight == 3.0
