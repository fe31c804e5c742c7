"""Members flag content: one flag per member per item, weighed by the engine, hiding at the threshold.

The flag's weight is fixed when it is raised (moderation.flag_weight). The
item's row is locked by incrementing its weight before the flags are summed,
so two flags arriving together can't both miss the threshold.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import moderation
from debate import ratelimit
from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.moderation import Flag, ReviewItem
from debate.permissions import Permission, require
from debate.services import after_commit, content, publishing
from debate.services.moderation import audit as moderation_audit
from debate.services.moderation import notices as moderation_notices
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import standing as moderation_standing
from debate.services.moderation.text import CATEGORY_CHOICES, sanction_sentence, thing

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
FLAG = ratelimit.limit(
    "flag",
    "30/hour",
    _l("You can flag at most 30 items an hour. Moderators will look at what you have flagged; please try again later."),
)

ALREADY = _l("You have already flagged this. Moderators will look at it.")
REASONS = CATEGORY_CHOICES


def note_max() -> int:
    """The most characters a flag's note may have (the policy's `flags.note_max_chars`, which the engine checks)."""
    return publishing.policy().flags.note_max_chars


def raise_flag(user: User, type_name: str, content_id: int, reason: object, note: object) -> Flag:
    """Record a member's flag; hide the content pending review once the weights reach the threshold."""
    now = utcnow()
    content_type, row = _flaggable(user, type_name, content_id, now)
    policy = publishing.policy()
    try:
        report = moderation.validate_flag(reason, note, policy.flags)
    except moderation.InvalidFlag as exc:
        raise ValidationError(_(str(exc)), exc.field) from None
    weight = moderation.flag_weight(publishing.standing(user), policy.flags, now)
    item = moderation_queue.enqueue(type_name, row, ReviewItem.FLAGGED)
    flag = Flag(
        review_item_id=item.id,
        flagger_id=user.id,
        category=report.category.value,
        note=report.note,
        weight=weight,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError:
        db.session.rollback()
        raise Conflict(str(ALREADY)) from None
    hidden = _weigh(item, content_type, row, policy.flags, now)
    db.session.commit()
    if hidden and content_type.after_change is not None:
        content_type.after_change(row)
    return flag


def target(user: User, type_name: str, content_id: int) -> content.ContentRef:
    """The content the flag form is about, once it is sure this member may flag it."""
    content_type, row = _flaggable(user, type_name, content_id, utcnow())
    return content_type.describe(row)


def describe(type_name: str, content_id: int) -> content.ContentRef | None:
    """Where to send the flagger back to (None when the content is gone)."""
    try:
        content_type, row = content.load(type_name, content_id)
    except NotFound:
        return None
    return content_type.describe(row)


def _flaggable(
    user: User, type_name: str, content_id: int, now: datetime
) -> tuple[content.ContentType, content.ModeratedRow]:
    require(user, Permission.FLAG)
    content_type, row = content.load(type_name, content_id)
    if row.author_id == user.id:
        raise PermissionDenied(_("You can't flag your own post. You can edit or delete it instead."))
    if _already(user, type_name, content_id):
        raise Conflict(str(ALREADY))
    if row.state not in row.PUBLIC_STATES:
        raise Conflict(_("This is not shown publicly at the moment, so there is nothing to flag."))
    sanction = moderation_standing.blocking(user, moderation.Capability.FLAG, now)
    if sanction is not None:
        raise PermissionDenied(_("You can't flag content: %(sanction)s", sanction=sanction_sentence(sanction)))
    return content_type, row


def _already(user: User, type_name: str, content_id: int) -> bool:
    stmt = (
        select(Flag.id)
        .join(ReviewItem, ReviewItem.id == Flag.review_item_id)
        .where(ReviewItem.content_type == type_name, ReviewItem.content_id == content_id, Flag.flagger_id == user.id)
    )
    return db.session.scalar(stmt) is not None


def _weigh(
    item: ReviewItem,
    content_type: content.ContentType,
    row: content.ModeratedRow,
    rules: moderation.FlagRules,
    now: datetime,
) -> bool:
    """Sum the flags raised since the last review; auto-hide when the engine says so. True if hidden now.

    `enqueue` already wrote the item's row, which holds its row lock (PostgreSQL) or the
    write lock (SQLite) until the commit: a second flagger waits there, then sees this flag.
    """
    weights = list(
        db.session.scalars(select(Flag.weight).where(Flag.review_item_id == item.id, Flag.outcome.is_(None)))
    )
    item.flag_weight = moderation.total_weight(weights)
    db.session.refresh(row)
    state = moderation.ReviewState(row.state)
    can_hide = moderation.ReviewAction.AUTO_HIDE in moderation.allowed_actions(state)
    hide = can_hide and moderation.should_hide(weights, rules)
    if hide:
        after = moderation.transition(state, moderation.ReviewAction.AUTO_HIDE)
        row.state, row.state_category, row.state_note = after.value, None, None
        moderation_audit.record(
            moderation.AuditEntry(
                actor_id=None,
                action=moderation.AuditAction.AUTO_HIDE,
                target_type="post",
                target_id=item.target_id,
                at=now,
                reason="flags",
                note=f"Flag weight {item.flag_weight:g} reached the threshold {rules.threshold:g}.",
                before={"state": state.value},
                after={"state": after.value},
            )
        )
        ref = content_type.describe(row)
        moderation_notices.tell(
            row.author_id,
            "hidden",
            _l(
                "Your %(thing)s (%(where)s) is hidden while moderators review reports from other members. "
                "A moderator will decide soon, and you will be told the outcome.",
                thing=thing(content_type),
                where=ref.context_label,
            ),
            ref.url,
        )
    db.session.flush()
    after_commit.to_queue("queue:item_updated", moderation_queue.summary(item))
    return hide
