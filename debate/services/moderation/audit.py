"""The moderation audit log: append entries, and let moderators and admins search them.

Entries are built by the engine's helpers (`moderation.for_decision`, ...) so
every writer produces the same shape; this module only stores and reads them.
There is deliberately no function that changes or removes an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from markupsafe import Markup, escape
from sqlalchemy import Select, or_, select, tuple_

import moderation
from debate.extensions import db
from debate.models.accounts import Role, User
from debate.models.moderation import AuditEntry, ReviewItem
from debate.permissions import Permission, require
from debate.services import council_time

PAGE_SIZE = 50
Filtered = TypeVar("Filtered", bound=Select[Any])  # the entries, or their count


def record(entry: moderation.AuditEntry) -> AuditEntry:
    """Add an entry to the current transaction (it is written with the action it describes)."""
    row = AuditEntry.from_engine(entry)
    db.session.add(row)
    return row


TARGET_MAX = 80  # characters of a target searched for


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive: the whole day
    target: str = ""  # a target id ("reply:12", "42") or a type ("person")
    page: int = 1


def search(user: User, wanted: AuditFilter) -> tuple[list[AuditEntry], bool]:
    """Entries matching the filter, newest first, one page; and whether an older page exists."""
    require(user, Permission.VIEW_AUDIT_LOG)
    stmt = _filtered(select(AuditEntry), wanted).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    offset = (max(wanted.page, 1) - 1) * PAGE_SIZE
    rows = list(db.session.scalars(stmt.offset(offset).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def _filtered(stmt: Filtered, wanted: AuditFilter) -> Filtered:
    if wanted.actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == (None if wanted.actor_id == 0 else wanted.actor_id))
    if wanted.action:
        stmt = stmt.where(AuditEntry.action == wanted.action)
    if wanted.since:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(wanted.since, time.min))
    if wanted.until:
        stmt = stmt.where(AuditEntry.at < datetime.combine(wanted.until + timedelta(days=1), time.min))
    target = wanted.target.strip().replace("\x00", "")
    if target:
        if target in {"post", "person", "appeal", "policy"}:
            stmt = stmt.where(AuditEntry.target_type == target)
        else:
            stmt = stmt.where(AuditEntry.target_id == target)
    return stmt


def staff() -> list[User]:
    """Everyone who can appear as an actor (staff now, or anyone with entries): for the moderator filter."""
    roles = (Role.MODERATOR.value, Role.ADMIN.value)
    acted = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None))
    stmt = select(User).where(or_(User.role.in_(roles), User.id.in_(acted))).order_by(User.display_name)
    return list(db.session.scalars(stmt))


def actor_names(entries: list[AuditEntry]) -> dict[int, str]:
    """Display names of the people in these entries (one query, not one per row)."""
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    if not ids:
        return {}
    return {u.id: u.public_name for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def review_items(entries: list[AuditEntry]) -> dict[str, int]:
    """The review item behind each post an entry names ("reply:12" → item id), to link the log to it."""
    wanted = {e.target_id for e in entries if e.target_type == "post" and ":" in e.target_id}
    pairs = [(t.split(":", 1)[0], t.split(":", 1)[1]) for t in wanted]
    keys = [(kind, int(number)) for kind, number in pairs if number.isdigit()]
    if not keys:
        return {}
    stmt = select(ReviewItem).where(tuple_(ReviewItem.content_type, ReviewItem.content_id).in_(keys))
    return {item.target_id: item.id for item in db.session.scalars(stmt)}


def change_lines(entry: AuditEntry) -> list[Markup]:
    """An entry's before and after as short lines: "state: hidden → approved", "decision_id: 1", and a time
    as every page shows it, "ends_at: Thu 3 Dec 2026, 19:00 GMT" in a <time> (entries keep ISO 8601)."""
    before, after = entry.before or {}, entry.after or {}
    lines = []
    for key in list(dict.fromkeys([*before, *after])):
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old != new:
            lines.append(Markup("{0}: {1} → {2}").format(key, _shown(old), _shown(new)))
        else:
            lines.append(Markup("{0}: {1}").format(key, _shown(new if key in after else old)))
    return lines


def _shown(value: object) -> Markup:
    if isinstance(value, list):
        return Markup("; ").join(map(_shown, value)) or Markup("none")
    moment = council_time.parse_iso(value)
    if moment is not None:
        return council_time.time_tag(moment)
    return escape("none" if value is None else str(value))
