"""Following a live session: members who follow one are told once, within the hour before it starts.

`notify_starting` is run by `flask notify-sessions` (every few minutes from
cron or a scheduler). Each follow remembers the start time it was told about,
claimed with a conditional update, so re-running (or two runs at once) tells
nobody twice; a session moved to a new time is announced again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from debate import ratelimit
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import LiveSession
from debate.models.notifications import SessionFollow
from debate.permissions import require_signed_in, signed_in
from debate.services import notifications, rows
from debate.services.live import sessions as live_sessions

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
FOLLOW = ratelimit.limit(
    "live.follow",
    "60/hour",
    "You can follow or stop following sessions at most 60 times an hour. Please try again later.",
)

LEAD_TIME = timedelta(hours=1)


def is_following(user: User | None, session_id: int) -> bool:
    if not signed_in(user):
        return False
    found = db.session.scalar(
        select(SessionFollow.id).where(SessionFollow.session_id == session_id, SessionFollow.user_id == user.id)
    )
    return found is not None


def set_following(user: User, session_id: object, follow: bool | None = None) -> tuple[LiveSession, bool]:
    """Follow or stop following (None: toggle); returns the session and whether they now follow it."""
    require_signed_in(user)
    live = live_sessions.get(session_id)
    now_following = (not is_following(user, live.id)) if follow is None else follow
    if now_following and not is_following(user, live.id):
        db.session.add(SessionFollow(session_id=live.id, user_id=user.id))
    elif not now_following:
        db.session.execute(
            delete(SessionFollow).where(SessionFollow.session_id == live.id, SessionFollow.user_id == user.id)
        )
    try:
        db.session.commit()
    except IntegrityError:  # followed twice at once: it is followed
        db.session.rollback()
    return live, now_following


def notify_starting(now: datetime | None = None) -> int:
    """Tell followers of scheduled sessions starting within the next hour; returns how many were told."""
    now = now or utcnow()
    soon = select(LiveSession).where(
        LiveSession.state == LiveSession.SCHEDULED,
        LiveSession.starts_at > now,
        LiveSession.starts_at <= now + LEAD_TIME,
    )
    told = 0
    for live in list(db.session.scalars(soon)):
        followers = select(SessionFollow).where(
            SessionFollow.session_id == live.id,
            or_(SessionFollow.notified_start_at.is_(None), SessionFollow.notified_start_at != live.starts_at),
        )
        for follow in list(db.session.scalars(followers)):
            claimed = rows.changed(
                update(SessionFollow)
                .where(
                    SessionFollow.id == follow.id,
                    or_(SessionFollow.notified_start_at.is_(None), SessionFollow.notified_start_at != live.starts_at),
                )
                .values(notified_start_at=live.starts_at)
                .execution_options(synchronize_session=False)
            )
            if not claimed:
                continue
            minutes = max(1, round((live.starts_at - now).total_seconds() / 60))
            added = notifications.notify(
                follow.user_id,
                "session_starting",
                f"“{live.title}” starts in {minutes} minute{'s' if minutes != 1 else ''}.",
                f"/sessions/{live.id}",
                subject=f"session:{live.id}",
            )
            told += added is not None
            db.session.commit()
    return told
