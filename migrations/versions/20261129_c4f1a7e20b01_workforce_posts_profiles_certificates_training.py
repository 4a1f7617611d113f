"""workforce: posts, personnel files, certificates, continuing education and training

Revision ID: c4f1a7e20b01
Revises: b39eba584275
Create Date: 2026-11-29 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1a7e20b01'
down_revision = 'b39eba584275'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
