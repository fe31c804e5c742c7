"""Forum threads and replies in the moderation registry (`services/content.py`).

Moderation finds, shows, edits and re-broadcasts forum posts through these
entries without importing the forums. Imported once by the forums blueprint.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete

import moderation
from debate.extensions import db
from debate.models.forums import Reply, Revision, Thread
from debate.services import content
from debate.services.forums import live as forum_live
from debate.services.forums.posts import recount


def thread_url(thread_id: int) -> str:
    return f"/threads/{thread_id}"


def reply_url(reply_id: int) -> str:
    """A permalink: it redirects to the page of the thread that shows the reply."""
    return f"/replies/{reply_id}"


def describe_thread(thread: Thread) -> content.ContentRef:
    return content.ContentRef(
        type="thread",
        id=thread.id,
        author_id=thread.author_id,
        text=thread.body,
        title=thread.title,
        context_kind=moderation.ContextKind.FORUM,
        context_id=f"topic:{thread.topic_id}",
        context_label=_("Forum: %(topic)s", topic=thread.topic.title),
        url=thread_url(thread.id),
        created_at=thread.created_at,
        state=thread.state,
    )


def describe_reply(reply: Reply) -> content.ContentRef:
    return content.ContentRef(
        type="reply",
        id=reply.id,
        author_id=reply.author_id,
        text=reply.body,
        title=None,
        context_kind=moderation.ContextKind.FORUM,
        context_id=f"thread:{reply.thread_id}",
        context_label=_("Reply in “%(title)s”", title=reply.thread.title),
        url=reply_url(reply.id),
        created_at=reply.created_at,
        state=reply.state,
    )


def _forget_history(kind: str, content_id: int) -> None:
    """A moderator's edit usually takes something out (personal details): earlier versions must not keep it."""
    db.session.execute(delete(Revision).where(Revision.content_type == kind, Revision.content_id == content_id))


def set_thread_text(thread: Thread, text: str) -> None:
    thread.body = text
    _forget_history("thread", thread.id)


def set_reply_text(reply: Reply, text: str) -> None:
    reply.body = text
    _forget_history("reply", reply.id)


def thread_after_change(thread: Thread) -> None:
    forum_live.thread_changed(thread)


def reply_after_change(reply: Reply) -> None:
    """A reply's state changed (approved, hidden...): fix the thread's counters, then tell its readers."""
    recount(reply.thread)
    db.session.commit()
    forum_live.reply_changed(reply)


content.register(
    content.ContentType(
        "thread", moderation.ContentKind.THREAD, Thread, describe_thread, set_thread_text, thread_after_change
    )
)
content.register(
    content.ContentType(
        "reply", moderation.ContentKind.REPLY, Reply, describe_reply, set_reply_text, reply_after_change
    )
)
