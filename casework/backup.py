"""Backups: the database and the uploads in one dated archive, with a manifest, and back.

``create_backup`` takes a consistent copy while the app serves (SQLite's online backup API,
which copies one snapshot; ``pg_dump -Fc``, which reads one repeatable-read snapshot), adds
every upload and writes ``manifest.json`` with each file's SHA-256, the schema revision and
the key id of the data key (never the key: without it the encrypted fields of a restored
backup cannot be read). ``--encrypt`` seals the whole archive with the data key as well
(AES-256-GCM in 1 MiB chunks). ``restore`` verifies every checksum first and only restores
into an empty database and an empty upload folder. ``prune`` keeps the newest archive of
each of the last N days, weeks and months.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from flask import current_app
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import URL

from casework.attachments.services import upload_folder
from casework.core import crypto
from casework.extensions import db

PREFIX = "casework-backup-"
MANIFEST = "manifest.json"
STAMP = "%Y%m%dT%H%M%SZ"
SQLITE_FILE = "database.sqlite"
POSTGRES_FILE = "database.pgdump"
ENCRYPTED_MAGIC = b"CWBACKUP1"
CHUNK = 1 << 20


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _revision() -> str | None:
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for pg_dump / pg_restore from the app's URL."""
    options = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
    if url.username:
        options += ["-U", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return options, env


def _dump_database(work: Path) -> Path:
    engine = db.engine
    if engine.dialect.name == "sqlite":
        source_path = engine.url.database or ""
        target = work / SQLITE_FILE
        source = sqlite3.connect(source_path)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # one step: one consistent snapshot, writers carry on (WAL)
        finally:
            copy.close()
            source.close()
        return target
    target = work / POSTGRES_FILE
    options, env = _libpq(engine.url)
    command = ["pg_dump", *options, "-Fc", "--no-owner", "-f", str(target)]
    subprocess.run(  # noqa: S603  (pg_dump with our own connection settings)
        [*command, engine.url.database or ""],
        check=True,
        env=env,
        capture_output=True,
    )
    return target


def _uploads() -> Iterator[tuple[Path, str]]:
    """(path, name in the archive) of every upload."""
    folder = upload_folder()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path, "uploads/" + path.relative_to(folder).as_posix()


def create_backup(target_dir: Path, *, encrypt: bool = False) -> Backup:
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime(STAMP)
    name = f"{PREFIX}{stamp}.tar" + (".enc" if encrypt else "")
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".backup-") as work_name:
        work = Path(work_name)
        database = _dump_database(work)
        members = [(database, database.name), *_uploads()]
        manifest = {
            "format": 1,
            "created_at": stamp,
            "engine": db.engine.dialect.name,
            "revision": _revision(),
            "data_key_id": crypto.current_key().id,
            "files": {arcname: _sha256(path) for path, arcname in members},
        }
        tar_path = work / "archive.tar"
        with tarfile.open(tar_path, "w") as archive:
            for path, arcname in members:
                archive.add(path, arcname=arcname, recursive=False)
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        partial = target_dir / (name + ".part")
        if encrypt:
            _encrypt_file(tar_path, partial)
        else:
            shutil.move(tar_path, partial)
        final = target_dir / name
        partial.rename(final)  # whole archives only: a crash leaves a .part, never a torso
    return Backup(final, final.stat().st_size, len(members))


# --- encryption of the whole archive -----------------------------------------------------------


def _encrypt_file(source: Path, target: Path) -> None:
    key = crypto.current_key()
    prefix = os.urandom(8)
    with source.open("rb") as plain, target.open("wb") as sealed:
        sealed.write(ENCRYPTED_MAGIC + key.id.encode("ascii") + prefix)
        counter = 0
        block = plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            last = not following
            nonce = prefix + struct.pack(">I", counter)
            chunk = key.cipher.encrypt(nonce, block, b"last" if last else b"more")
            sealed.write(struct.pack(">I", len(chunk)) + chunk)
            if last:
                return
            block, counter = following, counter + 1


def _decrypt_file(source: Path, target: Path) -> None:
    with source.open("rb") as sealed, target.open("wb") as plain:
        header = sealed.read(len(ENCRYPTED_MAGIC) + 8 + 8)
        key_id = header[len(ENCRYPTED_MAGIC) : len(ENCRYPTED_MAGIC) + 8].decode("ascii")
        prefix = header[len(ENCRYPTED_MAGIC) + 8 :]
        keys = {key.id: key for key in filter(None, [crypto.current_key(), crypto.previous_key()])}
        key = keys.get(key_id)
        if key is None:
            raise BackupError(f"the archive was encrypted with data key {key_id}, not configured")
        counter = 0
        while True:
            size_bytes = sealed.read(4)
            if len(size_bytes) != 4:
                raise BackupError("the archive is truncated")
            chunk = sealed.read(struct.unpack(">I", size_bytes)[0])
            nonce = prefix + struct.pack(">I", counter)
            for marker in (b"more", b"last"):
                try:
                    plain.write(key.cipher.decrypt(nonce, chunk, marker))
                except InvalidTag:
                    continue
                if marker == b"last":
                    return
                break
            else:
                raise BackupError("the archive does not decrypt: altered, or another key")
            counter += 1


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(ENCRYPTED_MAGIC)) == ENCRYPTED_MAGIC


# --- restore ---------------------------------------------------------------------------------


def _database_is_empty() -> bool:
    with db.engine.connect() as connection:
        tables = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
        known = [db.metadata.tables[t] for t in tables if t in db.metadata.tables]
        return all(connection.execute(select(table).limit(1)).first() is None for table in known)


def verify(archive: Path, work: Path) -> tuple[dict[str, Any], Path]:
    """Unpack ``archive`` into ``work`` and check every file against the manifest."""
    tar_path = archive
    if is_encrypted(archive):
        tar_path = work / "archive.tar"
        _decrypt_file(archive, tar_path)
    unpacked = work / "unpacked"
    with tarfile.open(tar_path, "r") as bundle:
        bundle.extractall(unpacked, filter="data")
    manifest_path = unpacked / MANIFEST
    if not manifest_path.exists():
        raise BackupError("the archive has no manifest")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    present = {
        path.relative_to(unpacked).as_posix()
        for path in unpacked.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
    if present != set(manifest["files"]):
        raise BackupError("the archive's files differ from its manifest")
    for name, checksum in manifest["files"].items():
        if _sha256(unpacked / name) != checksum:
            raise BackupError(f"checksum mismatch: {name}")
    return manifest, unpacked


def restore(archive: Path) -> dict[str, Any]:
    """Restore ``archive`` into this instance's empty database and upload folder."""
    engine = db.engine
    folder = upload_folder()
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore only into a new database")
    if any(folder.iterdir()):
        raise BackupError(f"the upload folder {folder} is not empty")
    with tempfile.TemporaryDirectory(prefix="casework-restore-") as work_name:
        manifest, unpacked = verify(archive, Path(work_name))
        if manifest["engine"] != engine.dialect.name:
            raise BackupError(
                f"a {manifest['engine']} backup cannot be restored into {engine.dialect.name}"
            )
        db.session.remove()
        engine.dispose()
        if engine.dialect.name == "sqlite":
            path = Path(engine.url.database or "")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(unpacked / SQLITE_FILE, path)
        else:
            _restore_postgres(unpacked / POSTGRES_FILE)
        uploads = unpacked / "uploads"
        if uploads.exists():
            shutil.copytree(uploads, folder, dirs_exist_ok=True)
    return manifest


def _restore_postgres(dump: Path) -> None:
    engine = db.engine
    with engine.begin() as connection:  # an empty schema: even empty tables would clash
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    options, env = _libpq(engine.url)
    command = ["pg_restore", *options, "--no-owner", "--exit-on-error"]
    subprocess.run(  # noqa: S603  (pg_restore with our own connection settings)
        [*command, "-d", engine.url.database or "", str(dump)],
        check=True,
        env=env,
        capture_output=True,
    )


# --- keeping N daily, weekly and monthly archives --------------------------------------------


def archives(folder: Path) -> list[tuple[datetime, Path]]:
    found = []
    for path in folder.glob(f"{PREFIX}*.tar*"):
        if path.name.endswith(".part"):
            continue
        stamp = path.name[len(PREFIX) :].split(".", 1)[0]
        try:
            found.append((datetime.strptime(stamp, STAMP).replace(tzinfo=UTC), path))
        except ValueError:
            continue
    return sorted(found, reverse=True)


def prune(folder: Path, *, daily: int, weekly: int, monthly: int) -> list[Path]:
    """Delete archives beyond the newest of each of the last ``daily`` days, ``weekly`` ISO
    weeks and ``monthly`` months; returns what was deleted."""
    keep: set[Path] = set()
    for count, period in (
        (daily, lambda moment: moment.date().isoformat()),
        (weekly, lambda moment: "{}-W{:02d}".format(*moment.isocalendar()[:2])),
        (monthly, lambda moment: moment.strftime("%Y-%m")),
    ):
        seen: list[str] = []
        for moment, path in archives(folder):
            label = period(moment)
            if label in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(label)
            keep.add(path)
    deleted = [path for _moment, path in archives(folder) if path not in keep]
    for path in deleted:
        path.unlink()
    return deleted


def default_folder() -> Path:
    return Path(current_app.instance_path) / "backups"
