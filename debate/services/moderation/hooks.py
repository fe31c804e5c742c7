"""Plug moderation into the rest of the app, once per process, when the blueprints are registered.

publishing asks for the admin's Policy and for each author's standing
(sanctions, flag record) and tells moderation about held and system-flagged
content; the privacy registry exports and erases what moderation stores about
a member. The audit log is not erased: it holds ids, actions and reasons, and
the texts an edit changed live in the decision rows, which are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from debate.extensions import db
from debate.models.accounts import User
from debate.models.moderation import Appeal, Flag, ModerationDecision, ModerationNotice, Sanction
from debate.services import privacy, publishing
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import settings as moderation_settings
from debate.services.moderation import standing as moderation_standing


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def export(user: User) -> dict[str, Any]:
    flags = db.session.scalars(select(Flag).where(Flag.flagger_id == user.id))
    sanctions = db.session.scalars(select(Sanction).where(Sanction.subject_id == user.id))
    appeals = db.session.scalars(select(Appeal).where(Appeal.appellant_id == user.id))
    notices = db.session.scalars(select(ModerationNotice).where(ModerationNotice.user_id == user.id))
    return {
        "flags_you_raised": [
            {"reason": f.category, "note": f.note, "at": _iso(f.created_at), "outcome": f.outcome} for f in flags
        ],
        "sanctions_on_you": [
            {
                "kind": s.kind,
                "reason": s.category,
                "note": s.note,
                "from": _iso(s.starts_at),
                "until": _iso(s.ends_at),
                "lifted_at": _iso(s.lifted_at),
            }
            for s in sanctions
        ],
        "your_appeals": [
            {"statement": a.statement, "filed_at": _iso(a.filed_at), "outcome": a.outcome} for a in appeals
        ],
        "notices": [{"text": n.text, "at": _iso(n.created_at)} for n in notices],
    }


def erase(user: User, remove_content: bool) -> None:
    """Notices go; flag notes and appeal statements are blanked; edited texts too when content is removed."""
    db.session.execute(delete(ModerationNotice).where(ModerationNotice.user_id == user.id))
    db.session.execute(update(Flag).where(Flag.flagger_id == user.id).values(note=""))
    db.session.execute(update(Appeal).where(Appeal.appellant_id == user.id).values(statement="(withdrawn)"))
    if remove_content:
        db.session.execute(
            update(ModerationDecision)
            .where(ModerationDecision.subject_id == user.id)
            .values(text_before=None, text_after=None)
        )


publishing.set_policy_provider(moderation_settings.current_policy)
publishing.add_standing_hook(moderation_standing.standing_fields)
publishing.on_screened(moderation_queue.on_screened)
privacy.register(
    "moderation", _l("Flags you raised, sanctions and notices about you, and your appeals."), export, erase
)
