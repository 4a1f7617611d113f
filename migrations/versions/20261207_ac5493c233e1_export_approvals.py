"""export approvals

Revision ID: ac5493c233e1
Revises: 4e9cadb9adbe
Create Date: 2026-12-07 10:54:24.334445

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ac5493c233e1'
down_revision = '4e9cadb9adbe'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('file_format', sa.String(length=8), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', 'downloaded', 'withdrawn', name='approvalstatus', native_enum=False, length=32), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('downloaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_export_approvals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_export_approvals_requested_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_export_approvals_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_approvals'))
    )
    with op.batch_alter_table('export_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_approvals_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_approvals_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('export_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_approvals_unit_id'))
        batch_op.drop_index(batch_op.f('ix_export_approvals_requested_by_id'))

    op.drop_table('export_approvals')
