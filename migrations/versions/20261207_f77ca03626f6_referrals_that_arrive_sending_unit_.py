"""referrals that arrive: sending unit, shared information, consent basis, due date, answer

Revision ID: f77ca03626f6
Revises: c42c495b7399
Create Date: 2026-12-07 17:20:30.780814

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f77ca03626f6'
down_revision = 'c42c495b7399'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    # Plain ADD COLUMN on both engines; SQLite takes a column's REFERENCES clause without
    # copying the table.
    for column, target in (('from_unit_id', 'units'), ('responded_by_id', 'users')):
        name = f'fk_referrals_{column}_{target}'
        if bind.dialect.name == 'sqlite':
            op.execute(
                f"ALTER TABLE referrals ADD COLUMN {column} INTEGER"
                f" CONSTRAINT {name} REFERENCES {target} (id)"
            )
        else:
            op.add_column('referrals', sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(name, 'referrals', target, [column], ['id'])
    op.add_column('referrals', sa.Column('agency_contact', sa.String(length=100), nullable=True))
    op.add_column('referrals', sa.Column('shared_information', sa.Text(), nullable=True))
    op.add_column('referrals', sa.Column('consent_basis', sa.Enum('written', 'oral_recorded', 'guardian', 'legal_duty', 'emergency', name='consentbasis', native_enum=False, length=32), nullable=True))
    op.add_column('referrals', sa.Column('due_on', sa.Date(), nullable=True))
    op.create_index('ix_referrals_to_unit_outcome', 'referrals', ['to_unit_id', 'outcome'], unique=False)
    # Referrals already made were made by their case's unit.
    op.execute(
        "UPDATE referrals SET from_unit_id ="
        " (SELECT cases.unit_id FROM cases WHERE cases.id = referrals.case_id)"
    )


def downgrade():
    op.drop_index('ix_referrals_to_unit_outcome', table_name='referrals')
    if op.get_bind().dialect.name != 'sqlite':  # SQLite's batch copy drops them with the columns
        op.drop_constraint('fk_referrals_from_unit_id_units', 'referrals', type_='foreignkey')
        op.drop_constraint('fk_referrals_responded_by_id_users', 'referrals', type_='foreignkey')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        for column in ('due_on', 'consent_basis', 'shared_information', 'agency_contact',
                       'responded_by_id', 'from_unit_id'):
            batch_op.drop_column(column)
