"""merge the Where we agree branches: rounds of statements, and the live room's broad-support order

Revision ID: 0019_where_we_agree
Revises: 0018_agreement, 0018_broad_support
"""

revision = "0019_where_we_agree"
down_revision = ("0018_agreement", "0018_broad_support")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
