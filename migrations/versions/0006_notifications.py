"""notification centre: notifications, email preferences, session follows

Revision ID: 0006_notifications
Revises: 0005_live
Create Date: 2026-11-25 01:28:40.114314

Moderation notices stay in moderation_notices (the record appeals refer to);
from now on each one also becomes a notification, so the existing ones are
copied in here as kind "moderation", read or not as they were.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_notifications"
down_revision = "0005_live"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.Column("digest_sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_user_id_created_at", ["user_id", "created_at"], unique=False)
        batch_op.create_index("ix_notifications_user_id_read_at", ["user_id", "read_at"], unique=False)

    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notification_preferences_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint("user_id", "kind", name="uq_notification_preferences_user_id_kind"),
    )

    op.create_table(
        "session_follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("notified_start_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"], ["live_sessions.id"], name=op.f("fk_session_follows_session_id_live_sessions")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_session_follows_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_follows")),
        sa.UniqueConstraint("session_id", "user_id", name="uq_session_follows_session_id_user_id"),
    )
    with op.batch_alter_table("session_follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_follows_user_id"), ["user_id"], unique=False)

    # Existing moderation notices become notifications (nothing is emailed for them now).
    op.execute(
        """
        INSERT INTO notifications (user_id, kind, subject, text, link, created_at, read_at)
        SELECT user_id, 'moderation', '', text, '/notices', created_at,
               CASE WHEN "read" THEN created_at ELSE NULL END
        FROM moderation_notices
        """
    )


def downgrade():
    with op.batch_alter_table("session_follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_follows_user_id"))
    op.drop_table("session_follows")
    op.drop_table("notification_preferences")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_id_read_at")
        batch_op.drop_index("ix_notifications_user_id_created_at")
    op.drop_table("notifications")
