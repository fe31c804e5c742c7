"""The migrations, on PostgreSQL and SQLite, each case on a fresh database of its own.

- From nothing to the heads: the schema is exactly what the models describe
  (Alembic's compare_metadata over the whole schema, types included).
- From the previous release (revision 0008, the head before issue 7) holding
  representative rows (the demo content: forums, moderation, live sessions,
  notifications, written answers, outcomes): to the heads, every row survives
  and the app works on it.
- Down to 0008 and up again.

The 0008 database with rows is made by loading the demo at the heads and
downgrading; that this gives exactly the 0008 schema is itself checked
against a database only ever upgraded to 0008.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, func, inspect, select, text

from debate import create_app
from debate.extensions import db
from debate.models import User
from debate.models.live import LiveSession, QuestionVote, SessionQuestion
from debate.services.live import pulse as live_pulse
from debate.services.live import questions as live_questions
from tests.integration import cluster

PREVIOUS_RELEASE = "0008_outcomes"
# Full-text search is made by hand per dialect (0002), not by the models: SQLite's FTS5 tables
# (forum_search*), PostgreSQL's generated tsvector columns and their GIN indexes (*search_vector).


@contextmanager
def database(backend: str, tmp_path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'migrations-{uuid.uuid4().hex[:8]}.sqlite'}"
    else:
        with cluster.fresh_database("migrations") as url:
            yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_app(request, tmp_path):
    """An app on an empty database of its own (nothing migrated yet)."""
    with database(request.param, tmp_path) as url:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": url,
                "SQLALCHEMY_ENGINE_OPTIONS": {},
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "SOCKETIO_ASYNC_MODE": "threading",
                "SERVER_URL": "http://localhost",
                "LIVE_FLUSH_MS": 0,
            }
        )
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


def _ours(name: str | None) -> bool:
    return not (name or "").startswith("forum_search") and not (name or "").endswith("search_vector")


def differences(metadata: MetaData | None = None) -> list:
    """What compare_metadata finds between the database and `metadata` (the models by default)."""

    def include(obj, name, kind, reflected, compare_to):
        table = obj if kind == "table" else getattr(obj, "table", None)
        return _ours(name) and _ours(getattr(table, "name", None))

    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include, "compare_server_default": False}
        )
        return list(compare_metadata(context, metadata if metadata is not None else db.metadata))


def revisions() -> set[str]:
    with db.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def row_counts() -> dict[str, int]:
    names = [t for t in inspect(db.engine).get_table_names() if _ours(t) and t != "alembic_version"]
    with db.engine.connect() as conn:
        return {name: conn.scalar(select(func.count()).select_from(text(name))) for name in names}


def load_demo(app) -> None:
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def test_an_empty_database_upgrades_to_exactly_the_models(migrated_app):
    upgrade(revision="heads")
    assert differences() == []
    assert revisions() == _heads()


def _heads() -> set[str]:
    from alembic.script import ScriptDirectory

    config = migrate_config()
    return set(ScriptDirectory.from_config(config).get_heads())


def migrate_config():
    from flask import current_app

    return current_app.extensions["migrate"].migrate.get_config()


def test_the_previous_release_with_its_rows_upgrades_and_the_app_works(migrated_app, tmp_path):
    upgrade(revision="heads")
    load_demo(migrated_app)
    downgrade(revision=PREVIOUS_RELEASE)
    assert revisions() == {PREVIOUS_RELEASE}
    assert differences(_schema_of_the_previous_release(migrated_app, tmp_path)) == []
    before = row_counts()
    assert sum(before.values()) > 100, before

    upgrade(revision="heads")
    assert revisions() == _heads()
    assert differences() == []
    after = row_counts()
    assert {name: after[name] for name in before} == before
    _the_app_works(migrated_app)


def test_down_to_the_previous_release_and_up_again(migrated_app):
    upgrade(revision="heads")
    downgrade(revision=PREVIOUS_RELEASE)
    assert revisions() == {PREVIOUS_RELEASE}
    upgrade(revision="heads")
    assert differences() == []
    load_demo(migrated_app)
    _the_app_works(migrated_app)


def _schema_of_the_previous_release(app, tmp_path) -> MetaData:
    """The schema of a database only ever upgraded to 0008 (same backend), reflected."""
    backend = db.engine.dialect.name
    with database("sqlite" if backend == "sqlite" else "postgresql", tmp_path) as url:
        other = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}, "TESTING": True})
        with other.app_context():
            upgrade(revision=PREVIOUS_RELEASE)
            reflected = MetaData()
            reflected.reflect(db.engine)
            db.engine.dispose()
    return reflected


def _the_app_works(app) -> None:
    """Pages render from the upgraded rows, and a vote on an existing question is counted and announced."""
    client = app.test_client()
    live = db.session.scalar(select(LiveSession).where(LiveSession.state == LiveSession.LIVE).limit(1))
    assert live is not None, "the demo has a live session"
    for path in ("/", "/topics/housing", f"/sessions/{live.id}", f"/sessions/{live.id}/transcript", "/transparency"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    question = db.session.scalar(
        select(SessionQuestion).where(
            SessionQuestion.session_id == live.id,
            SessionQuestion.status == SessionQuestion.OPEN,
            SessionQuestion.state.in_(SessionQuestion.PUBLIC_STATES),
        )
    )
    voted = select(QuestionVote.user_id).where(QuestionVote.question_id == question.id)
    voter = db.session.scalar(
        select(User).where(User.role == "resident", User.id != question.author_id, User.id.not_in(voted))
    )
    before = question.vote_count
    counted = live_questions.set_vote(voter, question.id, True)
    assert counted.vote_count == before + 1
    live_pulse.flush()
    db.session.refresh(counted)
    assert counted.announced_votes == counted.vote_count
