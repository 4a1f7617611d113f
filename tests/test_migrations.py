"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from casework import create_app
from casework.extensions import db
from tests.conftest import scratch_database


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the kind this run tests."""
    with scratch_database(tmp_path, "migrations") as url:
        yield url


def _app(url: str):  # type: ignore[no-untyped-def]
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave out the search index's database-only parts, which no model describes.

    SQLite's FTS5 table (and its shadow tables) and PostgreSQL's GIN expression index are
    created by the migration alone (``casework/search/index.py`` explains why).
    """
    if type_ == "table" and name is not None:
        return not (name == "search_fts" or name.startswith("search_fts_"))
    if type_ == "index":
        return name != "ix_search_documents_tokens"
    return True


def test_upgrade_from_empty_matches_the_models(empty_database_url: str) -> None:
    app = _app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(
                    connection, opts={"compare_type": True, "include_name": _include_name}
                ),
                db.metadata,
            )
        db.engine.dispose()
    assert differences == []


def test_downgrade_to_empty_and_upgrade_again(empty_database_url: str) -> None:
    app = _app(empty_database_url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert remaining == set()
    assert {"units", "users", "audit_entries"} <= tables


def test_the_encryption_migration_encrypts_numbers_already_stored(
    empty_database_url: str,
) -> None:
    app = _app(empty_database_url)
    app.config["DATA_KEY"] = "0" * 63 + "7"
    with app.app_context():
        upgrade(revision="ac5493c233e1")  # the revision before identifiers were encrypted
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO units (id, code, name, kind, path, is_active, created_at,"
                    " updated_at) VALUES (1, 'S1', '湖西站', 'station', '/1/', true,"
                    " '2026-01-01', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO service_users (id, unit_id, name, id_number, phone, is_archived,"
                    " created_at, updated_at) VALUES (1, 1, '王芳', '220102195603141234',"
                    " '13912345678', false, '2026-01-01', '2026-01-01')"
                )
            )
        upgrade()
        from casework.people.models import ServiceUser

        with db.engine.connect() as connection:
            stored = connection.execute(text("SELECT phone FROM service_users")).scalar_one()
        person = db.session.get(ServiceUser, 1)
        read = (person.id_number, person.phone) if person else None
        db.session.remove()
        db.engine.dispose()
    assert (stored.startswith("v1:"), read) == (True, ("220102195603141234", "13912345678"))
