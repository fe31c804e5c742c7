"""Following a thread, and telling people about a new reply: the author replied to, and the followers."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from debate import ratelimit
from debate.extensions import db
from debate.models.accounts import User
from debate.models.forums import Reply, Thread, ThreadFollow
from debate.permissions import require_signed_in, signed_in
from debate.services import notifications
from debate.services.forums.access import get_thread

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
FOLLOW = ratelimit.limit(
    "forum.follow",
    "60/minute",
    "You can follow or stop following threads at most 60 times a minute. Please wait a moment and try again.",
)


def add(user: User, thread: Thread) -> None:
    """Record a follow inside the caller's transaction (no commit)."""
    if not is_following(user, thread.id):
        db.session.add(ThreadFollow(thread_id=thread.id, user_id=user.id))


def is_following(user: User | None, thread_id: int) -> bool:
    if not signed_in(user):
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


def reply_posted(reply: Reply) -> None:
    """A public reply, inside its transaction: tell who it answers, then the thread's followers.

    Whoever is told "replied to you" is not told again as a follower; the
    reply's author is told nothing. Followers get one notice per thread until
    they read it, however busy the thread.
    """
    thread = reply.thread
    who = reply.author.public_name
    replied_to = []
    if reply.quote_of is not None:
        replied_to.append(reply.quote_of.author_id)
    replied_to.append(thread.author_id)
    direct = {uid for uid in replied_to if uid != reply.author_id}
    link = f"/replies/{reply.id}"
    for uid in dict.fromkeys(replied_to):
        if uid in direct:
            quoted = reply.quote_of is not None and uid == reply.quote_of.author_id
            what = "your reply in" if quoted else "your thread"
            notifications.notify(uid, "reply_to_you", f"{who} replied to {what} “{thread.title}”.", link)
    followers = db.session.scalars(select(ThreadFollow.user_id).where(ThreadFollow.thread_id == thread.id))
    notifications.notify_many(
        [uid for uid in followers if uid != reply.author_id and uid not in direct],
        "followed_thread",
        f"New replies in “{thread.title}”, a thread you follow.",
        link,
        subject=f"thread:{thread.id}",
        once=True,
    )
