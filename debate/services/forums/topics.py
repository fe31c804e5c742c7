"""Topics: admins create and describe the issues debate is organised under."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
    _l("You can add or change topics at most 30 times an hour. Please try again later."),
)

DESCRIPTION_MAX = 1000
TITLE_MAX = 120


def _description(value: object, field: str) -> str:
    if value is not None and not isinstance(value, str):
        raise ValidationError(_("Description must be text."), field)
    return " ".join(
        clean_text(
            value,
            field,
            DESCRIPTION_MAX,
            too_long=_("Description is too long: {count} characters, and the limit is {limit}."),
        ).split()
    )


def _clean(title: object, description: object, scope: object) -> tuple[str, str, str]:
    clean_title = clean_line(title, "title", _("Title"), min_len=2, max_len=TITLE_MAX)
    text = _description(description, "description")
    if scope not in SCOPES:
        raise ValidationError(_("Choose national, international or local."), "scope")
    return clean_title, text, str(scope)


def _clean_welsh(title_cy: object, description_cy: object) -> tuple[str, str]:
    """The Welsh title and description: optional ("" until written), each within the English one's limits."""
    title = ""
    if isinstance(title_cy, str) and title_cy.strip():
        title = clean_line(title_cy, "title_cy", _("Welsh title"), min_len=2, max_len=TITLE_MAX)
    return title, _description(description_cy, "description_cy")


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


def create_topic(
    user: User,
    title: object,
    description: object,
    scope: object = "national",
    title_cy: object = None,
    description_cy: object = None,
) -> Topic:
    """Add a topic; its Welsh title and description are optional (the topic page falls back to the English)."""
    check_manage(user)
    clean_title, text, clean_scope = _clean(title, description, scope)
    welsh_title, welsh_text = _clean_welsh(title_cy, description_cy)
    if db.session.scalar(select(Topic.id).where(Topic.title == clean_title)) is not None:
        raise Conflict(_("There is already a topic with that title."), "title")
    topic = Topic(
        slug=_free_slug(slugify(clean_title)),
        title=clean_title,
        description=text,
        title_cy=welsh_title,
        description_cy=welsh_text,
        scope=clean_scope,
        created_by_id=user.id,
    )
    db.session.add(topic)
    try:
        db.session.commit()
    except IntegrityError:  # created twice at once
        db.session.rollback()
        raise Conflict(_("There is already a topic with that title."), "title") from None
    return topic


def edit_topic(
    user: User,
    slug: str,
    title: object,
    description: object,
    scope: object,
    title_cy: object = None,
    description_cy: object = None,
) -> Topic:
    """Change a topic's title, description (in English and Welsh) or scope; its address (slug) stays, so links
    keep working. An empty Welsh field removes that Welsh version."""
    check_manage(user)
    topic = get_topic(slug)
    cleaned = _clean(title, description, scope)
    topic.title_cy, topic.description_cy = _clean_welsh(title_cy, description_cy)
    topic.title, topic.description, topic.scope = cleaned
    db.session.commit()
    return topic
