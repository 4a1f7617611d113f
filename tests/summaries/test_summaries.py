"""The statistics' summary table: kept in step with every write, equal to the raw rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select, update

from casework.cases import records as case_records
from casework.cases import services as case_services
from casework.cases import transfers
from casework.cases.enums import CaseStatus, ServiceForm
from casework.core.clock import local_today
from casework.extensions import db
from casework.helpdesk import services as helpdesk_services
from casework.reports import statistics
from casework.summaries.maintain import rebuild
from casework.summaries.models import UnitSummary
from casework.summaries.read import cover, differences
from tests import factories

TABLE = UnitSummary.__table__


def _table() -> set[tuple[Any, ...]]:
    return {tuple(row) for row in db.session.execute(select(TABLE))}


def _rebuilt() -> set[tuple[Any, ...]]:
    """The table a rebuild from the raw rows writes (rolled back afterwards)."""
    connection = db.session.connection()
    nested = connection.begin_nested()
    try:
        rebuild(connection)
        return {tuple(row) for row in connection.execute(select(TABLE))}
    finally:
        nested.rollback()


def _case(unit: Any, **kwargs: Any) -> Any:
    return factories.CaseFactory(service_user=factories.ServiceUserFactory(unit=unit), **kwargs)


def _record(case: Any, served_on: date, minutes: int = 45) -> Any:
    record = case_records.add_service_record(
        actor=case.worker,
        case=case,
        served_on=served_on,
        form=ServiceForm.PHONE,
        duration_minutes=minutes,
        content="电话了解近况",
        response="情绪平稳",
        next_step="下周家访",
    )
    db.session.commit()
    return record


def test_a_case_walked_to_follow_up_leaves_what_a_rebuild_would_write(
    app: Flask, station: Any
) -> None:
    factories.advance_case(_case(station), CaseStatus.FOLLOW_UP)
    written = _table()
    assert len(written) > 10
    assert written == _rebuilt()


def test_a_declined_case_leaves_what_a_rebuild_would_write(app: Flask, station: Any) -> None:
    case = _case(station)
    case_services.take_step(case, "decline", actor=case.worker, reason="不属于服务范围")
    db.session.commit()
    assert _table() == _rebuilt()


def test_a_reopened_case_leaves_what_a_rebuild_would_write(app: Flask, station: Any) -> None:
    case = factories.advance_case(_case(station), CaseStatus.FOLLOW_UP)
    case_services.take_step(case, "reopen", actor=case.worker, reason="再次摔倒，需要服务")
    db.session.commit()
    assert _table() == _rebuilt()


def test_a_service_record_moved_to_another_day_moves_its_count(app: Flask, station: Any) -> None:
    opened_on = local_today() - timedelta(days=60)
    case = factories.advance_case(_case(station, opened_on=opened_on), CaseStatus.INTERVENTION)
    record = _record(case, local_today())
    record.served_on = local_today() - timedelta(days=40)
    db.session.commit()
    assert _table() == _rebuilt()


def test_a_deleted_service_record_leaves_no_row_behind(app: Flask, station: Any) -> None:
    case = factories.advance_case(_case(station), CaseStatus.INTERVENTION)
    before = _table()
    record = _record(case, local_today())
    db.session.delete(record)
    db.session.commit()
    assert _table() == before


def test_a_case_moved_to_another_station_takes_its_counts_along(app: Flask, station: Any) -> None:
    other = factories.StationFactory(parent=station.parent)
    case = factories.advance_case(_case(station), CaseStatus.INTERVENTION)
    _record(case, local_today())
    case.unit_id = other.id
    db.session.commit()
    assert _table() == _rebuilt()


def test_a_help_request_answered_leaves_what_a_rebuild_would_write(
    app: Flask, station: Any
) -> None:
    request = factories.HelpRequestFactory(unit=station)
    worker = factories.WorkerFactory(unit=station)
    helpdesk_services.reply(actor=worker, request=request, body="已电话联系，明天上门")
    db.session.commit()
    assert _table() == _rebuilt()


def test_cases_opened_count_the_days_at_both_ends_of_a_period(app: Flask, station: Any) -> None:
    today = local_today()
    first = today.replace(day=1)
    start = first - timedelta(days=20)
    for opened_on in (start - timedelta(days=1), start, first, today):
        _case(station, opened_on=opened_on)
    figures = statistics.case_figures([station.id], start, today)
    assert figures.opened == 3


def test_open_cases_are_counted_from_running_totals(app: Flask, station: Any) -> None:
    factories.advance_case(_case(station), CaseStatus.FOLLOW_UP)
    _case(station)
    assert statistics.open_case_count([station.id], local_today()) == 1


def test_a_unit_without_its_stations_counts_only_its_own_cases(app: Flask, station: Any) -> None:
    centre = station.parent
    _case(centre)
    _case(station)
    assert statistics.case_figures([centre.id], local_today(), local_today()).opened == 1


def test_a_whole_subtree_is_read_from_its_top_units_rows(app: Flask, station: Any) -> None:
    centre = station.parent
    found = cover([centre.parent.id, centre.id, station.id])
    assert (found.whole, found.alone) == ((centre.parent.id,), ())


def test_summaries_agree_with_the_raw_rows_of_a_generated_station(app: Flask) -> None:
    from casework.orgs.models import Unit

    today = local_today()
    args = ["casework", "generate", "--scale", "station", "--seed", "3"]
    assert app.test_cli_runner().invoke(args=args).exit_code == 0
    ids = list(db.session.scalars(select(Unit.id)))
    for start in (date(today.year, 1, 1), today.replace(day=1), today - timedelta(days=45)):
        assert differences(ids, start, today) == {}


def test_check_summaries_fails_when_the_table_disagrees(app: Flask, station: Any) -> None:
    _case(station)
    db.session.execute(update(TABLE).values(count=TABLE.c.count + 1))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["casework", "check-summaries"])
    assert result.exit_code == 1


def test_rebuild_summaries_repairs_the_table(app: Flask, station: Any) -> None:
    _case(station)
    db.session.execute(update(TABLE).values(count=TABLE.c.count + 1))
    db.session.commit()
    app.test_cli_runner().invoke(args=["casework", "rebuild-summaries"])
    result = app.test_cli_runner().invoke(args=["casework", "check-summaries"])
    assert result.exit_code == 0, result.output


# --- cases transferred between units ------------------------------------------------------


def _transferred_case(station: Any, opened_days_ago: int = 40) -> tuple[Any, Any]:
    """A case opened at ``station`` some weeks ago, in service, with a record from 10 days
    ago, transferred today to a second station; returns the case and that station."""
    other = factories.StationFactory(parent=station.parent)
    head = factories.StationHeadFactory(unit=other)
    receiver = factories.WorkerFactory(unit=other)
    case = factories.advance_case(
        _case(station, opened_on=local_today() - timedelta(days=opened_days_ago)),
        CaseStatus.INTERVENTION,
    )
    _record(case, local_today() - timedelta(days=10))
    transfer = transfers.propose(
        actor=case.worker, case=case, to_unit=other, reason="搬家", handover_note="交接"
    )
    db.session.commit()
    transfers.accept(actor=head, transfer=transfer, worker=receiver, tutor=None)
    db.session.commit()
    return case, other


def test_a_transferred_case_leaves_what_a_rebuild_would_write(app: Flask, station: Any) -> None:
    _transferred_case(station)
    assert _table() == _rebuilt()


def test_a_transferred_case_stays_opened_at_the_unit_that_opened_it(
    app: Flask, station: Any
) -> None:
    other = _transferred_case(station)[1]
    start = local_today() - timedelta(days=60)
    opened = (
        statistics.case_figures([station.id], start, local_today()).opened,
        statistics.case_figures([other.id], start, local_today()).opened,
    )
    assert opened == (1, 0)


def test_a_transferred_case_was_open_at_the_sender_until_the_transfer_day(
    app: Flask, station: Any
) -> None:
    other = _transferred_case(station)[1]
    yesterday = local_today() - timedelta(days=1)
    counts = [
        statistics.open_case_count([unit], day)
        for day in (yesterday, local_today())
        for unit in (station.id, other.id)
    ]
    assert counts == [1, 0, 0, 1]


def test_services_before_the_transfer_stay_with_the_sender(app: Flask, station: Any) -> None:
    other = _transferred_case(station)[1]
    start = local_today() - timedelta(days=60)
    records = (
        statistics.service_figures([station.id], start, local_today()).records,
        statistics.service_figures([other.id], start, local_today()).records,
    )
    assert records == (1, 0)


def test_a_record_written_after_the_transfer_counts_at_the_receiver(
    app: Flask, station: Any
) -> None:
    case, other = _transferred_case(station)
    db.session.refresh(case)
    _record(case, local_today())
    today = local_today()
    assert statistics.service_figures([other.id], today, today).records == 1
    assert _table() == _rebuilt()


def test_a_backdated_record_of_a_transferred_case_counts_where_it_was_served(
    app: Flask, station: Any
) -> None:
    case, _other = _transferred_case(station)
    db.session.refresh(case)
    _record(case, local_today() - timedelta(days=5))
    start = local_today() - timedelta(days=60)
    assert statistics.service_figures([station.id], start, local_today()).records == 2
    assert _table() == _rebuilt()
