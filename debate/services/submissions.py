"""A client's one-time submission key: the same form or message sent twice makes one post.

Threads and replies (`forums.posts`), live questions (`live.questions`) and a round's statements
(`agreement.statements`) take a key the form or client chose. The first row stored under (author, key)
stands: a repeat gets that row back instead of making a second one, also when both arrive at once (the
unique key on (author_id, submission_key) decides).
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select

from debate.errors import Conflict, Text
from debate.extensions import db
from debate.models.accounts import User
from debate.models.agreement import Statement
from debate.models.forums import Reply, Thread
from debate.models.live import SessionQuestion

KEY_MIN, KEY_MAX = 8, 64  # printable characters in a submission key

Posted = TypeVar("Posted", Thread, Reply, SessionQuestion, Statement)


def clean_key(value: object) -> str | None:
    """The form's one-time submission key; anything odd is ignored rather than refused."""
    if isinstance(value, str) and KEY_MIN <= len(value) <= KEY_MAX and value.isprintable():
        return value
    return None


def earlier(model: type[Posted], user: User, key: str | None) -> Posted | None:
    """What this person already sent under this key, if anything."""
    if key is None:
        return None
    return db.session.scalar(select(model).where(model.author_id == user.id, model.submission_key == key))


def after_race(model: type[Posted], user: User, key: str | None, refusal: Text) -> Posted:
    """The insert hit the unique key: roll back, and return the row the other request stored under the key.

    Without one (the clash was something else), Conflict(refusal): a gettext string, in the reader's language.
    """
    db.session.rollback()
    row = earlier(model, user, key)
    if row is None:
        raise Conflict(refusal)
    return row
