"""Uploading a list, checking it, and writing its valid rows in one transaction.

An upload is kept under the upload folder with a random name while it waits for the
uploader's confirmation; nothing from it is written before. Confirming checks the file
again and writes every valid row, or (on any failure) nothing at all: the caller rolls
the whole transaction back and records the failure with ``record_failure``.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from casework.accounts.models import Role, User
from casework.attachments.services import upload_folder
from casework.core import audit
from casework.core.models import utcnow
from casework.extensions import db
from casework.imports.models import ImportKind, ImportRun, ImportStatus
from casework.imports.parsing import ImportFileRejected, file_format, read_rows
from casework.imports.validation import RowResult, Scope, validate
from casework.orgs.models import Unit
from casework.people.models import ConsentBasis, ServiceUser
from casework.volunteers.models import Volunteer
from casework.workforce import services as workforce

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
DEFAULT_PENDING_MINUTES = 120
CHUNK_SIZE = 64 * 1024
STORED_NAME_PATTERN = re.compile(r"[0-9a-f]{32}")
ORIGINAL_NAME_MAX_LENGTH = 200
FLUSH_BATCH = 1000
STAFF_PROFILE_FIELDS = (
    "gender",
    "id_number",
    "phone",
    "education_level",
    "major",
    "is_social_work_major",
    "position_title",
    "employed_since",
)


class ImportBlocked(Exception):
    """Confirming is not possible as the file stands; ``message`` says what to do."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return int(current_app.config.get("IMPORT_MAX_ROWS") or DEFAULT_MAX_ROWS)


def pending_lifetime() -> timedelta:
    minutes = current_app.config.get("IMPORT_PENDING_MINUTES") or DEFAULT_PENDING_MINUTES
    return timedelta(minutes=int(minutes))


def imports_folder() -> Path:
    folder = upload_folder() / "imports"
    folder.mkdir(exist_ok=True)
    return folder


def stored_path(stored_name: str) -> Path:
    if not STORED_NAME_PATTERN.fullmatch(stored_name):
        raise ImportFileRejected(_l("上传的文件已不存在，请重新上传。"))
    return imports_folder() / stored_name


def delete_stored_file(stored_name: str | None) -> None:
    """Remove a pending upload's file; call after the commit that forgot it."""
    if stored_name and STORED_NAME_PATTERN.fullmatch(stored_name):
        (imports_folder() / stored_name).unlink(missing_ok=True)


def clean_original_name(raw: str | None) -> str:
    """The uploaded file's name for display: no directories, no control characters."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[-ORIGINAL_NAME_MAX_LENGTH:] or "upload"


def _size_text(size: int) -> str:
    return f"{size / 2**20:g} MB"


def _store(stream: IO[bytes]) -> str:
    """Copy the upload under a random name, refusing it as soon as it passes the limit."""
    folder = imports_folder()
    descriptor, temporary_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    temporary = Path(temporary_name)
    limit = max_bytes()
    try:
        size = 0
        with os.fdopen(descriptor, "wb") as target:
            while chunk := stream.read(CHUNK_SIZE):
                size += len(chunk)
                if size > limit:
                    raise ImportFileRejected(
                        _l("文件过大，不能超过 %(limit)s。", limit=_size_text(limit))
                    )
                target.write(chunk)
        if size == 0:
            raise ImportFileRejected(_l("文件为空，请重新选择文件。"))
        stored_name = secrets.token_hex(16)
        os.replace(temporary, folder / stored_name)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return stored_name


def scope_of(run: ImportRun) -> Scope:
    """A station head imports into their unit only; an administrator into any service unit."""
    return Scope(default_unit=run.unit, any_unit=run.created_by.role is Role.SYSADMIN)


def check_file(run: ImportRun) -> list[RowResult]:
    """Read and check the pending file of ``run``; writes nothing."""
    if run.stored_name is None:
        raise ImportFileRejected(_l("上传的文件已不存在，请重新上传。"))
    path = stored_path(run.stored_name)
    if not path.is_file():
        raise ImportFileRejected(_l("上传的文件已不存在，请重新上传。"))
    rows = read_rows(path, file_format(path, run.original_name), run.kind, max_rows=max_rows())
    return validate(run.kind, rows, scope_of(run))


@dataclass(frozen=True)
class Upload:
    kind: ImportKind
    unit: Unit | None
    original_name: str | None
    stream: IO[bytes]
    consent_basis: ConsentBasis | None = None
    consent_given_on: date | None = None


def start_import(*, actor: User, upload: Upload) -> tuple[ImportRun, list[RowResult]]:
    """Keep the uploaded file as a pending import and check it (nothing else is written).

    ``ImportFileRejected`` when the file cannot be read as such a list.
    """
    if actor.role is Role.STATION_HEAD:
        upload = replace(upload, unit=actor.unit)
    if upload.kind is ImportKind.SERVICE_USERS and (
        upload.consent_basis is None or upload.consent_given_on is None
    ):
        raise ValueError("a list of service users needs its consent basis and date")
    stored_name = _store(upload.stream)
    run = ImportRun(
        kind=upload.kind,
        status=ImportStatus.PENDING,
        unit_id=upload.unit.id if upload.unit else None,
        created_by_id=actor.id,
        original_name=clean_original_name(upload.original_name),
        stored_name=stored_name,
        expires_at=utcnow() + pending_lifetime(),
        consent_basis=upload.consent_basis,
        consent_given_on=upload.consent_given_on,
    )
    run.unit = upload.unit
    run.created_by = actor
    try:
        results = check_file(run)
        if not results:
            raise ImportFileRejected(_l("文件中没有数据行。"))
    except BaseException:
        delete_stored_file(stored_name)
        raise
    run.total_rows = len(results)
    run.invalid_rows = sum(1 for result in results if not result.is_valid)
    db.session.add(run)
    db.session.flush()
    # The file name may name people, so it stays out of the audit log.
    audit.record(
        "import.upload",
        run,
        actor_id=actor.id,
        details={"kind": run.kind.value, "rows": run.total_rows, "invalid": run.invalid_rows},
    )
    return run, results


def record_preview(*, actor: User, run: ImportRun) -> None:
    """The preview shows names from the file: who looked is audited like a person's page."""
    audit.record("import.preview", run, actor_id=actor.id, details={"kind": run.kind.value})


def skipped_reasons(results: list[RowResult]) -> list[dict[str, Any]]:
    """Row numbers, column keys and problem codes of the invalid rows; never a cell value."""
    return [
        {
            "row": result.number,
            "problems": [
                {"field": problem.field, "code": problem.code}
                | ({"other_row": problem.other_row} if problem.other_row else {})
                for problem in result.problems
            ],
        }
        for result in results
        if not result.is_valid
    ]


def confirm_import(*, actor: User, run: ImportRun, skip_invalid: bool) -> str | None:
    """Check the file again and write every valid row; returns the file to delete after commit.

    ``ImportBlocked`` when rows have problems and ``skip_invalid`` is off, or nothing is
    left to write. Any other exception means the caller must roll back: nothing is kept.
    """
    results = check_file(run)
    valid = [result for result in results if result.is_valid]
    invalid_count = len(results) - len(valid)
    if invalid_count and not skip_invalid:
        raise ImportBlocked(
            _l(
                "有 %(count)d 行存在问题。请修改文件后重新上传，"
                "或勾选“跳过有问题的行，只导入没有问题的行”。",
                count=invalid_count,
            )
        )
    if not valid:
        raise ImportBlocked(_l("没有可以导入的行。"))
    WRITERS[run.kind](actor, run, valid)
    stored_name = run.stored_name
    run.status = ImportStatus.COMPLETED
    run.total_rows = len(results)
    run.invalid_rows = invalid_count
    run.created_count = len(valid)
    run.skipped_count = invalid_count
    run.skipped_rows = skipped_reasons(results)
    run.stored_name = None
    run.completed_at = utcnow()
    audit.record(
        "import.confirm",
        run,
        actor_id=actor.id,
        details={
            "kind": run.kind.value,
            "created": run.created_count,
            "skipped": run.skipped_count,
        },
    )
    return stored_name


def record_failure(*, actor: User, run_id: int) -> str | None:
    """After a rolled-back confirmation: mark the import failed; returns the file to delete."""
    run = db.session.get(ImportRun, run_id)
    if run is None or run.status is not ImportStatus.PENDING:
        return None
    stored_name = run.stored_name
    run.status = ImportStatus.FAILED
    run.stored_name = None
    run.completed_at = utcnow()
    audit.record("import.failed", run, actor_id=actor.id, details={"kind": run.kind.value})
    return stored_name


def cancel_import(*, actor: User, run: ImportRun) -> str | None:
    stored_name = run.stored_name
    run.status = ImportStatus.CANCELLED
    run.stored_name = None
    run.completed_at = utcnow()
    audit.record("import.cancel", run, actor_id=actor.id, details={"kind": run.kind.value})
    return stored_name


def is_expired(run: ImportRun, now: datetime | None = None) -> bool:
    expires_at = run.expires_at
    if expires_at.tzinfo is None:  # SQLite drops the offset; the value is UTC
        expires_at = expires_at.replace(tzinfo=utcnow().tzinfo)
    return expires_at <= (now or utcnow())


def expire_stale_imports() -> list[str]:
    """Pending imports past their time become expired; returns the files to delete."""
    stale = list(
        db.session.execute(
            select(ImportRun.id, ImportRun.stored_name).where(
                ImportRun.status == ImportStatus.PENDING, ImportRun.expires_at <= utcnow()
            )
        )
    )
    if not stale:
        return []
    db.session.execute(
        update(ImportRun)
        .where(ImportRun.id.in_([run_id for run_id, _name in stale]))
        .values(status=ImportStatus.EXPIRED, stored_name=None),
        execution_options={"synchronize_session": False},
    )
    return [name for _run_id, name in stale if name]


# --- writers: one per kind, all inside the caller's transaction ----------------------------


def _unit_of(result: RowResult) -> Unit:
    if result.unit is None:
        raise ValueError("a valid row has its unit")
    return result.unit


def _write_staff(actor: User, run: ImportRun, rows: list[RowResult]) -> None:
    entries = []
    for result in rows:
        data = result.data
        certificate = None
        if data["certificate_level"] is not None:
            certificate = {
                "level": data["certificate_level"],
                "certificate_number": data["certificate_number"],
                "obtained_on": data["obtained_on"],
                "registration_number": data["registration_number"],
                "registered_on": data["registered_on"],
            }
        entries.append(
            workforce.NewProfile(
                unit=_unit_of(result),
                name=data["name"],
                fields={key: data[key] for key in STAFF_PROFILE_FIELDS},
                certificate=certificate,
            )
        )
    # The service audits each profile and certificate it creates.
    workforce.create_profiles(entries, actor=actor)


def _add_in_batches(objects: list[Any]) -> None:
    """Add and flush in batches: still one transaction, but flush hooks that look at every
    new object (the search index) see a thousand at a time instead of the whole file."""
    for start in range(0, len(objects), FLUSH_BATCH):
        db.session.add_all(objects[start : start + FLUSH_BATCH])
        db.session.flush()


def _audit_created(action: str, objects: list[Any], actor: User, run: ImportRun) -> None:
    for obj in objects:
        audit.record(action, obj, actor_id=actor.id, details={"import_run_id": run.id})


def _write_volunteers(actor: User, run: ImportRun, rows: list[RowResult]) -> None:
    # The same normalisation as groups.services.register_volunteer, in one bulk flush.
    volunteers = [
        Volunteer(
            unit_id=_unit_of(result).id,
            name=result.data["name"].strip(),
            phone=result.data["phone"],
            category=result.data["category"],
            skills=result.data["skills"].strip(),
            availability=result.data["availability"].strip(),
            is_active=True,
        )
        for result in rows
    ]
    _add_in_batches(volunteers)
    _audit_created("volunteer.create", volunteers, actor, run)


def _write_service_users(actor: User, run: ImportRun, rows: list[RowResult]) -> None:
    # The same fields as people.services.register_person sets, with the file's consent.
    people = [
        ServiceUser(
            unit_id=_unit_of(result).id,
            name=result.data["name"].strip(),
            gender=result.data["gender"],
            birth_date=result.data["birth_date"],
            id_number=result.data["id_number"],
            phone=result.data["phone"],
            address=result.data["address"],
            notes=result.data["notes"],
            consent_given_on=run.consent_given_on,
            consent_basis=run.consent_basis,
            consent_recorded_by_id=actor.id,
            created_by_id=actor.id,
            is_archived=False,
        )
        for result in rows
    ]
    _add_in_batches(people)
    _audit_created("service_user.create", people, actor, run)


WRITERS: dict[ImportKind, Callable[[User, ImportRun, list[RowResult]], None]] = {
    ImportKind.STAFF: _write_staff,
    ImportKind.VOLUNTEERS: _write_volunteers,
    ImportKind.SERVICE_USERS: _write_service_users,
}
