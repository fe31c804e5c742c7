"""merge the forums and moderation branches

Revision ID: 0004_merge
Revises: 0002_forums, 0003_moderation
"""

revision = "0004_merge"
down_revision = ("0002_forums", "0003_moderation")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
