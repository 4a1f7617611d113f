"""Recording and editing supervision sessions, and who may read them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.accounts.models import User
from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from casework.supervision import services
from casework.supervision.models import SupervisionSession
from casework.supervision.permissions import supervision_visible_to
from tests.factories import AdminFactory, BureauViewerFactory
from tests.supervision.conftest import Stations, details, record


def _visible_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(supervision_visible_to(user).with_only_columns(SupervisionSession.id))
    )


def test_tutor_records_a_session_with_workers_and_cases(stations: Stations) -> None:
    session = record(stations)
    assert session.unit_id == stations.station.id
    assert [w.id for w in session.workers] == [stations.worker.id]
    assert [c.id for c in session.cases] == [stations.case.id]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "supervision.create")
    ).one()
    assert (entry.object_id, entry.actor_id) == (session.id, stations.tutor.id)


def test_a_tutor_cannot_record_at_a_unit_they_do_not_supervise(stations: Stations) -> None:
    with pytest.raises(services.SupervisionRuleError):
        services.record_supervision(
            tutor=stations.other_tutor,
            unit=stations.station,
            details=details(),
            workers=[stations.worker],
            cases=[],
        )


def test_workers_of_another_unit_are_refused(stations: Stations) -> None:
    with pytest.raises(services.SupervisionRuleError):
        services.record_supervision(
            tutor=stations.tutor,
            unit=stations.station,
            details=details(),
            workers=[stations.worker, stations.other_worker],
            cases=[],
        )


def test_cases_of_another_unit_are_refused(stations: Stations) -> None:
    with pytest.raises(services.SupervisionRuleError):
        services.record_supervision(
            tutor=stations.tutor,
            unit=stations.station,
            details=details(),
            workers=[stations.worker],
            cases=[stations.other_case],
        )


def test_a_session_cannot_be_dated_in_the_future(stations: Stations) -> None:
    with pytest.raises(services.SupervisionRuleError):
        record(stations, held_on=local_today() + timedelta(days=1))


def test_only_the_author_edits_a_record(stations: Stations) -> None:
    session = record(stations)
    with pytest.raises(services.SupervisionRuleError):
        services.update_supervision(
            tutor=stations.other_tutor,
            session=session,
            details=details(advice="改写"),
            workers=[stations.worker],
            cases=[],
        )


def test_editing_replaces_the_workers_and_cases(stations: Stations) -> None:
    session = record(stations)
    services.update_supervision(
        tutor=stations.tutor,
        session=session,
        details=details(duration_minutes=45),
        workers=[stations.colleague, stations.head],
        cases=[],
    )
    db.session.commit()
    assert session.duration_minutes == 45
    assert {w.id for w in session.workers} == {stations.colleague.id, stations.head.id}
    assert session.cases == []


def test_supervision_minutes_add_up_inside_the_dates(stations: Stations) -> None:
    today = local_today()
    record(stations, held_on=today, duration_minutes=30)
    record(stations, held_on=today - timedelta(days=10), duration_minutes=60)
    record(stations, held_on=today - timedelta(days=40), duration_minutes=120)
    start = today - timedelta(days=10)
    assert services.supervision_minutes(stations.tutor, start, today) == 90
    assert services.supervision_minutes(stations.other_tutor, start, today) == 0


# --- visibility --------------------------------------------------------------------------


def test_the_tutor_attending_workers_and_the_head_read_a_record(stations: Stations) -> None:
    session = record(stations)
    assert session.id in _visible_ids(stations.tutor)
    assert session.id in _visible_ids(stations.worker)
    assert session.id in _visible_ids(stations.head)


def test_colleagues_who_were_not_there_and_other_units_do_not(stations: Stations) -> None:
    session = record(stations)
    for user in (
        stations.colleague,
        stations.other_tutor,
        stations.other_worker,
        stations.other_head,
        BureauViewerFactory(),
        AdminFactory(),
    ):
        assert session.id not in _visible_ids(user), user.username


def test_a_worker_of_another_station_never_reads_a_station_record(stations: Stations) -> None:
    """Even named among those present, which the service refuses to write."""
    session = SupervisionSession(
        tutor_id=stations.tutor.id,
        unit_id=stations.station.id,
        held_on=date(2026, 11, 2),
        form=details().form,
        duration_minutes=60,
        topics="个案讨论",
        advice="建议转介",
    )
    session.workers = [stations.worker, stations.other_worker]
    session.cases = [stations.case]
    db.session.add(session)
    db.session.commit()
    assert session.id in _visible_ids(stations.worker)
    assert session.id not in _visible_ids(stations.other_worker)
    assert session.id not in _visible_ids(stations.other_head)
