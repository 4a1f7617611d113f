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
    pass


def downgrade():
    pass
