"""spreadsheet imports and their results

Revision ID: f7a4dab53e04
Revises: e6f3c9a42d03
Create Date: 2026-11-29 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7a4dab53e04'
down_revision = 'e6f3c9a42d03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('staff', 'volunteers', 'service_users', name='importkind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('pending', 'completed', 'failed', 'cancelled', 'expired', name='importstatus', native_enum=False, length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=32), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consent_basis', sa.Enum('written', 'oral_recorded', 'guardian', 'legal_duty', 'emergency', name='consentbasis', native_enum=False, length=32), nullable=True),
    sa.Column('consent_given_on', sa.Date(), nullable=True),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('invalid_rows', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('skipped_count', sa.Integer(), nullable=False),
    sa.Column('skipped_rows', sa.JSON(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_import_runs_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_import_runs_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs'))
    )
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_runs_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_import_runs_unit_created', ['unit_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_import_runs_unit_created')
        batch_op.drop_index(batch_op.f('ix_import_runs_created_by_id'))

    op.drop_table('import_runs')
