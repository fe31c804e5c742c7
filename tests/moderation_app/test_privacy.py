"""What moderation holds about a member is in their data download, and goes (or is blanked) when they leave."""

from __future__ import annotations

from sqlalchemy import select

from debate.extensions import db
from debate.models.moderation import Appeal, AuditEntry, Flag, ModerationDecision, ModerationNotice
from debate.services import privacy
from debate.services.moderation import appeals as moderation_appeals
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import queue as moderation_queue


def test_export_and_erase(app, notes, make_user, moderators):
    member = make_user()
    other = make_user()
    theirs = notes.make(other)
    moderation_flags.raise_flag(member, "note", theirs.id, "spam", "My private note")
    mine = notes.make(member, "Something I wrote.")
    moderation_flags.raise_flag(moderators[0], "note", mine.id, "spam", "")
    decision = moderation_decisions.decide(
        moderators[1], moderation_queue.find("note", mine.id).id, "edit", "spam", "Trimmed.", "Something."
    )
    moderation_appeals.file(member, decision_id=decision.id, statement="My appeal text")
    data = privacy.export_user(member)["sections"]["moderation"]["data"]
    assert data["flags_you_raised"][0]["note"] == "My private note"
    assert data["your_appeals"][0]["statement"] == "My appeal text"
    assert any("edited your reply" in n["text"] for n in data["notices"])

    privacy.delete_user(member, password_ok=True, remove_content=True)
    assert db.session.scalars(select(ModerationNotice).where(ModerationNotice.user_id == member.id)).all() == []
    assert db.session.scalars(select(Flag.note).where(Flag.flagger_id == member.id)).all() == [""]
    assert db.session.scalars(select(Appeal.statement)).all() == ["(withdrawn)"]
    kept = db.session.get(ModerationDecision, decision.id)
    assert kept.text_before is None and kept.text_after is None and kept.action == "edit"
    assert db.session.scalars(select(AuditEntry)).all()  # the log stays: ids, actions, reasons
