"""Text columns wide enough for their limits in characters as people see them

Limits now count extended grapheme clusters (one emoji, however many code
points it takes, is one character), with a safety cap of four code points per
character. A display name of 60 characters can so take up to 240 code points,
which VARCHAR(60) refused on PostgreSQL. Each column that holds a one-line
field with a limit is widened to its cap.

SQLite does not enforce VARCHAR lengths and cannot alter a column's type
without rebuilding its table (which would drop the forum search triggers), so
there only the declared type is rewritten, by the procedure SQLite documents for
schema changes that leave the stored data as it is (PRAGMA writable_schema).

Revision ID: 0013_text_columns
Revises: 0012_name_skeletons
Create Date: 2026-12-06 11:00:00.000000

"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0013_text_columns"
down_revision = "0012_name_skeletons"
branch_labels = None
depends_on = None

# (table, column, old length, new length): the limit (60, 120, 150, 200 characters) times four.
WIDENED = [
    ("users", "display_name", 60, 240),
    ("representative_profiles", "title", 120, 480),
    ("representative_profiles", "area", 120, 480),
    ("representative_profiles", "party", 120, 480),
    ("topics", "title", 120, 480),
    ("threads", "title", 150, 600),
    ("forum_revisions", "title", 150, 600),
    ("live_sessions", "title", 150, 600),
    ("tracked_questions", "referred_to", 200, 800),
]


# threads.search_vector (0002) is generated from the title: PostgreSQL alters a column only with
# nothing generated from it, so the vector and its index are dropped and made again, as in 0002.
THREAD_SEARCH = [
    "ALTER TABLE threads ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED",
    "CREATE INDEX ix_threads_search_vector ON threads USING gin (search_vector)",
]


def upgrade():
    _resize(new=True)


def downgrade():
    _resize(new=False)


def _resize(new: bool) -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _declare_on_sqlite(conn, new)
        return
    op.execute("DROP INDEX IF EXISTS ix_threads_search_vector")
    op.execute("ALTER TABLE threads DROP COLUMN IF EXISTS search_vector")
    for table, column, old, wide in WIDENED:
        op.alter_column(
            table, column, type_=sa.String(wide if new else old), existing_type=sa.String(old if new else wide)
        )
    for statement in THREAD_SEARCH:
        op.execute(statement)


def _declare_on_sqlite(conn, new: bool) -> None:
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    conn.exec_driver_sql("PRAGMA writable_schema=ON")
    for table, column, old, wide in WIDENED:
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)).scalar()
        before, after = (old, wide) if new else (wide, old)
        changed, count = re.subn(rf"\b{column} VARCHAR\({before}\)", f"{column} VARCHAR({after})", sql)
        if count != 1:
            raise RuntimeError(f"{table}.{column}: expected one VARCHAR({before}) declaration")
        conn.exec_driver_sql("UPDATE sqlite_master SET sql=? WHERE type='table' AND name=?", (changed, table))
    conn.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema=OFF")
