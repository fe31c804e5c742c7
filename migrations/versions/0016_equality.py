"""equality: members' voluntary equality answers, the invitation's dismissal, the area's census profile

Issue 15 (who is missing): answers are kept in their own table keyed by the member's id only, apart from
every table that carries a name; census_profiles holds the area's share per category for the reports.

Revision ID: 0016_equality
Revises: 0015_languages
Create Date: 2026-12-06 16:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0016_equality"
down_revision = "0015_languages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "equality_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=40), nullable=False),
        sa.Column("answer", sa.String(length=60), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_equality_answers_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equality_answers")),
        sa.UniqueConstraint("user_id", "question", name="uq_equality_answers_user_id_question"),
    )
    with op.batch_alter_table("equality_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_equality_answers_user_id"), ["user_id"], unique=False)
    op.create_table(
        "equality_invitations",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_equality_invitations_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_equality_invitations")),
    )
    op.create_table(
        "census_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_census_profiles")),
        sa.UniqueConstraint("question", "category", name="uq_census_profiles_question_category"),
    )


def downgrade():
    op.drop_table("census_profiles")
    op.drop_table("equality_invitations")
    with op.batch_alter_table("equality_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_equality_answers_user_id"))
    op.drop_table("equality_answers")
