"""household files

Revision ID: 0c59d5ac0b2a
Revises: f77ca03626f6
Create Date: 2026-12-07 17:27:18.412776

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0c59d5ac0b2a'
down_revision = 'f77ca03626f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(), nullable=True),
    sa.Column('notes', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_households_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_households_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_unit_id'), ['unit_id'], unique=False)

    op.create_table('household_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('service_user_id', sa.Integer(), nullable=False),
    sa.Column('relationship_to_head', sa.String(length=32), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_people_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_user_id'], ['service_users.id'], name=op.f('fk_household_people_service_user_id_service_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_people')),
    sa.UniqueConstraint('service_user_id', name=op.f('uq_household_people_service_user_id'))
    )
    with op.batch_alter_table('household_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_people_household_id'), ['household_id'], unique=False)



def downgrade():
    with op.batch_alter_table('household_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_people_household_id'))

    op.drop_table('household_people')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_unit_id'))

    op.drop_table('households')
