"""identifiers encrypted at rest with blind indexes

ID and phone numbers and addresses of service users, staff files' numbers, volunteers' and
help requests' phones become AES-GCM ciphertext under the data key (casework.core.crypto),
with HMAC blind indexes beside them for exact lookups; the search index is rebuilt so that
it holds HMAC'd digit grams instead of the numbers.

Revision ID: 8ac5b663870c
Revises: ac5493c233e1
Create Date: 2026-12-07 11:05:12.000000

"""
from alembic import op
import sqlalchemy as sa

from casework.core import crypto


# revision identifiers, used by Alembic.
revision = '8ac5b663870c'
down_revision = 'ac5493c233e1'
branch_labels = None
depends_on = None

# table: (encrypted columns, columns with a blind index), and the old plain types.
ENCRYPTED = {
    'service_users': (('id_number', 'phone', 'address'), ('id_number', 'phone')),
    'worker_profiles': (('id_number', 'phone'), ('id_number', 'phone')),
    'volunteers': (('phone',), ('phone',)),
    'help_requests': (('phone',), ('phone',)),
}
PLAIN_TYPES = {'id_number': sa.String(18), 'phone': sa.String(20), 'address': sa.String(200)}
BATCH = 1000


def _rows(connection, name, columns):
    table = sa.table(name, sa.column('id'), *(sa.column(c) for c in columns))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        yield table, rows
        last = rows[-1].id


def upgrade():
    for name, (columns, indexed) in ENCRYPTED.items():
        with op.batch_alter_table(name, schema=None) as batch_op:
            for column in indexed:
                batch_op.add_column(sa.Column(f'{column}_index', sa.String(length=32), nullable=True))
            for column in columns:
                batch_op.alter_column(column, existing_type=PLAIN_TYPES[column], type_=sa.String(), existing_nullable=True)
            if name in ('service_users', 'worker_profiles'):
                batch_op.drop_index(batch_op.f(f'ix_{name}_id_number'))
            for column in indexed:
                batch_op.create_index(batch_op.f(f'ix_{name}_{column}_index'), [f'{column}_index'], unique=False)

    connection = op.get_bind()
    key = crypto.current_key()
    for name, (columns, indexed) in ENCRYPTED.items():
        for _table, rows in _rows(connection, name, columns):
            updates = []
            for row in rows:
                values = {}
                for column in columns:
                    plain = getattr(row, column)
                    if plain and crypto.key_id_of(plain) is None:
                        values[column] = crypto.encrypt(plain, column, key)
                        if column in indexed:
                            values[f'{column}_index'] = crypto.blind_index(plain, column, key)
                if values:
                    updates.append((row.id, values))
            for row_id, values in updates:
                connection.execute(
                    sa.table(name, sa.column('id'), *(sa.column(c) for c in values))
                    .update()
                    .where(sa.column('id') == row_id)
                    .values(**values)
                )

    from casework.search.index import rebuild

    rebuild(connection)


def downgrade():
    connection = op.get_bind()
    for name, (columns, _indexed) in ENCRYPTED.items():
        for table, rows in _rows(connection, name, columns):
            for row in rows:
                values = {
                    column: crypto.decrypt(getattr(row, column), column)
                    for column in columns
                    if getattr(row, column)
                }
                if values:
                    connection.execute(table.update().where(table.c.id == row.id).values(**values))
    for name, (columns, indexed) in ENCRYPTED.items():
        with op.batch_alter_table(name, schema=None) as batch_op:
            for column in indexed:
                batch_op.drop_index(batch_op.f(f'ix_{name}_{column}_index'))
            if name in ('service_users', 'worker_profiles'):
                batch_op.create_index(batch_op.f(f'ix_{name}_id_number'), ['id_number'], unique=False)
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.String(), type_=PLAIN_TYPES[column], existing_nullable=True)
            for column in indexed:
                batch_op.drop_column(f'{column}_index')
    # The search index still holds HMAC'd digit grams: `flask casework search-reindex` with
    # the older code puts the plain ones back.
