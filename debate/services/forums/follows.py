"""Following a thread, and telling people about a new reply: the author replied to, and the followers."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from debate import ratelimit
from debate.extensions import db
from debate.i18n import DEFAULT, known
from debate.models.accounts import User
from debate.models.forums import Reply, Thread, ThreadFollow
from debate.permissions import require_signed_in, signed_in
from debate.services import notifications
from debate.services.forums.access import get_thread

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
FOLLOW = ratelimit.limit(
    "forum.follow",
    "60/minute",
    _l("You can follow or stop following threads at most 60 times a minute. Please wait a moment and try again."),
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
    they read it, however busy the thread. Each notice is written in its
    recipient's language (it is stored as text, so it is rendered for them now).
    """
    thread = reply.thread
    who = reply.author.public_name
    replied_to = []
    if reply.quote_of is not None:
        replied_to.append(reply.quote_of.author_id)
    replied_to.append(thread.author_id)
    direct = {uid for uid in replied_to if uid != reply.author_id}
    link = f"/replies/{reply.id}"
    followers = [
        uid
        for uid in db.session.scalars(select(ThreadFollow.user_id).where(ThreadFollow.thread_id == thread.id))
        if uid != reply.author_id and uid not in direct
    ]
    speakers = _languages(set(direct) | set(followers))
    for uid in dict.fromkeys(replied_to):
        if uid in direct:
            quoted = reply.quote_of is not None and uid == reply.quote_of.author_id
            with force_locale(speakers.get(uid, DEFAULT)):
                if quoted:
                    text = _("%(name)s replied to your reply in “%(title)s”.", name=who, title=thread.title)
                else:
                    text = _("%(name)s replied to your thread “%(title)s”.", name=who, title=thread.title)
            notifications.notify(uid, "reply_to_you", text, link)
    by_language: dict[str, list[int]] = {}
    for uid in followers:
        by_language.setdefault(speakers.get(uid, DEFAULT), []).append(uid)
    for code, uids in by_language.items():
        with force_locale(code):
            text = _("New replies in “%(title)s”, a thread you follow.", title=thread.title)
        notifications.notify_many(uids, "followed_thread", text, link, subject=f"thread:{thread.id}", once=True)


def _languages(user_ids: set[int]) -> dict[int, str]:
    """Each member's language for what we write to them (`accounts.language.of`), in one query."""
    if not user_ids:
        return {}
    return {
        uid: known(locale) or DEFAULT
        for uid, locale in db.session.execute(select(User.id, User.locale).where(User.id.in_(user_ids)))
    }
