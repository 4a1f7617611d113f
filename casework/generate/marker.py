"""Which databases the generator may write to.

A generated organisation tree has one root whose code starts with ``GEN-`` (e.g.
``GEN-city-1``) and every unit under it. The generator writes only to a database with no
units, people, cases or requests at all: real data is never mixed with generated data, and
a second run onto a generated database is refused rather than half-appended.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, column, func, select, table

MARKER_PREFIX = "GEN-"

# Tables that hold an organisation's own data; any row in them means "not empty".
_DATA_TABLES = ("units", "users", "service_users", "cases", "help_requests", "groups")


class Refusal(RuntimeError):
    """The database is not one the generator may fill."""


@dataclass(frozen=True)
class Dataset:
    root_code: str
    scale: str
    seed: int


def marker_code(scale: str, seed: int) -> str:
    return f"{MARKER_PREFIX}{scale}-{seed}"


def parse_marker(code: str) -> Dataset | None:
    if not code.startswith(MARKER_PREFIX):
        return None
    scale, _, seed = code[len(MARKER_PREFIX) :].rpartition("-")
    if not scale or not seed.isdigit():
        return None
    return Dataset(root_code=code, scale=scale, seed=int(seed))


def generated_dataset(connection: Connection) -> Dataset | None:
    """The generated dataset this database holds, or None if it holds anything else.

    True only when there is exactly one root, it carries the marker, and every unit lies
    under it: a generated tree with a real unit added beside it is not "generated".
    """
    units = table("units", column("code"), column("path"), column("parent_id"))
    roots = connection.execute(
        select(units.c.code, units.c.path).where(units.c.parent_id.is_(None))
    ).all()
    if len(roots) != 1:
        return None
    code, path = roots[0]
    dataset = parse_marker(code)
    if dataset is None:
        return None
    outside = connection.execute(
        select(func.count()).select_from(units).where(~units.c.path.startswith(path))
    ).scalar()
    return dataset if not outside else None


def check_empty(connection: Connection) -> None:
    """Raise Refusal unless the database holds no organisation data at all."""
    dataset = generated_dataset(connection)
    if dataset is not None:
        raise Refusal(
            f"the database already holds a generated dataset ({dataset.root_code}); "
            "the generator does not append to it. Generate into a new, empty database "
            "(flask db upgrade on a fresh URL) instead."
        )
    for name in _DATA_TABLES:
        if connection.execute(select(column("id")).select_from(table(name)).limit(1)).first():
            raise Refusal(
                f"the database already holds data (table {name} is not empty) that was not "
                "generated; refusing to mix generated records with it. Use an empty database."
            )
