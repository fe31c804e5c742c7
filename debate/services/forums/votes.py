"""Helpful votes (one per person per reply) and a representative's official response.

Both are small facts about a reply that other readers see at once, so each
change is committed and then broadcast to the thread's room.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import moderation
from debate import ratelimit
from debate.errors import Conflict, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.forums import HelpfulVote, OfficialResponse, Reply
from debate.permissions import Permission, require, signed_in
from debate.services import publishing, vote_rows
from debate.services.forums import live as forum_live
from debate.services.forums.access import get_reply, official_for
from debate.services.moderation import standing as moderation_standing
from debate.services.text import clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
HELPFUL = ratelimit.limit(
    "forum.helpful",
    "60/minute",
    _l("You can mark replies helpful at most 60 times a minute. Please wait a moment and try again."),
)
OFFICIAL = ratelimit.limit(
    "forum.official",
    "30/minute",
    _l("You can mark or withdraw official responses at most 30 times a minute. Please wait a moment and try again."),
)


def set_helpful(user: User, reply_id: object, helpful: bool) -> Reply:
    """Mark a reply helpful (or take it back). Idempotent (`vote_rows`): doing it twice changes nothing.

    Your own replies cannot be voted.
    """
    require(user, Permission.POST)
    moderation_standing.require_capability(user, moderation.Capability.VOTE)
    reply = get_reply(user, reply_id)
    if reply.author_id == user.id:
        raise ValidationError(_("You cannot mark your own reply as helpful."))
    if not reply.is_public:
        raise Conflict(_("This reply is not shown, so it cannot be voted on."))
    if not vote_rows.set_row(HelpfulVote, helpful, reply_id=reply.id, user_id=user.id):
        return reply  # already so (or the same click twice at once): nothing changes, and that is no error
    change = 1 if helpful else -1
    db.session.execute(update(Reply).where(Reply.id == reply.id).values(helpful_count=Reply.helpful_count + change))
    db.session.commit()
    forum_live.helpful_changed(reply)
    return reply


def voted(user: User | None, reply_ids: list[int]) -> set[int]:
    """Which of these replies the person marked helpful: one query for a whole page."""
    if not signed_in(user) or not reply_ids:
        return set()
    return set(
        db.session.scalars(
            select(HelpfulVote.reply_id).where(HelpfulVote.user_id == user.id, HelpfulVote.reply_id.in_(reply_ids))
        )
    )


def set_official(user: User, reply_id: object, official: bool, body_cy: object = None) -> Reply:
    """A verified representative marks their own reply as the official response, shown at the top.

    One per thread: the representative who gave it may move it to another of
    their replies or withdraw it; anyone else is told who already answered. Marking it, they may give
    its Welsh version (`body_cy`, optional), which Welsh readers see instead of the reply's own text.
    """
    require(user, Permission.ANSWER_AS_REPRESENTATIVE)
    reply = get_reply(user, reply_id)
    if reply.author_id != user.id:
        raise PermissionDenied(_("You can mark only your own reply as the official response."))
    current = official_for(reply.thread_id)
    if official:
        welsh = _welsh_version(user, reply, body_cy)
        if not reply.is_public:
            raise Conflict(_("Only a reply that is shown can be the official response."))
        if current is not None and current.reply_id == reply.id:
            raise Conflict(_("This reply is already the official response."))
        if current is not None and current.marked_by_id != user.id:
            other = db.session.get(User, current.marked_by_id)
            assert other is not None  # the one who marked it (a foreign key)
            raise Conflict(
                _("%(name)s has already given the official response to this thread.", name=other.public_name)
            )
        if current is None:
            db.session.add(
                OfficialResponse(thread_id=reply.thread_id, reply_id=reply.id, marked_by_id=user.id, body_cy=welsh)
            )
        else:
            current.reply_id, current.marked_at, current.body_cy = reply.id, utcnow(), welsh
    else:
        if current is None or current.reply_id != reply.id:
            raise Conflict(_("This reply is not the official response."))
        db.session.delete(current)
    try:
        db.session.commit()
    except IntegrityError:  # another representative answered at the same moment
        db.session.rollback()
        raise Conflict(_("Someone else has just given the official response to this thread.")) from None
    forum_live.official_changed(reply.thread_id)
    return reply


def _welsh_version(user: User, reply: Reply, body_cy: object) -> str:
    """The official response's Welsh version as written ("" for none), screened like the reply itself was."""
    limit = publishing.policy().limits.for_kind(moderation.ContentKind.REPLY)
    text = clean_text(
        body_cy,
        "body_cy",
        limit,
        too_long=_("The Welsh version is too long: {count} characters, and the limit is {limit}. Please shorten it."),
    )
    if not text:
        return ""
    context = moderation.Context(moderation.ContextKind.FORUM, f"topic:{reply.thread.topic_id}")
    try:
        verdict = publishing.screen(user, moderation.ContentKind.REPLY, text, context=context)
    except ValidationError as exc:
        exc.field = "body_cy"
        raise
    if verdict.held:
        raise ValidationError(
            _("The Welsh version needs a moderator's review, so it cannot be shown yet. Please change it."),
            "body_cy",
        )
    return text
