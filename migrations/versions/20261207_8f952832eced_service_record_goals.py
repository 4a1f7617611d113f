"""service records: the plan goals each one worked towards

Revision ID: 8f952832eced
Revises: a28773d481c4
Create Date: 2026-12-07 05:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f952832eced'
down_revision = 'a28773d481c4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_record_goals',
    sa.Column('service_record_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_goals.id'], name=op.f('fk_service_record_goals_goal_id_plan_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_record_id'], ['service_records.id'], name=op.f('fk_service_record_goals_service_record_id_service_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_record_id', 'goal_id', name=op.f('pk_service_record_goals'))
    )
    with op.batch_alter_table('service_record_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_record_goals_goal_id'), ['goal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('service_record_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_record_goals_goal_id'))
    op.drop_table('service_record_goals')
