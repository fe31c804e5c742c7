"""The forums' entry in "download my data" and "delete my account".

Export: every thread and reply the person wrote (in every state, with earlier
versions), their helpful votes and the threads they follow. Erase: by default
posts stay and their author shows as "former member" (`User.public_name`);
with remove_content, each post is replaced by the "Deleted by its author"
placeholder and its text and history are wiped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from debate.extensions import db
from debate.models.accounts import User
from debate.models.forums import HelpfulVote, OfficialResponse, Reply, Revision, Thread, ThreadFollow
from debate.services import privacy
from debate.services.forums.posts import recount


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def export_forums(user: User) -> dict[str, Any]:
    threads = db.session.scalars(select(Thread).where(Thread.author_id == user.id).order_by(Thread.id))
    replies = db.session.scalars(select(Reply).where(Reply.author_id == user.id).order_by(Reply.id))
    revisions = db.session.scalars(select(Revision).where(Revision.author_id == user.id).order_by(Revision.id))
    voted = db.session.scalars(select(HelpfulVote).where(HelpfulVote.user_id == user.id).order_by(HelpfulVote.id))
    followed = db.session.scalars(select(ThreadFollow).where(ThreadFollow.user_id == user.id).order_by(ThreadFollow.id))
    official = db.session.scalars(
        select(OfficialResponse).where(OfficialResponse.marked_by_id == user.id).order_by(OfficialResponse.id)
    )
    return {
        "threads": [
            {
                "id": t.id,
                "topic": t.topic.title,
                "title": t.title,
                "body": t.body,
                "state": t.state,
                "created_at": _iso(t.created_at),
                "edited_at": _iso(t.edited_at),
                "url": f"/threads/{t.id}",
            }
            for t in threads
        ],
        "replies": [
            {
                "id": r.id,
                "thread_id": r.thread_id,
                "body": r.body,
                "stance": r.stance,
                "quote_of_reply_id": r.quote_of_id,
                "state": r.state,
                "created_at": _iso(r.created_at),
                "edited_at": _iso(r.edited_at),
                "url": f"/replies/{r.id}",
            }
            for r in replies
        ],
        "earlier_versions": [
            {
                "of": f"{v.content_type} {v.content_id}",
                "title": v.title,
                "body": v.body,
                "stance": v.stance,
                "written_at": _iso(v.written_at),
                "replaced_at": _iso(v.replaced_at),
            }
            for v in revisions
        ],
        "helpful_votes": [{"reply_id": v.reply_id, "at": _iso(v.created_at)} for v in voted],
        "followed_threads": [{"thread_id": f.thread_id, "since": _iso(f.created_at)} for f in followed],
        "official_responses_marked": [
            {"thread_id": o.thread_id, "reply_id": o.reply_id, "at": _iso(o.marked_at)} for o in official
        ],
    }


def erase_forums(user: User, remove_content: bool) -> None:
    """Votes and follows go (they are choices, not contributions); posts stay unless asked to remove them."""
    db.session.execute(delete(HelpfulVote).where(HelpfulVote.user_id == user.id))
    db.session.execute(delete(ThreadFollow).where(ThreadFollow.user_id == user.id))
    if not remove_content:
        return
    db.session.execute(delete(Revision).where(Revision.author_id == user.id))
    touched: set[int] = set()
    for reply in db.session.scalars(select(Reply).where(Reply.author_id == user.id)):
        _wipe(reply)
        touched.add(reply.thread_id)
        db.session.execute(delete(OfficialResponse).where(OfficialResponse.reply_id == reply.id))
    for thread in db.session.scalars(select(Thread).where(Thread.author_id == user.id)):
        _wipe(thread)
        thread.title = "Deleted by its author"
    db.session.flush()
    for thread in db.session.scalars(select(Thread).where(Thread.id.in_(touched))):
        recount(thread)


def _wipe(item: Thread | Reply) -> None:
    """The text goes; a post a moderator removed stays "removed" (its placeholder says why)."""
    item.body = ""
    item.fingerprint = ""
    item.state_note = None
    if item.state != "removed":
        item.state = "withdrawn"


privacy.register(
    "forums",
    _l("Threads and replies you wrote (with earlier versions), your helpful votes and the threads you follow."),
    export_forums,
    erase_forums,
)
