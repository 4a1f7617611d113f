"""file requests: asking the unit that holds a person's file for access or the file

Revision ID: bd272feb4e3a
Revises: 0c59d5ac0b2a
Create Date: 2026-12-07 20:11:46.986140

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bd272feb4e3a'
down_revision = '0c59d5ac0b2a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('file_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('access', 'transfer', name='filerequestkind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('pending', 'granted', 'declined', 'withdrawn', 'revoked', name='filerequeststatus', native_enum=False, length=32), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('masked_id_number', sa.String(length=18), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer_note', sa.Text(), nullable=True),
    sa.Column('access_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_file_requests_answered_by_id_users')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'], name=op.f('fk_file_requests_from_unit_id_units')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_file_requests_requested_by_id_users')),
    sa.ForeignKeyConstraint(['service_user_id'], ['service_users.id'], name=op.f('fk_file_requests_service_user_id_service_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_file_requests_to_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_requests'))
    )
    with op.batch_alter_table('file_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_requests_from_unit_id'), ['from_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_requests_service_user_id'), ['service_user_id'], unique=False)
        batch_op.create_index('ix_file_requests_to_unit_status', ['to_unit_id', 'status'], unique=False)

    # A unit sees the people of its cases, also when their file is held elsewhere.
    op.create_index('ix_cases_unit_person', 'cases', ['unit_id', 'service_user_id'], unique=False)



def downgrade():
    op.drop_index('ix_cases_unit_person', table_name='cases')
    with op.batch_alter_table('file_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_file_requests_to_unit_status')
        batch_op.drop_index(batch_op.f('ix_file_requests_service_user_id'))
        batch_op.drop_index(batch_op.f('ix_file_requests_from_unit_id'))

    op.drop_table('file_requests')
