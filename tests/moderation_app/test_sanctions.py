"""Sanctions: recorded with a reason, enforced by the engine through publishing, ending on time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

import moderation
from debate.errors import NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models import Role
from debate.models.base import utcnow
from debate.models.moderation import AuditEntry, ModerationNotice, Sanction
from debate.services import council_time
from debate.services.accounts import credentials
from debate.services.moderation import sanctions as moderation_sanctions
from debate.services.moderation import standing as moderation_standing


def test_a_mute_refuses_posts_with_the_reason_and_end_time(app, notes, established, moderators, published):
    author = established()
    sanction = moderation_sanctions.issue(moderators[0], author.id, "mute", "spam", "Repeated adverts.", "1d")
    assert sanction.ends_at - sanction.starts_at == timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        notes.submit(author, "Buy my lovely things now please.")
    message = caught.value.message
    # The end as every page shows a time: the council's clock, GMT or BST (was "... at 14:05 UTC").
    ends = council_time.shown(sanction.ends_at)
    assert message.startswith(f"Your account is muted until {ends}, so you can't post until then.")
    assert "Reason: spam (Repeated adverts.)" in message
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "sanction")).one()
    assert entry.target_type == "person" and entry.target_id == str(author.id)
    assert entry.after["kind"] == "mute" and entry.after["sanction_id"] == f"sanction:{sanction.id}"
    notice = db.session.scalars(select(ModerationNotice).where(ModerationNotice.user_id == author.id)).one()
    assert notice.sanction_id == sanction.id and f"muted until {ends}." in notice.text and "appeal" in notice.text
    assert any(e[0] == "moderation:notice" and e[2] == f"user:{author.id}" and e[3] == "/account" for e in published)


@pytest.mark.parametrize(("kind", "word"), [("suspension", "suspended"), ("ban", "banned")])
def test_suspensions_and_bans_refuse_posts(app, notes, established, moderators, kind, word):
    author = established()
    moderation_sanctions.issue(moderators[0], author.id, kind, "hate", "", "7d")
    with pytest.raises(ValidationError, match=f"Your account is {word}"):
        notes.submit(author, "Something I would like to say today.")


def test_a_warning_restricts_nothing(app, notes, established, moderators):
    author = established()
    moderation_sanctions.issue(moderators[0], author.id, "warning", "off_topic", "Stay on topic please.")
    assert notes.submit(author, "Back on topic, as asked.").state == "published"


def test_a_mute_ends_on_time(app, notes, established, moderators):
    author = established()
    sanction = moderation_sanctions.issue(moderators[0], author.id, "mute", "spam", "", "1h")
    # Move the mute into the past: it ended exactly now (half-open interval: over at its end).
    sanction.starts_at -= timedelta(hours=1)
    sanction.ends_at = utcnow()
    db.session.commit()
    assert notes.submit(author, "Talking again after the mute.").state == "published"
    assert moderation_standing.history(author).active == ()


def test_lifting_a_sanction_lets_them_post_and_is_audited(app, notes, established, moderators):
    author = established()
    sanction = moderation_sanctions.issue(moderators[0], author.id, "suspension", "spam", "", "30d")
    moderation_sanctions.lift(moderators[1], sanction.id, "Apologised.")
    assert notes.submit(author, "Thank you for lifting it.").state == "published"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "lift_sanction")).one()
    assert entry.actor_id == moderators[1].id and entry.note == "Apologised."
    from debate.errors import Conflict

    with pytest.raises(Conflict, match="not in force"):
        moderation_sanctions.lift(moderators[1], sanction.id)


@pytest.mark.parametrize(
    ("kind", "category", "duration", "note", "field"),
    [
        ("exile", "spam", "1d", "", "kind"),
        ("mute", "spam", None, "", "duration"),
        ("mute", "spam", "forever", "", "duration"),
        ("ban", "nonsense", None, "", "sanction_category"),
        ("ban", "other", None, "", "sanction_note"),
    ],
)
def test_sanctions_need_a_kind_duration_and_reason(app, make_user, moderators, kind, category, duration, note, field):
    with pytest.raises(ValidationError) as caught:
        moderation_sanctions.issue(moderators[0], make_user().id, kind, category, note, duration)
    assert caught.value.field == field
    assert db.session.scalars(select(Sanction)).all() == []


def test_who_can_be_sanctioned(app, make_user, moderators):
    with pytest.raises(PermissionDenied, match="yourself"):
        moderation_sanctions.issue(moderators[0], moderators[0].id, "warning", "spam")
    with pytest.raises(PermissionDenied, match="Moderators and admins"):
        moderation_sanctions.issue(moderators[0], moderators[1].id, "warning", "spam")
    with pytest.raises(PermissionDenied):
        moderation_sanctions.issue(make_user(), make_user().id, "warning", "spam")
    with pytest.raises(NotFound):
        moderation_sanctions.issue(moderators[0], 99999, "warning", "spam")
    rep = make_user(Role.REPRESENTATIVE)
    assert moderation_sanctions.issue(moderators[0], rep.id, "warning", "spam").kind == "warning"


# --- the signed-in check says when an account has no sanction (standing.known_clear) ---------------------------


def statements(run) -> tuple[object, list[str]]:
    seen: list[str] = []
    listener = lambda conn, cursor, statement, *rest: seen.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        return run(), seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def signed_in(app, user):
    login = credentials.start_login_session(user)
    db.session.commit()
    return credentials.signed_in_user(login.nonce, user.id)


def test_a_member_with_no_sanction_is_checked_without_a_query_of_its_own(app, established):
    member = established()
    with app.test_request_context("/"):
        user = signed_in(app, member)
        found, seen = statements(lambda: moderation_standing.require_capability(user, moderation.Capability.VOTE))
        assert found is None and not [s for s in seen if "sanctions" in s]


def test_a_sanctioned_member_is_still_refused_after_the_signed_in_check(app, established, moderators):
    member = established()
    moderation_sanctions.issue(moderators[0], member.id, "warning", "off_topic", "Stay on topic please.")
    moderation_sanctions.issue(moderators[0], member.id, "suspension", "spam", "Repeated adverts.", "1d")
    with app.test_request_context("/"):
        user = signed_in(app, member)
        with pytest.raises(PermissionDenied, match="suspended"):
            moderation_standing.require_capability(user, moderation.Capability.VOTE)


def test_a_sanction_issued_in_the_same_request_counts_at_once(app, established, moderators):
    member = established()
    with app.test_request_context("/"):
        user = signed_in(app, member)
        moderation_sanctions.issue(moderators[0], member.id, "suspension", "spam", "Repeated adverts.", "1d")
        with pytest.raises(PermissionDenied, match="suspended"):
            moderation_standing.require_capability(user, moderation.Capability.VOTE)
