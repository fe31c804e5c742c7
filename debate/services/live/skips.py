"""Departures from a live room's published order: a question taken up, or pinned "next up", ahead of its turn.

The room publishes its rule (`live_order.RULE`): next comes the question
pinned "next up", else the top of the fair order. The panel may take another
question and a moderator may pin another one, but only by saying why: a
reason from a short list (`live_order.DEPARTURE_REASONS`), and a note if
they like (needed for "other"). Each departure is one entry in the
moderation audit log (who, which question, which one it went ahead of, why),
and the question keeps the reason, so the room, the transcript and the
exports say it was taken out of order and why.
Following the order leaves no entry. Pages and socket events both pass the
reason to `live_questions.answering` and `pin`, which call `depart` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

import moderation
from debate.errors import ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import SessionQuestion
from debate.services.live import events as live_events
from debate.services.live import order as live_order
from debate.services.live import order_in_use
from debate.services.moderation import audit as moderation_audit
from debate.services.moderation import text as moderation_text

NOTE_MAX = 300
TAKEN, PINNED = "taken up", "pinned as next up"

moderation_text.add_reason_labels(live_order.DEPARTURE_LABELS)  # the audit log names these reasons


@dataclass(frozen=True)
class Reason:
    code: str
    note: str


def clean(reason: object, note: object) -> Reason | None:
    """The reason as sent (None when none was), or a refusal naming the field at fault."""
    text = " ".join(note.split()) if isinstance(note, str) else ""
    if reason in (None, ""):
        return None
    if reason not in live_order.DEPARTURE_REASONS:
        raise ValidationError(_("Choose a reason from the list."), "reason")
    if len(text) > NOTE_MAX or not text.isprintable():
        raise ValidationError(_("The note is at most %(most)d printable characters.", most=NOTE_MAX), "note")
    if reason == "other" and not text:
        raise ValidationError(_("Say in the note why this question is taken ahead of the order."), "note")
    return Reason(str(reason), text)


def next_in_order(session_id: int, *, pinning: bool = False) -> int | None:
    """The question the published order puts next: the one pinned "next up" (the earliest, if several), else
    the top of the fair order. For a pin, the top of the fair order (a pin chooses among the unpinned)."""
    rows = live_events.open_outline(session_id)
    pinned = sorted((r for r in rows if r.pinned_at is not None), key=lambda r: (r.pinned_at, r.id))
    if pinned and not pinning:
        first: int = pinned[0].id
        return first
    ranked = live_order.ranked(rows, order_in_use.of(session_id).scores)
    return ranked[0].id if ranked else None


def depart(user: User, question: SessionQuestion, expected_id: int | None, how: str, reason: Reason | None) -> None:
    """Before `question` is taken up or pinned (in the caller's transaction): nothing when it is next in the
    published order; otherwise the reason is required, kept on the question and written to the audit log."""
    if expected_id is None or expected_id == question.id:
        return
    if reason is None:
        expected = db.session.get(SessionQuestion, expected_id)
        assert expected is not None  # the order just named it
        raise ValidationError(
            _(
                "This question is not next in the published order: next is “%(question)s”. "
                "Choose why you are taking it ahead; the transcript shows the reason.",
                question=short(expected.body),
            ),
            "reason",
        )
    question.out_of_order_reason, question.out_of_order_note = reason.code, reason.note or None
    audit(
        user,
        moderation.AuditAction.OUT_OF_ORDER,
        question,
        reason=reason.code,
        note=reason.note,
        before={"next_in_order": f"question:{expected_id}"},
        after={"how": how},
    )


def audit(user: User, action: moderation.AuditAction, question: SessionQuestion, **entry: Any) -> None:
    """One moderation audit entry about a live question, by `user`, now (in the caller's transaction)."""
    moderation_audit.record(
        moderation.AuditEntry(
            actor_id=str(user.id),
            action=action,
            target_type="post",
            target_id=f"question:{question.id}",
            at=utcnow(),
            **entry,
        )
    )


def forget(question: SessionQuestion) -> None:
    """Unpinned before it was taken up: it did not go ahead after all (the audit log keeps the pin)."""
    if question.taken_at is None:
        question.out_of_order_reason = question.out_of_order_note = None


def short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
