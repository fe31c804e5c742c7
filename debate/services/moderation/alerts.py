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

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, text, update

from debate.extensions import db
from debate.models.accounts import Role, User
from debate.models.base import utcnow
from debate.models.moderation import ReviewItem
from debate.models.notifications import Notification
from debate.services import notifications

KIND = "review_queue"
SUBJECT = "review_queue"
QUEUE_LINK = "/moderation/"
ONE_WAITS = "1 item waits in the review queue."
MANY_WAIT = "{count} items wait in the review queue."
_LOCK_KEY = 0x7265766965  # PostgreSQL advisory lock: one alert update at a time (any fixed number will do)


def item_waiting(item: ReviewItem) -> None:
    """An item entered (or re-entered) the queue: bring every current moderator's alert up to date.

    Runs inside the caller's transaction; a rollback takes the alerts with it.
    """
    _one_at_a_time()
    sentence = _sentence(_waiting())
    every = timedelta(minutes=current_app.config["MODERATOR_ALERT_EMAIL_MINUTES"])
    for moderator in staff(exclude=item.author_id):
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
    change = {"text": _sentence(count)} if count else {"read_at": utcnow()}
    db.session.execute(unread.values(**change).execution_options(synchronize_session=False))


def _waiting() -> int:
    return db.session.scalar(select(func.count()).where(ReviewItem.status == ReviewItem.OPEN)) or 0


def _sentence(count: int) -> str:
    return ONE_WAITS if count == 1 else MANY_WAIT.format(count=count)


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
