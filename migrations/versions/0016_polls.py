"""polls: live polls in a session, their options, and one answer per person

Issue 15 (consultation): a host or moderator prepares polls for a live session (single or multiple choice,
a 1-5 scale, a short text), opens and closes them in the room; residents answer once each, and may change
their answer until the poll closes. A short-text answer is moderated like a chat message.

Revision ID: 0016_polls
Revises: 0015_languages
Create Date: 2026-12-06 16:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0016_polls"
down_revision = "0015_languages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=1200), nullable=False),
        sa.Column("question_cy", sa.String(length=1200), server_default="", nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("hide_results", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("changes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("announced_changes", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_polls_created_by_id_users")),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"], name=op.f("fk_polls_session_id_live_sessions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polls")),
    )
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_polls_session_id"), ["session_id"], unique=False)

    op.create_table(
        "poll_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=600), nullable=False),
        sa.Column("label_cy", sa.String(length=600), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], name=op.f("fk_poll_options_poll_id_polls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_options")),
    )
    with op.batch_alter_table("poll_options", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poll_options_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "poll_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("change", sa.Integer(), server_default="0", nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_category", sa.String(length=40), nullable=True),
        sa.Column("state_note", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_poll_answers_author_id_users")),
        sa.ForeignKeyConstraint(["poll_id"], ["polls.id"], name=op.f("fk_poll_answers_poll_id_polls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_answers")),
        sa.UniqueConstraint("poll_id", "author_id", name="uq_poll_answers_poll_id_author_id"),
    )
    with op.batch_alter_table("poll_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poll_answers_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_poll_answers_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_poll_answers_fingerprint"), ["fingerprint"], unique=False)
        batch_op.create_index("ix_poll_answers_poll_id_state", ["poll_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_poll_answers_state"), ["state"], unique=False)


def downgrade():
    with op.batch_alter_table("poll_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poll_answers_state"))
        batch_op.drop_index("ix_poll_answers_poll_id_state")
        batch_op.drop_index(batch_op.f("ix_poll_answers_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_poll_answers_created_at"))
        batch_op.drop_index(batch_op.f("ix_poll_answers_author_id"))
    op.drop_table("poll_answers")
    with op.batch_alter_table("poll_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poll_options_poll_id"))
    op.drop_table("poll_options")
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_polls_session_id"))
    op.drop_table("polls")
