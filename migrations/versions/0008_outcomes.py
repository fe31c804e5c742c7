"""outcomes ("you said, we did") of sessions and threads, with their update history

Revision ID: 0008_outcomes
Revises: 0007_accountability
Create Date: 2026-11-27 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_outcomes"
down_revision = "0007_accountability"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("heard", sa.Text(), nullable=False),
        sa.Column("will_happen", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(session_id IS NULL AND thread_id IS NOT NULL) OR (session_id IS NOT NULL AND thread_id IS NULL)",
            name=op.f("ck_outcomes_one_subject"),
        ),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_outcomes_author_id_users")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["live_sessions.id"], name=op.f("fk_outcomes_session_id_live_sessions")
        ),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"], name=op.f("fk_outcomes_thread_id_threads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
        sa.UniqueConstraint("session_id", name=op.f("uq_outcomes_session_id")),
        sa.UniqueConstraint("thread_id", name=op.f("uq_outcomes_thread_id")),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcomes_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outcomes_published_at"), ["published_at"], unique=False)

    op.create_table(
        "outcome_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("heard", sa.Text(), nullable=False),
        sa.Column("will_happen", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_outcome_updates_author_id_users")),
        sa.ForeignKeyConstraint(
            ["outcome_id"], ["outcomes.id"], name=op.f("fk_outcome_updates_outcome_id_outcomes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_updates")),
    )
    with op.batch_alter_table("outcome_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_updates_author_id"), ["author_id"], unique=False)
        batch_op.create_index("ix_outcome_updates_outcome_id_id", ["outcome_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("outcome_updates", schema=None) as batch_op:
        batch_op.drop_index("ix_outcome_updates_outcome_id_id")
        batch_op.drop_index(batch_op.f("ix_outcome_updates_author_id"))

    op.drop_table("outcome_updates")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcomes_published_at"))
        batch_op.drop_index(batch_op.f("ix_outcomes_author_id"))

    op.drop_table("outcomes")
