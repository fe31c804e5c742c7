"""Telling people what moderation did: a notice per decision, sanction, flag outcome and appeal outcome.

Notices are the moderation record the member reads (and appeals from) on
"Moderation notices"; each is pushed live to their /account channel after the
commit, and is also a notification of kind "moderation" in the notification
centre (emailed as the member chose), linking back to the notices page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from debate.extensions import db
from debate.models.accounts import User
from debate.models.moderation import ModerationNotice
from debate.permissions import require_signed_in, signed_in
from debate.services import after_commit, notifications
from debate.services.accounts import language

PAGE_SIZE = 100


def tell(
    user_id: int | None,
    kind: str,
    text: Any,
    link: str = "",
    *,
    decision_id: int | None = None,
    sanction_id: int | None = None,
    notify: bool = True,
) -> ModerationNotice | None:
    """Add a notice to the current transaction; the live push waits for the commit.

    With `notify` (the default) it is also a "moderation" notification in the centre.
    `text` is usually a lazy string: it is written here in the recipient's language (their stored
    choice), never in the language of the moderator whose action sent it.
    """
    if user_id is None:
        return None
    with language.speaking(db.session.get(User, user_id)):
        text = str(text)
    notice = ModerationNotice(
        user_id=user_id, kind=kind, text=text, link=link[:500], decision_id=decision_id, sanction_id=sanction_id
    )
    db.session.add(notice)
    after_commit.to_user(user_id, "moderation:notice", {"kind": kind, "text": text, "link": notice.link})
    if notify:
        notifications.notify(user_id, "moderation", text, "/notices")
    return notice


def for_user(user: User) -> list[ModerationNotice]:
    return notifications.newest_for(ModerationNotice, user, limit=PAGE_SIZE)


def unread(user: User) -> int:
    if not signed_in(user):
        return 0
    stmt = select(func.count()).where(ModerationNotice.user_id == user.id, ModerationNotice.read.is_(False))
    return db.session.scalar(stmt) or 0


def mark_read(user: User) -> None:
    """Mark every notice read, and their notifications in the centre with them."""
    require_signed_in(user)
    notifications.mark_read(user, "moderation")


def _mark_notices_read(user: User) -> None:
    """The notices' side of marking "moderation" notifications read (the centre's "mark all" included)."""
    db.session.execute(
        update(ModerationNotice)
        .where(ModerationNotice.user_id == user.id, ModerationNotice.read.is_(False))
        .values(read=True)
    )


notifications.also_mark_read("moderation", _mark_notices_read)
