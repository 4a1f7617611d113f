"""12345 work orders and their callbacks: connected systems, work orders, reports and every attempt

Revision ID: 89a90762421d
Revises: 53bd854fad75
Create Date: 2026-12-07 20:51:19.634445

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '89a90762421d'
down_revision = '53bd854fad75'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('connected_systems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('callback_url', sa.String(length=500), nullable=True),
    sa.Column('callback_secret', sa.String(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_connected_systems_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connected_systems')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_connected_systems_token_hash'))
    )
    op.create_table('work_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('order_number', sa.String(length=64), nullable=False),
    sa.Column('help_request_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['help_request_id'], ['help_requests.id'], name=op.f('fk_work_orders_help_request_id_help_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['system_id'], ['connected_systems.id'], name=op.f('fk_work_orders_system_id_connected_systems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_orders')),
    sa.UniqueConstraint('help_request_id', name=op.f('uq_work_orders_help_request_id')),
    sa.UniqueConstraint('system_id', 'order_number', name=op.f('uq_work_orders_system_id'))
    )
    op.create_table('work_order_callbacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'delivered', 'failed', name='callbackstatus', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_work_order_callbacks_work_order_id_work_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_order_callbacks'))
    )
    with op.batch_alter_table('work_order_callbacks', schema=None) as batch_op:
        batch_op.create_index('ix_work_order_callbacks_status_next', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_order_callbacks_work_order_id'), ['work_order_id'], unique=False)

    op.create_table('callback_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callback_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['callback_id'], ['work_order_callbacks.id'], name=op.f('fk_callback_attempts_callback_id_work_order_callbacks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_attempts'))
    )
    with op.batch_alter_table('callback_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_attempts_callback_id'), ['callback_id'], unique=False)



def downgrade():
    with op.batch_alter_table('callback_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_attempts_callback_id'))

    op.drop_table('callback_attempts')
    with op.batch_alter_table('work_order_callbacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_order_callbacks_work_order_id'))
        batch_op.drop_index('ix_work_order_callbacks_status_next')

    op.drop_table('work_order_callbacks')
    op.drop_table('work_orders')
    op.drop_table('connected_systems')
