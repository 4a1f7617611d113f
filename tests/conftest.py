"""Fixtures: one migrated database per run, emptied after every test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set; under
pytest-xdist each worker has a database of its own.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from casework import create_app
from casework.core.audit_chain import guard_lifted
from casework.extensions import db, limiter
from tests import factories
from tests.factories import PASSWORD


def _postgres_url_of_this_worker() -> str:
    """``TEST_DATABASE_URL``, with a database of its own for each pytest-xdist worker."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _postgres_url_of_this_worker()

Login = Callable[..., Any]


def _recreate_postgres_database(url: str) -> None:
    """Drop and create the database named in ``url`` so every run starts empty."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


@contextmanager
def scratch_database(tmp_path: Path, name: str) -> Iterator[str]:
    """A brand-new, empty database of the kind this run tests, called ``name``; a
    PostgreSQL one is dropped afterwards."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / (name + '.db')}"
        return
    url = make_url(POSTGRES_URL)
    scratch = url.set(database=f"{url.database}_{name}")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    try:
        yield scratch.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
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
        # Production's argon2 cost in every login would be a third of the suite's time;
        # tests/accounts/test_login.py keeps one test at production cost.
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        # Signing in through the second factor is tested in tests/accounts/test_mfa.py;
        # elsewhere a password signs every role in.
        "MFA_REQUIRED_ROLES": (),
        "DATA_KEY": "0" * 63 + "1",
        "AUDIT_KEY": "0" * 63 + "2",
        # Each test lays out what it asks for; tests/core/test_pdf_renderer.py turns the
        # cache on where it is the subject.
        "PDF_CACHE_BYTES": 0,
        # Likewise the bureau dashboard's: tests/dashboards/test_bureau.py turns it on.
        "DASHBOARD_CACHE_SECONDS": 0,
        # An evidence pack asked for on a page is built by a thread after the response; a
        # test's database would be emptied under it. Tests build packs themselves
        # (tests/evidence/test_lifecycle.py starts the thread where it is the subject).
        "EVIDENCE_BUILD_IN_THREAD": False,
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


_cleaning_engines: dict[str, Engine] = {}


def _cleaning_engine(url: str) -> Engine:
    if url not in _cleaning_engines:
        pool = {"poolclass": NullPool} if url.startswith("sqlite") else {}
        _cleaning_engines[url] = create_engine(url, **pool)
    return _cleaning_engines[url]


@pytest.fixture(scope="session", autouse=True)
def _close_cleaning_engines() -> Iterator[None]:
    yield
    for engine in _cleaning_engines.values():
        engine.dispose()


@functools.cache
def _tables_holding_rows_query() -> str:
    """One statement that names the tables holding any row (a test writes to few)."""
    return " UNION ALL ".join(
        f"SELECT '{table.name}' WHERE EXISTS (SELECT 1 FROM \"{table.name}\")"  # noqa: S608  (our table names)
        for table in db.metadata.sorted_tables
    )


def _empty_all_tables(url: str) -> None:
    """Give the next test an empty database (the schema stays).

    Only the tables holding rows are emptied, children before parents. A ``TRUNCATE`` of
    every table cost PostgreSQL about 0.1 s per test; this costs a few milliseconds.
    Identities are not restarted: no test may rely on the value of an id.
    """
    engine = _cleaning_engine(url)
    with engine.begin() as connection:
        holding = {row[0] for row in connection.execute(text(_tables_holding_rows_query()))}
        # The audit log refuses DELETE (core.audit_chain); only the owner's maintenance
        # path may empty it.
        lifted = guard_lifted(connection) if "audit_entries" in holding else nullcontext()
        with lifted:
            for table in reversed(db.metadata.sorted_tables):
                if table.name in holding:
                    connection.execute(table.delete())


@pytest.fixture
def empty_database_after(database_url: str) -> Iterator[None]:
    """Whatever a test writes is gone before the next test starts."""
    yield
    _empty_all_tables(database_url)


@pytest.fixture
def make_app(
    database_url: str, tmp_path: Path, empty_database_after: None
) -> Iterator[Callable[..., Flask]]:
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


@pytest.fixture(scope="session")
def shared_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app with the test settings for every test that needs no others.

    Building an app (and compiling its URL map and templates on the first request) costs
    more than most tests; ``app`` restores the settings after each test. A test that adds
    routes or needs other settings builds its own with ``make_app``.
    """
    application = create_app(_test_config(database_url, tmp_path_factory.mktemp("shared")))
    application.test_client_class = IsolatedClient
    yield application
    with application.app_context():
        db.engine.dispose()


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
def app(shared_app: Flask, tmp_path: Path, empty_database_after: None) -> Iterator[Flask]:
    """The shared app in an app context, with this test's own upload folder."""
    settings = dict(shared_app.config)
    shared_app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    # Flask-Limiter keeps its on/off switch on the extension, not per app: an app another
    # test built with limits on would otherwise leave them on here.
    limiter.enabled = shared_app.config["RATELIMIT_ENABLED"]
    try:
        with shared_app.app_context():
            yield shared_app
            db.session.remove()
    finally:
        shared_app.config.clear()
        shared_app.config.update(settings)


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
