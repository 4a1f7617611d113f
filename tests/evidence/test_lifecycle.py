"""A pack's life outside the request: the thread, the command, failures, expiry; and what a
bureau viewer's pack leaves out."""

from __future__ import annotations

import zipfile
from datetime import timedelta

from flask import Flask
from sqlalchemy import update

from casework.core.models import utcnow
from casework.evidence import build
from casework.evidence.models import EvidencePack, PackStatus
from casework.extensions import db
from tests.evidence.conftest import Station, built, pdf_of, queue_pack, text_of
from tests.factories import BureauViewerFactory


def _reloaded(pack_id: int) -> EvidencePack:
    db.session.expire_all()
    pack = db.session.get(EvidencePack, pack_id)
    assert pack is not None
    return pack


def test_a_bureau_viewers_pack_has_no_names_and_no_case_files(
    app: Flask, evidence_station: Station
) -> None:
    station = evidence_station
    bureau = station.unit.parent.parent
    viewer = BureauViewerFactory(unit=bureau)
    pack = built(queue_pack(viewer, bureau, station.period, subtree=True))
    assert pack.is_aggregate_only
    text = text_of(pdf_of(pack))
    for name in (
        "孙秀兰",
        "赵德明",
        "钱玉梅",
        station.worker.display_name,
        station.head.display_name,
    ):
        assert name not in text
    assert station.case_in.number not in text
    assert "服务对象基本信息" not in text  # the case file body
    assert "<5" in text
    assert pack.case_ids == []


def test_a_bureau_viewers_zip_holds_only_the_index(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    bureau = station.unit.parent.parent
    pack = built(queue_pack(BureauViewerFactory(unit=bureau), bureau, station.period, subtree=True))
    assert pack.zip_name is not None
    with zipfile.ZipFile(build.pack_path(pack.zip_name)) as archive:
        assert [name.endswith(".xlsx") for name in archive.namelist()] == [True]


def test_a_pack_is_claimed_once(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = queue_pack(station.head, station.unit, station.period)
    assert build.claim_pack(pack.id)
    assert not build.claim_pack(pack.id)


def test_the_thread_builds_a_pack(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = queue_pack(station.head, station.unit, station.period)
    build.start_build_thread(app, pack.id).join(120)
    assert _reloaded(pack.id).status is PackStatus.READY


def test_the_command_builds_queued_packs(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = queue_pack(station.head, station.unit, station.period)
    result = app.test_cli_runner().invoke(args=["casework", "build-evidence-packs"])
    assert result.exit_code == 0, result.output
    assert "built: 1" in result.output
    assert _reloaded(pack.id).status is PackStatus.READY


def test_the_command_restarts_a_build_left_by_a_dead_process(
    app: Flask, evidence_station: Station
) -> None:
    station = evidence_station
    pack = queue_pack(station.head, station.unit, station.period)
    assert build.claim_pack(pack.id)
    db.session.execute(
        update(EvidencePack)
        .where(EvidencePack.id == pack.id)
        .values(heartbeat_at=utcnow() - timedelta(hours=2))
    )
    db.session.commit()
    app.test_cli_runner().invoke(args=["casework", "build-evidence-packs"])
    assert _reloaded(pack.id).status is PackStatus.READY


def test_the_command_leaves_a_live_build_alone(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = queue_pack(station.head, station.unit, station.period)
    assert build.claim_pack(pack.id)
    app.test_cli_runner().invoke(args=["casework", "build-evidence-packs"])
    assert _reloaded(pack.id).status is PackStatus.BUILDING


def test_a_failed_build_says_why_and_leaves_no_files(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    other_station = station.case_elsewhere.unit
    # Queued for a unit the head does not run: the build refuses it.
    pack = built(queue_pack(station.head, other_station, station.period))
    assert pack.status is PackStatus.FAILED
    assert pack.error == "scope"
    assert pack.pdf_name is None
    assert pack.zip_name is None
    assert list(build.evidence_folder().iterdir()) == []


def test_a_build_that_cannot_write_fails_with_a_message(
    app: Flask, evidence_station: Station, tmp_path: object
) -> None:
    station = evidence_station
    blocker = build.evidence_folder() / "not-a-folder"
    blocker.write_text("x")
    app.config["EVIDENCE_FOLDER"] = str(blocker)
    pack = built(queue_pack(station.head, station.unit, station.period))
    assert pack.status is PackStatus.FAILED
    assert pack.error == "storage"


def test_pruning_removes_expired_packs_and_their_files(
    app: Flask, evidence_station: Station
) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    assert pack.pdf_name is not None
    pdf = build.pack_path(pack.pdf_name)
    pack.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["casework", "prune-evidence-packs"])
    assert "expired: 1" in result.output
    pruned = _reloaded(pack.id)
    assert pruned.status is PackStatus.EXPIRED
    assert pruned.pdf_name is None
    assert not pdf.exists()


def test_pruning_keeps_packs_within_their_seven_days(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = built(queue_pack(station.head, station.unit, station.period))
    assert pack.expires_at is not None
    assert timedelta(days=6, hours=23) < pack.expires_at - pack.finished_at <= timedelta(days=7)
    assert build.prune_packs() == 0
    assert _reloaded(pack.id).status is PackStatus.READY


def test_the_page_finds_a_build_left_by_a_dead_worker(
    app: Flask, evidence_station: Station
) -> None:
    station = evidence_station
    pack = queue_pack(station.head, station.unit, station.period)
    assert build.claim_pack(pack.id)
    db.session.execute(
        update(EvidencePack)
        .where(EvidencePack.id == pack.id)
        .values(heartbeat_at=utcnow() - timedelta(hours=2))
    )
    assert build.orphaned_packs(station.head) == [pack.id]
    assert _reloaded(pack.id).status is PackStatus.QUEUED


def test_the_page_leaves_a_live_build_and_a_fresh_request_alone(
    app: Flask, evidence_station: Station
) -> None:
    station = evidence_station
    building = queue_pack(station.head, station.unit, station.period)
    assert build.claim_pack(building.id)
    queue_pack(station.head, station.unit, station.period)
    assert build.orphaned_packs(station.head) == []


def test_the_page_resumes_only_the_users_own_packs(app: Flask, evidence_station: Station) -> None:
    station = evidence_station
    pack = queue_pack(station.head, station.unit, station.period)
    db.session.execute(
        update(EvidencePack)
        .where(EvidencePack.id == pack.id)
        .values(created_at=utcnow() - timedelta(minutes=5))
    )
    assert build.orphaned_packs(station.worker) == []
    assert build.orphaned_packs(station.head) == [pack.id]
