"""accountability_settings: the nation whose official bank holidays count, and the last year loaded

Bank holidays were a list the admin typed, empty until they did, so answers
fell due on Christmas Day. The settings now name the nation (England and
Wales by default) whose official list (the `holidays` library) is loaded; a
list saved before this revision has no year loaded, so the official days
count on top of the days typed.

Revision ID: 0014_account_fixes
Revises: 0010_announced_votes
Create Date: 2026-12-06 03:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0014_account_fixes"
down_revision = "0010_announced_votes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("accountability_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bank_holiday_nation", sa.String(length=20), server_default="england-and-wales", nullable=False)
        )
        batch_op.add_column(sa.Column("bank_holidays_through", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("accountability_settings", schema=None) as batch_op:
        batch_op.drop_column("bank_holidays_through")
        batch_op.drop_column("bank_holiday_nation")
