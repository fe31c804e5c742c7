"""moderation: review queue, flags, decisions, sanctions, appeals, notices, settings, append-only audit log

Revision ID: 0003_moderation
Revises: 0001_accounts
Create Date: 2026-11-25 09:00:00

On PostgreSQL a trigger refuses UPDATE and DELETE on the audit log, whatever
the client; the app's ORM refuses them too (debate/models/moderation.py), which
is the only guard on SQLite.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_moderation'
down_revision = '0001_accounts'
branch_labels = None
depends_on = None

AUDIT_FUNCTION = """
CREATE OR REPLACE FUNCTION moderation_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the moderation audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
AUDIT_TRIGGER = """
CREATE TRIGGER moderation_audit_append_only
BEFORE UPDATE OR DELETE ON moderation_audit
FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only()
"""


def _user_fk(table, column):
    return sa.ForeignKeyConstraint([column], ['users.id'], name=op.f(f'fk_{table}_{column}_users'))


def upgrade():
    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('context_kind', sa.String(length=20), nullable=False),
    sa.Column('context_id', sa.String(length=80), nullable=False),
    sa.Column('context_label', sa.String(length=200), nullable=False),
    sa.Column('live', sa.Boolean(), nullable=False),
    sa.Column('cause', sa.String(length=20), nullable=False),
    sa.Column('flag_weight', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('held_at', sa.DateTime(), nullable=True),
    sa.Column('held_code', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    _user_fk('review_items', 'author_id'),
    _user_fk('review_items', 'claimed_by_id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items')),
    sa.UniqueConstraint('content_type', 'content_id', name='uq_review_items_content')
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_items_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_items_status'), ['status'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_item_id', sa.Integer(), nullable=False),
    sa.Column('flagger_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('outcome_at', sa.DateTime(), nullable=True),
    _user_fk('flags', 'flagger_id'),
    sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id'], name=op.f('fk_flags_review_item_id_review_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('review_item_id', 'flagger_id', name='uq_flags_item_flagger')
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_flagger_id'), ['flagger_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_review_item_id'), ['review_item_id'], unique=False)

    op.create_table('moderation_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_item_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('moderator_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('state_before', sa.String(length=20), nullable=False),
    sa.Column('state_after', sa.String(length=20), nullable=False),
    sa.Column('text_before', sa.Text(), nullable=True),
    sa.Column('text_after', sa.Text(), nullable=True),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    _user_fk('moderation_decisions', 'moderator_id'),
    _user_fk('moderation_decisions', 'subject_id'),
    sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id'], name=op.f('fk_moderation_decisions_review_item_id_review_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decisions'))
    )
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_decisions_decided_at'), ['decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_decisions_moderator_id'), ['moderator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_decisions_review_item_id'), ['review_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_decisions_subject_id'), ['subject_id'], unique=False)

    op.create_table('sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('overturned', sa.Boolean(), nullable=False),
    _user_fk('sanctions', 'lifted_by_id'),
    _user_fk('sanctions', 'moderator_id'),
    _user_fk('sanctions', 'subject_id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sanctions'))
    )
    with op.batch_alter_table('sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sanctions_subject_id'), ['subject_id'], unique=False)

    op.create_table('appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('sanction_id', sa.Integer(), nullable=True),
    sa.Column('appellant_id', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    _user_fk('appeals', 'appellant_id'),
    _user_fk('appeals', 'assigned_to_id'),
    _user_fk('appeals', 'decided_by_id'),
    sa.ForeignKeyConstraint(['decision_id'], ['moderation_decisions.id'], name=op.f('fk_appeals_decision_id_moderation_decisions')),
    sa.ForeignKeyConstraint(['sanction_id'], ['sanctions.id'], name=op.f('fk_appeals_sanction_id_sanctions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals')),
    sa.UniqueConstraint('decision_id', name=op.f('uq_appeals_decision_id')),
    sa.UniqueConstraint('sanction_id', name=op.f('uq_appeals_sanction_id'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeals_appellant_id'), ['appellant_id'], unique=False)

    op.create_table('moderation_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('sanction_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read', sa.Boolean(), nullable=False),
    _user_fk('moderation_notices', 'user_id'),
    sa.ForeignKeyConstraint(['decision_id'], ['moderation_decisions.id'], name=op.f('fk_moderation_notices_decision_id_moderation_decisions')),
    sa.ForeignKeyConstraint(['sanction_id'], ['sanctions.id'], name=op.f('fk_moderation_notices_sanction_id_sanctions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_notices'))
    )
    with op.batch_alter_table('moderation_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_notices_user_id'), ['user_id'], unique=False)

    op.create_table('moderation_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy', sa.JSON(), nullable=False),
    sa.Column('revision', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    _user_fk('moderation_settings', 'updated_by_id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_settings'))
    )

    op.create_table('moderation_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    _user_fk('moderation_audit', 'actor_id'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_audit'))
    )
    with op.batch_alter_table('moderation_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_audit_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_audit_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_audit_at'), ['at'], unique=False)
        batch_op.create_index('ix_moderation_audit_target', ['target_type', 'target_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(AUDIT_FUNCTION)
        op.execute(AUDIT_TRIGGER)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS moderation_audit_append_only ON moderation_audit')
        op.execute('DROP FUNCTION IF EXISTS moderation_audit_append_only()')
    op.drop_table('moderation_audit')
    op.drop_table('moderation_settings')
    op.drop_table('moderation_notices')
    op.drop_table('appeals')
    op.drop_table('sanctions')
    op.drop_table('moderation_decisions')
    op.drop_table('flags')
    op.drop_table('review_items')
