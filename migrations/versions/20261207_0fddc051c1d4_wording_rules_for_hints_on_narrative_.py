"""Wording rules for hints on narrative records

Revision ID: 0fddc051c1d4
Revises: d1d7c60bfb4c
Create Date: 2026-12-07 23:55:40.509673

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0fddc051c1d4"
down_revision = "d1d7c60bfb4c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "wording_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=50), nullable=False),
        sa.Column("suggestion", sa.String(length=300), nullable=False),
        sa.Column("exceptions", sa.String(length=300), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wording_rules")),
        sa.UniqueConstraint("word", name=op.f("uq_wording_rules_word")),
    )


def downgrade():
    op.drop_table("wording_rules")
