"""The review queue: what enters it, in which order moderators see it, and who has claimed what.

Items enter from three places: publishing (held content, and content with
system flags from FLAG terms), members' flags, and appeals. Claiming is a
single conditional UPDATE whose row count says who won, so two moderators can
never both hold one item, on SQLite or PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import MANYTOONE, class_mapper, selectinload

import moderation
from debate import ratelimit
from debate.errors import Conflict, NotFound, PermissionDenied
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.moderation import Appeal, Flag, ModerationDecision, ReviewItem
from debate.permissions import Permission, require
from debate.services import after_commit, content, rows
from debate.services.content import ContentRef
from debate.services.moderation import alerts as moderation_alerts
from debate.services.moderation import standing as moderation_standing
from debate.services.text import shorten

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
CLAIM = ratelimit.limit(
    "moderation.claim",
    "60/minute",
    _l("You can claim or release at most 60 review items a minute. Please wait a moment and try again."),
)

CLAIM_FOR = timedelta(minutes=15)
QUEUE_LIMIT = 100  # items the queue page lists (about 0.2 ms of template each); the count says how many wait
CAUSE_LABELS = {
    ReviewItem.HELD: _l("Held before publishing"),
    ReviewItem.FLAGGED: _l("Flagged"),
    ReviewItem.APPEALED: _l("Appealed"),
}


# --------------------------------------------------------------------------- entering the queue


def on_screened(type_name: str, row: Any, verdict: moderation.Verdict) -> None:
    """publishing's listener: queue held content, and published content carrying system flags."""
    if verdict.held:
        item = enqueue(type_name, row, ReviewItem.HELD, verdict.reasons)
        item.held_at = item.held_at or utcnow()
        item.held_code = item.held_code or verdict.reasons[0].code.value
    elif verdict.flags:
        enqueue(type_name, row, ReviewItem.FLAGGED, verdict.flags)


def enqueue(type_name: str, row: Any, cause: str, reasons: tuple[moderation.Reason, ...] = ()) -> ReviewItem:
    """Open (or reopen) the item for a content row, inside the caller's transaction."""
    ref = content.get(type_name).describe(row)
    item, created = _item_for(ref)
    now = utcnow()
    reopened = item.status != ReviewItem.OPEN
    if reopened:
        item.status, item.cause, item.queued_at = ReviewItem.OPEN, cause, now
        item.claimed_by_id = item.claimed_at = None
        item.reasons = []
    elif cause == ReviewItem.APPEALED or (cause == ReviewItem.HELD and item.cause == ReviewItem.FLAGGED):
        item.cause = cause
    known = {(r.get("code"), r.get("rule")) for r in item.reasons}
    item.reasons = list(item.reasons) + [r.to_dict() for r in reasons if (r.code.value, r.rule) not in known]
    item.updated_at = now
    db.session.flush()
    after_commit.to_queue("queue:item_added" if created or reopened else "queue:item_updated", summary(item))
    if reopened:  # a new item waits (a new one starts as "new", so this covers both): moderators are told
        moderation_alerts.item_waiting(item)
    return item


def _item_for(ref: ContentRef) -> tuple[ReviewItem, bool]:
    """The one review item of a content row, created if needed (a concurrent creator may win)."""
    found = find(ref.type, ref.id)
    if found is not None:
        return found, False
    item = ReviewItem(
        content_type=ref.type,
        content_id=ref.id,
        author_id=ref.author_id,
        context_kind=ref.context_kind.value,
        context_id=str(ref.context_id)[:80],
        context_label=shorten(ref.context_label, 200),
        live=ref.live,
        cause=ReviewItem.FLAGGED,
        flag_weight=0.0,
        reasons=[],
        status="new",
    )
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        found = find(ref.type, ref.id)
        if found is None:
            raise
        return found, False
    return item, True


def find(type_name: str, content_id: int) -> ReviewItem | None:
    stmt = select(ReviewItem).where(ReviewItem.content_type == type_name, ReviewItem.content_id == content_id)
    return db.session.scalar(stmt)


# --------------------------------------------------------------------------- reading the queue


@dataclass(frozen=True)
class QueueEntry:
    item: ReviewItem
    ref: ContentRef | None
    author: User | None
    claimed_by: User | None
    history: moderation_standing.HistoryBrief


def open_items(user: User, limit: int | None = None) -> list[QueueEntry]:
    """The first `limit` open items, live sessions first, then the heaviest flags, then the oldest
    (moderation.priority_key). The order is decided on four columns of every open item (a spam wave
    can open thousands); only the items listed are loaded with their content and authors' histories."""
    require(user, Permission.MODERATE)
    rows = db.session.execute(
        select(ReviewItem.id, ReviewItem.live, ReviewItem.flag_weight, ReviewItem.queued_at).where(
            ReviewItem.status == ReviewItem.OPEN
        )
    )
    keys = [moderation.QueueItem(str(r.id), r.live, r.flag_weight, r.queued_at) for r in rows]
    first = [int(k.item_id) for k in sorted(keys, key=moderation.priority_key)[: limit or QUEUE_LIMIT]]
    items = {i.id: i for i in db.session.scalars(select(ReviewItem).where(ReviewItem.id.in_(first)))} if first else {}
    return entries([items[i] for i in first])


def open_count() -> int:
    """How many items wait for review in all (the page lists the first QUEUE_LIMIT)."""
    return db.session.scalar(select(func.count()).where(ReviewItem.status == ReviewItem.OPEN)) or 0


def get(user: User, item_id: int) -> QueueEntry:
    require(user, Permission.MODERATE)
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(_("That review item does not exist."))
    return entries([item])[0]


def entries(items: list[ReviewItem]) -> list[QueueEntry]:
    """Items with their content, author, claimer and the author's history, in a few queries for any number."""
    people_ids = {i.author_id for i in items if i.author_id} | {i.claimed_by_id for i in items if i.claimed_by_id}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(people_ids)))} if people_ids else {}
    refs = _describe_many(items)
    briefs = moderation_standing.histories([people[i.author_id] for i in items if i.author_id in people])
    return [
        QueueEntry(
            item,
            refs.get(item.id),
            people.get(item.author_id) if item.author_id is not None else None,
            people.get(item.claimed_by_id) if item.claimed_by_id is not None else None,
            briefs.get(item.author_id, moderation_standing.UNKNOWN)
            if item.author_id is not None
            else moderation_standing.UNKNOWN,
        )
        for item in items
    ]


def _describe_many(items: list[ReviewItem]) -> dict[int, ContentRef]:
    """Each item's content as it is now: one query per content type, not one per item."""
    refs: dict[int, ContentRef] = {}
    by_type: dict[str, list[ReviewItem]] = {}
    for item in items:
        by_type.setdefault(item.content_type, []).append(item)
    for type_name, group in by_type.items():
        try:
            content_type = content.get(type_name)
        except NotFound:
            continue  # a feature that is not installed here
        model = content_type.model
        wanted = [i.content_id for i in group]
        stmt = select(model).where(model.id.in_(wanted)).options(*_parents(model))
        rows = {r.id: r for r in cast("list[content.ModeratedRow]", db.session.scalars(stmt).all())}
        for item in group:
            if item.content_id in rows:
                refs[item.id] = content_type.describe(rows[item.content_id])
    return refs


def _parents(model: content.ModeratedModel) -> list[Any]:
    """What a content type's description may name (a reply's thread, a thread's topic), loaded with the rows:
    one query per relationship, where reading it row by row was one per item. People are left out: `entries`
    has loaded the authors already, and a many-to-one found in the session costs no query."""
    return [
        selectinload(rel.class_attribute)
        for rel in class_mapper(model).relationships
        if rel.direction is MANYTOONE and rel.mapper.class_ is not User
    ]


def describe(item: ReviewItem) -> ContentRef | None:
    """The content as it is now, or None when its feature is gone (not installed, or the row deleted)."""
    try:
        content_type, row = content.load(item.content_type, item.content_id)
    except NotFound:
        return None
    return content_type.describe(row)


def allowed(entry: QueueEntry) -> set[str]:
    """The decisions the engine allows on the content in its current state (the form offers only these)."""
    if entry.ref is None:
        return set()
    return {a.value for a in moderation.allowed_actions(moderation.ReviewState(entry.ref.state))}


def readers_see(item: ReviewItem) -> str:
    """What the public sees in the content's place now: the engine's placeholder, or the content."""
    try:
        _done, row = content.load(item.content_type, item.content_id)
    except NotFound:
        return _("Nothing: the content is gone.")
    state = moderation.ReviewState(row.state)
    category = moderation.Category(row.state_category) if row.state_category else None
    if state is moderation.ReviewState.HELD:
        return _("Nothing yet: it waits for review.")
    shown = moderation.placeholder(state, category)
    if shown:
        return f"“{shown}”"
    if state is moderation.ReviewState.EDITED:
        return _("The edited content, with “%(note)s”", note=moderation.edited_note(category))
    return _("The content itself.")


def flags_of(item: ReviewItem) -> list[tuple[Flag, User]]:
    stmt = (
        select(Flag, User)
        .join(User, User.id == Flag.flagger_id)
        .where(Flag.review_item_id == item.id)
        .order_by(Flag.created_at)
    )
    return [(f, u) for f, u in db.session.execute(stmt).all()]


def decisions_of(item: ReviewItem) -> list[ModerationDecision]:
    stmt = (
        select(ModerationDecision)
        .where(ModerationDecision.review_item_id == item.id)
        .order_by(ModerationDecision.decided_at)
    )
    return list(db.session.scalars(stmt))


def open_appeal(item: ReviewItem) -> Appeal | None:
    stmt = (
        select(Appeal)
        .join(ModerationDecision, ModerationDecision.id == Appeal.decision_id)
        .where(ModerationDecision.review_item_id == item.id, Appeal.outcome.is_(None))
    )
    return db.session.scalar(stmt)


def summary(item: ReviewItem) -> dict[str, Any]:
    """What a live queue event says about an item: ids and numbers, never text or names.

    A socket that outlived its moderator (signed out on another process, stood
    down) learns nothing from it; the page fetches the list itself over HTTP,
    where the permission is checked again.
    """
    return {
        "id": item.id,
        "status": item.status,
        "cause": item.cause,
        "live": item.live,
        "flag_weight": item.flag_weight,
        "claimed": item.claimed_by_id is not None,
    }


# --------------------------------------------------------------------------- claiming


def claim(user: User, item_id: int) -> ReviewItem:
    """Take an item so nobody else decides it meanwhile. Exactly one of two simultaneous claims wins."""
    require(user, Permission.MODERATE)
    now = utcnow()
    item = _claimable(user, item_id)
    won = rows.changed(
        update(ReviewItem)
        .where(ReviewItem.id == item_id, ReviewItem.status == ReviewItem.OPEN, _free_for(user, now))
        .values(claimed_by_id=user.id, claimed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if won != 1:
        db.session.rollback()
        raise_taken(item_id, user)
    db.session.refresh(item)
    after_commit.to_queue("queue:item_updated", summary(item))
    db.session.commit()
    return item


def release(user: User, item_id: int) -> ReviewItem:
    """Give a claimed item back to the queue."""
    require(user, Permission.MODERATE)
    item = _claimable(user, item_id)
    done = rows.changed(
        update(ReviewItem)
        .where(ReviewItem.id == item_id, ReviewItem.claimed_by_id == user.id)
        .values(claimed_by_id=None, claimed_at=None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if done != 1:
        db.session.rollback()
        raise Conflict(_("You had not claimed this item."))
    db.session.refresh(item)
    after_commit.to_queue("queue:item_updated", summary(item))
    db.session.commit()
    return item


def _claimable(user: User, item_id: int) -> ReviewItem:
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(_("That review item does not exist."))
    if item.author_id == user.id:
        raise PermissionDenied(_("You can't moderate your own content: another moderator will."))
    appeal = open_appeal(item) if item.cause == ReviewItem.APPEALED else None
    if appeal is not None:
        decision = db.session.get(ModerationDecision, appeal.decision_id)
        if decision is not None and decision.moderator_id == user.id:
            raise PermissionDenied(_("You made the decision under appeal: a different moderator must review it."))
    return item


def _free_for(user: User, now: datetime) -> ColumnElement[bool]:
    """The claim condition: nobody holds it, or this moderator does, or the last claim has lapsed."""
    return or_(
        ReviewItem.claimed_by_id.is_(None),
        ReviewItem.claimed_by_id == user.id,
        ReviewItem.claimed_at < now - CLAIM_FOR,
    )


def gate(user: User, item_id: int, now: datetime) -> bool:
    """Close an open item for this moderator's decision, atomically; False when someone else got there."""
    won = (
        rows.changed(
            update(ReviewItem)
            .where(ReviewItem.id == item_id, ReviewItem.status == ReviewItem.OPEN, _free_for(user, now))
            .values(status=ReviewItem.DECIDED, claimed_by_id=None, claimed_at=None, flag_weight=0.0, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        == 1
    )
    if won:
        moderation_alerts.item_left()
    return won


def raise_taken(item_id: int, user: User) -> None:
    """Say clearly why an item can't be taken: it was decided, or another moderator holds it."""
    db.session.expire_all()
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(_("That review item does not exist."))
    if item.status != ReviewItem.OPEN:
        raise Conflict(_("Already decided: another moderator decided this item a moment ago."))
    holder = db.session.get(User, item.claimed_by_id) if item.claimed_by_id else None
    if holder is None:
        raise Conflict(_("Already claimed by another moderator. Pick another item, or wait until they release it."))
    raise Conflict(
        _("Already claimed by %(name)s. Pick another item, or wait until they release it.", name=holder.public_name)
    )
