"""The 0007 migration builds exactly the tables the models describe (the test database is migrated, not created)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from debate.extensions import db

TABLES = {"tracked_questions", "question_assignees", "question_transfers", "accountability_settings"}


def _ours(diff) -> bool:
    for part in diff if isinstance(diff, list) else [diff]:
        for item in part[1:] if isinstance(part, tuple) else ():
            name = getattr(item, "name", None) if not isinstance(item, str) else None
            table = getattr(item, "table", None)
            if name in TABLES or getattr(table, "name", None) in TABLES or item in TABLES:
                return True
    return False


def test_migration_matches_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, db.metadata) if _ours(d)]
    assert differences == []
