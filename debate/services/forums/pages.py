"""Reading the forums: the topic list, a topic's threads, and one page of a thread.

A thread page costs the same few queries whatever its page size or length:
the page's reply ids come from an index alone (state is in the index, so held
replies are skipped without reading rows), then those rows load in one query
with their authors, badges and quoted replies joined in. Counters (replies,
stance balance) are read from the thread row, never counted per page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import UnaryExpression, func, or_, select
from sqlalchemy.orm import QueryableAttribute, joinedload
from sqlalchemy.orm.interfaces import LoaderOption

from debate.errors import NotFound
from debate.extensions import db
from debate.models.accounts import User
from debate.models.forums import OfficialResponse, Reply, Thread
from debate.models.topics import Topic
from debate.permissions import signed_in
from debate.services.forums import follows, votes
from debate.services.forums import live as forum_live
from debate.services.forums.access import get_reply, get_thread, get_topic, official_for, reply_refusal

SORTS = {"oldest": _l("Oldest first"), "newest": _l("Newest first"), "helpful": _l("Most helpful")}
PER_PAGE, MAX_PER_PAGE, THREADS_PER_PAGE = 20, 100, 20
CATCH_UP_MAX = 50


def _author_options(relationship: QueryableAttribute[User]) -> LoaderOption:
    return joinedload(relationship).joinedload(User.representative)


# --- topics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicActivity:
    topic: Topic
    threads: int
    replies: int
    last_activity_at: datetime | None


def topic_overview() -> list[TopicActivity]:
    """Every topic with its threads, replies and last activity, in two queries."""
    topics = db.session.scalars(select(Topic).order_by(Topic.title)).all()
    stats = {
        row.topic_id: row
        for row in db.session.execute(
            select(
                Thread.topic_id,
                func.count().label("threads"),
                func.coalesce(func.sum(Thread.reply_count), 0).label("replies"),
                func.max(Thread.last_activity_at).label("last"),
            )
            .where(Thread.state.in_(Thread.PUBLIC_STATES))
            .group_by(Thread.topic_id)
        )
    }
    out = []
    for topic in topics:
        row = stats.get(topic.id)
        out.append(
            TopicActivity(topic, row.threads if row else 0, int(row.replies) if row else 0, row.last if row else None)
        )
    return out


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    threads: list[Thread]
    page: int
    pages: int


def topic_page(user: User | None, slug: str, page: int = 1) -> TopicPage:
    """A topic's threads, most recently active first; your own threads awaiting review are listed too."""
    topic = get_topic(slug)
    visible = Thread.state != "held"
    if signed_in(user):
        visible = or_(visible, Thread.author_id == user.id)
    where = (Thread.topic_id == topic.id, visible)
    total = db.session.scalar(select(func.count()).select_from(Thread).where(*where)) or 0
    pages = max(1, math.ceil(total / THREADS_PER_PAGE))
    page = _page_in_range(page, pages)
    threads = db.session.scalars(
        select(Thread)
        .where(*where)
        .options(_author_options(Thread.author))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(THREADS_PER_PAGE)
        .offset((page - 1) * THREADS_PER_PAGE)
    ).all()
    return TopicPage(topic, list(threads), page, pages)


def _page_in_range(page: int, pages: int) -> int:
    if page < 1 or page > pages:
        raise NotFound(
            ngettext(
                "There is no page %(page)d: this list has %(num)d page.",
                "There is no page %(page)d: this list has %(num)d pages.",
                pages,
                page=page,
            )
        )
    return page


# --- a thread ---------------------------------------------------------------------------------


@dataclass
class ThreadPage:
    thread: Thread
    replies: list[Reply]
    sort: str
    page: int
    pages: int
    per_page: int
    official: Reply | None = None
    official_cy: str = ""  # the official response's Welsh version ("" when none)
    my_votes: set[int] = field(default_factory=set)
    following: bool = False
    my_held: list[Reply] = field(default_factory=list)
    latest_reply_id: int = 0
    quote: Reply | None = None
    refusal: str | None = None  # why this reader cannot reply, if they cannot

    @property
    def is_live_end(self) -> bool:
        """Whether new replies belong at the end (oldest first, last page) or the top (newest, page 1)."""
        return (self.sort == "oldest" and self.page == self.pages) or (self.sort == "newest" and self.page == 1)


def clean_sort(sort: object) -> str:
    return sort if isinstance(sort, str) and sort in SORTS else "oldest"


def clean_per_page(per_page: object) -> int:
    if isinstance(per_page, int) and 1 <= per_page <= MAX_PER_PAGE:
        return per_page
    return PER_PAGE


def _order(sort: str) -> tuple[UnaryExpression[int], ...]:
    if sort == "newest":
        return (Reply.id.desc(),)
    if sort == "helpful":
        return (Reply.helpful_count.desc(), Reply.id.asc())
    return (Reply.id.asc(),)


def load_replies(ids: list[int]) -> list[Reply]:
    """Replies by id, in the given order, with author, badge and quoted reply in one query."""
    if not ids:
        return []
    rows = db.session.scalars(
        select(Reply)
        .where(Reply.id.in_(ids))
        .options(
            _author_options(Reply.author),
            joinedload(Reply.quote_of).joinedload(Reply.author),
        )
    ).unique()
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def thread_page(
    user: User | None,
    thread_id: int,
    sort: object = "oldest",
    page: int = 1,
    per_page: object = PER_PAGE,
    quote_id: object = None,
) -> ThreadPage:
    """One page of a thread's replies (held replies only for their author, listed apart).

    `quote_id` names a reply the reader wants to quote in their reply (the
    "Quote" link works without JavaScript by reloading with it).
    """
    thread = db.session.scalar(
        select(Thread).where(Thread.id == thread_id).options(joinedload(Thread.topic), _author_options(Thread.author))
    )
    if thread is None:
        raise NotFound(_("That thread does not exist, or it was removed."))
    get_thread(user, thread.id)  # visibility rule (no query: the row is in the session)
    sort, size = clean_sort(sort), clean_per_page(per_page)
    pages = max(1, math.ceil(thread.listed_count / size))
    page = _page_in_range(page, pages)
    ids = db.session.scalars(
        select(Reply.id)
        .where(Reply.thread_id == thread.id, Reply.state != "held")
        .order_by(*_order(sort))
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    result = ThreadPage(thread, load_replies(list(ids)), sort, page, pages, size)
    result.official, result.official_cy = _official(thread.id)
    result.refusal = reply_refusal(user, thread)
    result.quote = _quote(thread.id, quote_id, result.replies)
    result.latest_reply_id = db.session.scalar(select(func.max(Reply.id)).where(Reply.thread_id == thread.id)) or 0
    if signed_in(user):
        shown = [r.id for r in result.replies] + ([result.official.id] if result.official else [])
        result.my_votes = votes.voted(user, shown)
        result.following = follows.is_following(user, thread.id)
        result.my_held = list(
            db.session.scalars(
                select(Reply)
                .where(Reply.thread_id == thread.id, Reply.state == "held", Reply.author_id == user.id)
                .options(_author_options(Reply.author), joinedload(Reply.quote_of).joinedload(Reply.author))
                .order_by(Reply.id)
            ).unique()
        )
    return result


def _quote(thread_id: int, quote_id: object, shown: list[Reply]) -> Reply | None:
    if not isinstance(quote_id, str) or not quote_id.isdigit() or len(quote_id) > 12:
        return None
    wanted = int(quote_id)
    reply = next((r for r in shown if r.id == wanted), None) or db.session.get(Reply, wanted)
    return reply if reply is not None and reply.thread_id == thread_id and reply.is_public else None


def _official(thread_id: int) -> tuple[Reply | None, str]:
    """The official response and its Welsh version ("" when none), in one query."""
    row = db.session.execute(
        select(Reply, OfficialResponse.body_cy)
        .join(OfficialResponse, OfficialResponse.reply_id == Reply.id)
        .where(OfficialResponse.thread_id == thread_id)
        .options(_author_options(Reply.author), joinedload(Reply.quote_of).joinedload(Reply.author))
    ).first()
    return (row[0], row[1] or "") if row else (None, "")


def reply_location(user: User | None, reply_id: int, per_page: int = PER_PAGE) -> tuple[int, int]:
    """(thread id, page number) where a reply appears, oldest first: for permalinks and redirects."""
    reply = get_reply(user, reply_id)
    if reply.state == "held":
        return reply.thread_id, max(1, math.ceil(reply.thread.listed_count / per_page))
    before = db.session.scalar(
        select(func.count())
        .select_from(Reply)
        .where(Reply.thread_id == reply.thread_id, Reply.state != "held", Reply.id < reply.id)
    )
    return reply.thread_id, (before or 0) // per_page + 1


def replies_since(
    user: User | None, thread_id: int, last_seen_reply_id: int | None
) -> tuple[Thread, list[Reply], bool]:
    """Listed replies newer than the last one a reader saw (a reconnecting page catches up), at most 50."""
    thread = get_thread(user, thread_id)
    if last_seen_reply_id is None:
        return thread, [], False
    ids = db.session.scalars(
        select(Reply.id)
        .where(Reply.thread_id == thread.id, Reply.state != "held", Reply.id > last_seen_reply_id)
        .order_by(Reply.id)
        .limit(CATCH_UP_MAX + 1)
    ).all()
    return thread, load_replies(list(ids[:CATCH_UP_MAX])), len(ids) > CATCH_UP_MAX


def catch_up(user: User | None, thread_id: int, last_seen_reply_id: int | None) -> dict[str, Any]:
    """What a (re)connecting reader missed: replies after the last one their page has, as fragments."""
    thread, replies, more = replies_since(user, thread_id, last_seen_reply_id)
    official = official_for(thread.id)
    official_id = official.reply_id if official else None
    return {
        "thread_id": thread.id,
        "replies": [
            {"reply_id": r.id, "html": forum_live.reply_html(r, official_id, official.body_cy if official else "")}
            for r in replies
        ],
        "more": more,
        "counts": forum_live.counts_html(thread),
    }
