"""users.name_skeleton(_cased): each display name's look-alike skeletons, indexed

A new or changed display name is refused when it looks like another member's
(Unicode TR39 confusable skeletons, debate/lookalike.py); keeping both forms
of every name in an indexed column makes that one query. Existing names are
backfilled here.

Revision ID: 0012_name_skeletons
Revises: 0011_account_fixes
Create Date: 2026-12-06 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from debate import lookalike

revision = "0012_name_skeletons"
down_revision = "0011_account_fixes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_skeleton", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("name_skeleton_cased", sa.Text(), server_default="", nullable=False))
        batch_op.create_index("ix_users_name_skeleton", ["name_skeleton"], unique=False)
        batch_op.create_index("ix_users_name_skeleton_cased", ["name_skeleton_cased"], unique=False)
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("display_name", sa.String),
        sa.column("name_skeleton", sa.Text),
        sa.column("name_skeleton_cased", sa.Text),
    )
    conn = op.get_bind()
    rows = [
        {"uid": user_id, "name_skeleton": folded, "name_skeleton_cased": cased}
        for user_id, name in conn.execute(sa.select(users.c.id, users.c.display_name))
        for folded, cased in [lookalike.skeletons(name or "")]
    ]
    if rows:
        conn.execute(users.update().where(users.c.id == sa.bindparam("uid")), rows)


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_name_skeleton_cased")
        batch_op.drop_index("ix_users_name_skeleton")
        batch_op.drop_column("name_skeleton_cased")
        batch_op.drop_column("name_skeleton")
