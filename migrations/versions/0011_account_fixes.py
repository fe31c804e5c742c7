"""bank holidays by nation; why a live question was taken ahead of the room's order

accountability_settings: the nation whose official bank holidays count, and
the last year loaded.

Bank holidays were a list the admin typed, empty until they did, so answers
fell due on Christmas Day. The settings now name the nation (England and
Wales by default) whose official list (the `holidays` library) is loaded; a
list saved before this revision has no year loaded, so the official days
count on top of the days typed.

session_questions.out_of_order_reason and out_of_order_note: why the panel
took a question up (or a moderator pinned it "next up") ahead of the
published order; the room, the transcript and the exports show it, and the
moderation audit log keeps each departure.

Revision ID: 0011_account_fixes
Revises: 0010_announced_votes
Create Date: 2026-12-06 03:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0011_account_fixes"
down_revision = "0010_announced_votes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("accountability_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bank_holiday_nation", sa.String(length=20), server_default="england-and-wales", nullable=False)
        )
        batch_op.add_column(sa.Column("bank_holidays_through", sa.Integer(), nullable=True))
    with op.batch_alter_table("session_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("out_of_order_reason", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("out_of_order_note", sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table("session_questions", schema=None) as batch_op:
        batch_op.drop_column("out_of_order_note")
        batch_op.drop_column("out_of_order_reason")
    with op.batch_alter_table("accountability_settings", schema=None) as batch_op:
        batch_op.drop_column("bank_holidays_through")
        batch_op.drop_column("bank_holiday_nation")
