"""Following a thread. Notifications arrive in a later issue; the choice is recorded now."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from debate.extensions import db
from debate.models.accounts import User
from debate.models.forums import Thread, ThreadFollow
from debate.permissions import require_signed_in
from debate.services.forums import get_thread


def add(user: User, thread: Thread) -> None:
    """Record a follow inside the caller's transaction (no commit)."""
    if not is_following(user, thread.id):
        db.session.add(ThreadFollow(thread_id=thread.id, user_id=user.id))


def is_following(user: User | None, thread_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    found = db.session.scalar(
        select(ThreadFollow.id).where(ThreadFollow.thread_id == thread_id, ThreadFollow.user_id == user.id)
    )
    return found is not None


def set_following(user: User, thread_id: object, follow: bool) -> Thread:
    """Follow or stop following; doing either twice changes nothing."""
    require_signed_in(user)
    thread = get_thread(user, thread_id)
    if follow:
        add(user, thread)
    else:
        db.session.execute(
            delete(ThreadFollow).where(ThreadFollow.thread_id == thread.id, ThreadFollow.user_id == user.id)
        )
    try:
        db.session.commit()
    except IntegrityError:  # followed twice at once
        db.session.rollback()
    return thread
