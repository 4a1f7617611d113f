"""residents' rights requests, consent withdrawal

Revision ID: d1277b0a903b
Revises: d4f48e8293a7
Create Date: 2026-12-07 11:29:15.957450

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1277b0a903b'
down_revision = 'd4f48e8293a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rights_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('access', 'correction', 'deletion', 'withdrawal', 'explanation', name='rightskind', native_enum=False, length=32), nullable=False),
    sa.Column('channel', sa.Enum('walk_in', 'phone', 'letter', 'online', name='rightschannel', native_enum=False, length=32), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'refused', name='rightsstatus', native_enum=False, length=32), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_rights_requests_handled_by_id_users')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_rights_requests_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['service_user_id'], ['service_users.id'], name=op.f('fk_rights_requests_service_user_id_service_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_rights_requests_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rights_requests'))
    )
    with op.batch_alter_table('rights_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rights_requests_service_user_id'), ['service_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rights_requests_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('service_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_withdrawn_on', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('service_users', schema=None) as batch_op:
        batch_op.drop_column('consent_withdrawn_on')

    with op.batch_alter_table('rights_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rights_requests_unit_id'))
        batch_op.drop_index(batch_op.f('ix_rights_requests_service_user_id'))

    op.drop_table('rights_requests')
