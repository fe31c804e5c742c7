"""Appeals: the member a decision is about asks once for another look; a different moderator decides.

The engine's rules apply (moderation.file_appeal, moderation.decide_appeal):
once per decision, within the window, never decided by the moderator who made
the decision. An overturned content decision restores the content (and its
text, after an edit); an overturned sanction is lifted and stops counting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.exc import IntegrityError

import moderation
from debate import ratelimit
from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import Role, User
from debate.models.base import utcnow
from debate.models.moderation import Appeal, ModerationDecision, ModerationNotice, ReviewItem, Sanction
from debate.permissions import Permission, require, require_signed_in
from debate.services import after_commit, content, publishing, rows
from debate.services.moderation import audit as moderation_audit
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import notices as moderation_notices
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation.text import NOUNS, SANCTION_NOUNS, joined, moderator_note, thing
from debate.services.text import NOTE_TOO_LONG, clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
APPEAL = ratelimit.limit(
    "moderation.appeal",
    "10/hour",
    _l("You can send at most 10 appeals an hour. Please try again later."),
)

APPEALABLE = {a.value for a in moderation.review.APPEALABLE}
OUTCOMES = {"upheld": moderation.AppealOutcome.UPHELD, "overturned": moderation.AppealOutcome.OVERTURNED}


def file(
    user: User, *, decision_id: int | None = None, sanction_id: int | None = None, statement: object = ""
) -> Appeal:
    """File the member's one appeal against a decision about their content, or a sanction on them."""
    require_signed_in(user)  # even a banned member may appeal
    now = utcnow()
    target, engine_decision = _target(decision_id, sanction_id)
    prior = db.session.scalars(select(Appeal).where(_about(decision_id, sanction_id)))
    try:
        filed = moderation.file_appeal(
            engine_decision,
            str(user.id),
            statement if isinstance(statement, str) else "",
            [a.as_engine() for a in prior],
            publishing.policy().appeals,
            now,
        )
    except moderation.AppealAlreadyFiled as exc:
        raise Conflict(_(str(exc))) from None
    except moderation.AppealError as exc:
        raise ValidationError(_(str(exc)), "statement") from None
    appeal = Appeal(
        decision_id=decision_id,
        sanction_id=sanction_id,
        appellant_id=user.id,
        statement=filed.statement,
        filed_at=now,
        assigned_to_id=_route(exclude={user.id, int(engine_decision.decided_by)}),
    )
    try:
        with db.session.begin_nested():
            db.session.add(appeal)
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("You have already appealed this decision; each decision can be appealed once.")) from None
    if isinstance(target, ModerationDecision):
        item = _item_of(target)
        _type, row = content.load(item.content_type, item.content_id)
        moderation_queue.enqueue(item.content_type, row, ReviewItem.APPEALED)
    else:
        after_commit.to_queue("queue:item_added", {"appeal": appeal.id, "cause": ReviewItem.APPEALED})
    moderation_audit.record(
        moderation.AuditEntry(
            actor_id=str(user.id),
            action=moderation.AuditAction.APPEAL_FILED,
            target_type="appeal",
            target_id=appeal.engine_decision_id,
            at=now,
            after={"appeal_id": appeal.id, "assigned_to": appeal.assigned_to_id},
        )
    )
    moderation_notices.tell(
        user.id,
        "appeal",
        _l(
            "We have received your appeal. A different moderator from the one "
            "who decided will review it, and you will be told the outcome."
        ),
    )
    db.session.commit()
    return appeal


def _item_of(decision: ModerationDecision) -> ReviewItem:
    """The review item a decision was made on (its foreign key says there is one)."""
    item = db.session.get(ReviewItem, decision.review_item_id)
    assert item is not None
    return item


def _about(decision_id: int | None, sanction_id: int | None) -> ColumnElement[bool]:
    return Appeal.decision_id == decision_id if decision_id else Appeal.sanction_id == sanction_id


def _target(
    decision_id: int | None, sanction_id: int | None
) -> tuple[ModerationDecision, moderation.Decision] | tuple[Sanction, moderation.Sanction]:
    """The stored decision or sanction, and the engine's view of it."""
    if (decision_id is None) == (sanction_id is None):
        raise ValidationError(_("Say which decision you are appealing."))
    if decision_id is not None:
        decision = db.session.get(ModerationDecision, decision_id)
        if decision is None:
            raise NotFound(_("No such decision."))
        item = _item_of(decision)
        return decision, decision.as_engine(item.target_id)
    sanction = db.session.get(Sanction, sanction_id)
    if sanction is None:
        raise NotFound(_("No such sanction."))
    return sanction, sanction.as_engine()


def _route(exclude: set[int]) -> int | None:
    """The moderator with the fewest open appeals, never the decider or the appellant (None if nobody else)."""
    open_load = (
        select(Appeal.assigned_to_id, func.count().label("n"))
        .where(Appeal.outcome.is_(None))
        .group_by(Appeal.assigned_to_id)
        .subquery()
    )
    stmt = (
        select(User.id)
        .outerjoin(open_load, open_load.c.assigned_to_id == User.id)
        .where(
            User.role.in_((Role.MODERATOR.value, Role.ADMIN.value)),
            User.deleted_at.is_(None),
            User.email_verified_at.is_not(None),
            User.id.not_in(exclude),
        )
        .order_by(func.coalesce(open_load.c.n, 0), User.role.desc(), User.id)
        .limit(1)
    )
    return db.session.scalar(stmt)


# --------------------------------------------------------------------------- deciding


def decide(moderator: User, appeal_id: int, outcome: object, note: object = "") -> Appeal:
    """Uphold or overturn. Refused to the moderator who made the decision, and when already decided."""
    require(moderator, Permission.MODERATE)
    now = utcnow()
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(_("No such appeal."))
    if outcome not in OUTCOMES:
        raise ValidationError(_("Choose to uphold or overturn the decision."), "outcome")
    note_text = clean_text(note, "note", moderation_decisions.NOTE_MAX, too_long=NOTE_TOO_LONG)
    target, engine_decision = _target(appeal.decision_id, appeal.sanction_id)
    before = appeal.as_engine()
    try:
        decided = moderation.decide_appeal(
            before, engine_decision, str(moderator.id), OUTCOMES[outcome], now, note_text
        )
    except moderation.SameModerator as exc:
        raise PermissionDenied(_(str(exc))) from None
    except moderation.AppealAlreadyDecided as exc:
        raise Conflict(_(str(exc))) from None
    except moderation.AppealError as exc:
        raise ValidationError(_(str(exc))) from None
    if isinstance(target, ModerationDecision):
        _close_item(moderator, target, now)
    _record_outcome(appeal, decided, moderator, now)
    moderation_audit.record(moderation.for_appeal_decision(decided, before))
    if decided.outcome is moderation.AppealOutcome.OVERTURNED:
        after_change = _overturn(target, decided, moderator, now)
    else:
        after_change = None
    _tell(appeal, target, decided)
    db.session.commit()
    if after_change is not None:
        after_change()
    return appeal


def _close_item(moderator: User, decision: ModerationDecision, now: datetime) -> None:
    """Take the appealed item off the queue, atomically, as a decision does."""
    item = _item_of(decision)
    if item.status == ReviewItem.OPEN and not moderation_queue.gate(moderator, item.id, now):
        db.session.rollback()
        moderation_queue.raise_taken(item.id, moderator)
    after_commit.to_queue("queue:item_removed", {"id": item.id, "status": ReviewItem.DECIDED})


def _record_outcome(appeal: Appeal, decided: moderation.Appeal, moderator: User, now: datetime) -> None:
    assert decided.outcome is not None  # the engine decided it
    done = rows.changed(
        update(Appeal)
        .where(Appeal.id == appeal.id, Appeal.outcome.is_(None))
        .values(outcome=decided.outcome.value, decided_by_id=moderator.id, decided_at=now, note=decided.note)
        .execution_options(synchronize_session=False)
    )
    if done != 1:
        db.session.rollback()
        raise Conflict(_("Already decided: another moderator decided this appeal a moment ago."))
    db.session.refresh(appeal)
    if appeal.sanction_id is not None:
        after_commit.to_queue("queue:item_removed", {"appeal": appeal.id, "status": ReviewItem.DECIDED})


def _overturn(
    target: ModerationDecision | Sanction, decided: moderation.Appeal, moderator: User, now: datetime
) -> Callable[[], None] | None:
    """Reverse the decision: restore the content (and its text), or lift the sanction. Returns the re-broadcast."""
    if isinstance(target, Sanction):
        target.lifted_at, target.lifted_by_id, target.overturned = target.lifted_at or now, moderator.id, True
        moderation_audit.record(
            moderation.AuditEntry(
                actor_id=str(moderator.id),
                action=moderation.AuditAction.LIFT_SANCTION,
                target_type="person",
                target_id=str(target.subject_id),
                at=now,
                reason="overturned",
                after={"sanction_id": target.id, "overturned": True},
            )
        )
        return None
    item = _item_of(target)
    content_type, row = content.load(item.content_type, item.content_id)
    state = moderation.ReviewState(row.state)
    try:
        restored = moderation.state_after(state, decided)
    except moderation.IllegalTransition as exc:
        db.session.rollback()
        raise Conflict(
            _("%(problem)s The content changed since the decision (was it deleted?).", problem=exc)
        ) from None
    if target.action == "edit" and target.text_before is not None:
        content_type.set_text(row, target.text_before)
    row.state, row.state_category, row.state_note = restored.value, None, None
    moderation_audit.record(
        moderation.AuditEntry(
            actor_id=str(moderator.id),
            action=moderation.AuditAction.RESTORE,
            target_type="post",
            target_id=item.target_id,
            at=now,
            reason="appeal_overturned",
            before={"state": state.value},
            after={"state": restored.value, "decision_id": target.id},
        )
    )
    after_change = content_type.after_change
    return (lambda: after_change(row)) if after_change is not None else None


def _tell(appeal: Appeal, target: ModerationDecision | Sanction, decided: moderation.Appeal) -> None:
    overturned = decided.outcome is moderation.AppealOutcome.OVERTURNED
    if isinstance(target, Sanction):
        link, kind = "", SANCTION_NOUNS.get(target.kind, target.kind)
        if overturned:
            result = _l(
                "A different moderator reviewed your appeal and overturned the %(sanction)s on your account. "
                "It has been lifted.",
                sanction=kind,
            )
        else:
            result = _l(
                "A different moderator reviewed your appeal about the %(sanction)s on your account "
                "and upheld the decision.",
                sanction=kind,
            )
    else:
        item = _item_of(target)
        ref = moderation_queue.describe(item)
        noun = thing(content.get(item.content_type)) if ref else NOUNS[moderation.ContentKind.THREAD]
        link = ref.url if ref else ""
        if overturned:
            result = _l(
                "A different moderator reviewed your appeal and overturned the decision about your %(thing)s. "
                "It is visible again.",
                thing=noun,
            )
        else:
            result = _l(
                "A different moderator reviewed your appeal about the decision about your %(thing)s "
                "and upheld the decision.",
                thing=noun,
            )
    moderation_notices.tell(appeal.appellant_id, "appeal_outcome", joined(result, moderator_note(decided.note)), link)


def open_sanction_appeals(user: User) -> list[Appeal]:
    require(user, Permission.MODERATE)
    stmt = select(Appeal).where(Appeal.sanction_id.is_not(None), Appeal.outcome.is_(None)).order_by(Appeal.filed_at)
    return list(db.session.scalars(stmt))


def get(user: User, appeal_id: int) -> Appeal:
    require(user, Permission.MODERATE)
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(_("No such appeal."))
    return appeal


def about(appeal: Appeal) -> tuple[ModerationDecision | None, Sanction | None]:
    """The decision or the sanction an appeal is about (one of them is None)."""
    decision = db.session.get(ModerationDecision, appeal.decision_id) if appeal.decision_id else None
    sanction = db.session.get(Sanction, appeal.sanction_id) if appeal.sanction_id else None
    return decision, sanction


def appealed_ids(user: User) -> tuple[set[int], set[int]]:
    """(decision ids, sanction ids) this member has already appealed: the notices page hides those forms."""
    rows = db.session.execute(select(Appeal.decision_id, Appeal.sanction_id).where(Appeal.appellant_id == user.id))
    decisions: set[int] = set()
    sanctions: set[int] = set()
    for decision_id, sanction_id in rows:
        if decision_id:
            decisions.add(decision_id)
        else:
            sanctions.add(sanction_id)
    return decisions, sanctions


def appealable_notice(
    notice: ModerationNotice, appealed_decisions: set[int], appealed_sanctions: set[int]
) -> dict[str, Any] | None:
    """Which appeal form a notice offers, if any: not yet appealed, appealable, within the window."""
    window = publishing.policy().appeals.window
    now = utcnow()
    if notice.kind == "decision" and notice.decision_id and notice.decision_id not in appealed_decisions:
        decision = db.session.get(ModerationDecision, notice.decision_id)
        if decision and decision.action in APPEALABLE and now - decision.decided_at <= window:
            return {"decision_id": decision.id}
    if notice.kind == "sanction" and notice.sanction_id and notice.sanction_id not in appealed_sanctions:
        sanction = db.session.get(Sanction, notice.sanction_id)
        if sanction and not sanction.overturned and now - sanction.starts_at <= window:
            return {"sanction_id": sanction.id}
    return None
