"""The upload folder fills up or turns read-only: the upload is refused with a clear
message, and neither a file nor a row is left behind."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from casework.attachments.models import Attachment
from casework.extensions import db
from tests.attachments.helpers import pdf_bytes
from tests.factories import PASSWORD, CaseFactory

pytestmark = pytest.mark.faults

REFUSED = "附件暂时无法保存（服务器存储空间不足或不可写入）"
# A PDF far larger than the 64 KiB file system it is written to.
LARGE_PDF = pdf_bytes() + b"%" + b"0" * 300_000 + b"\n"


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)  # noqa: S603, S607


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs: a real file system that fills up (needs root, as in CI)."""
    mountpoint = tmp_path / "uploads"
    mountpoint.mkdir()
    try:
        _mount("-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mountpoint))
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)  # noqa: S603, S607


def _upload(make_app: Callable[..., Flask], folder: Path, content: bytes) -> tuple[str, int]:
    """Upload ``content`` to a case as its worker; the page shown after, and rows stored."""
    app = make_app(UPLOAD_FOLDER=str(folder))
    with app.app_context():
        case = CaseFactory()
        case_id, username = case.id, case.worker.username
    client = app.test_client()
    client.post("/login", data={"username": username, "password": PASSWORD})
    response = client.post(
        f"/cases/{case_id}/attachments",
        data={"file": (BytesIO(content), "同意书.pdf"), "description": "服务协议"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    with app.app_context():
        rows = int(db.session.scalar(select(func.count()).select_from(Attachment)) or 0)
    return response.get_data(as_text=True), rows


def test_an_upload_to_a_full_disk_is_refused_with_a_message(
    make_app: Callable[..., Flask], small_disk: Path
) -> None:
    page, _rows = _upload(make_app, small_disk, LARGE_PDF)
    assert REFUSED in page


def test_an_upload_to_a_full_disk_leaves_no_file_and_no_row(
    make_app: Callable[..., Flask], small_disk: Path
) -> None:
    _page, rows = _upload(make_app, small_disk, LARGE_PDF)
    assert ([path.name for path in small_disk.iterdir()], rows) == ([], 0)


def test_an_upload_to_a_read_only_folder_is_refused_and_leaves_nothing(
    make_app: Callable[..., Flask], small_disk: Path
) -> None:
    _mount("-o", "remount,ro", str(small_disk))
    page, rows = _upload(make_app, small_disk, pdf_bytes())
    assert (REFUSED in page, list(small_disk.iterdir()), rows) == (True, [], 0)
