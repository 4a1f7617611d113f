"""workforce targets: the date by which the target is to be met

Revision ID: 4e37822629d2
Revises: a8b5ec0f6e05
Create Date: 2026-12-07 04:38:32.070293

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e37822629d2'
down_revision = 'a8b5ec0f6e05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workforce_targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('workforce_targets', schema=None) as batch_op:
        batch_op.drop_column('due_on')
