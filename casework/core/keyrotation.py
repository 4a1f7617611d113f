"""Moving every encrypted value to a new data key, in batches that can be resumed.

With ``DATA_KEY`` the new key and ``DATA_KEY_PREVIOUS`` the old one, every column of type
``EncryptedText`` is read, and each value not yet under the new key is decrypted and
encrypted again, its blind index (``<column>_index``) recomputed, one committed batch at a
time. A value names the key that wrote it, so a run that stops part-way is simply run again
and carries on. The search index's digit tokens are keyed too: the command that calls
``rotate`` rebuilds it afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Column, TableClause, column, select, table, update

from casework.core import crypto
from casework.extensions import db

BATCH = 1000


class RotationError(RuntimeError):
    pass


@dataclass(frozen=True)
class EncryptedColumns:
    table: str
    columns: tuple[tuple[str, str, bool], ...]  # (name, purpose, has a blind index)


def encrypted_columns() -> Iterator[EncryptedColumns]:
    for source in db.metadata.sorted_tables:
        found = tuple(
            (col.name, col.type.purpose, f"{col.name}_index" in source.c)
            for col in source.columns
            if isinstance(col.type, crypto.EncryptedText)
        )
        if found:
            yield EncryptedColumns(source.name, found)


def _raw(columns: EncryptedColumns) -> TableClause:
    names = [name for name, _purpose, _indexed in columns.columns]
    return table(columns.table, column("id"), *(column(name) for name in names))


def _stale_rows(
    columns: EncryptedColumns, key: crypto.DataKey
) -> Iterator[tuple[int, dict[str, str]]]:
    raw = _raw(columns)
    last = 0
    while True:
        with db.engine.connect() as connection:
            rows = connection.execute(
                select(raw).where(raw.c.id > last).order_by(raw.c.id).limit(BATCH)
            ).all()
        if not rows:
            return
        for row in rows:
            values = {
                name: getattr(row, name)
                for name, _purpose, _indexed in columns.columns
                if getattr(row, name) and crypto.key_id_of(getattr(row, name)) != key.id
            }
            if values:
                yield row.id, values
        last = rows[-1].id


def rotate(progress: Callable[[str, int], None] = lambda _table, _count: None) -> int:
    """Re-encrypt every value not under the current key; returns how many rows changed."""
    key = crypto.current_key()
    previous = crypto.previous_key()
    if previous is None:
        raise RotationError("DATA_KEY_PREVIOUS is not set: there is no old key to move from")
    if previous.id == key.id:
        raise RotationError("DATA_KEY and DATA_KEY_PREVIOUS are the same key")
    changed = 0
    for columns in encrypted_columns():
        purposes = {name: purpose for name, purpose, _indexed in columns.columns}
        indexed = {name for name, _purpose, has_index in columns.columns if has_index}
        batch: list[tuple[int, dict[str, str | None]]] = []
        for row_id, stale in _stale_rows(columns, key):
            values: dict[str, str | None] = {}
            for name, token in stale.items():
                plain = crypto.decrypt(token, purposes[name])
                values[name] = crypto.encrypt(plain, purposes[name], key)
                if name in indexed:
                    values[f"{name}_index"] = crypto.blind_index(plain, purposes[name], key)
            batch.append((row_id, values))
            if len(batch) >= BATCH:
                changed += _write(columns.table, batch)
                progress(columns.table, len(batch))
                batch = []
        if batch:
            changed += _write(columns.table, batch)
            progress(columns.table, len(batch))
    return changed


def _write(name: str, batch: list[tuple[int, dict[str, str | None]]]) -> int:
    """One committed transaction per batch: a stopped run keeps what it did."""
    with db.engine.begin() as connection:
        for row_id, values in batch:
            target = table(name, Column("id"), *(column(key) for key in values))
            connection.execute(update(target).where(target.c.id == row_id).values(**values))
    return len(batch)
