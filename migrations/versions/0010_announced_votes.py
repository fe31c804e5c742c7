"""session_questions.announced_votes: votes still to announce, in shared state rather than one process's memory

A vote is counted at once and announced by a flusher a moment later. The
difference between `vote_count` and `announced_votes` is what is still to
announce; every server process sweeps it, so a vote committed by a process
killed before its flush still reaches the room.

Revision ID: 0010_announced_votes
Revises: 0009_page_indexes
Create Date: 2026-12-03 16:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0010_announced_votes"
down_revision = "0009_page_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("session_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announced_votes", sa.Integer(), server_default="0", nullable=False))
    # Sessions already over need no announcing. Questions of live sessions stay at 0, so the first
    # sweep sends their counts once (what the old flusher did when a process started).
    op.execute(
        "UPDATE session_questions SET announced_votes = vote_count"
        " WHERE session_id NOT IN (SELECT id FROM live_sessions WHERE state = 'live')"
    )


def downgrade():
    with op.batch_alter_table("session_questions", schema=None) as batch_op:
        batch_op.drop_column("announced_votes")
