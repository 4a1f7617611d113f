"""Fixtures: one migrated database per run, emptied after every test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from casework import create_app
from casework.extensions import db
from tests import factories
from tests.factories import PASSWORD

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")

Login = Callable[..., Any]


def _recreate_postgres_database(url: str) -> None:
    """Drop and create the database named in ``url`` so every run starts empty."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to the newest revision, once for the whole run."""
    if POSTGRES_URL:
        _recreate_postgres_database(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    app = create_app(_test_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url


def _test_config(url: str, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "DEMO": False,
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "EXTERNAL_URL": "http://localhost",
    }


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Flask reuses an app context that is already pushed (the ``app`` fixture's), which would
    share ``g`` (and so Flask-Login's cached user) and the database session between
    requests of different clients.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _empty_all_tables(url: str) -> None:
    """Give the next test an empty database (the schema stays)."""
    engine = create_engine(url)
    tables = list(reversed(db.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build an app on the test database, with settings overridden per test."""
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        config = _test_config(database_url, tmp_path) | overrides
        app = create_app(config)
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    _empty_all_tables(database_url)


@contextmanager
def seeded_demo(database_url: str, instance: Path) -> Iterator[Flask]:
    """The demo data loaded by the real command into the test database, emptied afterwards."""
    app = create_app(_test_config(database_url, instance) | {"DEMO": True})
    app.test_client_class = IsolatedClient
    result = app.test_cli_runner().invoke(args=["casework", "seed-demo"])
    assert result.exit_code == 0, result.output
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        _empty_all_tables(database_url)


@pytest.fixture
def demo(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The demo data, for a test that reads it or changes it."""
    with seeded_demo(database_url, tmp_path) as app:
        yield app


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login(client: FlaskClient) -> Login:
    """Sign ``user`` in through the real login form."""

    def sign_in(user: Any, password: str = PASSWORD) -> Any:
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, "login failed in a test helper"
        return response

    return sign_in


@pytest.fixture
def station() -> Any:
    return factories.StationFactory()
