"""retention periods set by the administrator

Revision ID: c16b01abae1b
Revises: d1277b0a903b
Create Date: 2026-12-07 11:50:18.941471

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c16b01abae1b'
down_revision = 'd1277b0a903b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retention_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_years', sa.Integer(), nullable=False),
    sa.Column('help_years', sa.Integer(), nullable=False),
    sa.Column('audit_days', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_retention_policy_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_policy'))
    )


def downgrade():
    op.drop_table('retention_policy')
