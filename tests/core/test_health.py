"""The health check answers for the app and its database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient


def test_healthy_app_answers_200(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_unreachable_database_answers_503(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "casework.db"
    app = make_app(DATABASE_URL=f"sqlite:///{missing}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "unavailable",
        "version": "0.1.0",
    }
