"""A station with records inside and outside one period, and its pack built in the test."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from pypdf import PdfReader

from casework.attachments import services as attachment_services
from casework.attachments.models import Attachment
from casework.cases.models import Case
from casework.core.clock import local_today
from casework.evidence import build, services
from casework.evidence.models import EvidencePack
from casework.extensions import db
from casework.orgs.models import Unit
from casework.reports.periods import Period
from tests.attachments.helpers import store_on_case, upload
from tests.factories import (
    ActivityFactory,
    CaseFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    WorkerFactory,
)


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class Station:
    unit: Unit
    head: Any
    worker: Any
    period: Period
    case_in: Case
    case_after: Case
    case_elsewhere: Case
    case_file: Attachment
    photo: Attachment
    photo_after: Attachment


@pytest.fixture(autouse=True)
def _evidence_folder(app: Flask, tmp_path: Path) -> None:
    """Each test's packs in a folder of its own (the app fixture restores the setting)."""
    app.config["EVIDENCE_FOLDER"] = str(tmp_path / "evidence")


@pytest.fixture
def evidence_station(app: Flask) -> Station:
    """Records of a period that ended 50 days ago, one case and activity after it, and a
    case of another station."""
    today = local_today()
    period = Period(today - timedelta(days=100), today - timedelta(days=50))
    unit = StationFactory(name="湖西社区社会工作服务站")
    head = StationHeadFactory(unit=unit, display_name="周站长")
    worker = WorkerFactory(unit=unit, display_name="陈社工")
    case_in = CaseFactory(
        service_user=ServiceUserFactory(unit=unit, name="孙秀兰"),
        worker=worker,
        opened_on=today - timedelta(days=80),
    )
    case_after = CaseFactory(
        service_user=ServiceUserFactory(unit=unit, name="赵德明"),
        worker=worker,
        opened_on=today - timedelta(days=20),
    )
    other = StationFactory(parent=unit.parent)
    case_elsewhere = CaseFactory(
        service_user=ServiceUserFactory(unit=other, name="钱玉梅"),
        opened_on=today - timedelta(days=80),
    )
    store_on_case(case_after, filename="后来的协议.pdf")
    store_on_case(case_elsewhere, filename="别处的协议.pdf")
    case_file = store_on_case(case_in, filename="服务协议.pdf")
    activity = ActivityFactory(
        unit=unit, organiser=worker, title="重阳节敬老活动", held_on=today - timedelta(days=70)
    )
    activity_after = ActivityFactory(
        unit=unit, organiser=worker, title="冬季防火宣传", held_on=today - timedelta(days=10)
    )
    photo = attachment_services.store_attachment(
        actor=worker, file_storage=upload(png_bytes(), "合影.png"), activity=activity
    )
    photo_after = attachment_services.store_attachment(
        actor=worker,
        file_storage=upload(png_bytes((10, 200, 10)), "宣传.png"),
        activity=activity_after,
    )
    db.session.commit()
    return Station(
        unit,
        head,
        worker,
        period,
        case_in,
        case_after,
        case_elsewhere,
        case_file,
        photo,
        photo_after,
    )


def queue_pack(user: Any, unit: Unit, period: Period, *, subtree: bool = False) -> EvidencePack:
    pack = services.request_pack(actor=user, unit=unit, includes_subtree=subtree, period=period)
    db.session.commit()
    return pack


def built(pack: EvidencePack) -> EvidencePack:
    """Build ``pack`` here, as the thread or the command would."""
    assert build.claim_pack(pack.id)
    build.build_pack(pack.id)
    db.session.expire_all()
    result = db.session.get(EvidencePack, pack.id)
    assert result is not None
    return result


def pdf_of(pack: EvidencePack) -> PdfReader:
    assert pack.pdf_name is not None
    return PdfReader(build.pack_path(pack.pdf_name))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)
