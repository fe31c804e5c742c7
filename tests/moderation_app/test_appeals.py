"""Appeals: once per decision, decided by a different moderator; overturned restores; the author is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from debate.errors import Conflict, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models import Role
from debate.models.moderation import Appeal, AuditEntry, ModerationNotice, ReviewItem
from debate.services import publishing
from debate.services.moderation import appeals as moderation_appeals
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import sanctions as moderation_sanctions


def _hidden(notes, make_user, moderators, action="hide", text=None):
    author = make_user(name="Author")
    note = notes.make(author, "A strongly worded but fair criticism of the council.")
    moderation_flags.raise_flag(make_user(Role.ADMIN), "note", note.id, "abuse_harassment", "")
    item = moderation_queue.find("note", note.id)
    note_text = "Changed a word." if action == "edit" else ""
    decision = moderation_decisions.decide(moderators[0], item.id, action, "abuse_harassment", note_text, text)
    return author, note, item, decision


def last_notice(user_id):
    return db.session.scalars(
        select(ModerationNotice).where(ModerationNotice.user_id == user_id).order_by(ModerationNotice.id.desc())
    ).first()


def test_overturned_by_a_different_moderator_restores_the_content(app, notes, make_user, moderators, published):
    author, note, item, decision = _hidden(notes, make_user, moderators)
    appeal = moderation_appeals.file(author, decision_id=decision.id, statement="It was fair criticism.")
    assert appeal.assigned_to_id == moderators[1].id  # routed away from the moderator who decided
    db.session.refresh(item)
    assert item.status == "open" and item.cause == "appealed"
    assert moderation_queue.open_appeal(item).id == appeal.id
    with pytest.raises(PermissionDenied, match="different moderator"):
        moderation_appeals.decide(moderators[0], appeal.id, "overturned")
    with pytest.raises(PermissionDenied, match="different moderator"):
        moderation_queue.claim(moderators[0], item.id)
    with pytest.raises(ValidationError, match="under appeal"):
        moderation_decisions.decide(moderators[1], item.id, "approve")
    moderation_appeals.decide(moderators[1], appeal.id, "overturned", "Fair comment.")
    db.session.refresh(note)
    db.session.refresh(item)
    db.session.refresh(appeal)
    assert (note.state, note.state_category, note.state_note) == ("approved", None, None)
    assert item.status == "decided"
    assert appeal.outcome == "overturned" and appeal.decided_by_id == moderators[1].id
    text = last_notice(author.id).text
    assert "overturned" in text and "visible again" in text and "Fair comment." in text
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["auto_hide", "hide", "appeal_filed", "appeal_decided", "restore"]
    assert notes.changed[-1] == note.id


def test_upheld_leaves_it_hidden_and_tells_the_author(app, notes, make_user, moderators):
    author, note, _, decision = _hidden(notes, make_user, moderators)
    appeal = moderation_appeals.file(author, decision_id=decision.id, statement="Please look again.")
    moderation_appeals.decide(moderators[1], appeal.id, "upheld")
    db.session.refresh(note)
    assert note.state == "hidden"
    assert "upheld the decision" in last_notice(author.id).text
    with pytest.raises(Conflict, match="already been decided"):
        moderation_appeals.decide(make_user(Role.ADMIN), appeal.id, "overturned")


def test_overturning_an_edit_restores_the_original_text(app, notes, make_user, moderators):
    author, note, _, decision = _hidden(notes, make_user, moderators, "edit", "A criticism of the council.")
    original = decision.text_before
    appeal = moderation_appeals.file(author, decision_id=decision.id, statement="My words were fine.")
    moderation_appeals.decide(moderators[1], appeal.id, "overturned")
    db.session.refresh(note)
    assert note.body == original and note.state == "approved"


def test_one_appeal_per_decision_and_only_by_the_author(app, notes, make_user, moderators):
    author, _, _, decision = _hidden(notes, make_user, moderators)
    with pytest.raises(ValidationError, match="Only the person"):
        moderation_appeals.file(make_user(), decision_id=decision.id, statement="Not mine but unfair.")
    with pytest.raises(ValidationError, match="explain why"):
        moderation_appeals.file(author, decision_id=decision.id, statement="   ")
    moderation_appeals.file(author, decision_id=decision.id, statement="First.")
    with pytest.raises(Conflict, match="already appealed"):
        moderation_appeals.file(author, decision_id=decision.id, statement="Second.")
    assert len(db.session.scalars(select(Appeal)).all()) == 1


def test_approvals_cannot_be_appealed(app, notes, make_user, moderators):
    author, _, _, decision = _hidden(notes, make_user, moderators, "approve")
    with pytest.raises(ValidationError, match="nothing to appeal"):
        moderation_appeals.file(author, decision_id=decision.id, statement="Why?")


def test_a_banned_member_can_still_appeal_their_ban_and_have_it_lifted(app, notes, make_user, moderators):
    member = make_user()
    ban = moderation_sanctions.issue(moderators[0], member.id, "ban", "spam", "Bot-like posting.")
    appeal = moderation_appeals.file(member, sanction_id=ban.id, statement="I am a person, not a bot.")
    assert [a.id for a in moderation_appeals.open_sanction_appeals(moderators[1])] == [appeal.id]
    with pytest.raises(PermissionDenied):
        moderation_appeals.decide(moderators[0], appeal.id, "overturned")
    moderation_appeals.decide(moderators[1], appeal.id, "overturned")
    db.session.refresh(ban)
    assert ban.overturned and ban.lifted_at is not None
    standing = publishing.standing(member)
    assert standing.sanctions[0].overturned and not standing.sanctions[0].in_force(ban.lifted_at)
    assert "has been lifted" in last_notice(member.id).text
    assert moderation_appeals.open_sanction_appeals(moderators[1]) == []


def test_appeals_with_no_other_moderator_wait_unassigned(app, notes, make_user):
    only = make_user(Role.MODERATOR)
    author = make_user()
    note = notes.make(author)
    moderation_flags.raise_flag(make_user(), "note", note.id, "spam", "")
    item = moderation_queue.find("note", note.id)
    decision = moderation_decisions.decide(only, item.id, "hide", "spam", "")
    appeal = moderation_appeals.file(author, decision_id=decision.id, statement="Please.")
    assert appeal.assigned_to_id is None
    db.session.refresh(item)
    assert item.status == ReviewItem.OPEN


def test_the_notices_page_offers_each_appeal_once(app, notes, make_user, moderators):
    author, _, _, decision = _hidden(notes, make_user, moderators)
    notice = last_notice(author.id)
    assert moderation_appeals.appealable_notice(notice, set(), set()) == {"decision_id": decision.id}
    moderation_appeals.file(author, decision_id=decision.id, statement="Once.")
    appealed = moderation_appeals.appealed_ids(author)
    assert moderation_appeals.appealable_notice(notice, *appealed) is None
