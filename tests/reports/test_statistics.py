"""Every statistic against a small fixture whose figures were worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask

from casework.cases import records as case_records
from casework.cases import services as case_services
from casework.cases.enums import (
    CaseSource,
    CaseStatus,
    ClosureType,
    RiskLevel,
    ServiceDomain,
    ServiceForm,
)
from casework.core import suppression
from casework.extensions import db
from casework.groups import services as group_services
from casework.groups.models import AttendanceStatus
from casework.helpdesk.models import Channel, RequestCategory
from casework.reports import statistics
from casework.volunteers import services as volunteer_services
from tests.factories import (
    ActivityFactory,
    CaseFactory,
    HelpRequestFactory,
    ServiceUserFactory,
    StationFactory,
    VolunteerFactory,
    WorkerFactory,
    advance_case,
    running_group,
)

START = date(2026, 10, 1)
END = date(2026, 10, 31)


def _case(unit, **kwargs):  # type: ignore[no-untyped-def]
    worker = WorkerFactory(unit=unit)
    return CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=unit), **kwargs)


@pytest.fixture
def station(app: Flask):  # type: ignore[no-untyped-def]
    return StationFactory()


def test_cases_opened_in_the_period_by_domain_source_and_risk(app: Flask, station) -> None:  # type: ignore[no-untyped-def]
    _case(station, opened_on=date(2026, 10, 3), domain=ServiceDomain.SOCIAL_AID)
    _case(
        station,
        opened_on=date(2026, 10, 31),
        domain=ServiceDomain.COMMUNITY_HEALTH,
        source=CaseSource.HOTLINE,
        risk_level=RiskLevel.HIGH,
    )
    _case(station, opened_on=date(2026, 9, 30))  # before the period
    _case(station, opened_on=date(2026, 11, 1))  # after the period
    _case(StationFactory(), opened_on=date(2026, 10, 10))  # another unit
    figures = statistics.case_figures([station.id], START, END)
    assert figures.opened == 2
    assert figures.opened_by_domain == {
        ServiceDomain.SOCIAL_AID: 1,
        ServiceDomain.COMMUNITY_HEALTH: 1,
    }
    assert figures.opened_by_source == {CaseSource.WALK_IN: 1, CaseSource.HOTLINE: 1}
    assert figures.opened_by_risk == {RiskLevel.LOW: 1, RiskLevel.HIGH: 1}


def test_cases_closed_declined_and_open_at_the_end(app: Flask, station) -> None:  # type: ignore[no-untyped-def]
    closed = advance_case(_case(station, opened_on=date(2026, 9, 1)), CaseStatus.CLOSED)
    closed.closed_on = date(2026, 10, 20)
    declined = _case(station, opened_on=date(2026, 10, 2))
    case_services.take_step(declined, "decline", actor=declined.worker, reason="不符合条件")
    declined.closed_on = date(2026, 10, 2)
    _case(station, opened_on=date(2026, 10, 5))  # still at intake: open at the end
    _case(station, opened_on=date(2026, 8, 5))  # opened before, still open
    closed_after = advance_case(_case(station, opened_on=date(2026, 8, 1)), CaseStatus.CLOSED)
    closed_after.closed_on = date(2026, 11, 3)  # closed after the period: open at its end
    db.session.commit()
    figures = statistics.case_figures([station.id], START, END)
    assert (figures.closed, figures.declined) == (1, 1)
    assert statistics.open_case_count([station.id], END) == 3
    assert figures.closed_by_type == {ClosureType.GOALS_MET: 1}


def test_service_records_and_hours_by_form(app: Flask, station) -> None:  # type: ignore[no-untyped-def]
    case = advance_case(_case(station, opened_on=date(2026, 9, 1)), CaseStatus.INTERVENTION)
    for served_on, form, minutes in (
        (date(2026, 10, 1), ServiceForm.HOME_VISIT, 60),
        (date(2026, 10, 15), ServiceForm.HOME_VISIT, 30),
        (date(2026, 10, 31), ServiceForm.PHONE, 15),
        (date(2026, 9, 30), ServiceForm.PHONE, 45),  # outside the period
    ):
        case_records.add_service_record(
            actor=case.worker,
            case=case,
            served_on=served_on,
            form=form,
            duration_minutes=minutes,
            content="服务",
            response="",
            next_step="",
        )
    db.session.commit()
    figures = statistics.service_figures([station.id], START, END)
    assert figures.records == 3
    assert figures.records_by_form == {ServiceForm.HOME_VISIT: 2, ServiceForm.PHONE: 1}
    # 15 minutes are 0.25 h: 0.3 h, halves rounded up as a reader would (not 0.2).
    assert figures.hours_by_form == {ServiceForm.HOME_VISIT: 1.5, ServiceForm.PHONE: 0.3}
    assert figures.hours == 1.8  # 105 minutes


def _held(group, day: date):  # type: ignore[no-untyped-def]
    return group_services.schedule_session(
        actor=group.facilitator,
        group=group,
        plan=group_services.SessionPlan(
            starts_at=datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC),
            duration_minutes=90,
            place="活动室",
            topic="分享",
            planned_content="",
        ),
    )


def test_groups_sessions_and_attendance_rate(app: Flask, station) -> None:  # type: ignore[no-untyped-def]
    group = running_group(members=4, unit=station)
    group.started_on = date(2026, 9, 20)
    members = group.members
    first = _held(group, date(2026, 10, 8))
    second = _held(group, date(2026, 10, 22))
    _held(group, date(2026, 10, 29))  # scheduled, no attendance: not held
    for member in members:
        member.joined_on = date(2026, 9, 20)
    db.session.flush()
    present, absent, excused = (
        AttendanceStatus.PRESENT,
        AttendanceStatus.ABSENT,
        AttendanceStatus.EXCUSED,
    )
    group_services.take_attendance(
        actor=group.facilitator,
        session=first,
        marks={
            members[0].id: present,
            members[1].id: present,
            members[2].id: present,
            members[3].id: absent,
        },
    )
    group_services.take_attendance(
        actor=group.facilitator,
        session=second,
        marks={
            members[0].id: present,
            members[1].id: excused,
            members[2].id: absent,
            members[3].id: absent,
        },
    )
    db.session.commit()
    figures = statistics.group_figures([station.id], START, END)
    assert (figures.groups_active, figures.sessions_held) == (1, 2)
    assert (figures.present, figures.attendance_marks) == (4, 8)
    assert figures.attendance_rate == 50.0


def test_activities_and_participants(app: Flask, station) -> None:  # type: ignore[no-untyped-def]
    ActivityFactory(unit=station, held_on=date(2026, 10, 9))
    ActivityFactory(unit=station, held_on=date(2026, 10, 19))
    ActivityFactory(unit=station, held_on=date(2026, 11, 2))
    figures = statistics.activity_figures([station.id], START, END)
    assert (figures.activities, figures.participants) == (2, 80)


def test_volunteers_and_hours(app: Flask, station) -> None:  # type: ignore[no-untyped-def]
    activity = ActivityFactory(unit=station, held_on=date(2026, 10, 9))
    first, second = VolunteerFactory(unit=station), VolunteerFactory(unit=station)
    VolunteerFactory(unit=station, is_active=False)
    for volunteer, day, hours in (
        (first, date(2026, 10, 9), 2.5),
        (first, date(2026, 10, 10), 1.0),
        (second, date(2026, 9, 9), 4.0),  # outside the period
    ):
        volunteer_services.assign_volunteer(
            actor=activity.organiser,
            volunteer=volunteer,
            served_on=day,
            hours=hours,
            role="",
            activity=activity,
        )
    db.session.commit()
    figures = statistics.volunteer_figures([station.id], START, END)
    assert (figures.registered, figures.served, figures.hours) == (2, 1, 3.5)


def _request(
    station,
    submitted: datetime,
    ack_after: float | None,
    answer_after: float | None,  # type: ignore[no-untyped-def]
    category=RequestCategory.LIVELIHOOD,
    channel=Channel.WEB,
):
    request = HelpRequestFactory(unit=station, category=category)
    request.channel = channel
    request.submitted_at = submitted
    request.acknowledged_at = (
        submitted + timedelta(hours=ack_after) if ack_after is not None else None
    )
    request.answered_at = (
        submitted + timedelta(hours=answer_after) if answer_after is not None else None
    )
    return request


def test_help_requests_counts_response_times_and_overdue(app: Flask, station) -> None:  # type: ignore[no-untyped-def]
    # Monday 2026-10-12 09:00 in Shanghai is 01:00 UTC; limits: 1 and 5 working days.
    monday = datetime(2026, 10, 12, 1, 0, tzinfo=UTC)
    _request(station, monday, 2, 10)
    _request(station, monday, 4, 30, category=RequestCategory.HEALTH, channel=Channel.HOTLINE)
    _request(station, monday, 30, 50)  # acknowledged Tuesday: still within one working day
    _request(station, monday, 60, 200)  # acknowledged Wednesday: late; answered Oct 20: late
    _request(station, monday + timedelta(days=30), None, None)  # November: outside
    db.session.commit()
    figures = statistics.request_figures([station.id], START, END, today=date(2026, 11, 29))
    assert figures.submitted == 4
    assert figures.by_category == {RequestCategory.LIVELIHOOD: 3, RequestCategory.HEALTH: 1}
    assert figures.by_channel == {Channel.WEB: 3, Channel.HOTLINE: 1}
    assert figures.hours_to_acknowledge_median == 17.0  # (4 + 30) / 2
    assert figures.hours_to_acknowledge_p90 == 60.0
    assert figures.hours_to_answer_median == 40.0
    assert figures.hours_to_answer_p90 == 200.0
    assert (figures.late, figures.late_share) == (1, 25.0)


def test_unanswered_request_past_its_limit_is_overdue(app: Flask, station) -> None:  # type: ignore[no-untyped-def]
    _request(station, datetime(2026, 10, 12, 1, 0, tzinfo=UTC), None, None)
    db.session.commit()
    figures = statistics.request_figures([station.id], START, END, today=date(2026, 10, 14))
    assert figures.late == 1


def test_monthly_trend_counts_each_month(app: Flask, station) -> None:  # type: ignore[no-untyped-def]
    _case(station, opened_on=date(2026, 9, 3))
    _case(station, opened_on=date(2026, 10, 3))
    _case(station, opened_on=date(2026, 10, 13))
    trend = statistics.monthly_trend([station.id], date(2026, 9, 1), 3)
    assert trend.months == ["2026-09", "2026-10", "2026-11"]
    assert trend.opened == [1, 2, 0]


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (37, "37")])
def test_small_counts_are_suppressed(count: int, shown: str) -> None:
    assert suppression.suppressed(count) == shown


def test_percentile_is_the_nearest_rank() -> None:
    assert statistics.percentile([float(n) for n in range(1, 11)], 0.9) == 9.0


# --- small counts ------------------------------------------------------------------------


def _hidden(values: dict[str, int], total: int) -> set[str]:
    return suppression.hidden_cells([(list(values), "total")], values | {"total": total})


def test_a_single_small_count_beside_a_shown_total_hides_the_next_smallest() -> None:
    assert _hidden({"low": 3, "medium": 5, "high": 0}, 8) == {"low", "medium"}


def test_two_small_counts_holding_five_between_them_need_no_more() -> None:
    assert _hidden({"a": 4, "b": 1, "c": 0, "d": 10}, 15) == {"a", "b"}


def test_small_counts_holding_less_than_five_hide_one_more() -> None:
    assert _hidden({"a": 1, "b": 1, "c": 7, "d": 9}, 18) == {"a", "b", "c"}


def test_a_zero_is_never_hidden() -> None:
    assert "zero" not in _hidden({"small": 2, "zero": 0, "big": 6}, 8)


def test_nothing_more_is_hidden_when_the_total_is_itself_small() -> None:
    assert _hidden({"a": 3, "b": 0}, 3) == {"a", "total"}


def test_a_cell_hidden_for_one_line_counts_for_the_others() -> None:
    # Two rows and their column: hiding b1 for row 1 leaves column 1 with one hidden cell.
    values = {"a1": 2, "b1": 6, "r1": 8, "a2": 7, "b2": 9, "r2": 16, "c1": 15}
    lines = [(["a1", "b1"], "r1"), (["a2", "b2"], "r2"), (["b1", "b2"], "c1")]
    hidden = suppression.hidden_cells(lines, values)
    assert {"a1", "b1", "b2"} <= hidden
