"""display tokens: secret addresses of the bureau's wall screens

Revision ID: ff4f78a22a24
Revises: 00e9b2d2056c
Create Date: 2026-12-08 00:00:03.194860

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ff4f78a22a24'
down_revision = '00e9b2d2056c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('display_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_display_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_display_tokens_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_display_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_display_tokens_token_hash'))
    )
    with op.batch_alter_table('display_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_display_tokens_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('display_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_display_tokens_unit_id'))

    op.drop_table('display_tokens')
