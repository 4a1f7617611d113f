"""case transfers between units

Revision ID: c42c495b7399
Revises: cb585c0aa7bf
Create Date: 2026-12-07 17:16:15.010858

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c42c495b7399'
down_revision = 'cb585c0aa7bf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'rejected', 'withdrawn', name='transferstatus', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('handover_note', sa.Text(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_worker_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('to_worker_id', sa.Integer(), nullable=True),
    sa.Column('transferred_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_transfers_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_case_transfers_decided_by_id_users')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'], name=op.f('fk_case_transfers_from_unit_id_units')),
    sa.ForeignKeyConstraint(['from_worker_id'], ['users.id'], name=op.f('fk_case_transfers_from_worker_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_case_transfers_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_case_transfers_to_unit_id_units')),
    sa.ForeignKeyConstraint(['to_worker_id'], ['users.id'], name=op.f('fk_case_transfers_to_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_transfers'))
    )
    with op.batch_alter_table('case_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_transfers_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_transfers_from_unit_id'), ['from_unit_id'], unique=False)
        batch_op.create_index('ix_case_transfers_to_unit_status', ['to_unit_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('case_transfers', schema=None) as batch_op:
        batch_op.drop_index('ix_case_transfers_to_unit_status')
        batch_op.drop_index(batch_op.f('ix_case_transfers_from_unit_id'))
        batch_op.drop_index(batch_op.f('ix_case_transfers_case_id'))

    op.drop_table('case_transfers')
