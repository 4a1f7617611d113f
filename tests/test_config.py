"""Settings come from defaults, instance/config.py and CASEWORK_* variables."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from casework import create_app
from casework.config import load_or_create_secret_key, settings_from_environment


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
