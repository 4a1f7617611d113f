"""Backup and restore: a copy taken under write load restores table for table, file for file."""

from __future__ import annotations

import io
import json
import os
import tarfile
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select

from casework import backup as backups
from casework.attachments.services import upload_folder
from casework.extensions import db
from casework.orgs.models import Unit
from casework.summaries.maintain import rebuild
from casework.summaries.models import UnitSummary
from tests.conftest import scratch_database
from tests.factories import HelpRequestFactory, StationFactory

# Tables the writer appends to while the backup runs: the copy holds a prefix of them.
APPENDED = {"help_requests", "help_request_events", "audit_entries"}
# Counted in place by every help request the load writes; checked against its raw rows.
DERIVED = {"unit_summaries"}


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A database that does not exist yet, of the kind this run tests."""
    with scratch_database(tmp_path, "restore") as url:
        yield url


def _generate(app: Flask) -> None:
    args = ["casework", "generate", "--scale", "station", "--seed", "3", "--as-of", "2026-11-01"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output


def _uploads(app: Flask) -> dict[str, bytes]:
    folder = upload_folder()
    files = {}
    for index in range(3):
        name = f"ab/{index:02d}{os.urandom(4).hex()}.pdf"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        content = os.urandom(50_000 + index)
        (folder / name).write_bytes(content)
        files[name] = content
    return files


class Writer(threading.Thread):
    """Help requests written one after another until stopped, in a context of its own."""

    def __init__(self, app: Flask, station_id: int) -> None:
        super().__init__(daemon=True)
        self.app, self.station_id = app, station_id
        self.stop = threading.Event()
        self.written = 0

    def run(self) -> None:
        with self.app.app_context():
            station = db.session.get(Unit, self.station_id)
            while not self.stop.is_set():
                HelpRequestFactory(unit=station)
                self.written += 1
            db.session.remove()


def _rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns))
                )
            ]
            for table in db.metadata.sorted_tables
        }


def _backup_under_load(app: Flask, folder: Path, **options: Any) -> tuple[Path, Writer]:
    writer = Writer(app, StationFactory().id)
    writer.start()
    try:
        while writer.written < 5:
            pass
        made = backups.create_backup(folder, **options)
    finally:
        writer.stop.set()
        writer.join()
    return made.path, writer


def test_a_backup_under_load_restores_every_table_and_upload(
    app: Flask, make_app: Callable[..., Flask], fresh_database_url: str, tmp_path: Path
) -> None:
    _generate(app)
    files = _uploads(app)
    archive, writer = _backup_under_load(app, tmp_path / "backups")
    source = _rows(db.engine)
    target_app = make_app(DATABASE_URL=fresh_database_url, UPLOAD_FOLDER=str(tmp_path / "new"))
    with target_app.app_context():
        backups.restore(archive)
        restored = _rows(db.engine)
        consistent = _summaries_match_their_rows()
        restored_files = {
            path.relative_to(upload_folder()).as_posix(): path.read_bytes()
            for path in upload_folder().rglob("*")
            if path.is_file()
        }
        db.session.remove()
        db.engine.dispose()
    changed = [
        name
        for name, rows in source.items()
        if name not in DERIVED
        and (rows[: len(restored[name])] if name in APPENDED else rows) != restored[name]
    ]
    assert (changed, consistent, restored_files == files, writer.written > 5) == (
        [],
        True,
        True,
        True,
    )


def _summaries_match_their_rows() -> bool:
    """The restored summaries are what a rebuild from the restored rows writes."""
    table = UnitSummary.__table__
    with db.engine.connect() as connection:
        transaction = connection.begin()
        try:
            stored = set(connection.execute(select(table)).all())
            rebuild(connection)
            rebuilt = set(connection.execute(select(table)).all())
        finally:
            transaction.rollback()
    return bool(stored) and stored == rebuilt


def test_restore_refuses_a_database_that_is_not_empty(app: Flask, tmp_path: Path) -> None:
    StationFactory()
    archive = backups.create_backup(tmp_path).path
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(archive)


def _tampered(archive: Path, tmp_path: Path) -> Path:
    """The archive with one upload's bytes changed and the manifest left as it was."""
    altered = tmp_path / "altered.tar"
    with tarfile.open(archive) as source, tarfile.open(altered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("uploads/"):
                data = b"X" + data[1:]
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return altered


def test_a_changed_file_fails_the_checksums(app: Flask, tmp_path: Path) -> None:
    _uploads(app)
    archive = backups.create_backup(tmp_path / "backups").path
    with pytest.raises(backups.BackupError, match="checksum mismatch: uploads/"):
        backups.verify(_tampered(archive, tmp_path), tmp_path)


def test_the_manifest_names_the_schema_revision_and_key(app: Flask, tmp_path: Path) -> None:
    archive = backups.create_backup(tmp_path).path
    with tarfile.open(archive) as bundle:
        manifest = json.load(bundle.extractfile(backups.MANIFEST))  # type: ignore[arg-type]
    assert manifest["revision"] is not None
    assert manifest["data_key_id"] == "".join(manifest["data_key_id"].split())


def test_an_encrypted_backup_holds_no_plain_database(app: Flask, tmp_path: Path) -> None:
    StationFactory(name="湖西社区社会工作站")
    archive = backups.create_backup(tmp_path, encrypt=True).path
    content = archive.read_bytes()
    assert (content.startswith(backups.ENCRYPTED_MAGIC), b"SQLite format" in content) == (
        True,
        False,
    )


def test_an_encrypted_backup_verifies_with_the_data_key(app: Flask, tmp_path: Path) -> None:
    archive = backups.create_backup(tmp_path, encrypt=True).path
    manifest, _unpacked = backups.verify(archive, tmp_path)
    assert manifest["engine"] == db.engine.dialect.name


def test_an_encrypted_backup_does_not_open_with_another_key(app: Flask, tmp_path: Path) -> None:
    archive = backups.create_backup(tmp_path, encrypt=True).path
    app.config["DATA_KEY"] = "ef" * 32
    with pytest.raises(backups.BackupError, match="not configured"):
        backups.verify(archive, tmp_path)


def test_the_command_writes_an_archive(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["casework", "backup", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(backups.archives(tmp_path)) == 1


def _fake_archives(folder: Path, moments: list[datetime]) -> None:
    for moment in moments:
        (folder / f"{backups.PREFIX}{moment.strftime(backups.STAMP)}.tar").write_bytes(b"")


def test_pruning_keeps_the_newest_of_each_day_week_and_month(tmp_path: Path) -> None:
    start = datetime(2026, 12, 7, 2, tzinfo=UTC)
    moments = [start - timedelta(days=day) for day in range(90)]
    moments.append(start - timedelta(hours=1))  # a second archive on the first day
    _fake_archives(tmp_path, moments)
    backups.prune(tmp_path, daily=3, weekly=2, monthly=3)
    kept = sorted(moment.date().isoformat() for moment, _path in backups.archives(tmp_path))
    assert kept == [
        "2026-10-31",  # the newest of October
        "2026-11-30",  # of November
        "2026-12-05",
        "2026-12-06",  # the last three days; the 6th is also the newest of last week
        "2026-12-07",  # and the 7th of this week and this month
    ]
