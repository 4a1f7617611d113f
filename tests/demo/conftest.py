"""The demo data seeded once per test module by the real command; the tests here only read it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from click.testing import Result
from flask import Flask

from casework import create_app
from casework.extensions import db
from tests.conftest import _empty_all_tables, _test_config


@dataclass
class Seeded:
    app: Flask
    result: Result


@pytest.fixture(scope="module")
def seeded(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """The demo data, loaded once by the real command: every test of the module only reads it."""
    config = _test_config(database_url, tmp_path_factory.mktemp("demo")) | {"DEMO": True}
    app = create_app(config)
    result = app.test_cli_runner().invoke(args=["casework", "seed-demo"])
    try:
        with app.app_context():
            yield Seeded(app, result)
            db.session.remove()
            db.engine.dispose()
    finally:
        _empty_all_tables(database_url)
