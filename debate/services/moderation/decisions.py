"""Moderators' decisions on queued content: approve, hide, remove, edit; one at a time or in bulk.

The engine decides what is legal (moderation.decide refuses, say, approving
removed content); `moderation_queue.gate` makes sure only one moderator's
decision is recorded when two decide at once. Then, in one transaction: the
content's state (and text, for an edit), the decision, the audit entry, the
flags' outcomes, and notices to the author and the flaggers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import moderation
from debate import ratelimit
from debate.errors import Conflict, NotFound, PermissionDenied, ServiceError, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.moderation import Flag, ModerationDecision, ReviewItem
from debate.permissions import Permission, require
from debate.services import after_commit, content, publishing
from debate.services.moderation import audit as moderation_audit
from debate.services.moderation import notices as moderation_notices
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation.text import appeal_offer, joined, lazy_category, moderator_note, thing
from debate.services.text import NOTE_TOO_LONG, clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
DECIDE = ratelimit.limit(
    "moderation.decide",
    "60/minute",
    _l("You can send at most 60 moderation decisions a minute. Please wait a moment and try again."),
)

ACTIONS = ("approve", "hide", "remove", "edit")
NOTE_MAX = 2000
BULK_MAX = 50


def decide(
    moderator: User,
    item_id: int,
    action: object,
    category: object = None,
    note: object = "",
    text: object = None,
) -> ModerationDecision:
    """Record one decision. Raises Conflict when another moderator claimed or decided the item first."""
    require(moderator, Permission.MODERATE)
    now = utcnow()
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(_("That review item does not exist."))
    if item.author_id == moderator.id:
        raise PermissionDenied(_("You can't moderate your own content: another moderator will."))
    if item.status == ReviewItem.OPEN and item.cause == ReviewItem.APPEALED:
        raise ValidationError(_("This item is under appeal: uphold or overturn the appeal instead."))
    content_type, row = content.load(item.content_type, item.content_id)
    decision = _decision(item, row, moderator, action, category, note, now)
    new_text = _edited_text(content_type, text) if decision.action is moderation.ReviewAction.EDIT else None
    _legal(moderation.ReviewState(row.state), decision)  # refuse early, before taking the item
    if not moderation_queue.gate(moderator, item.id, now):
        db.session.rollback()
        moderation_queue.raise_taken(item.id, moderator)
    db.session.refresh(row)  # the state as it is now that the item is ours
    before = moderation.ReviewState(row.state)
    after = _legal(before, decision)
    record = _apply(item, content_type, row, decision, before, after, new_text)
    db.session.commit()
    if content_type.after_change is not None:
        content_type.after_change(row)
    return record


def _decision(
    item: ReviewItem,
    row: content.ModeratedRow,
    moderator: User,
    action: object,
    category: object,
    note: object,
    now: datetime,
) -> moderation.Decision:
    if action not in ACTIONS:
        raise ValidationError(_("Choose approve, hide, remove or edit."), "action")
    try:
        chosen = moderation.Category(category) if category else None
    except ValueError:
        raise ValidationError(_("Choose a reason from the list."), "category") from None
    note_text = clean_text(note, "note", NOTE_MAX, too_long=NOTE_TOO_LONG)
    try:
        return moderation.Decision(
            id="new",
            item_id=item.target_id,
            action=moderation.ReviewAction(action),
            decided_by=str(moderator.id),
            subject_id=str(row.author_id),
            decided_at=now,
            category=chosen,
            note=note_text,
        )
    except moderation.InvalidDecision as exc:
        field = "note" if "note" in str(exc).lower() or "changed" in str(exc) else "category"
        raise ValidationError(str(exc), field) from None


def text_max() -> int:
    """The most characters an edited text of any kind may have (each kind is then held to its own limit)."""
    limits = publishing.policy().limits
    return max(limits.for_kind(kind) for kind in moderation.ContentKind)


def _edited_text(content_type: content.ContentType, text: object) -> str:
    return clean_text(
        text,
        "text",
        publishing.policy().limits.for_kind(content_type.kind),
        missing=_("Write the edited text."),
        too_long=_("The edited text is too long: {count} characters, and the limit is {limit}."),
    )


def _legal(state: moderation.ReviewState, decision: moderation.Decision) -> moderation.ReviewState:
    try:
        return moderation.decide(state, decision)
    except moderation.IllegalTransition as exc:
        db.session.rollback()
        raise Conflict(_("%(problem)s The page may be out of date: reload it.", problem=exc)) from None


def _apply(
    item: ReviewItem,
    content_type: content.ContentType,
    row: content.ModeratedRow,
    decision: moderation.Decision,
    before: moderation.ReviewState,
    after: moderation.ReviewState,
    new_text: str | None,
) -> ModerationDecision:
    ref = content_type.describe(row)
    text_before = ref.text if new_text is not None else None
    if new_text is not None:
        content_type.set_text(row, new_text)
    row.state = after.value
    keeps_reason = decision.action is not moderation.ReviewAction.APPROVE
    row.state_category = decision.category.value if decision.category and keeps_reason else None
    row.state_note = decision.note if keeps_reason else None
    record = ModerationDecision(
        review_item_id=item.id,
        subject_id=row.author_id,
        moderator_id=int(decision.decided_by),
        action=decision.action.value,
        category=decision.category.value if decision.category else None,
        note=decision.note,
        state_before=before.value,
        state_after=after.value,
        text_before=text_before,
        text_after=new_text,
        queued_at=item.queued_at,
        decided_at=decision.decided_at,
    )
    db.session.add(record)
    db.session.flush()
    entry = moderation.for_decision(dataclasses.replace(decision, id=f"decision:{record.id}"), before, after)
    moderation_audit.record(dataclasses.replace(entry, after={**(entry.after or {}), "decision_id": record.id}))
    _settle_flags(item, content_type, ref, decision)
    _tell_author(content_type, ref, record, before, after)
    after_commit.to_queue(
        "queue:item_removed", {"id": item.id, "status": ReviewItem.DECIDED, "decision": decision.action.value}
    )
    return record


def _settle_flags(
    item: ReviewItem, content_type: content.ContentType, ref: content.ContentRef, decision: moderation.Decision
) -> None:
    """Flags since the last review are upheld (acted on) or rejected (approved); each flagger is told."""
    upheld = decision.action is not moderation.ReviewAction.APPROVE
    pending = db.session.scalars(select(Flag).where(Flag.review_item_id == item.id, Flag.outcome.is_(None)))
    for flag in pending:
        flag.outcome = Flag.UPHELD if upheld else Flag.REJECTED
        flag.outcome_at = decision.decided_at
        moderation_notices.tell(flag.flagger_id, "flag_outcome", _flag_outcome(content_type, ref, decision), ref.url)


def _flag_outcome(content_type: content.ContentType, ref: content.ContentRef, decision: moderation.Decision) -> Any:
    """What a flagger is told, whole sentences (lazy: written in the flagger's language)."""
    values = {"thing": thing(content_type), "where": ref.context_label}
    action = decision.action.value
    if action == "approve":
        return _l(
            "Thank you for flagging a %(thing)s (%(where)s): moderators reviewed it and decided it can stay.", **values
        )
    if decision.category:
        values["reason"] = lazy_category(decision.category.value)
        return {
            "hide": _l("Thank you for flagging a %(thing)s (%(where)s): moderators hid it (%(reason)s).", **values),
            "remove": _l(
                "Thank you for flagging a %(thing)s (%(where)s): moderators removed it (%(reason)s).", **values
            ),
            "edit": _l("Thank you for flagging a %(thing)s (%(where)s): moderators edited it (%(reason)s).", **values),
        }[action]
    return {
        "hide": _l("Thank you for flagging a %(thing)s (%(where)s): moderators hid it.", **values),
        "remove": _l("Thank you for flagging a %(thing)s (%(where)s): moderators removed it.", **values),
        "edit": _l("Thank you for flagging a %(thing)s (%(where)s): moderators edited it.", **values),
    }[action]


def _tell_author(
    content_type: content.ContentType,
    ref: content.ContentRef,
    record: ModerationDecision,
    before: moderation.ReviewState,
    after: moderation.ReviewState,
) -> None:
    values = {"thing": thing(content_type), "where": ref.context_label}
    if record.action == "approve":
        if moderation.is_public(before):
            return  # it was public and stays so: nothing changed for the author
        text = _l("A moderator approved your %(thing)s (%(where)s). It is now public.", **values)
    else:
        values["reason"] = lazy_category(record.category) if record.category else _l("not given")
        decided = {
            "hide": _l("A moderator hid your %(thing)s (%(where)s). Reason: %(reason)s.", **values),
            "remove": _l("A moderator removed your %(thing)s (%(where)s). Reason: %(reason)s.", **values),
            "edit": _l("A moderator edited your %(thing)s (%(where)s). Reason: %(reason)s.", **values),
        }[record.action]
        days = publishing.policy().appeals.window.days
        text = joined(decided, moderator_note(record.note), appeal_offer(days))
    # Askers of live questions hear of approve/hide/remove as question_approved/_rejected (question_notices).
    told_elsewhere = content_type.name == "question" and record.action in ("approve", "hide", "remove")
    moderation_notices.tell(
        record.subject_id, "decision", text, ref.url, decision_id=record.id, notify=not told_elsewhere
    )


# --------------------------------------------------------------------------- bulk


@dataclass(frozen=True)
class BulkResult:
    item_id: int
    decision: ModerationDecision | None
    error: str | None


def decide_many(
    moderator: User, item_ids: Iterable[int], action: object, category: object = None, note: object = ""
) -> list[BulkResult]:
    """The same decision on several items, each its own transaction and audit entry.

    One item that was taken meanwhile or can't take the decision doesn't stop the
    others; the moderator sees which ones failed and why.
    """
    require(moderator, Permission.MODERATE)
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        raise ValidationError(_("Tick at least one item."))
    if len(ids) > BULK_MAX:
        raise ValidationError(_("At most %(num)s items at once.", num=BULK_MAX))
    if action == "edit":
        raise ValidationError(_("Edits are made one item at a time."), "action")
    results = []
    for item_id in ids:
        try:
            results.append(BulkResult(item_id, decide(moderator, item_id, action, category, note), None))
        except (ValidationError, PermissionDenied) as exc:
            if exc.field in {"action", "category", "note"}:
                raise  # the same mistake would fail every item: show it on the form
            db.session.rollback()
            results.append(BulkResult(item_id, None, exc.message))
        except ServiceError as exc:
            db.session.rollback()
            results.append(BulkResult(item_id, None, exc.message))
    return results
