"""agreement: "Where we agree" rounds, their statements, votes, the stored result and private placements

Issue 16: a topic or a thread can hold a round of short statements; residents vote agree / disagree / pass
(one vote each, changeable) and may add statements, which are moderated like every post. The analysis is
recomputed off the request path and stored (agreement_results, one row per round); where each clustered
voter sits is private (agreement_placements). An outcome may cite a round's consensus statements.

Revision ID: 0018_agreement
Revises: 0017_consultation
Create Date: 2026-12-06 20:11:06.724579

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_agreement"
down_revision = "0017_consultation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "agreement_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.String(length=1200), nullable=False),
        sa.Column("question_cy", sa.String(length=1200), server_default="", nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("description_cy", sa.Text(), server_default="", nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=True),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("allow_statements", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("changes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("computed_changes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("k_state", sa.JSON(), nullable=True),
        sa.Column("seed", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(topic_id IS NULL AND thread_id IS NOT NULL) OR (topic_id IS NOT NULL AND thread_id IS NULL)",
            name=op.f("ck_agreement_rounds_one_subject"),
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_agreement_rounds_created_by_id_users")),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"], name=op.f("fk_agreement_rounds_thread_id_threads")),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"], name=op.f("fk_agreement_rounds_topic_id_topics")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_rounds")),
    )
    with op.batch_alter_table("agreement_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_rounds_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_rounds_thread_id"), ["thread_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_rounds_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "agreement_placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("group", sa.Integer(), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["agreement_rounds.id"], name=op.f("fk_agreement_placements_round_id_agreement_rounds")
        ),
        sa.ForeignKeyConstraint(["voter_id"], ["users.id"], name=op.f("fk_agreement_placements_voter_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_placements")),
        sa.UniqueConstraint("round_id", "voter_id", name="uq_agreement_placements_round_id_voter_id"),
    )
    with op.batch_alter_table("agreement_placements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_placements_voter_id"), ["voter_id"], unique=False)

    op.create_table(
        "agreement_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("clustered", sa.Integer(), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=True),
        sa.Column("public", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["agreement_rounds.id"], name=op.f("fk_agreement_results_round_id_agreement_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_results")),
        sa.UniqueConstraint("round_id", name=op.f("uq_agreement_results_round_id")),
    )
    op.create_table(
        "agreement_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=560), nullable=False),
        sa.Column("is_seed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=True),
        sa.Column("agree", sa.Integer(), server_default="0", nullable=False),
        sa.Column("disagree", sa.Integer(), server_default="0", nullable=False),
        sa.Column("passes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_category", sa.String(length=40), nullable=True),
        sa.Column("state_note", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_agreement_statements_author_id_users")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["agreement_rounds.id"], name=op.f("fk_agreement_statements_round_id_agreement_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_statements")),
        sa.UniqueConstraint("author_id", "submission_key", name="uq_agreement_statements_author_id_submission_key"),
    )
    with op.batch_alter_table("agreement_statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_statements_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_statements_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_statements_fingerprint"), ["fingerprint"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_statements_round_id"), ["round_id"], unique=False)
        batch_op.create_index("ix_agreement_statements_round_id_state", ["round_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_statements_state"), ["state"], unique=False)

    op.create_table(
        "agreement_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("choice IN (-1, 0, 1)", name=op.f("ck_agreement_votes_choice")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["agreement_rounds.id"], name=op.f("fk_agreement_votes_round_id_agreement_rounds")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["agreement_statements.id"],
            name=op.f("fk_agreement_votes_statement_id_agreement_statements"),
        ),
        sa.ForeignKeyConstraint(["voter_id"], ["users.id"], name=op.f("fk_agreement_votes_voter_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_votes")),
        sa.UniqueConstraint("statement_id", "voter_id", name="uq_agreement_votes_statement_id_voter_id"),
    )
    with op.batch_alter_table("agreement_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_votes_round_id"), ["round_id"], unique=False)
        batch_op.create_index("ix_agreement_votes_voter_id_round_id", ["voter_id", "round_id"], unique=False)

    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreement_round_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outcomes_agreement_round_id"), ["agreement_round_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outcomes_agreement_round_id_agreement_rounds"),
            "agreement_rounds",
            ["agreement_round_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outcomes_agreement_round_id_agreement_rounds"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outcomes_agreement_round_id"))
        batch_op.drop_column("agreement_round_id")

    with op.batch_alter_table("agreement_votes", schema=None) as batch_op:
        batch_op.drop_index("ix_agreement_votes_voter_id_round_id")
        batch_op.drop_index(batch_op.f("ix_agreement_votes_round_id"))

    op.drop_table("agreement_votes")
    with op.batch_alter_table("agreement_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_statements_state"))
        batch_op.drop_index("ix_agreement_statements_round_id_state")
        batch_op.drop_index(batch_op.f("ix_agreement_statements_round_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_statements_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_agreement_statements_created_at"))
        batch_op.drop_index(batch_op.f("ix_agreement_statements_author_id"))

    op.drop_table("agreement_statements")
    op.drop_table("agreement_results")
    with op.batch_alter_table("agreement_placements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_placements_voter_id"))

    op.drop_table("agreement_placements")
    with op.batch_alter_table("agreement_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_rounds_topic_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_rounds_thread_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_rounds_state"))

    op.drop_table("agreement_rounds")
