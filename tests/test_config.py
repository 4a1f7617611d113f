"""Settings come from defaults, instance/config.py and CASEWORK_* variables."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casework import create_app
from casework.config import load_or_create_secret_key, settings_from_environment
from tests.factories import PASSWORD, WorkerFactory


def test_environment_variables_override_settings() -> None:
    settings = settings_from_environment(
        {
            "CASEWORK_DATABASE_URL": "postgresql+psycopg://db/casework",
            "CASEWORK_DEMO": "0",
            "PATH": "/bin",
        }
    )
    assert settings == {"DATABASE_URL": "postgresql+psycopg://db/casework", "DEMO": 0}


def test_boolean_words_are_read_as_booleans() -> None:
    assert settings_from_environment({"CASEWORK_SESSION_COOKIE_SECURE": "true"}) == {
        "SESSION_COOKIE_SECURE": True
    }


def test_secret_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_or_create_secret_key(str(tmp_path))
    second = load_or_create_secret_key(str(tmp_path))
    key_file = tmp_path / "secret_key"
    assert first == second
    assert len(first) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_app_reads_instance_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config.py").write_text('LOG_LEVEL = "WARNING"\n', encoding="utf-8")
    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(tmp_path))
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["LOG_LEVEL"] == "WARNING"


def test_environment_beats_instance_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.py").write_text('LOG_LEVEL = "WARNING"\n', encoding="utf-8")
    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CASEWORK_LOG_LEVEL", "ERROR")
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["LOG_LEVEL"] == "ERROR"


def test_app_without_secret_key_generates_one_in_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(tmp_path))
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text(encoding="ascii")


def test_default_database_is_sqlite_in_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'casework.db'}"


def test_the_instance_folder_and_the_database_are_readable_by_their_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "instance"
    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    app = create_app()
    with app.app_context():
        from sqlalchemy import text

        from casework.extensions import db

        db.session.execute(text("CREATE TABLE probe (id INTEGER)"))
        db.session.commit()
        db.engine.dispose()
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE((instance / "casework.db").stat().st_mode) == 0o600


def test_an_instance_left_readable_by_an_earlier_version_is_closed_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    database = instance / "casework.db"
    database.write_bytes(b"")
    database.chmod(0o644)
    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(instance))
    create_app({"DATABASE_URL": "sqlite://"})
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_feed_links_come_from_the_configured_address_not_the_host_header(
    make_app: Callable[..., Any],
) -> None:
    app = make_app(EXTERNAL_URL="https://casework.example.gov.cn")
    with app.app_context():
        worker = WorkerFactory()
        username = worker.username
    client = app.test_client()
    evil = "http://evil.example"  # the Host header the requests carry
    client.post("/login", base_url=evil, data={"username": username, "password": PASSWORD})
    response = client.post("/calendar/feed", base_url=evil, data={"action": "create"})
    page = response.get_data(as_text=True)
    assert "https://casework.example.gov.cn/calendar/feed/" in page
    assert "evil.example" not in page


def test_an_unknown_password_hash_profile_refuses_to_start(
    make_app: Callable[..., Any],
) -> None:
    with pytest.raises(ValueError, match="PASSWORD_HASH_PROFILE"):
        make_app(PASSWORD_HASH_PROFILE="FAST_PLEASE")
