"""Decisions through the engine's state machine: state, reason and note on the row; audit; who is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models import Role
from debate.models.moderation import AuditEntry, Flag, ModerationDecision, ModerationNotice, ReviewItem
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import settings as moderation_settings


def _flagged(notes, make_user, moderator):
    """A note hidden by a moderator's flag (weight = threshold), so it is open in the queue."""
    author = make_user(name="Author")
    note = notes.make(author, "You are all fools and I will find where you live.")
    moderation_flags.raise_flag(moderator, "note", note.id, "abuse_harassment", "threat")
    return author, note, moderation_queue.find("note", note.id)


def notices(user_id):
    return db.session.scalars(
        select(ModerationNotice).where(ModerationNotice.user_id == user_id).order_by(ModerationNotice.id)
    ).all()


def test_hide_sets_state_reason_and_note_on_the_row(app, notes, make_user, moderators, published):
    flagger, decider = moderators
    author, note, item = _flagged(notes, make_user, flagger)
    published.clear()
    decision = moderation_decisions.decide(decider, item.id, "hide", "abuse_harassment", "Threatening language.")
    db.session.refresh(note)
    assert (note.state, note.state_category, note.state_note) == ("hidden", "abuse_harassment", "Threatening language.")
    assert decision.state_before == "flag_hidden" and decision.state_after == "hidden"
    assert decision.queued_at == item.queued_at
    db.session.refresh(item)
    assert item.status == "decided" and item.claimed_by_id is None and item.flag_weight == 0
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "hide")).one()
    assert entry.actor_id == decider.id and entry.reason == "abuse_harassment"
    assert entry.note == "Threatening language."
    assert entry.before == {"state": "flag_hidden"}
    assert entry.after == {"state": "hidden", "decision_id": decision.id}
    author_notice = notices(author.id)[-1]
    assert author_notice.kind == "decision" and author_notice.decision_id == decision.id
    assert "hid your reply" in author_notice.text and "Abuse or harassment" in author_notice.text
    assert "Threatening language." in author_notice.text and "appeal" in author_notice.text
    flag = db.session.scalars(select(Flag)).one()
    assert flag.outcome == "upheld"
    assert "hid it (Abuse or harassment)" in notices(flagger.id)[-1].text
    assert (
        "queue:item_removed",
        {"id": item.id, "status": "decided", "decision": "hide"},
        "queue",
        "/staff",
    ) in published
    assert notes.changed[-1] == note.id


def test_approve_restores_and_rejects_the_flags(app, notes, make_user, moderators):
    author, note, item = _flagged(notes, make_user, moderators[0])
    moderation_decisions.decide(moderators[1], item.id, "approve")
    db.session.refresh(note)
    assert (note.state, note.state_category, note.state_note) == ("approved", None, None)
    assert db.session.scalars(select(Flag)).one().outcome == "rejected"
    assert "decided it can stay" in notices(moderators[0].id)[-1].text
    assert "approved your reply" in notices(author.id)[-1].text


def test_approving_held_content_publishes_it_and_tells_the_author(app, notes, make_user, moderators):
    author = make_user()
    note = notes.submit(author, "My first ever post on this site, hello all.")  # a new account's first post
    assert note.state == "held"
    item = moderation_queue.find("note", note.id)
    assert item.cause == "held" and item.held_code == "new_account" and item.reasons[0]["code"] == "new_account"
    moderation_decisions.decide(moderators[0], item.id, "approve")
    db.session.refresh(note)
    assert note.state == "approved"
    assert notices(author.id)[-1].text.startswith("A moderator approved your reply")


def test_edit_replaces_the_text_keeps_both_and_leaves_a_note(app, notes, make_user, moderators):
    author, note, item = _flagged(notes, make_user, moderators[0])
    original = note.body
    decision = moderation_decisions.decide(
        moderators[1], item.id, "edit", "personal_information", "Removed a threat.", "You are all fools."
    )
    db.session.refresh(note)
    assert note.body == "You are all fools." and note.state == "edited"
    assert note.state_category == "personal_information"
    assert decision.text_before == original and decision.text_after == "You are all fools."
    assert "edited your reply" in notices(author.id)[-1].text


@pytest.mark.parametrize(
    ("action", "category", "note", "text", "field"),
    [
        ("explode", None, "", None, "action"),
        ("hide", None, "", None, "category"),
        ("remove", "nonsense", "", None, "category"),
        ("hide", "other", "", None, "note"),
        ("edit", None, "", "new text", "note"),
        ("edit", None, "why", "   ", "text"),
        ("edit", None, "why", "x" * 5001, "text"),
        ("hide", "spam", "x" * 2001, None, "note"),
    ],
)
def test_incomplete_decisions_are_refused_with_the_field(
    app, notes, make_user, moderators, action, category, note, text, field
):
    _, row, item = _flagged(notes, make_user, moderators[0])
    with pytest.raises(ValidationError) as caught:
        moderation_decisions.decide(moderators[1], item.id, action, category, note, text)
    assert caught.value.field == field
    db.session.refresh(item)
    db.session.refresh(row)
    assert item.status == "open" and row.state == "flag_hidden"
    assert db.session.scalars(select(ModerationDecision)).all() == []


def test_illegal_transitions_are_refused(app, notes, make_user, moderators):
    _, note, item = _flagged(notes, make_user, moderators[0])
    moderation_decisions.decide(moderators[1], item.id, "remove", "illegal", "")
    # Reopen the item by hand (as if flagged again) and try to approve removed content.
    item.status = "open"
    db.session.commit()
    with pytest.raises(Conflict, match="Cannot approve an item that is removed"):
        moderation_decisions.decide(moderators[1], item.id, "approve")
    db.session.refresh(note)
    assert note.state == "removed"
    assert len(db.session.scalars(select(ModerationDecision)).all()) == 1


def test_a_decided_item_cannot_be_decided_again(app, notes, make_user, moderators):
    _, _, item = _flagged(notes, make_user, moderators[0])
    moderation_decisions.decide(moderators[1], item.id, "hide", "spam", "")
    with pytest.raises(Conflict, match="Already decided"):
        moderation_decisions.decide(make_user(Role.ADMIN), item.id, "approve")


def test_moderators_cannot_decide_their_own_content(app, notes, moderators):
    note = notes.make(moderators[0])
    moderation_flags.raise_flag(moderators[1], "note", note.id, "spam", "")
    item = moderation_queue.find("note", note.id)
    with pytest.raises(PermissionDenied, match="own content"):
        moderation_decisions.decide(moderators[0], item.id, "approve")
    with pytest.raises(PermissionDenied, match="own content"):
        moderation_queue.claim(moderators[0], item.id)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE])
def test_members_cannot_decide_or_claim(app, notes, make_user, moderators, role):
    _, _, item = _flagged(notes, make_user, moderators[0])
    member = make_user(role)
    with pytest.raises(PermissionDenied):
        moderation_decisions.decide(member, item.id, "approve")
    with pytest.raises(PermissionDenied):
        moderation_queue.claim(member, item.id)
    with pytest.raises(PermissionDenied):
        moderation_queue.open_items(member)


def test_missing_item(app, moderators):
    with pytest.raises(NotFound):
        moderation_decisions.decide(moderators[0], 424242, "approve")


def test_bulk_decisions_each_audited_and_failures_reported(app, notes, make_user, moderators):
    items = [_flagged(notes, make_user, moderators[0])[2] for _ in range(3)]
    moderation_decisions.decide(moderators[1], items[1].id, "approve")  # decided before the bulk action
    admin = make_user(Role.ADMIN)
    results = moderation_decisions.decide_many(admin, [i.id for i in items], "hide", "spam", "Bulk spam sweep.")
    assert [(r.item_id, r.error is None) for r in results] == [
        (items[0].id, True),
        (items[1].id, False),
        (items[2].id, True),
    ]
    assert "Already decided" in results[1].error
    hides = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "hide")).all()
    assert sorted(e.target_id for e in hides) == sorted(f"note:{i.content_id}" for i in (items[0], items[2]))
    assert all(e.actor_id == admin.id and e.note == "Bulk spam sweep." for e in hides)


def test_bulk_refuses_edits_and_shared_mistakes(app, notes, make_user, moderators):
    items = [_flagged(notes, make_user, moderators[0])[2] for _ in range(2)]
    with pytest.raises(ValidationError, match="one item at a time"):
        moderation_decisions.decide_many(moderators[1], [i.id for i in items], "edit", None, "x")
    with pytest.raises(ValidationError) as caught:
        moderation_decisions.decide_many(moderators[1], [i.id for i in items], "hide", None, "")
    assert caught.value.field == "category"
    with pytest.raises(ValidationError, match="Tick at least one"):
        moderation_decisions.decide_many(moderators[1], [], "approve")
    assert db.session.scalars(select(ModerationDecision)).all() == []


def test_queue_order_live_first_then_weight_then_age(app, notes, make_user, moderators, established):
    old = notes.make(make_user(), "Old, lightly flagged.")
    heavy = notes.make(make_user(), "Heavily flagged.")
    live = notes.make(make_user(), "A live question.", live=True)
    moderation_flags.raise_flag(established(), "note", old.id, "spam", "")
    for _ in range(2):
        moderation_flags.raise_flag(established(), "note", heavy.id, "spam", "")
    moderation_flags.raise_flag(make_user(), "note", live.id, "spam", "")
    order = [e.ref.id for e in moderation_queue.open_items(moderators[0])]
    assert order == [live.id, heavy.id, old.id]
    entry = moderation_queue.open_items(moderators[0])[1]
    assert entry.history.public_posts == 1 and entry.history.decisions_against == 0
    assert entry.item.context_label == "Test place"


def test_system_flags_from_watched_terms_queue_published_content(
    app, notes, make_user, moderators, policy, established
):
    admin = make_user(Role.ADMIN)
    policy(admin, watchlist={"terms": [{"text": "scam", "action": "flag", "category": "spam"}]})
    author = established()
    note = notes.submit(author, "This offer is a scam, avoid it please.")
    assert note.state == "published"
    item = moderation_queue.find("note", note.id)
    assert item.cause == "flagged" and item.reasons[0]["code"] == "watched_flagged"
    assert moderation_settings.current_policy().watchlist.terms[0].text == "scam"


def test_rolled_back_submissions_publish_no_queue_event(app, notes, make_user, published):
    author = make_user()
    import moderation
    from debate.services import publishing
    from tests.moderation_app.conftest import Note

    verdict = publishing.screen(author, moderation.ContentKind.REPLY, "Hello there, first post.")
    row = Note(author_id=author.id, body="Hello there, first post.", state=publishing.initial_state(verdict))
    db.session.add(row)
    db.session.flush()
    publishing.screened("note", row, verdict)
    db.session.rollback()
    assert published == []
    assert db.session.scalars(select(ReviewItem)).all() == []


def test_the_queue_takes_the_same_few_queries_for_any_number_of_items(app, notes, make_user, moderators):
    from sqlalchemy import event

    def statements(count_items: int) -> int:
        for n in range(count_items):
            note = notes.make(make_user(), f"Flagged note {n}")
            moderation_flags.raise_flag(make_user(Role.ADMIN), "note", note.id, "spam", "")
        db.session.expire_all()
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            moderation_queue.open_items(moderators[0])
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few = statements(2)
    many = statements(20)
    assert many == few <= 13  # the order from four columns of every open item, then the listed items whole
