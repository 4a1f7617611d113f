"""Uploading attachments in tests: a valid PDF and storing it on a case."""

from __future__ import annotations

import io
from typing import Any

from werkzeug.datastructures import FileStorage

from casework.attachments import services
from casework.cases.models import Case
from casework.extensions import db


def pdf_bytes() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def upload(content: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=filename)


def store_on_case(case: Case, content: bytes | None = None, filename: str = "同意书.pdf") -> Any:
    attachment = services.store_attachment(
        actor=case.worker,
        file_storage=upload(pdf_bytes() if content is None else content, filename),
        case=case,
        description="服务协议",
    )
    db.session.commit()
    return attachment
