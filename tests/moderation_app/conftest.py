"""Fixtures for the moderation app tests: a test-only content type, so no feature's code is needed.

`Note` is a tiny moderated model on its own MetaData: its table is created for
the test and dropped after, and its content type is registered in the content
registry for the test and unregistered after. Everything moderation does to
forum replies or live questions it does to notes through the same registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import Boolean, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

import moderation
from debate.extensions import db
from debate.models import Role, User
from debate.models.base import utcnow
from debate.models.moderated import ModeratedMixin
from debate.services import content, publishing
from debate.services.moderation import settings as moderation_settings
from tests.realtime.conftest import sockets  # noqa: F401


class NoteBase(DeclarativeBase):
    metadata = MetaData()


class Note(ModeratedMixin, NoteBase):
    __tablename__ = "test_moderation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(80), default="Test place")
    live: Mapped[bool] = mapped_column(Boolean, default=False)


def describe(note: Note) -> content.ContentRef:
    return content.ContentRef(
        type="note",
        id=note.id,
        author_id=note.author_id,
        text=note.body,
        title=None,
        context_kind=moderation.ContextKind.LIVE_SESSION if note.live else moderation.ContextKind.FORUM,
        context_id=note.place,
        context_label=note.place,
        url=f"/notes/{note.id}",
        created_at=note.created_at,
        state=note.state,
        live=note.live,
    )


@dataclass
class Notes:
    """Make notes directly (any state) or through publishing, like a real feature does."""

    changed: list[int] = field(default_factory=list)

    def make(
        self,
        author: User,
        text: str = "A perfectly ordinary note.",
        state: str = "published",
        live: bool = False,
        place: str = "Test place",
    ) -> Note:
        note = Note(
            author_id=author.id,
            body=text,
            state=state,
            live=live,
            place=place,
            fingerprint=moderation.fingerprint(text),
        )
        db.session.add(note)
        db.session.commit()
        return note

    def submit(self, author: User, text: str, live: bool = False) -> Note:
        """Screened like a forum reply: publishing.screen, store with the state, publishing.screened."""
        context = moderation.Context(
            moderation.ContextKind.LIVE_SESSION if live else moderation.ContextKind.FORUM, "place"
        )
        verdict = publishing.screen(author, moderation.ContentKind.REPLY, text, context=context)
        note = Note(
            author_id=author.id,
            body=text,
            state=publishing.initial_state(verdict),
            fingerprint=verdict.fingerprint,
            live=live,
        )
        db.session.add(note)
        db.session.flush()
        publishing.screened("note", note, verdict)
        db.session.commit()
        return note


@pytest.fixture
def notes(app) -> Iterator[Notes]:
    NoteBase.metadata.drop_all(db.engine)
    NoteBase.metadata.create_all(db.engine)
    helper = Notes()
    content.register(
        content.ContentType(
            name="note",
            kind=moderation.ContentKind.REPLY,
            model=Note,
            describe=describe,
            set_text=lambda note, text: setattr(note, "body", text),
            after_change=lambda note: helper.changed.append(note.id),
        )
    )
    yield helper
    content._TYPES.pop("note", None)
    db.session.rollback()
    db.session.remove()
    NoteBase.metadata.drop_all(db.engine)


@pytest.fixture
def established(make_user, notes):
    """A member whose flag weighs 1: joined long ago, with approved posts, in good standing."""

    def make(role: Role = Role.RESIDENT, name: str | None = None) -> User:
        user = make_user(role, name)
        user.created_at = utcnow() - timedelta(days=90)
        db.session.commit()
        for n in range(3):
            notes.make(user, f"Earlier contribution number {n} from {user.display_name}.", place="Elsewhere")
        return user

    return make


@pytest.fixture
def moderators(make_user):
    """Two moderators, for decisions and the appeals that need a different one."""
    return make_user(Role.MODERATOR, "Mo Moderator"), make_user(Role.MODERATOR, "Max Moderator")


@pytest.fixture
def policy(app):
    """Save a policy through the service, as an admin would."""

    def save(admin: User, **changes) -> moderation.Policy:
        data = moderation.Policy().to_dict()
        for path, value in changes.items():
            section, _, key = path.partition("__")
            if key:
                data[section][key] = value
            else:
                data[section] = value
        return moderation_settings.save_policy(admin, data)

    return save
