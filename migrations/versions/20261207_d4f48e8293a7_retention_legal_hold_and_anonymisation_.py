"""retention: legal hold and anonymisation marks

Revision ID: d4f48e8293a7
Revises: 8ac5b663870c
Create Date: 2026-12-07 11:23:22.894259

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f48e8293a7'
down_revision = '8ac5b663870c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('service_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_hold', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('legal_hold_reason', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('service_users', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('legal_hold_reason')
        batch_op.drop_column('legal_hold')

    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')

