"""one person one file: ID numbers unique across the organisation, merges

Revision ID: cb585c0aa7bf
Revises: 564f5c7f7053
Create Date: 2026-12-07 17:06:27.543442

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cb585c0aa7bf'
down_revision = '564f5c7f7053'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('person_merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('merged_by_id', sa.Integer(), nullable=False),
    sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('moved', sa.JSON(), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['merged_by_id'], ['users.id'], name=op.f('fk_person_merges_merged_by_id_users')),
    sa.ForeignKeyConstraint(['source_id'], ['service_users.id'], name=op.f('fk_person_merges_source_id_service_users')),
    sa.ForeignKeyConstraint(['target_id'], ['service_users.id'], name=op.f('fk_person_merges_target_id_service_users')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_person_merges_undone_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_merges'))
    )
    with op.batch_alter_table('person_merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_merges_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_merges_target_id'), ['target_id'], unique=False)

    # Plain ADD COLUMN on both engines: SQLite takes a column's REFERENCES clause without
    # copying the table (batch mode would copy every person at province scale).
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            "ALTER TABLE service_users ADD COLUMN merged_into_id INTEGER"
            " CONSTRAINT fk_service_users_merged_into_id_service_users"
            " REFERENCES service_users (id)"
        )
    else:
        op.add_column('service_users', sa.Column('merged_into_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_service_users_merged_into_id_service_users'),
            'service_users', 'service_users', ['merged_into_id'], ['id'],
        )
    op.add_column('service_users', sa.Column(
        'id_number_conflict', sa.Boolean(), server_default=sa.text('false'), nullable=False
    ))
    # Records registered twice before the rule: all but the first of each ID number stand
    # outside it until an administrator merges them (/admin/people/duplicates).
    op.execute(
        "UPDATE service_users SET id_number_conflict = true"
        " WHERE id_number_index IS NOT NULL AND EXISTS ("
        "SELECT 1 FROM service_users AS earlier"
        " WHERE earlier.id_number_index = service_users.id_number_index"
        " AND earlier.id < service_users.id)"
    )
    op.create_index(
        'uq_service_users_id_number', 'service_users', ['id_number_index'], unique=True,
        sqlite_where=sa.text('merged_into_id IS NULL AND id_number_conflict = false'),
        postgresql_where=sa.text('merged_into_id IS NULL AND id_number_conflict = false'),
    )


def downgrade():
    op.drop_index('uq_service_users_id_number', table_name='service_users')
    if op.get_bind().dialect.name != 'sqlite':  # SQLite's batch copy drops it with the column
        op.drop_constraint(
            op.f('fk_service_users_merged_into_id_service_users'), 'service_users',
            type_='foreignkey',
        )
    with op.batch_alter_table('service_users', schema=None) as batch_op:
        batch_op.drop_column('id_number_conflict')
        batch_op.drop_column('merged_into_id')
    with op.batch_alter_table('person_merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_merges_target_id'))
        batch_op.drop_index(batch_op.f('ix_person_merges_source_id'))
    op.drop_table('person_merges')
