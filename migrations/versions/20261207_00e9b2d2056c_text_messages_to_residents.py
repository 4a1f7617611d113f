"""text messages to residents: whether a request's answer is still to be texted

Revision ID: 00e9b2d2056c
Revises: 27c3e83feeb0
Create Date: 2026-12-07 21:16:34.764491

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '00e9b2d2056c'
down_revision = '27c3e83feeb0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sms_status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('sms_attempts', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.create_index(batch_op.f('ix_help_requests_sms_status'), ['sms_status'], unique=False)



def downgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_sms_status'))
        batch_op.drop_column('sms_attempts')
        batch_op.drop_column('sms_status')

