"""assessments: each standard area rated with a note; family and support become two of them

Revision ID: a28773d481c4
Revises: 4e37822629d2
Create Date: 2026-12-07 05:02:18.792724

The 预估表 rates eight areas (生理健康, 心理与情绪, 日常生活能力, 家庭关系, 社会支持, 经济状况,
居住环境, 法律事务与权益) with a level and a note. The earlier free-text "family system" and
"social support" fields are the notes of two of those areas; their text is kept.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a28773d481c4'
down_revision = '4e37822629d2'
branch_labels = None
depends_on = None

AREAS = (
    "physical", "psychological", "daily_living", "family",
    "social_support", "economic", "housing", "legal",
)
# The two areas whose notes already exist, under their earlier names.
RENAMED = {"family": "family_system", "social_support": "social_support"}


def _level(area):
    return sa.Column(
        f"{area}_level",
        sa.Enum("none", "mild", "moderate", "severe", name="needlevel", native_enum=False, length=32),
        nullable=True,
    )


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        for area in AREAS:
            batch_op.add_column(_level(area))
            if area in RENAMED:
                batch_op.alter_column(RENAMED[area], new_column_name=f"{area}_note")
            else:
                batch_op.add_column(
                    sa.Column(f"{area}_note", sa.Text(), nullable=False, server_default="")
                )
    # The new notes start empty; later rows get their value from the application.
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        for area in AREAS:
            if area not in RENAMED:
                batch_op.alter_column(f"{area}_note", server_default=None)


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        for area in reversed(AREAS):
            if area in RENAMED:
                batch_op.alter_column(f"{area}_note", new_column_name=RENAMED[area])
            else:
                batch_op.drop_column(f"{area}_note")
            batch_op.drop_column(f"{area}_level")
