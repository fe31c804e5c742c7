"""Topics: admins create and describe the issues debate is organised under."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from debate import ratelimit
from debate.errors import Conflict, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.topics import SCOPES, Topic
from debate.permissions import Permission, require
from debate.services.forums.access import get_topic
from debate.services.text import clean_line, clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
MANAGE = ratelimit.limit(
    "topics.manage",
    "30/hour",
    "You can add or change topics at most 30 times an hour. Please try again later.",
)

DESCRIPTION_MAX = 1000
TITLE_MAX = 120


def _clean(title: object, description: object, scope: object) -> tuple[str, str, str]:
    clean_title = clean_line(title, "title", "Title", min_len=2, max_len=TITLE_MAX)
    if description is not None and not isinstance(description, str):
        raise ValidationError("Description must be text.", "description")
    text = " ".join(
        clean_text(
            description,
            "description",
            DESCRIPTION_MAX,
            too_long="Description is too long: {count} characters, and the limit is {limit}.",
        ).split()
    )
    if scope not in SCOPES:
        raise ValidationError("Choose national, international or local.", "scope")
    return clean_title, text, str(scope)


def slugify(title: str) -> str:
    """An address-friendly name ("Foreign policy" -> "foreign-policy"); non-Latin titles fall back to "topic"."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]
    return slug or "topic"


def _free_slug(base: str) -> str:
    taken = set(db.session.scalars(select(Topic.slug).where(Topic.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def check_manage(user: User | None) -> None:
    """Refuse unless this person may add and edit topics (the topic form asks before it is shown)."""
    require(user, Permission.MANAGE_TOPICS)


def create_topic(user: User, title: object, description: object, scope: object = "national") -> Topic:
    check_manage(user)
    clean_title, text, clean_scope = _clean(title, description, scope)
    if db.session.scalar(select(Topic.id).where(Topic.title == clean_title)) is not None:
        raise Conflict("There is already a topic with that title.", "title")
    topic = Topic(
        slug=_free_slug(slugify(clean_title)),
        title=clean_title,
        description=text,
        scope=clean_scope,
        created_by_id=user.id,
    )
    db.session.add(topic)
    try:
        db.session.commit()
    except IntegrityError:  # created twice at once
        db.session.rollback()
        raise Conflict("There is already a topic with that title.", "title") from None
    return topic


def edit_topic(user: User, slug: str, title: object, description: object, scope: object) -> Topic:
    """Change a topic's title, description or scope; its address (slug) stays, so links keep working."""
    check_manage(user)
    topic = get_topic(slug)
    topic.title, topic.description, topic.scope = _clean(title, description, scope)
    db.session.commit()
    return topic
