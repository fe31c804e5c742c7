"""languages: a member's chosen language, official content in Welsh, a post's marked language, Welsh speakers

Issue 14 (Welsh and English in full parity): users.locale records a member's language for their pages,
emails and notifications; topics, live sessions, outcomes, written answers and official responses keep a
Welsh version beside the English; threads and replies keep the language their author marked; a session's
followers say whether they will speak Welsh.

Revision ID: 0015_languages
Revises: 0014_sign_in_locks
Create Date: 2026-12-06 13:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0015_languages"
down_revision = "0014_sign_in_locks"
branch_labels = None
depends_on = None

WELSH_TEXT = {
    "topics": [("title_cy", sa.String(length=480)), ("description_cy", sa.Text())],
    "live_sessions": [("title_cy", sa.String(length=600)), ("description_cy", sa.Text())],
    "outcomes": [("heard_cy", sa.Text()), ("will_happen_cy", sa.Text())],
    "tracked_questions": [("answer_body_cy", sa.Text())],
    "official_responses": [("body_cy", sa.Text())],
}


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
    for table, columns in WELSH_TEXT.items():
        with op.batch_alter_table(table) as batch:
            for name, kind in columns:
                batch.add_column(sa.Column(name, kind, nullable=False, server_default=""))
    for table in ("threads", "replies"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("lang", sa.String(length=16), nullable=True))
    with op.batch_alter_table("session_follows") as batch:
        batch.add_column(sa.Column("speaks_welsh", sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table("session_follows") as batch:
        batch.drop_column("speaks_welsh")
    for table in ("replies", "threads"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("lang")
    for table, columns in reversed(WELSH_TEXT.items()):
        with op.batch_alter_table(table) as batch:
            for name, _kind in reversed(columns):
                batch.drop_column(name)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
