"""service records: the per-case index covers form and minutes; drop a redundant index

Revision ID: a8b5ec0f6e05
Revises: f7a4dab53e04
Create Date: 2026-12-05 23:40:00.000000

The statistics of a unit subtree reach service records through the subtree's cases
(``case_id IN (…)``, then a range on ``served_on``); with ``form`` and ``duration_minutes``
in that index they are counted without reading the records themselves. The index on
``served_on`` alone is a prefix of ``ix_service_records_served_on_cover``.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a8b5ec0f6e05'
down_revision = 'f7a4dab53e04'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.drop_index('ix_service_records_case_served_on')
        batch_op.drop_index('ix_service_records_served_on')
        batch_op.create_index(
            'ix_service_records_case_served_on_cover',
            ['case_id', 'served_on', 'form', 'duration_minutes'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.drop_index('ix_service_records_case_served_on_cover')
        batch_op.create_index('ix_service_records_served_on', ['served_on'], unique=False)
        batch_op.create_index(
            'ix_service_records_case_served_on', ['case_id', 'served_on'], unique=False
        )
