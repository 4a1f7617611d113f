"""Building evidence packs outside the request: claiming, progress, files, expiry.

A request only queues a pack. A daemon thread started after its commit (or `flask casework
build-evidence-packs`, e.g. from a timer) claims it with one conditional UPDATE, so two
builders never build the same pack, and commits its progress after each section. A build
whose heartbeat stopped (its process died) is queued again by the command.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import secrets
import threading
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pypdf import PdfReader
from sqlalchemy import select, update

from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids
from casework.attachments.models import Attachment
from casework.attachments.services import AttachmentFileMissing, open_attachment
from casework.core.clock import local_today
from casework.core.exports import Table, table, to_xlsx_sheets
from casework.core.models import utcnow
from casework.core.pdf import MissingCJKFont, PDFRenderError, render_pdf
from casework.evidence import content
from casework.evidence.models import EvidencePack, PackStatus
from casework.evidence.permissions import pack_units_for
from casework.extensions import db
from casework.orgs.reporting import figure_unit_ids

log = logging.getLogger(__name__)

TEMPLATE = "evidence/pack_pdf.html"
UNSAFE_NAME_CHARACTERS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')

# Steps besides the sections, by the key stored in ``EvidencePack.step``.
STEP_LABELS: dict[str, Any] = {
    "pdf": _l("排版 PDF"),
    "zip": _l("打包附件与索引"),
}
# What a failed build tells its requester, by the code stored in ``EvidencePack.error``:
# never the exception's text, which might quote a record.
ERROR_LABELS: dict[str, Any] = {
    "scope": _l("您已无权查看该单位的记录，无法生成台账。"),
    "font": _l("系统未安装中文字体，无法生成 PDF。请管理员安装 fonts-noto-cjk 后重试。"),
    "render": _l("PDF 排版超时或失败，请缩短期间或稍后重新申请。"),
    "storage": _l("文件无法保存，请联系系统管理员。"),
    "internal": _l("生成时出错，请重新申请；如再次失败，请联系系统管理员。"),
}


class PackScopeLost(Exception):
    """The requester may no longer see the pack's unit."""


def step_label(key: str) -> Any:
    """The label of a stored step key (a section or a final step)."""
    for section in content.FULL_SECTIONS:
        if section.key == key:
            return section.title
    return STEP_LABELS.get(key, "")


def evidence_folder() -> Path:
    """Where pack files live (``instance/evidence`` by default), never under static/."""
    configured = current_app.config.get("EVIDENCE_FOLDER") or ""
    folder = Path(configured or os.path.join(current_app.instance_path, "evidence")).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pack_path(name: str) -> Path:
    return evidence_folder() / name


# --- claiming ---------------------------------------------------------------------------------


def claim_pack(pack_id: int) -> bool:
    """Take a queued pack for building; False when another builder took it first."""
    result = db.session.execute(
        update(EvidencePack)
        .where(EvidencePack.id == pack_id, EvidencePack.status == PackStatus.QUEUED)
        .values(status=PackStatus.BUILDING, progress=0, step="", heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


def requeue_stale(minutes: int) -> int:
    """Queue again the builds whose heartbeat is older than ``minutes`` (a dead process)."""
    cutoff = utcnow() - timedelta(minutes=minutes)
    result = db.session.execute(
        update(EvidencePack)
        .where(EvidencePack.status == PackStatus.BUILDING, EvidencePack.heartbeat_at < cutoff)
        .values(status=PackStatus.QUEUED, progress=0, step="")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0))


def build_queued() -> int:
    """Build every queued pack (after re-queueing stale ones); the number built."""
    requeue_stale(int(current_app.config.get("EVIDENCE_STALE_MINUTES", 30)))
    built = 0
    queued = select(EvidencePack.id).where(EvidencePack.status == PackStatus.QUEUED)
    for pack_id in list(db.session.scalars(queued.order_by(EvidencePack.id))):
        if claim_pack(pack_id):
            build_pack(pack_id)
            built += 1
    return built


def orphaned_packs(user: User) -> list[int]:
    """The user's packs that no builder holds any more: queued for over a minute (the
    thread that was to take it never did) or building with a heartbeat older than
    ``EVIDENCE_STALE_MINUTES`` (its process died, e.g. a restarted worker); queued again.

    The evidence page starts a thread for each, so that a pack does not wait for the
    ``build-evidence-packs`` timer where none is set up.
    """
    now = utcnow()
    stale = now - timedelta(minutes=int(current_app.config.get("EVIDENCE_STALE_MINUTES", 30)))
    mine = EvidencePack.requested_by_id == user.id
    orphaned = list(
        db.session.scalars(
            select(EvidencePack.id).where(
                mine,
                (
                    (EvidencePack.status == PackStatus.QUEUED)
                    & (EvidencePack.created_at < now - timedelta(minutes=1))
                )
                | (
                    (EvidencePack.status == PackStatus.BUILDING)
                    & (EvidencePack.heartbeat_at < stale)
                ),
            )
        )
    )
    if orphaned:
        db.session.execute(
            update(EvidencePack)
            .where(EvidencePack.id.in_(orphaned), EvidencePack.status == PackStatus.BUILDING)
            .values(status=PackStatus.QUEUED, progress=0, step="")
            .execution_options(synchronize_session=False)
        )
    return orphaned


def start_build_thread(app: Flask, pack_id: int) -> threading.Thread:
    """Build the pack in a daemon thread with its own app context (after the commit)."""

    def run() -> None:
        with app.app_context():
            try:
                if claim_pack(pack_id):
                    build_pack(pack_id)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, name=f"evidence-pack-{pack_id}", daemon=True)
    thread.start()
    return thread


# --- building -----------------------------------------------------------------------------------


def build_pack(pack_id: int) -> None:
    """Build a claimed pack; on any error it ends ``failed`` with a message for the user."""
    if has_request_context():
        _build_or_fail(pack_id)
        return
    # The PDF's template needs a request for url_for and the language.
    with current_app.test_request_context("/"):
        _build_or_fail(pack_id)


def _build_or_fail(pack_id: int) -> None:
    written: list[Path] = []
    try:
        _build(pack_id, written)
    except Exception as error:
        db.session.rollback()
        code = _error_code(error)
        # The pack's id and the error's kind only: a message could quote a record.
        log.error("evidence pack %d failed: %s (%s)", pack_id, code, type(error).__name__)
        for path in written:
            path.unlink(missing_ok=True)
        pack = db.session.get(EvidencePack, pack_id)
        if pack is not None:
            pack.status = PackStatus.FAILED
            pack.error = code
            pack.step = ""
            pack.finished_at = utcnow()
            db.session.commit()


def _error_code(error: Exception) -> str:
    if isinstance(error, PackScopeLost):
        return "scope"
    if isinstance(error, MissingCJKFont):
        return "font"
    if isinstance(error, PDFRenderError):
        return "render"
    if isinstance(error, OSError):
        return "storage"
    return "internal"


def scope_of(pack: EvidencePack) -> content.Scope:
    """What the pack covers, from its requester's rights now (not when asked)."""
    requester = db.session.get(User, pack.requested_by_id)
    units = pack_units_for(requester) if requester is not None else []
    if requester is None or pack.unit_id not in {unit.id for unit in units}:
        raise PackScopeLost(pack.id)
    unit_ids = figure_unit_ids(units, pack.unit) if pack.includes_subtree else [pack.unit_id]
    allowed = set(casework_unit_ids(requester))
    return content.Scope(
        unit_id=pack.unit_id,
        unit_name=pack.unit.name,
        unit_ids=unit_ids,
        record_unit_ids=[] if pack.is_aggregate_only else [i for i in unit_ids if i in allowed],
        start=pack.start,
        end=pack.end,
        today=local_today(),
        is_aggregate_only=pack.is_aggregate_only,
    )


def _progress(pack: EvidencePack, done: int, total: int, step: str) -> None:
    pack.progress = min(99, int(100 * done / total))
    pack.step = step
    pack.heartbeat_at = utcnow()
    db.session.commit()


def _build(pack_id: int, written: list[Path]) -> None:
    pack = db.session.get(EvidencePack, pack_id)
    if pack is None or pack.status is not PackStatus.BUILDING:
        return
    scope = scope_of(pack)
    sections = content.sections_for(scope)
    total = len(sections) + 2
    data: dict[str, content.Record] = {}
    for done, section in enumerate(sections):
        _progress(pack, done, total, section.key)
        data[section.key] = section.gather(scope)
    _progress(pack, len(sections), total, "pdf")
    pdf = render_pdf(
        TEMPLATE,
        render_timeout=float(current_app.config.get("EVIDENCE_PDF_TIMEOUT", 900)),
        pack=_cover(pack, scope),
        generated_on=scope.today,
        sections=[{"key": s.key, "title": str(s.title)} for s in sections],
        data=data,
    )
    pdf_name = secrets.token_hex(16) + ".pdf"
    written.append(pack_path(pdf_name))
    pack_path(pdf_name).write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    outline = list(_outline(reader, reader.outline))

    _progress(pack, len(sections) + 1, total, "zip")
    zip_name = secrets.token_hex(16) + ".zip"
    written.append(pack_path(zip_name))
    _write_zip(pack_path(zip_name), scope, sections, outline)

    case_files = data.get("case_files", {}).get("files", [])
    pack.pdf_name, pack.zip_name = pdf_name, zip_name
    pack.pdf_size = len(pdf)
    pack.zip_size = pack_path(zip_name).stat().st_size
    pack.page_count = len(reader.pages)
    pack.case_ids = [case_file["id"] for case_file in case_files]
    pack.status = PackStatus.READY
    pack.progress = 100
    pack.step = ""
    pack.finished_at = utcnow()
    pack.expires_at = pack.finished_at + timedelta(
        days=int(current_app.config.get("EVIDENCE_KEEP_DAYS", 7))
    )
    db.session.commit()
    log.info("evidence pack %d ready: %d pages", pack_id, pack.page_count)


def _cover(pack: EvidencePack, scope: content.Scope) -> content.Record:
    return {
        "unit": pack.unit.name,
        "unit_count": len(scope.unit_ids),
        "start": pack.start,
        "end": pack.end,
        "generated_on": scope.today,
        "requested_by": pack.requested_by.display_name,
        "is_aggregate_only": pack.is_aggregate_only,
    }


def _outline(reader: PdfReader, items: Any, level: int = 1) -> Any:
    """(level, title, page number) for every bookmark, in order."""
    for item in items:
        if isinstance(item, list):
            yield from _outline(reader, item, level + 1)
        else:
            page = reader.get_destination_page_number(item)
            yield level, str(item.title), (page or 0) + 1


# --- the ZIP ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Indexed:
    section: str
    record: str
    name: str
    path: str
    size: int | None
    sha256: str


def _safe(name: str) -> str:
    return UNSAFE_NAME_CHARACTERS.sub(" ", name).strip() or "-"


def _write_zip(
    path: Path,
    scope: content.Scope,
    sections: tuple[content.Section, ...],
    outline: list[tuple[int, str, int]],
) -> None:
    titles = {section.key: str(section.title) for section in sections}
    folders = {
        section.key: f"{position:02d}-{_safe(str(section.title))}"
        for position, section in enumerate(sections)
    }
    indexed: list[_Indexed] = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in content.pack_files(scope):
            attachment = db.session.get(Attachment, item.attachment_id)
            inner = (
                f"{folders[item.section]}/{_safe(item.record)}/"
                f"{item.attachment_id}-{_safe(item.original_name)}"
            )
            try:
                source = open_attachment(attachment) if attachment is not None else None
            except AttachmentFileMissing:
                source = None
            if source is None:
                indexed.append(
                    _Indexed(titles[item.section], item.record, item.original_name, "", None, "")
                )
                continue
            digest = hashlib.sha256()
            with source.open("rb") as handle, archive.open(inner, "w") as target:
                while chunk := handle.read(64 * 1024):
                    digest.update(chunk)
                    target.write(chunk)
            indexed.append(
                _Indexed(
                    titles[item.section],
                    item.record,
                    item.original_name,
                    inner,
                    source.stat().st_size,
                    digest.hexdigest(),
                )
            )
        archive.writestr(_("台账索引") + ".xlsx", _index(scope, indexed, outline))


def _index(
    scope: content.Scope, indexed: list[_Indexed], outline: list[tuple[int, str, int]]
) -> bytes:
    about = table([_("项目"), _("内容")], _("说明"))
    about.add([_("单位"), scope.unit_name])
    about.add([_("期间"), f"{scope.start.isoformat()} — {scope.end.isoformat()}"])
    about.add([_("生成日期"), scope.today])
    if scope.is_aggregate_only:
        about.add([_("附件"), _("本台账仅含统计数据，不含个案档案和附件原件。")])
    else:
        about.add([_("附件"), _("本期个案（截至期末上传）和社区活动的附件原件，按栏目分文件夹。")])
    files: Table = table(
        [_("栏目"), _("记录"), _("原文件名"), _("压缩包内路径"), _("大小（字节）"), "SHA-256"],
        _("附件清单"),
    )
    for item in indexed:
        files.add(
            [
                item.section,
                item.record,
                item.name,
                item.path or _("文件缺失"),
                item.size if item.size is not None else "",
                item.sha256,
            ]
        )
    contents = table([_("层级"), _("标题"), _("页码")], _("PDF 目录"))
    for level, title, page in outline:
        contents.add([level, title, page])
    return to_xlsx_sheets([about, files, contents])


# --- expiry -------------------------------------------------------------------------------------


def prune_packs() -> int:
    """Delete the files of packs past their expiry (and of failed ones); the number pruned."""
    now = utcnow()
    keep = timedelta(days=int(current_app.config.get("EVIDENCE_KEEP_DAYS", 7)))
    expired = select(EvidencePack).where(
        (
            (EvidencePack.status == PackStatus.READY)
            & (EvidencePack.expires_at.is_not(None))
            & (EvidencePack.expires_at <= now)
        )
        | ((EvidencePack.status == PackStatus.FAILED) & (EvidencePack.created_at <= now - keep))
    )
    pruned = 0
    for pack in db.session.scalars(expired):
        for name in (pack.pdf_name, pack.zip_name):
            if name:
                pack_path(name).unlink(missing_ok=True)
        pack.pdf_name = pack.zip_name = None
        pack.status = PackStatus.EXPIRED
        pruned += 1
    db.session.commit()
    return pruned
