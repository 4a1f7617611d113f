"""Annual assessments of social workers; service records by author and day

Revision ID: d1d7c60bfb4c
Revises: ff4f78a22a24
Create Date: 2026-12-07 23:58:00.274646

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1d7c60bfb4c'
down_revision = "ff4f78a22a24"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annual_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'completed', 'signed', name='assessmentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('grade', sa.Enum('excellent', 'competent', 'basically_competent', 'not_competent', name='assessmentgrade', native_enum=False, length=32), nullable=True),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('improvements', sa.Text(), nullable=False),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('worker_agrees', sa.Boolean(), nullable=True),
    sa.Column('worker_comment', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_annual_assessments_assessor_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_annual_assessments_unit_id_units')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_annual_assessments_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_assessments')),
    sa.UniqueConstraint('worker_id', 'year', name='uq_annual_assessments_worker_year')
    )
    with op.batch_alter_table('annual_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_assessments_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.create_index('ix_service_records_author_served_on', ['author_id', 'served_on'], unique=False)


def downgrade():
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.drop_index('ix_service_records_author_served_on')

    with op.batch_alter_table('annual_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_assessments_unit_id'))

    op.drop_table('annual_assessments')
