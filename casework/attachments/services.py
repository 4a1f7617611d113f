"""Storing, opening and archiving attachments (signed agreements, consent forms, documents)."""

from __future__ import annotations

import logging
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError
from werkzeug.datastructures import FileStorage

from casework.accounts.models import User
from casework.activities.models import CommunityActivity
from casework.attachments.models import Attachment
from casework.cases.models import Case
from casework.core import audit
from casework.extensions import db
from casework.people.models import ServiceUser

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ORIGINAL_NAME_MAX_LENGTH = 200  # the column's length
DESCRIPTION_MAX_LENGTH = 200
CHUNK_SIZE = 64 * 1024
# [Content_Types].xml of a real document is a few kilobytes; never read more than this.
CONTENT_TYPES_MAX_BYTES = 256 * 1024
# Stored data, not a label: the name is saved once, in the source language.
DEFAULT_NAME_STEM = "附件"
STORED_NAME_PATTERN = re.compile(r"^[0-9a-f]{32}$")
# Characters Windows forbids in file names, plus the path separators.
UNSAFE_NAME_CHARACTERS = re.compile(r'[<>:"/\\|?*]')


UNSUPPORTED_TYPE = _l(
    "不支持的文件类型。只能上传 PDF、JPEG、PNG、Word（.docx）或 Excel（.xlsx）文件。"
)


class AttachmentRejected(Exception):
    """The uploaded file may not be stored; ``message`` says why, in the user's language."""

    def __init__(self, message: Any) -> None:
        # Kept lazy: it is translated when shown, in the request's language.
        super().__init__(message)
        self.message = message


class AttachmentFileMissing(LookupError):
    """The attachment's row exists but its file is not in the upload folder."""


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]  # the first is used when the original name has none of them


PDF = FileType("application/pdf", (".pdf",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("image/png", (".png",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))

# The main part's content type as [Content_Types].xml declares it; macro-enabled variants
# (docm, xlsm) declare other types and are refused.
OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}


def upload_folder() -> Path:
    """The configured upload folder (``instance/uploads`` by default), created if missing."""
    configured = current_app.config.get("UPLOAD_FOLDER") or ""
    folder = Path(configured or os.path.join(current_app.instance_path, "uploads")).resolve()
    if current_app.static_folder:
        static = Path(current_app.static_folder).resolve()
        # Files there would be served to anyone, without login or audit.
        if folder == static or static in folder.parents:
            raise RuntimeError("UPLOAD_FOLDER must not be inside the static folder")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def max_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def detect_file_type(path: Path) -> FileType | None:
    """The type of the file at ``path`` judged by its content, or None when not allowed."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _office_open_xml_type(path)
    return None


def _office_open_xml_type(path: Path) -> FileType | None:
    try:
        with zipfile.ZipFile(path) as archive, archive.open("[Content_Types].xml") as member:
            declared = member.read(CONTENT_TYPES_MAX_BYTES)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        # Not a zip, no [Content_Types].xml, encrypted or damaged: not an Office document.
        return None
    for main_part, file_type in OOXML_MAIN_PARTS.items():
        if main_part in declared:
            return file_type
    return None


def clean_original_name(raw: str | None, file_type: FileType) -> str:
    """A display-only file name: no directories or control characters, the right extension."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = UNSAFE_NAME_CHARACTERS.sub("_", name).strip().strip(".").strip()
    stem, dot, extension = name.rpartition(".")
    if dot and "." + extension.lower() in file_type.extensions:
        suffix = "." + extension.lower()
    else:
        # The browser saves the download under this name: let it not claim another type.
        stem, suffix = name, file_type.extensions[0]
    stem = stem.strip() or DEFAULT_NAME_STEM
    return stem[: ORIGINAL_NAME_MAX_LENGTH - len(suffix)] + suffix


def _size(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:g} MB"
    return f"{size / 2**10:g} KB"


def _copy_limited(source: IO[bytes], target: IO[bytes], limit: int) -> int:
    """Copy ``source`` into ``target``; refuse as soon as it passes ``limit`` bytes."""
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        size += len(chunk)
        if size > limit:
            message = _l("文件过大，单个附件不能超过 %(limit)s。", limit=_size(limit))
            raise AttachmentRejected(message)
        target.write(chunk)
    return size


@dataclass(frozen=True)
class StoredFile:
    """A checked upload in place under the upload folder, waiting for its row."""

    stored_name: str
    original_name: str
    file_type: FileType
    size: int


def store_file(file_storage: FileStorage) -> StoredFile:
    """Check an uploaded file by its content and size and put it in the upload folder.

    The file is written to a temporary name in the upload folder and renamed into place,
    so no half-written file is ever found under a stored name. A full or read-only folder
    answers AttachmentRejected with nothing left behind. The caller adds the row that
    refers to it (and removes the file if that row cannot be written).
    """
    folder = upload_folder()
    try:
        descriptor, temporary_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    except OSError as error:
        raise _not_stored(error) from error
    temporary = Path(temporary_name)
    try:
        with os.fdopen(descriptor, "wb") as target:
            size = _copy_limited(file_storage.stream, target, max_bytes())
            target.flush()
            os.fsync(target.fileno())
        if size == 0:
            raise AttachmentRejected(_l("文件为空，请重新选择文件。"))
        file_type = detect_file_type(temporary)
        if file_type is None:
            raise AttachmentRejected(UNSUPPORTED_TYPE)
        stored_name = secrets.token_hex(16)
        os.replace(temporary, folder / stored_name)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _not_stored(error) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return StoredFile(
        stored_name=stored_name,
        original_name=clean_original_name(file_storage.filename, file_type),
        file_type=file_type,
        size=size,
    )


def discard_file(stored_name: str) -> None:
    """Remove a stored file whose row could not be written."""
    if STORED_NAME_PATTERN.fullmatch(stored_name):
        (upload_folder() / stored_name).unlink(missing_ok=True)


def stored_path(stored_name: str) -> Path | None:
    """The path of a stored file, or None when the name is not one of ours or it is gone."""
    if not STORED_NAME_PATTERN.fullmatch(stored_name):
        return None
    path = upload_folder() / stored_name
    return path if path.is_file() else None


def store_attachment(
    *,
    actor: User,
    file_storage: FileStorage,
    case: Case | None = None,
    person: ServiceUser | None = None,
    activity: CommunityActivity | None = None,
    description: str = "",
) -> Attachment:
    """Check an uploaded file by its content and size, store it, and add its row (audited).

    The file is in place before the request commits (``store_file``): a failed commit
    leaves an unreferenced file, never a row without one, and a row that cannot be written
    takes its file with it.
    """
    if sum(owner is not None for owner in (case, person, activity)) != 1:
        raise ValueError("an attachment belongs to exactly one case, person or activity")
    stored = store_file(file_storage)
    attachment = Attachment(
        case_id=case.id if case else None,
        service_user_id=person.id if person else None,
        activity_id=activity.id if activity else None,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.file_type.content_type,
        size=stored.size,
        description=description.strip()[:DESCRIPTION_MAX_LENGTH],
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    try:
        db.session.flush()
    except DBAPIError:
        # The row could not be written (a read-only or unreachable database): the file
        # must not stay behind without it.
        discard_file(stored.stored_name)
        raise
    # The file name may name the person, so it stays out of the audit log.
    audit.record(
        "attachment.upload",
        attachment,
        actor_id=actor.id,
        unit_id=_unit_id(attachment),
        details={
            "case_id": attachment.case_id,
            "service_user_id": attachment.service_user_id,
            "activity_id": attachment.activity_id,
            "content_type": attachment.content_type,
            "size": stored.size,
        },
    )
    return attachment


def _not_stored(error: OSError) -> AttachmentRejected:
    """The upload folder is full, read-only or gone: say so, keep the form, store nothing."""
    log.error("attachment not stored: %s (errno %s)", error.strerror, error.errno)
    return AttachmentRejected(
        _l(
            "附件暂时无法保存（服务器存储空间不足或不可写入），其他内容未受影响。请稍后重试或联系管理员。"
        )
    )


def _unit_id(attachment: Attachment) -> int | None:
    if attachment.case_id is not None:
        case = db.session.get(Case, attachment.case_id)
        return case.unit_id if case else None
    if attachment.service_user_id is not None:
        person = db.session.get(ServiceUser, attachment.service_user_id)
        return person.unit_id if person else None
    if attachment.activity_id is not None:
        activity = db.session.get(CommunityActivity, attachment.activity_id)
        return activity.unit_id if activity else None
    return None


def open_attachment(attachment: Attachment) -> Path:
    """The path of the attachment's file; ``AttachmentFileMissing`` if it is not there."""
    path = stored_path(attachment.stored_name)
    if path is None:
        raise AttachmentFileMissing(attachment.id)
    return path


def record_download(*, actor: User, attachment: Attachment) -> None:
    """Note in the audit log that ``actor`` downloaded the attachment."""
    audit.record("attachment.download", attachment, actor_id=actor.id, unit_id=_unit_id(attachment))


def archive_attachment(*, actor: User, attachment: Attachment) -> None:
    """Hide the attachment (soft delete); the file stays for the record."""
    attachment.is_archived = True
    audit.record("attachment.archive", attachment, actor_id=actor.id, unit_id=_unit_id(attachment))
