"""Sanctions on members: a warning, a mute or suspension for a set time, a ban; each with a reason.

The engine defines what each forbids and when it is in force; publishing's
standing hook (moderation_standing) makes it refuse posts, and the flag service
refuses flags. The member is told, with the reason and the end, and can appeal.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

import moderation
from debate.errors import Conflict, NotFound, PermissionDenied, Text, ValidationError
from debate.extensions import db
from debate.models.accounts import Role, User
from debate.models.base import utcnow
from debate.models.moderation import Sanction
from debate.permissions import Permission, require
from debate.services import publishing
from debate.services.accounts import logins
from debate.services.moderation import audit as moderation_audit
from debate.services.moderation import notices as moderation_notices
from debate.services.moderation import standing as moderation_standing
from debate.services.moderation.text import SANCTION_LABELS, SANCTION_NOUNS, appeal_offer, joined, sanction_sentence
from debate.services.text import NOTE_TOO_LONG, clean_text

DURATIONS: dict[str, tuple[Text, timedelta]] = {
    "1h": (lazy_ngettext("%(num)d hour", "%(num)d hours", 1), timedelta(hours=1)),
    "1d": (lazy_ngettext("%(num)d day", "%(num)d days", 1), timedelta(days=1)),
    "3d": (lazy_ngettext("%(num)d day", "%(num)d days", 3), timedelta(days=3)),
    "7d": (lazy_ngettext("%(num)d day", "%(num)d days", 7), timedelta(days=7)),
    "30d": (lazy_ngettext("%(num)d day", "%(num)d days", 30), timedelta(days=30)),
}
TIMED = ("mute", "suspension")
ENDS_LOGINS = ("suspension", "ban")  # the member signs in again under it; a mute or warning leaves them signed in
NOTE_MAX = 2000


def issue(
    moderator: User,
    subject_id: int,
    kind: object,
    category: object,
    note: object = "",
    duration: object = None,
    link: str = "",
) -> Sanction:
    """Sanction a member. `duration` is a key of DURATIONS for mutes and suspensions."""
    require(moderator, Permission.MODERATE)
    subject = db.session.get(User, subject_id)
    if subject is None or subject.deleted_at is not None:
        raise NotFound(_("No such member."))
    if subject.id == moderator.id:
        raise PermissionDenied(_("You can't sanction yourself."))
    if subject.role in (Role.MODERATOR.value, Role.ADMIN.value):
        raise PermissionDenied(_("Moderators and admins can't be sanctioned: an admin can change their role first."))
    if kind not in SANCTION_LABELS:
        raise ValidationError(_("Choose a warning, mute, suspension or ban."), "kind")
    span = _duration(kind, duration)
    try:
        chosen = moderation.Category(category)
    except ValueError:
        raise ValidationError(_("Choose a reason from the list."), "sanction_category") from None
    text = clean_text(note, "sanction_note", NOTE_MAX, too_long=NOTE_TOO_LONG)
    now = utcnow()
    try:
        engine = moderation.for_duration(
            id="new",
            kind=moderation.SanctionKind(kind),
            subject_id=str(subject.id),
            decided_by=str(moderator.id),
            category=chosen,
            note=text,
            starts_at=now,
            duration=span,
        )
    except moderation.InvalidSanction as exc:
        raise ValidationError(str(exc), "sanction_note") from None
    row = Sanction(
        subject_id=subject.id,
        moderator_id=moderator.id,
        kind=kind,
        category=chosen.value,
        note=text,
        starts_at=now,
        ends_at=engine.ends_at,
    )
    db.session.add(row)
    db.session.flush()
    moderation_standing.sanctioned(subject.id)
    moderation_audit.record(moderation.for_sanction(dataclasses.replace(engine, id=f"sanction:{row.id}")))
    days = publishing.policy().appeals.window.days
    moderation_notices.tell(
        subject.id,
        "sanction",
        joined(sanction_sentence(row), appeal_offer(days)),
        link,
        sanction_id=row.id,
    )
    if kind in ENDS_LOGINS:
        logins.end(subject, logins.SANCTIONED)
    db.session.commit()
    return row


def _duration(kind: str, duration: object) -> timedelta | None:
    if kind not in TIMED:
        return None
    if duration not in DURATIONS:
        raise ValidationError(_("Choose how long the %(sanction)s lasts.", sanction=SANCTION_NOUNS[kind]), "duration")
    return DURATIONS[duration][1]


def lift(moderator: User, sanction_id: int, note: object = "") -> Sanction:
    """End a sanction early (not an appeal: it still counts in the member's record)."""
    require(moderator, Permission.MODERATE)
    row = db.session.get(Sanction, sanction_id)
    if row is None:
        raise NotFound(_("No such sanction."))
    now = utcnow()
    if row.kind == "warning" or not row.as_engine().in_force(now):
        raise Conflict(_("This sanction is not in force, so there is nothing to lift."))
    text = clean_text(note, "note", NOTE_MAX, too_long=NOTE_TOO_LONG)
    row.lifted_at, row.lifted_by_id = now, moderator.id
    lifted = moderation.lift(row.as_engine(), now)
    moderation_audit.record(
        moderation.AuditEntry(
            actor_id=str(moderator.id),
            action=moderation.AuditAction.LIFT_SANCTION,
            target_type="person",
            target_id=str(row.subject_id),
            at=now,
            reason=row.category,
            note=text,
            before={"sanction_id": row.id, "in_force": True},
            after={"sanction_id": row.id, "in_force": lifted.in_force(now)},
        )
    )
    moderation_notices.tell(
        row.subject_id,
        "sanction_lifted",
        _l("A moderator lifted your %(sanction)s early: it no longer applies.", sanction=SANCTION_NOUNS[row.kind]),
        sanction_id=row.id,
    )
    db.session.commit()
    return row
