"""accountability: tracked questions, their assignees and transfers, and the due-date settings

Revision ID: 0007_accountability
Revises: 0006_notifications
Create Date: 2026-11-25 01:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_accountability"
down_revision = "0006_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tracked_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_key", sa.String(length=40), nullable=False),
        sa.Column("session_question_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("put_at", sa.DateTime(), nullable=False),
        sa.Column("tracked_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("how", sa.String(length=10), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answer_body", sa.Text(), nullable=True),
        sa.Column("referred_to", sa.String(length=200), nullable=True),
        sa.Column("referred_at", sa.DateTime(), nullable=True),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("referral_note", sa.Text(), nullable=True),
        sa.Column("referral_reply", sa.Text(), nullable=True),
        sa.Column("referral_reply_at", sa.DateTime(), nullable=True),
        sa.Column("referral_reply_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], name=op.f("fk_tracked_questions_added_by_id_users")),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_tracked_questions_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(["asker_id"], ["users.id"], name=op.f("fk_tracked_questions_asker_id_users")),
        sa.ForeignKeyConstraint(
            ["referral_reply_by_id"], ["users.id"], name=op.f("fk_tracked_questions_referral_reply_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["referred_by_id"], ["users.id"], name=op.f("fk_tracked_questions_referred_by_id_users")
        ),
        sa.ForeignKeyConstraint(["reply_id"], ["replies.id"], name=op.f("fk_tracked_questions_reply_id_replies")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["live_sessions.id"], name=op.f("fk_tracked_questions_session_id_live_sessions")
        ),
        sa.ForeignKeyConstraint(
            ["session_question_id"],
            ["session_questions.id"],
            name=op.f("fk_tracked_questions_session_question_id_session_questions"),
        ),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"], name=op.f("fk_tracked_questions_thread_id_threads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracked_questions")),
        sa.UniqueConstraint("session_question_id", name=op.f("uq_tracked_questions_session_question_id")),
        sa.UniqueConstraint("source_key", name=op.f("uq_tracked_questions_source_key")),
    )
    with op.batch_alter_table("tracked_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tracked_questions_asker_id"), ["asker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tracked_questions_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tracked_questions_status"), ["status"], unique=False)
        batch_op.create_index("ix_tracked_questions_status_due_on", ["status", "due_on"], unique=False)

    op.create_table(
        "question_assignees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracked_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tracked_id"], ["tracked_questions.id"], name=op.f("fk_question_assignees_tracked_id_tracked_questions")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_question_assignees_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_assignees")),
        sa.UniqueConstraint("tracked_id", "user_id", name="uq_question_assignees_tracked_id_user_id"),
    )
    with op.batch_alter_table("question_assignees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_assignees_user_id"), ["user_id"], unique=False)

    op.create_table(
        "question_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracked_id", sa.Integer(), nullable=False),
        sa.Column("from_user_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_question_transfers_by_id_users")),
        sa.ForeignKeyConstraint(
            ["from_user_id"], ["users.id"], name=op.f("fk_question_transfers_from_user_id_users")
        ),
        sa.ForeignKeyConstraint(["to_user_id"], ["users.id"], name=op.f("fk_question_transfers_to_user_id_users")),
        sa.ForeignKeyConstraint(
            ["tracked_id"], ["tracked_questions.id"], name=op.f("fk_question_transfers_tracked_id_tracked_questions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_transfers")),
    )
    with op.batch_alter_table("question_transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_transfers_tracked_id"), ["tracked_id"], unique=False)

    op.create_table(
        "accountability_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("due_working_days", sa.Integer(), nullable=False),
        sa.Column("bank_holidays", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_accountability_settings_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_settings")),
    )


def downgrade():
    op.drop_table("accountability_settings")
    with op.batch_alter_table("question_transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_transfers_tracked_id"))
    op.drop_table("question_transfers")
    with op.batch_alter_table("question_assignees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_assignees_user_id"))
    op.drop_table("question_assignees")
    with op.batch_alter_table("tracked_questions", schema=None) as batch_op:
        batch_op.drop_index("ix_tracked_questions_status_due_on")
        batch_op.drop_index(batch_op.f("ix_tracked_questions_status"))
        batch_op.drop_index(batch_op.f("ix_tracked_questions_session_id"))
        batch_op.drop_index(batch_op.f("ix_tracked_questions_asker_id"))
    op.drop_table("tracked_questions")
