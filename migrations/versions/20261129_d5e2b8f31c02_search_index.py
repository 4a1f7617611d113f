"""search index for people, cases and records

Revision ID: d5e2b8f31c02
Revises: c4f1a7e20b01
Create Date: 2026-11-29 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e2b8f31c02'
down_revision = 'c4f1a7e20b01'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
