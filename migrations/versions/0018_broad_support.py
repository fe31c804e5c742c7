"""broad support: a live session's order rule, and the latest bridging result of each room in that order

Issue 16 (where we agree): a host may order the room's questions by broad support (a bridging score from
the voter x question upvotes, debate/services/live/bridging.py) instead of most votes. The session keeps
its rule; `session_bridging` keeps the latest result; each question counts its vote changes, so a result
is stored only over an older one.

Revision ID: 0018_broad_support
Revises: 0017_consultation
Create Date: 2026-12-06 20:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_broad_support"
down_revision = "0017_consultation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_rule", sa.String(length=10), server_default="votes", nullable=False))
    with op.batch_alter_table("session_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vote_changes", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "session_bridging",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("voters", sa.Integer(), nullable=False),
        sa.Column("questions", sa.Integer(), nullable=False),
        sa.Column("fallback", sa.Boolean(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["live_sessions.id"], name=op.f("fk_session_bridging_session_id_live_sessions")
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_session_bridging")),
    )


def downgrade():
    op.drop_table("session_bridging")
    with op.batch_alter_table("session_questions", schema=None) as batch_op:
        batch_op.drop_column("vote_changes")
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_column("order_rule")
