"""sign_in_locks: wrong passwords counted per email address, whether or not an account uses it

Sign-in was locked per account (users.failed_logins, users.locked_until), so after five wrong
passwords a real account answered 429 while an unknown address kept answering 400: a way to learn
who has an account. The count now lives in its own table, keyed by a keyed hash of the address
typed (no stranger's address is stored), for every address alike; the two users columns go.

Revision ID: 0014_sign_in_locks
Revises: 0013_text_columns
Create Date: 2026-12-07 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0014_sign_in_locks"
down_revision = "0013_text_columns"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_locks",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("counting_since", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_locks")),
    )
    op.create_index(op.f("ix_sign_in_locks_expires_at"), "sign_in_locks", ["expires_at"], unique=False)
    # SQLite (3.35+) drops a column in place: no rebuild of the users table that every other table refers to.
    op.drop_column("users", "locked_until")
    op.drop_column("users", "failed_logins")


def downgrade():
    op.add_column("users", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
    op.add_column("users", sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.drop_index(op.f("ix_sign_in_locks_expires_at"), table_name="sign_in_locks")
    op.drop_table("sign_in_locks")
