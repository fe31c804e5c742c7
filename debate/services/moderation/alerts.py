"""Tell moderators that the review queue needs them, without flooding them.

When an item enters the queue (held before publishing, flagged, appealed),
every member who moderates now (moderators and admins, read from their role
at that moment) is told through the notification centre, kind "review_queue":
one notification saying how many items wait, brought up to date while it is
unread instead of another being added. The badge on their open pages moves
only when a new one is added; an instant email goes at most once every
MODERATOR_ALERT_EMAIL_MINUTES; a daily digest carries the count as it is then.
A burst of 50 held posts is therefore one notification and one email each.
As items are decided the unread alerts follow the count down, and once the
queue is empty they are marked read: an alert never claims more than waits.

The alert says how many items wait and links to the queue, nothing about
them: the queue page, behind the MODERATE permission, shows the rest. A
moderator stood down is not among those told, and the centre hides the kind
from anyone who does not moderate (notifications.hidden_kinds), so they stop
hearing of the queue at once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select, text, update

from debate.extensions import db
from debate.i18n import DEFAULT, known
from debate.models.accounts import Role, User
from debate.models.base import utcnow
from debate.models.moderation import ReviewItem
from debate.models.notifications import Notification
from debate.services import notifications
from debate.services.accounts import language

KIND = "review_queue"
SUBJECT = "review_queue"
QUEUE_LINK = "/moderation/"
_LOCK_KEY = 0x7265766965  # PostgreSQL advisory lock: one alert update at a time (any fixed number will do)


def item_waiting(item: ReviewItem) -> None:
    """An item entered (or re-entered) the queue: bring every current moderator's alert up to date.

    Runs inside the caller's transaction; a rollback takes the alerts with it.
    """
    _one_at_a_time()
    count = _waiting()
    every = timedelta(minutes=current_app.config["MODERATOR_ALERT_EMAIL_MINUTES"])
    for moderator in staff(exclude=item.author_id):
        with language.speaking(moderator):  # each moderator reads it in their own language
            sentence = _sentence(count)
        notifications.notify_current(moderator, KIND, sentence, QUEUE_LINK, subject=SUBJECT, email_every=every)


def item_left() -> None:
    """An item was decided: unread alerts say how many wait now, and once none do they are read (nothing to do).

    Nobody is pushed or emailed for this; the count is simply never larger than the queue.
    """
    _one_at_a_time()
    count = _waiting()
    unread = update(Notification).where(
        Notification.kind == KIND, Notification.subject == SUBJECT, Notification.read_at.is_(None)
    )
    if not count:
        db.session.execute(unread.values(read_at=utcnow()).execution_options(synchronize_session=False))
        return
    alerted = db.session.execute(
        select(Notification.id, User.locale)
        .join(User, User.id == Notification.user_id)
        .where(Notification.kind == KIND, Notification.subject == SUBJECT, Notification.read_at.is_(None))
    )
    by_language: dict[str, list[int]] = defaultdict(list)
    for notification_id, locale in alerted:
        by_language[known(locale) or DEFAULT].append(notification_id)
    for code, ids in by_language.items():  # each moderator's alert in their own language
        with force_locale(code):
            sentence = _sentence(count)
        db.session.execute(
            update(Notification)
            .where(Notification.id.in_(ids))
            .values(text=sentence)
            .execution_options(synchronize_session=False)
        )


def _waiting() -> int:
    return db.session.scalar(select(func.count()).where(ReviewItem.status == ReviewItem.OPEN)) or 0


def _sentence(count: int) -> str:
    return ngettext("%(num)d item waits in the review queue.", "%(num)d items wait in the review queue.", count)


def staff(exclude: int | None = None) -> list[User]:
    """Everyone who holds the MODERATE permission now: moderators and admins with a confirmed address."""
    stmt = select(User).where(
        User.role.in_((Role.MODERATOR.value, Role.ADMIN.value)),
        User.deleted_at.is_(None),
        User.email_verified_at.is_not(None),
    )
    if exclude is not None:
        stmt = stmt.where(User.id != exclude)
    return list(db.session.scalars(stmt.order_by(User.id)))


def _one_at_a_time() -> None:
    """Two items arriving at once must not both find "no unread alert" and add two.

    On PostgreSQL a transaction-scoped advisory lock serialises the alert updates until commit; SQLite
    has one writer at a time, and the caller has already written the review item.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
