"""Workforce statistics: counts by level and unit, suppression, target, export."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import Unit
from casework.workforce import services
from casework.workforce.models import CertificateLevel, WorkforceTarget
from casework.workforce.statistics import counts_by_unit, total
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CertificateFactory,
    EducationEntryFactory,
    PostFactory,
    StationFactory,
    StationHeadFactory,
    TrainingSessionFactory,
    WorkerFactory,
    WorkerProfileFactory,
)


def _certified(unit: Unit, level: CertificateLevel, count: int) -> None:
    for _index in range(count):
        CertificateFactory(
            profile=WorkerProfileFactory(unit=unit, name="持证社工甲"),
            level=level,
            obtained_on=local_today() - timedelta(days=500),
            registered_on=local_today() - timedelta(days=400),
        )


def _bureau_of(station: Unit) -> Unit:
    assert station.parent is not None
    assert station.parent.parent is not None
    return station.parent.parent


def test_counts_certified_workers_by_their_highest_level(app: Flask) -> None:
    station = StationFactory()
    profile = WorkerProfileFactory(unit=station)
    CertificateFactory(
        profile=profile,
        level=CertificateLevel.ASSISTANT,
        obtained_on=local_today() - timedelta(days=900),
    )
    CertificateFactory(
        profile=profile,
        level=CertificateLevel.SENIOR,
        obtained_on=local_today() - timedelta(days=30),
    )
    WorkerProfileFactory(unit=station)
    today = local_today()
    counts = counts_by_unit([station.id], start=today, end=today, today=today)[station.id]
    assert (counts.workers, counts.assistant, counts.senior, counts.certified) == (2, 0, 1, 1)


def test_inactive_files_are_not_counted(app: Flask) -> None:
    station = StationFactory()
    profile = WorkerProfileFactory(unit=station, is_active=False)
    CertificateFactory(profile=profile)
    today = local_today()
    assert (
        counts_by_unit([station.id], start=today, end=today, today=today)[station.id].certified == 0
    )


def test_posts_due_compliance_and_training_add_up(app: Flask) -> None:
    station = StationFactory()
    today = local_today()
    compliant = WorkerProfileFactory(unit=station)
    CertificateFactory(
        profile=compliant,
        level=CertificateLevel.ASSISTANT,
        obtained_on=today - timedelta(days=500),
        registered_on=today - timedelta(days=400),
    )
    EducationEntryFactory(
        profile=compliant, started_on=today - timedelta(days=100), hours=Decimal(72)
    )
    due = WorkerProfileFactory(unit=station)
    CertificateFactory(profile=due, obtained_on=today - timedelta(days=300))
    PostFactory(unit=station, holder=compliant)
    PostFactory(unit=station, holder=due, required_level=CertificateLevel.SENIOR)
    session = TrainingSessionFactory(held_on=today - timedelta(days=2), hours=Decimal(3))
    counts = counts_by_unit(
        [station.id, session.course.unit_id],
        start=today - timedelta(days=30),
        end=today,
        today=today,
    )
    mine = counts[station.id]
    assert (mine.posts, mine.posts_filled, mine.posts_certified) == (2, 2, 1)
    assert (mine.registered, mine.education_compliant, mine.registration_due) == (1, 1, 1)
    assert total(counts.values()).training_hours == 3.0


def test_bureau_sees_small_counts_suppressed(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    _certified(station, CertificateLevel.INTERMEDIATE, 3)
    login(BureauViewerFactory(unit=_bureau_of(station)))
    page = client.get("/workforce/statistics").get_data(as_text=True)
    assert 'data-figure="workforce.certified">&lt;5<' in page
    assert 'id="suppression-note"' in page
    assert "持证社工甲" not in page


def test_bureau_sees_counts_of_five_and_more(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    _certified(station, CertificateLevel.ASSISTANT, 5)
    login(BureauViewerFactory(unit=_bureau_of(station)))
    page = client.get("/workforce/statistics").get_data(as_text=True)
    assert 'data-figure="workforce.certified">5<' in page
    assert 'data-figure="target">2000<' in page


def test_station_head_sees_exact_small_counts_of_their_unit(
    client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    _certified(station, CertificateLevel.ASSISTANT, 2)
    login(StationHeadFactory(unit=station))
    page = client.get("/workforce/statistics").get_data(as_text=True)
    assert 'data-figure="workforce.certified">2<' in page
    assert 'data-figure="target"' not in page


def test_bureau_gets_404_for_a_unit_outside_its_subtree(client: FlaskClient, login: Login) -> None:
    other = StationFactory()
    login(BureauViewerFactory())
    assert client.get(f"/workforce/statistics?unit={other.id}").status_code == 404


def test_worker_gets_404_for_another_unit(client: FlaskClient, login: Login) -> None:
    other = StationFactory()
    login(WorkerFactory())
    assert client.get(f"/workforce/statistics?unit={other.id}").status_code == 404


def test_bureau_sets_its_target(client: FlaskClient, login: Login) -> None:
    bureau = BureauViewerFactory()
    login(bureau)
    response = client.post(
        f"/workforce/targets?unit={bureau.unit_id}",
        data={"target": "1500", "due_on": "2027-12-31"},
    )
    assert response.status_code == 302
    assert services.target_for(bureau.unit) == services.Target(1500, date(2027, 12, 31))
    assert db.session.scalars(select(WorkforceTarget)).one().set_by_id == bureau.id


def test_negative_target_is_refused(client: FlaskClient, login: Login) -> None:
    bureau = BureauViewerFactory()
    login(bureau)
    response = client.post(f"/workforce/targets?unit={bureau.unit_id}", data={"target": "-3"})
    assert response.status_code == 422


def test_bureau_cannot_set_another_bureaus_target(client: FlaskClient, login: Login) -> None:
    other = BureauViewerFactory()
    login(BureauViewerFactory())
    assert client.get(f"/workforce/targets?unit={other.unit_id}").status_code == 404


def test_head_may_not_set_targets(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    assert client.get("/workforce/targets").status_code == 403


def test_admin_sets_a_city_target(client: FlaskClient, login: Login) -> None:
    admin = AdminFactory()
    login(admin)
    response = client.post(f"/workforce/targets?unit={admin.unit_id}", data={"target": "2500"})
    assert response.status_code == 302
    assert services.target_for(admin.unit).target == 2500


def test_csv_export_is_suppressed_and_audited(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    _certified(station, CertificateLevel.INTERMEDIATE, 2)
    bureau = BureauViewerFactory(unit=_bureau_of(station))
    login(bureau)
    response = client.get("/workforce/statistics/export?format=csv")
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    assert "<5" in text
    assert "持证社工甲" not in text
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "export.workforce_statistics")
    ).one()
    assert entry.details["format"] == "csv"


def test_xlsx_export_has_a_row_per_branch_and_a_total(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    login(StationHeadFactory(unit=station))
    response = client.get("/workforce/statistics/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "单位"
    assert len(rows) == 3
    assert str(rows[-1][0]).startswith("合计")


def test_unknown_export_format_is_a_bad_request(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    assert client.get("/workforce/statistics/export?format=pdf").status_code == 400
