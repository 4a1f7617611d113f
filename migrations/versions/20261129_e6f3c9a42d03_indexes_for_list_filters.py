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


def upgrade():
    pass


def downgrade():
    pass
