"""audit hash chain and append-only triggers

Revision ID: 4e9cadb9adbe
Revises: 3d967c4073f6
Create Date: 2026-12-07 10:38:33.410489

"""
from alembic import op
import sqlalchemy as sa

from casework.core.audit_chain import install_guard, remove_guard


# revision identifiers, used by Alembic.
revision = '4e9cadb9adbe'
down_revision = '3d967c4073f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('base_seq', sa.Integer(), nullable=False),
    sa.Column('base_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_audit_entries_unsealed', ['id'], unique=False, sqlite_where=sa.text('seq IS NULL'), postgresql_where=sa.text('seq IS NULL'))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entries_seq'), ['seq'])
    # Entries written before this revision are sealed by the first request or verify-audit.
    install_guard(op.get_bind())


def downgrade():
    remove_guard(op.get_bind())
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entries_seq'), type_='unique')
        batch_op.drop_index('ix_audit_entries_unsealed', sqlite_where=sa.text('seq IS NULL'), postgresql_where=sa.text('seq IS NULL'))
        batch_op.drop_column('entry_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')

    op.drop_table('audit_chain')
