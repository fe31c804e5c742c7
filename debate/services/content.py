"""The registry of moderated content types.

Each feature (forum threads and replies, live questions, chat) registers its
content type here once. Moderation then finds, shows, queues and changes any
content through this registry without importing the features, and features
need not know how moderation works. Models register with `ModeratedMixin`
columns and an `author_id` column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import func, select, union_all

from debate.errors import NotFound
from debate.extensions import db
from debate.models.agreement import Statement
from debate.models.forums import Reply, Thread
from debate.models.live import ChatMessage, SessionQuestion
from debate.models.polls import PollAnswer
from debate.models.surveys import SurveyTextAnswer
from moderation import ContentKind, ContextKind


@dataclass(frozen=True)
class ContentRef:
    """What moderation shows of one item: the text, where it is, who wrote it."""

    type: str
    id: int
    author_id: int | None
    text: str
    title: str | None
    context_kind: ContextKind
    context_id: str
    context_label: str
    url: str
    created_at: datetime
    state: str
    live: bool = False


# The models registered here, each with `ModeratedMixin` columns and an `author_id`; named so queries over
# every content type are typed (a new content type adds its model to this list).
ModeratedRow = Thread | Reply | SessionQuestion | ChatMessage | PollAnswer | SurveyTextAnswer | Statement
ModeratedModel = type[ModeratedRow]


@dataclass(frozen=True)
class ContentType:
    name: str
    kind: ContentKind
    model: ModeratedModel
    describe: Callable[[Any], ContentRef]
    # Sets the row's text after a moderator's edit (no commit).
    set_text: Callable[[Any, str], None]
    # Called after a commit that changed the row's state or text: re-broadcast it.
    after_change: Callable[[Any], None] | None = None
    # Which of the model's rows are posts, when not all are (a poll's choice answers are not: only its texts).
    posts: Any = None

    def post_rows(self) -> list[Any]:
        return [] if self.posts is None else [self.posts]


_TYPES: dict[str, ContentType] = {}


def register(content_type: ContentType) -> None:
    _TYPES[content_type.name] = content_type


def types() -> list[ContentType]:
    return list(_TYPES.values())


def get(name: str) -> ContentType:
    try:
        return _TYPES[name]
    except KeyError:
        raise NotFound(_("No such kind of content.")) from None


def load(name: str, content_id: int) -> tuple[ContentType, ModeratedRow]:
    content_type = get(name)
    # Session.get types a union of models as their base class; the row is of the registered model.
    row = cast("ModeratedRow | None", db.session.get(content_type.model, content_id))
    if row is None:
        raise NotFound(_("That content does not exist."))
    return content_type, row


def approved_posts(author_id: int) -> int:
    """How many of the author's posts became public, across every content type (one statement)."""
    counts = [
        select(func.count().label("n"))
        .select_from(ct.model)
        .where(ct.model.author_id == author_id, ct.model.state.in_(ct.model.PUBLIC_STATES), *ct.post_rows())
        for ct in _TYPES.values()
    ]
    if not counts:
        return 0
    return int(db.session.scalar(select(func.sum(union_all(*counts).subquery().c.n))) or 0)


def recent_posts(author_id: int, since: datetime) -> list[tuple[datetime, str]]:
    """(created_at, fingerprint) of the author's accepted posts since a moment, across types (one statement).

    Every post anyone makes is screened with these two, so each is one UNION
    ALL rather than a query per content type.
    """
    parts = [
        select(ct.model.created_at, ct.model.fingerprint).where(
            ct.model.author_id == author_id,
            ct.model.created_at >= since,
            ct.model.state.not_in(("removed", "withdrawn")),
            *ct.post_rows(),
        )
        for ct in _TYPES.values()
    ]
    if not parts:
        return []
    return [(at, fp) for at, fp in db.session.execute(union_all(*parts)).all()]
