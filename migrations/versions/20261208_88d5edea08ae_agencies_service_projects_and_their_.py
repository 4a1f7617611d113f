"""Agencies, service projects and their evaluations

Revision ID: 88d5edea08ae
Revises: 2003979d3cb7
Create Date: 2026-12-08 03:00:00.093175

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '88d5edea08ae'
down_revision = '2003979d3cb7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('registration_authority', sa.String(length=100), nullable=False),
    sa.Column('legal_representative', sa.String(length=50), nullable=False),
    sa.Column('founded_on', sa.Date(), nullable=False),
    sa.Column('qualification', sa.Enum('none', '1a', '2a', '3a', '4a', '5a', name='qualificationlevel', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_agencies_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_agencies_credit_code')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_agencies_unit_id'))
    )
    op.create_table('evaluation_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bureau_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['bureau_id'], ['units.id'], name=op.f('fk_evaluation_indicators_bureau_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_indicators'))
    )
    with op.batch_alter_table('evaluation_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_indicators_bureau_id'), ['bureau_id'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('purchaser_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('contract_number', sa.String(length=50), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('budget_fen', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('budget_fen >= 0', name=op.f('ck_projects_budget_not_negative')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_projects_period_ordered')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_projects_agency_id_agencies')),
    sa.ForeignKeyConstraint(['purchaser_id'], ['units.id'], name=op.f('fk_projects_purchaser_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('contract_number', name=op.f('uq_projects_contract_number'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_purchaser_id'), ['purchaser_id'], unique=False)

    op.create_table('project_deliverables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('cases_opened', 'cases_closed', 'service_hours', 'groups', 'group_sessions', 'activities', 'activity_participants', 'volunteer_hours', 'response_hours', name='deliverablekind', native_enum=False, length=32), nullable=False),
    sa.Column('target', sa.Numeric(precision=12, scale=1), nullable=False),
    sa.CheckConstraint('target > 0', name=op.f('ck_project_deliverables_target_positive')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_deliverables_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_deliverables')),
    sa.UniqueConstraint('project_id', 'kind', name='uq_project_deliverables_project_kind')
    )
    op.create_table('project_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_documents_project_id_projects')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_project_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_documents')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_project_documents_stored_name'))
    )
    with op.batch_alter_table('project_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_documents_project_id'), ['project_id'], unique=False)

    op.create_table('project_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('evaluator', sa.String(length=100), nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('total', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_project_evaluations_created_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_evaluations_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_evaluations'))
    )
    with op.batch_alter_table('project_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_evaluations_project_id'), ['project_id'], unique=False)

    op.create_table('project_funds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('fiscal', 'donation', 'self_raised', 'paid_service', name='fundsource', native_enum=False, length=32), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_project_funds_amount_positive')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_funds_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_funds'))
    )
    with op.batch_alter_table('project_funds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_funds_project_id'), ['project_id'], unique=False)

    op.create_table('project_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('mid_term', 'final', name='milestonekind', native_enum=False, length=32), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_milestones_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_milestones'))
    )
    with op.batch_alter_table('project_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_milestones_project_id'), ['project_id'], unique=False)

    op.create_table('project_units',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_units_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_project_units_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'unit_id', name=op.f('pk_project_units'))
    )
    op.create_table('project_evaluation_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.CheckConstraint('score >= 0 AND score <= 100', name=op.f('ck_project_evaluation_scores_score_range')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['project_evaluations.id'], name=op.f('fk_project_evaluation_scores_evaluation_id_project_evaluations')),
    sa.ForeignKeyConstraint(['indicator_id'], ['evaluation_indicators.id'], name=op.f('fk_project_evaluation_scores_indicator_id_evaluation_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_evaluation_scores'))
    )
    with op.batch_alter_table('project_evaluation_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_evaluation_scores_evaluation_id'), ['evaluation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('project_evaluation_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_evaluation_scores_evaluation_id'))

    op.drop_table('project_evaluation_scores')
    op.drop_table('project_units')
    with op.batch_alter_table('project_milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_milestones_project_id'))

    op.drop_table('project_milestones')
    with op.batch_alter_table('project_funds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_funds_project_id'))

    op.drop_table('project_funds')
    with op.batch_alter_table('project_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_documents_project_id'))

    op.drop_table('project_documents')
    with op.batch_alter_table('project_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_evaluations_project_id'))

    op.drop_table('project_evaluations')
    op.drop_table('project_deliverables')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_purchaser_id'))
        batch_op.drop_index(batch_op.f('ix_projects_agency_id'))

    op.drop_table('projects')
    with op.batch_alter_table('evaluation_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_indicators_bureau_id'))

    op.drop_table('evaluation_indicators')
    op.drop_table('agencies')
