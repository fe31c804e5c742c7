"""Finding a post a person may see, and whether they may reply to, edit or delete it.

Lookups and refusals only, with no writes, so that every other forum module (posting, votes,
follows, pages, the live fragments) can ask them without importing the modules that post.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

import moderation
from debate.errors import Conflict, NotFound, PermissionDenied
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.forums import OfficialResponse, Reply, Thread
from debate.models.topics import Topic
from debate.permissions import Permission, has, require, signed_in

PUBLIC = ("published", "approved", "edited")


def may_see(user: User | None, item: Thread | Reply) -> bool:
    """Held content is seen by its author (and moderators) only; everything else is listed."""
    if item.state != "held":
        return True
    return signed_in(user) and (item.author_id == user.id or has(user, Permission.MODERATE))


def get_topic(slug: str) -> Topic:
    topic = db.session.scalar(select(Topic).where(Topic.slug == slug)) if isinstance(slug, str) else None
    if topic is None:
        raise NotFound(_("There is no such topic."))
    return topic


def get_thread(user: User | None, thread_id: object) -> Thread:
    thread = db.session.get(Thread, thread_id) if isinstance(thread_id, int) else None
    if thread is None or not may_see(user, thread):
        raise NotFound(_("That thread does not exist, or it was removed."))
    return thread


def get_reply(user: User | None, reply_id: object) -> Reply:
    reply = db.session.get(Reply, reply_id) if isinstance(reply_id, int) else None
    if reply is None or not may_see(user, reply) or not may_see(user, reply.thread):
        raise NotFound(_("That reply does not exist, or it was removed."))
    return reply


def reply_refusal(user: User | None, thread: Thread) -> str | None:
    """Why this person cannot reply to this thread now, or None when they can."""
    if thread.locked:
        return _("This thread is locked: it takes no new replies.")
    if not thread.is_public:
        return _("This thread is closed to new replies.")
    if not has(user, Permission.POST):
        return _("Sign in with a confirmed email address to reply.")
    return None


def edit_window() -> timedelta:
    return timedelta(minutes=current_app.config["FORUM_EDIT_MINUTES"])


def edit_refusal(user: User | None, item: Thread | Reply) -> str | None:
    """Why this person cannot edit this post now, or None when they can."""
    if not signed_in(user) or item.author_id != user.id:
        return _("You can only edit what you wrote.")
    if item.state not in (*PUBLIC, "held"):
        return _("This post cannot be edited any more.")
    thread = item if isinstance(item, Thread) else item.thread
    if thread.locked:
        return _("This thread is locked, so its posts cannot be changed.")
    minutes = int(edit_window().total_seconds() // 60)
    if utcnow() - item.created_at > edit_window():
        return ngettext(
            "Posts can be edited for %(num)d minute after posting, and that time has passed.",
            "Posts can be edited for %(num)d minutes after posting, and that time has passed.",
            minutes,
        )
    return None


def check_edit(user: User | None, item: Thread | Reply) -> None:
    """Refuse, as the edit itself would, unless this person may edit this post now (the edit form asks first)."""
    require(user, Permission.POST)
    assert user is not None  # require() refused anyone signed out
    refusal = edit_refusal(user, item)
    if refusal:
        raise PermissionDenied(refusal) if item.author_id != user.id else Conflict(refusal)


def withdrawn_state(item: Thread | Reply) -> str:
    try:
        return moderation.transition(moderation.ReviewState(item.state), moderation.ReviewAction.WITHDRAW).value
    except moderation.IllegalTransition:
        raise Conflict(_("This post was already deleted or removed.")) from None


def check_delete(user: User | None, item: Thread | Reply) -> None:
    """Refuse, as deleting would, unless this person may delete this post (the "Delete?" page asks first)."""
    require(user, Permission.POST)
    assert user is not None  # require() refused anyone signed out
    if item.author_id != user.id:
        raise PermissionDenied(_("You can only delete what you wrote."))
    withdrawn_state(item)


def official_for(thread_id: int) -> OfficialResponse | None:
    return db.session.scalar(select(OfficialResponse).where(OfficialResponse.thread_id == thread_id))
