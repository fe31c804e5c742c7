"""Forums: starting threads, replying, editing, deleting, locking.

Every new post and every edit passes the moderation gate (`publishing.screen`),
is stored in the state the verdict gives, and is broadcast only once it is
public and committed. Pages, the JSON API and socket events all call these
functions, so the rules are written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

import moderation
from debate import bounds, ratelimit
from debate.errors import Conflict, NotFound, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.forums import STANCES, Reply, Revision, Thread
from debate.models.topics import Topic
from debate.permissions import Permission, require
from debate.services import publishing, submissions
from debate.services.forums import follows
from debate.services.forums import live as forum_live
from debate.services.forums.access import (
    PUBLIC,
    check_delete,
    check_edit,
    get_reply,
    get_thread,
    get_topic,
    reply_refusal,
    withdrawn_state,
)
from debate.services.forums.post_language import UNCHANGED, clean_lang
from debate.services.text import clean_line, clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
START_THREAD = ratelimit.limit(
    "forum.thread",
    "20/hour",
    _l("You can start at most 20 threads an hour. Please try again later."),
)
REPLY = ratelimit.limit(
    "forum.reply",
    "20/minute",
    _l("You can post at most 20 replies a minute. Please wait a moment and try again."),
)
EDIT = ratelimit.limit(
    "forum.edit",
    "30/minute",
    _l("You can save changes to posts at most 30 times a minute. Please wait a moment and try again."),
)
DELETE = ratelimit.limit(
    "forum.delete",
    "30/minute",
    _l("You can delete at most 30 posts a minute. Please wait a moment and try again."),
)
LOCK = ratelimit.limit(
    "forum.lock",
    "60/minute",
    _l("You can lock or unlock threads at most 60 times a minute. Please wait a moment and try again."),
)

TITLE_MIN = 5  # characters in a thread's title; the most is the policy's (`limits.title`)


@dataclass(frozen=True)
class Posted:
    """What a post or an edit became: the row, whether this call created it, and why it waits (if held)."""

    item: Thread | Reply
    created: bool = True

    @property
    def held(self) -> bool:
        return self.item.state == "held"

    @property
    def reason(self) -> str:
        return self.item.state_note or ""


# --- input ------------------------------------------------------------------------------------


def clean_body(value: object, kind: moderation.ContentKind, field: str = "body") -> str:
    """The text as the author wrote it (trimmed, newlines unified); empty or too long is refused here,
    with the form field named, before the moderation engine sees it."""
    limit = publishing.policy().limits.for_kind(kind)
    if kind is moderation.ContentKind.THREAD:
        return clean_text(
            value,
            field,
            limit,
            missing=_("Write your thread before sending it."),
            too_long=_("Your thread is too long: {count} characters, and the limit is {limit}. Please shorten it."),
        )
    return clean_text(
        value,
        field,
        limit,
        missing=_("Write your reply before sending it."),
        too_long=_("Your reply is too long: {count} characters, and the limit is {limit}. Please shorten it."),
    )


def clean_title(value: object) -> str:
    return clean_line(value, "title", _("Title"), min_len=TITLE_MIN, max_len=publishing.policy().limits.title)


def clean_stance(value: object) -> str | None:
    if value is None or value == "" or value == "none":
        return None
    if value not in STANCES:
        raise ValidationError(_("Choose for, against, neutral, question or no stance."), "stance")
    return str(value)


NOT_SAVED = _l("That could not be saved. Please try again.")


# --- loading ----------------------------------------------------------------------------------


def _context(topic_id: int) -> moderation.Context:
    return moderation.Context(moderation.ContextKind.FORUM, f"topic:{topic_id}")


def _screen(
    user: User,
    kind: moderation.ContentKind,
    text: str,
    topic_id: int,
    title: str | None = None,
    lang: str | None = None,
) -> moderation.Verdict:
    """Ask the moderation engine; its refusals name our form's field ("body"), not the engine's ("text").
    `lang`, the language the author marked, decides which watched-word lists apply (the Welsh one: to Welsh
    posts and to posts whose language is not marked)."""
    try:
        return publishing.screen(user, kind, text, title=title, context=_context(topic_id), lang=lang)
    except ValidationError as exc:
        if exc.field == "text":
            exc.field = "body"
        raise


def _apply_verdict(row: Thread | Reply, verdict: moderation.Verdict) -> None:
    row.state = publishing.initial_state(verdict)
    row.fingerprint = verdict.fingerprint
    # The author is told why a post waits: kept with the row, shown to them only.
    row.state_note = " ".join(r.message for r in verdict.reasons) if verdict.held else None


# --- threads ----------------------------------------------------------------------------------


def check_start_thread(user: User | None, topic_slug: str) -> Topic:
    """The topic a new thread would go under, once it is sure this person may start one there.

    The "Start a thread" form asks this before it is shown, so no one fills in a form that would be refused.
    """
    require(user, Permission.POST)
    return get_topic(topic_slug)


def start_thread(
    user: User, topic_slug: str, title: object, body: object, submission_key: object = None, lang: object = None
) -> Posted:
    """Start a thread under a topic. The author follows it from the start."""
    topic = check_start_thread(user, topic_slug)
    key = submissions.clean_key(submission_key)
    earlier = submissions.earlier(Thread, user, key)
    if earlier is not None:
        return Posted(earlier, created=False)
    clean = clean_title(title)
    text = clean_body(body, moderation.ContentKind.THREAD)
    written_in = clean_lang(lang)
    verdict = _screen(user, moderation.ContentKind.THREAD, text, topic.id, title=clean, lang=written_in)
    now = utcnow()
    thread = Thread(
        topic_id=topic.id,
        author_id=user.id,
        title=clean,
        body=text,
        lang=written_in,
        submission_key=key,
        created_at=now,
        last_activity_at=now,
    )
    _apply_verdict(thread, verdict)
    db.session.add(thread)
    try:
        db.session.flush()
    except IntegrityError:  # the same form twice at once: the other request stored it
        return Posted(submissions.after_race(Thread, user, key, NOT_SAVED), created=False)
    publishing.screened("thread", thread, verdict)
    follows.add(user, thread)
    db.session.commit()
    return Posted(thread)


# --- replies ----------------------------------------------------------------------------------


def post_reply(
    user: User,
    thread_id: object,
    body: object,
    stance: object = None,
    quote_of_id: object = None,
    submission_key: object = None,
    lang: object = None,
) -> Posted:
    """Reply to a thread, optionally quoting another reply in it and taking a stance."""
    require(user, Permission.POST)
    thread = get_thread(user, thread_id)
    key = submissions.clean_key(submission_key)
    earlier = submissions.earlier(Reply, user, key)
    if earlier is not None:
        return Posted(earlier, created=False)
    refusal = reply_refusal(user, thread)
    if refusal:
        raise Conflict(refusal)
    text = clean_body(body, moderation.ContentKind.REPLY)
    side = clean_stance(stance)
    written_in = clean_lang(lang)
    quoted = _quotable(thread, quote_of_id)
    verdict = _screen(user, moderation.ContentKind.REPLY, text, thread.topic_id, lang=written_in)
    reply = Reply(
        thread_id=thread.id,
        author_id=user.id,
        body=text,
        stance=side,
        lang=written_in,
        quote_of_id=quoted,
        submission_key=key,
        created_at=utcnow(),
    )
    _apply_verdict(reply, verdict)
    db.session.add(reply)
    try:
        db.session.flush()
    except IntegrityError:
        return Posted(submissions.after_race(Reply, user, key, NOT_SAVED), created=False)
    publishing.screened("reply", reply, verdict)
    if reply.is_public:
        _count_new_reply(thread, reply)
        follows.reply_posted(reply)
    db.session.commit()
    if reply.is_public:
        forum_live.reply_posted(reply)
    return Posted(reply)


def _quotable(thread: Thread, quote_of_id: object) -> int | None:
    if quote_of_id in (None, ""):
        return None
    try:
        quote_id = bounds.whole(quote_of_id)
    except (TypeError, ValueError):
        raise ValidationError(_("The reply you are quoting was not found."), "quote_of") from None
    quoted = db.session.get(Reply, quote_id)
    if quoted is None or quoted.thread_id != thread.id or not quoted.is_public:
        raise ValidationError(_("You can only quote a reply that is shown in this thread."), "quote_of")
    return quoted.id


def _count_new_reply(thread: Thread, reply: Reply) -> None:
    """One more public reply: counters move in SQL, so two replies at once both count."""
    values: dict[str, Any] = {
        "reply_count": Thread.reply_count + 1,
        "listed_count": Thread.listed_count + 1,
        "last_activity_at": reply.created_at,
    }
    if reply.stance:
        column = f"stance_{reply.stance}"
        values[column] = getattr(Thread, column) + 1
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(**values))
    db.session.expire(thread)


def recount(thread: Thread) -> None:
    """Rebuild a thread's counters from its replies (after edits, deletions and moderation)."""
    rows = db.session.execute(
        select(Reply.state, Reply.stance, func.count())
        .where(Reply.thread_id == thread.id)
        .group_by(Reply.state, Reply.stance)
    ).all()
    thread.reply_count = sum(n for state, _, n in rows if state in PUBLIC)
    thread.listed_count = sum(n for state, _, n in rows if state != "held")
    for stance in STANCES:
        setattr(thread, f"stance_{stance}", sum(n for state, s, n in rows if state in PUBLIC and s == stance))


# --- editing ----------------------------------------------------------------------------------


def _keep_revision(item: Thread | Reply, kind: str) -> None:
    db.session.add(
        Revision(
            content_type=kind,
            content_id=item.id,
            author_id=item.author_id,
            title=getattr(item, "title", None),
            body=item.body,
            stance=getattr(item, "stance", None),
            written_at=item.edited_at or item.created_at,
        )
    )


def edit_thread(user: User, thread_id: object, title: object, body: object, lang: object = UNCHANGED) -> Posted:
    """Change a thread's title and text within the edit window; the old version stays in its history."""
    thread = get_thread(user, thread_id)
    check_edit(user, thread)
    clean = clean_title(title)
    text = clean_body(body, moderation.ContentKind.THREAD)
    written_in = thread.lang if lang is UNCHANGED else clean_lang(lang)
    if clean == thread.title and text == thread.body:
        if written_in != thread.lang:  # only the language mark changed: no new version, no new screening
            thread.lang = written_in
            db.session.commit()
            return Posted(thread, created=False)
        raise ValidationError(_("You have not changed anything."), "body")
    verdict = _screen(user, moderation.ContentKind.THREAD, text, thread.topic_id, title=clean, lang=written_in)
    _keep_revision(thread, "thread")
    thread.title, thread.body, thread.lang, thread.edited_at = clean, text, written_in, utcnow()
    _apply_verdict(thread, verdict)
    db.session.flush()
    publishing.screened("thread", thread, verdict)
    db.session.commit()
    forum_live.thread_changed(thread)
    return Posted(thread, created=False)


def edit_reply(user: User, reply_id: object, body: object, stance: object = None, lang: object = UNCHANGED) -> Posted:
    """Change a reply's text or stance within the edit window; the old version stays in its history."""
    reply = get_reply(user, reply_id)
    check_edit(user, reply)
    text = clean_body(body, moderation.ContentKind.REPLY)
    side = clean_stance(stance)
    written_in = reply.lang if lang is UNCHANGED else clean_lang(lang)
    if text == reply.body and side == reply.stance:
        if written_in != reply.lang:  # only the language mark changed: no new version, no new screening
            reply.lang = written_in
            db.session.commit()
            forum_live.reply_changed(reply)
            return Posted(reply, created=False)
        raise ValidationError(_("You have not changed anything."), "body")
    text_changed = moderation.fingerprint(text) != reply.fingerprint or reply.state == "held"
    verdict = (
        _screen(user, moderation.ContentKind.REPLY, text, reply.thread.topic_id, lang=written_in)
        if text_changed
        else None
    )
    _keep_revision(reply, "reply")
    reply.body, reply.stance, reply.lang, reply.edited_at = text, side, written_in, utcnow()
    if verdict is not None:
        _apply_verdict(reply, verdict)
        db.session.flush()
        publishing.screened("reply", reply, verdict)
    recount(reply.thread)
    db.session.commit()
    forum_live.reply_changed(reply)
    return Posted(reply, created=False)


def history(user: User | None, content_type: str, content_id: int) -> tuple[Thread | Reply, list[Revision]]:
    """A post and its earlier versions, newest first. Only a public post shows its history."""
    item = get_thread(user, content_id) if content_type == "thread" else get_reply(user, content_id)
    if not item.is_public and not (user is not None and getattr(user, "id", None) == item.author_id):
        raise NotFound(_("The history of this post is not available."))
    revisions = db.session.scalars(
        select(Revision)
        .where(Revision.content_type == content_type, Revision.content_id == item.id)
        .order_by(Revision.id.desc())
    ).all()
    return item, list(revisions)


# --- deleting and locking ---------------------------------------------------------------------


def delete_reply(user: User, reply_id: object) -> Reply:
    """The author deletes a reply: a placeholder ("Deleted by its author") keeps the conversation readable."""
    reply = get_reply(user, reply_id)
    check_delete(user, reply)
    reply.state = withdrawn_state(reply)
    recount(reply.thread)
    db.session.commit()
    forum_live.reply_changed(reply)
    return reply


def delete_thread(user: User, thread_id: object) -> Thread:
    """The author deletes their opening post; the replies others wrote stay, under a placeholder."""
    thread = get_thread(user, thread_id)
    check_delete(user, thread)
    thread.state = withdrawn_state(thread)
    db.session.commit()
    forum_live.thread_changed(thread)
    return thread


def set_locked(user: User, thread_id: object, locked: bool) -> Thread:
    """Moderators and admins lock a thread (no new replies or edits) or unlock it."""
    require(user, Permission.MODERATE)
    thread = get_thread(user, thread_id)
    if thread.locked == locked:
        raise Conflict(_("This thread is already locked.") if locked else _("This thread is not locked."))
    thread.locked = locked
    thread.locked_at = utcnow() if locked else None
    thread.locked_by_id = user.id if locked else None
    db.session.commit()
    forum_live.thread_changed(thread)
    return thread
