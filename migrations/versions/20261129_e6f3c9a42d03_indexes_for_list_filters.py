"""indexes for list filters and keyset ordering

Revision ID: e6f3c9a42d03
Revises: d5e2b8f31c02
Create Date: 2026-11-29 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6f3c9a42d03'
down_revision = 'd5e2b8f31c02'
branch_labels = None
depends_on = None


# table -> [(index name, columns)]
INDEXES = {
    'cases': [
        ('ix_cases_unit_domain_opened_on', ['unit_id', 'domain', 'opened_on']),
        ('ix_cases_unit_risk_opened_on', ['unit_id', 'risk_level', 'opened_on']),
        ('ix_cases_unit_last_service_on', ['unit_id', 'last_service_on']),
        ('ix_cases_worker_opened_on', ['worker_id', 'opened_on']),
        ('ix_cases_unit_opened_status_closed', ['unit_id', 'opened_on', 'status', 'closed_on']),
    ],
    'service_records': [
        (
            'ix_service_records_served_on_cover',
            ['served_on', 'case_id', 'form', 'duration_minutes'],
        ),
    ],
    'help_requests': [
        ('ix_help_requests_unit_category_submitted', ['unit_id', 'category', 'submitted_at']),
        ('ix_help_requests_unit_channel_submitted', ['unit_id', 'channel', 'submitted_at']),
        ('ix_help_requests_unit_answered', ['unit_id', 'answered_at']),
    ],
    'audit_entries': [
        ('ix_audit_entries_actor_id_id', ['actor_id', 'id']),
        ('ix_audit_entries_unit_id_id', ['unit_id', 'id']),
    ],
    'groups': [
        ('ix_groups_unit_created', ['unit_id', 'created_at']),
        ('ix_groups_unit_stage', ['unit_id', 'stage']),
        ('ix_groups_unit_type', ['unit_id', 'group_type']),
    ],
    'community_activities': [
        ('ix_community_activities_unit_type_held_on', ['unit_id', 'activity_type', 'held_on']),
        ('ix_community_activities_unit_domain_held_on', ['unit_id', 'domain', 'held_on']),
    ],
    'volunteers': [
        ('ix_volunteers_unit_active_name', ['unit_id', 'is_active', 'name']),
        ('ix_volunteers_unit_category', ['unit_id', 'category']),
    ],
    'supervision_sessions': [
        ('ix_supervision_sessions_unit_held_on', ['unit_id', 'held_on']),
    ],
}


def _is_postgresql():
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in indexes:
                batch_op.create_index(name, columns, unique=False)
    if _is_postgresql():
        # Subtree lookups are prefix LIKEs on units.path: a plain b-tree serves them only
        # under the C collation, the pattern operator class under any collation.
        op.drop_index('ix_units_path', table_name='units')
        op.create_index(
            'ix_units_path',
            'units',
            ['path'],
            unique=False,
            postgresql_ops={'path': 'varchar_pattern_ops'},
        )


def downgrade():
    if _is_postgresql():
        op.drop_index('ix_units_path', table_name='units')
        op.create_index('ix_units_path', 'units', ['path'], unique=False)
    for table, indexes in reversed(list(INDEXES.items())):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _columns in reversed(indexes):
                batch_op.drop_index(name)
