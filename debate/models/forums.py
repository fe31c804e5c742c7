"""Forums: threads under a topic, replies with a stance, votes, follows, edit history.

Counters a page needs (replies, stance balance, helpful votes) are kept on the
rows themselves so that a thread with 100,000 replies renders any page with a
fixed number of small, indexed queries; `services/forums.recount` rebuilds
them from the replies whenever a change is not a simple increment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.extensions import Model
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.moderated import ModeratedMixin
from debate.models.topics import Topic

STANCES = ("for", "against", "neutral", "question")


class Thread(ModeratedMixin, Model):
    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(600))  # 150 characters, 4 code points each at most
    body: Mapped[str] = mapped_column(Text)
    # The language its author marked it as written in (a BCP 47 tag for the `lang` attribute); None: not marked.
    lang: Mapped[str | None] = mapped_column(String(16))
    edited_at: Mapped[datetime | None]
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A random key per form: the same form sent twice makes one thread, not two.
    submission_key: Mapped[str | None] = mapped_column(String(64))
    # Counters of public replies, and of replies listed at all (public or a placeholder).
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    listed_count: Mapped[int] = mapped_column(Integer, default=0)
    stance_for: Mapped[int] = mapped_column(Integer, default=0)
    stance_against: Mapped[int] = mapped_column(Integer, default=0)
    stance_neutral: Mapped[int] = mapped_column(Integer, default=0)
    stance_question: Mapped[int] = mapped_column(Integer, default=0)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])

    __table_args__ = (
        UniqueConstraint("author_id", "submission_key", name="uq_threads_author_id_submission_key"),
        Index("ix_threads_topic_id_last_activity_at", "topic_id", "last_activity_at"),
        Index("ix_threads_author_id_created_at", "author_id", "created_at"),
        # The home page's per-topic counts and a topic page's count read only this index (0009).
        Index("ix_threads_topic_id_state_activity", "topic_id", "state", "last_activity_at", "reply_count"),
    )

    def stance_counts(self) -> dict[str, int]:
        return {stance: getattr(self, f"stance_{stance}") for stance in STANCES}


class Reply(ModeratedMixin, Model):
    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(10))
    lang: Mapped[str | None] = mapped_column(String(16))  # as on Thread: the language its author marked
    quote_of_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id"))
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    edited_at: Mapped[datetime | None]
    submission_key: Mapped[str | None] = mapped_column(String(64))

    thread: Mapped[Thread] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    quote_of: Mapped[Reply | None] = relationship(remote_side=[id])

    __table_args__ = (
        UniqueConstraint("author_id", "submission_key", name="uq_replies_author_id_submission_key"),
        # Oldest/newest pages and catch-up: the state is in the index so that skipping
        # held replies (and counting an offset) never has to read the table.
        Index("ix_replies_thread_id_id_state", "thread_id", "id", "state"),
        Index("ix_replies_author_id_created_at", "author_id", "created_at"),
        # An author's public posts (the review queue's history of every author listed), from the index (0009).
        Index("ix_replies_author_id_state", "author_id", "state"),
    )


# "Most helpful" pages: the most votes first, then the oldest.
Index("ix_replies_thread_id_helpful", Reply.thread_id, Reply.helpful_count.desc(), Reply.id, Reply.state)


class Revision(Model):
    """An earlier version of a thread or reply, kept when its author edits it (the public history)."""

    __tablename__ = "forum_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(10))  # "thread" or "reply"
    content_id: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(600))
    body: Mapped[str] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(10))
    written_at: Mapped[datetime]  # when this version was written
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_forum_revisions_content", "content_type", "content_id"),)


class HelpfulVote(Model):
    __tablename__ = "helpful_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("replies.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("reply_id", "user_id", name="uq_helpful_votes_reply_id_user_id"),)


class OfficialResponse(Model):
    """The one reply a verified representative marked as the official response to a thread."""

    __tablename__ = "official_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), unique=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("replies.id"), unique=True)
    marked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
    body_cy: Mapped[str] = mapped_column(Text, default="", server_default="")  # the response in Welsh, if written

    reply: Mapped[Reply] = relationship()


class ThreadFollow(Model):
    """A member follows a thread (notifications come in a later issue; the choice is recorded now)."""

    __tablename__ = "thread_follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("thread_id", "user_id", name="uq_thread_follows_thread_id_user_id"),)
