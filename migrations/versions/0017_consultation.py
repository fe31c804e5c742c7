"""merge the consultation branches: live polls, surveys, equality monitoring

Revision ID: 0017_consultation
Revises: 0016_polls, 0016_surveys, 0016_equality
"""

revision = "0017_consultation"
down_revision = ("0016_polls", "0016_surveys", "0016_equality")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
