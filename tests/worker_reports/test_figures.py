"""A worker's figures: counted from a hand-built fixture and recounted on generated data."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import text

from casework.accounts.models import Role, User
from casework.cases import records as case_records
from casework.cases.enums import CaseStatus, ServiceForm
from casework.cases.models import Case, ServiceRecord
from casework.core.clock import local_timezone, local_today
from casework.extensions import db
from casework.groups import services as group_services
from casework.supervision import services as supervision_services
from casework.supervision.models import SupervisionForm
from casework.worker_reports.figures import WorkerFigures, compared_rows, worker_figures
from casework.workforce import training as training_services
from tests.factories import (
    ActivityFactory,
    CaseFactory,
    EducationEntryFactory,
    ServiceUserFactory,
    TrainingCourseFactory,
    TrainingSessionFactory,
    WorkerProfileFactory,
    _workforce_actor,
    advance_case,
    running_group,
)
from tests.worker_reports.conftest import Team


def _record(worker: User, case: Case, served_on: date, form: ServiceForm, minutes: int) -> None:
    case_records.add_service_record(
        actor=worker,
        case=case,
        served_on=served_on,
        form=form,
        duration_minutes=minutes,
        content="了解近况",
        response="情绪平稳",
        next_step="一周后再联系",
    )
    db.session.commit()


def _case(team: Team, worker: User, opened_days_ago: int, status: CaseStatus) -> Case:
    case = CaseFactory(
        worker=worker,
        service_user=ServiceUserFactory(unit=team.station),
        opened_on=local_today() - timedelta(days=opened_days_ago),
    )
    return advance_case(case, status, tutor=team.tutor)


def _recorded_session(worker: User, days_ago: int) -> None:
    group = running_group(unit=worker.unit, facilitator=worker)
    starts = datetime.combine(local_today() - timedelta(days=days_ago), time(14), local_timezone())
    session = group_services.schedule_session(
        actor=worker,
        group=group,
        plan=group_services.SessionPlan(
            starts_at=starts.astimezone(UTC),
            duration_minutes=90,
            place="社区活动室",
            topic="相识与破冰",
            planned_content="自我介绍",
        ),
    )
    group_services.record_session(
        actor=worker,
        session=session,
        record=group_services.SessionRecord(
            process="组员自我介绍", observations="参与积极", goal_progress="建立信任"
        ),
    )
    db.session.commit()


def _trained(team: Team, worker: User, days_ago: int, hours: int) -> None:
    profile = WorkerProfileFactory(unit=team.station, user=worker, name=worker.display_name)
    session = TrainingSessionFactory(
        course=TrainingCourseFactory(unit=team.station),
        held_on=local_today() - timedelta(days=days_ago),
        hours=Decimal(hours),
    )
    training_services.mark_attendance(session, profile, is_present=True, actor=_workforce_actor())
    db.session.commit()
    EducationEntryFactory(
        profile=profile,
        started_on=local_today() - timedelta(days=12),
        ended_on=local_today() - timedelta(days=10),
        hours=Decimal(5),
    )


@pytest.fixture
def busy(team: Team) -> Team:
    """Three weeks of one worker's records, and a colleague's that must not count."""
    today = local_today()
    worker = team.worker
    in_service = _case(team, worker, 30, CaseStatus.INTERVENTION)
    _record(worker, in_service, today - timedelta(days=1), ServiceForm.HOME_VISIT, 60)
    _record(worker, in_service, today - timedelta(days=3), ServiceForm.INTERVIEW, 60)
    _record(worker, in_service, today - timedelta(days=5), ServiceForm.PHONE, 30)
    # Opened in the period and closed today, with a home visit today and one goal met.
    _case(team, worker, 10, CaseStatus.CLOSED)
    ActivityFactory(unit=team.station, organiser=worker, held_on=today - timedelta(days=2))
    _recorded_session(worker, 7)
    supervision_services.record_supervision(
        tutor=team.tutor,
        unit=team.station,
        details=supervision_services.SupervisionDetails(
            held_on=today - timedelta(days=4),
            form=SupervisionForm.INDIVIDUAL,
            duration_minutes=60,
            topics="个案服务计划",
            advice="先处理就业需求",
            follow_up="",
            place="社工站",
        ),
        workers=[worker],
        cases=[in_service],
    )
    db.session.commit()
    _trained(team, worker, 6, 3)
    colleagues = _case(team, team.colleague, 10, CaseStatus.INTERVENTION)
    _record(team.colleague, colleagues, today, ServiceForm.PHONE, 20)
    ActivityFactory(unit=team.station, organiser=team.colleague, held_on=today)
    return team


def _three_weeks(worker: User) -> WorkerFigures:
    today = local_today()
    return worker_figures(worker, today - timedelta(days=20), today)


def test_cases_are_counted_by_stage_at_the_end_and_by_opening_and_closure(busy: Team) -> None:
    figures = _three_weeks(busy.worker)
    assert figures.cases_by_stage == {CaseStatus.INTERVENTION: 1}
    assert (figures.cases_opened, figures.cases_closed) == (1, 1)


def test_a_case_is_counted_in_the_stage_it_was_in_on_the_last_day(busy: Team) -> None:
    # Both cases were opened (at intake) by 11 days ago and moved on only today.
    day = local_today() - timedelta(days=1)
    figures = worker_figures(busy.worker, day - timedelta(days=5), day)
    assert figures.cases_by_stage == {CaseStatus.INTAKE: 2}


def test_service_records_and_hours_are_counted_by_form(busy: Team) -> None:
    figures = _three_weeks(busy.worker)
    assert figures.records_by_form == {
        ServiceForm.HOME_VISIT: 2,
        ServiceForm.INTERVIEW: 1,
        ServiceForm.PHONE: 1,
    }
    assert figures.hours_by_form(ServiceForm.HOME_VISIT) == 2.0
    assert figures.service_hours == 3.5


def test_a_record_entered_three_days_after_the_service_counts_as_late(busy: Team) -> None:
    figures = _three_weeks(busy.worker)
    # Today's and yesterday's visits are on time; the interview 3 days ago and the call 5
    # days ago were entered today, past the end of the following day.
    assert (figures.records_on_time, figures.records_late) == (2, 2)


def test_a_record_written_the_day_after_the_service_is_on_time(team: Team) -> None:
    case = _case(team, team.worker, 30, CaseStatus.INTERVENTION)
    served = local_today() - timedelta(days=3)
    _record(team.worker, case, served, ServiceForm.PHONE, 30)
    written = datetime.combine(served + timedelta(days=1), time(20), local_timezone())
    db.session.execute(ServiceRecord.__table__.update().values(created_at=written.astimezone(UTC)))
    db.session.commit()
    figures = worker_figures(team.worker, served, served)
    assert (figures.records, figures.records_on_time) == (1, 1)


def test_goals_groups_activities_supervision_and_training_are_counted(busy: Team) -> None:
    figures = _three_weeks(busy.worker)
    assert (figures.goals_evaluated, figures.goals_attained) == (1, 1)
    assert (figures.groups_led, figures.sessions_led) == (1, 1)
    assert figures.activities == 1
    assert figures.supervision_sessions == 1
    assert figures.training_hours == Decimal(3)
    # The training attended (3 h, credited automatically) and a course of 5 h.
    assert figures.education_hours == Decimal(8)


def test_nothing_of_a_colleague_is_counted(busy: Team) -> None:
    figures = worker_figures(busy.colleague, local_today() - timedelta(days=20), local_today())
    assert (figures.records, figures.activities, figures.cases_held) == (1, 1, 1)
    assert (figures.groups_led, figures.supervision_sessions) == (0, 0)


def test_the_previous_period_is_shown_beside_each_figure_with_the_difference(
    team: Team,
) -> None:
    today = local_today()
    case = _case(team, team.worker, 60, CaseStatus.INTERVENTION)
    for days_ago in (40, 38, 36):
        _record(team.worker, case, today - timedelta(days=days_ago), ServiceForm.PHONE, 20)
    _record(team.worker, case, today - timedelta(days=2), ServiceForm.PHONE, 20)
    now = worker_figures(team.worker, today - timedelta(days=29), today)
    before = worker_figures(team.worker, today - timedelta(days=59), today - timedelta(days=30))
    rows = {row.key: row for row in compared_rows(now, before)}
    assert (rows["records"].value, rows["records"].previous) == (1, 3)
    assert rows["records"].difference == -2
    assert rows["records.late"].previous == 3


# --- generated data ----------------------------------------------------------------------


def _local_date(column: str) -> str:
    """The SQL for a timestamp's local (UTC+8) day, on SQLite and PostgreSQL alike (a fixed
    expression over a column name, never user input: hence the S608 exemptions below)."""
    if db.engine.dialect.name == "postgresql":
        return f"date(({column}) AT TIME ZONE 'Asia/Shanghai')"
    return f"date({column}, '+8 hours')"


def _recount(worker_id: int, start: date, end: date) -> dict[str, object]:
    """The figures counted again in plain SQL, independently of the application's queries."""
    args = {"w": worker_id, "start": start, "end": end}

    def one(sql: str) -> int:
        return int(db.session.execute(text(sql), args).scalar() or 0)

    by_form = {
        ServiceForm.of(form): (int(count), int(minutes))
        for form, count, minutes in db.session.execute(
            text(
                "SELECT form, count(*), sum(duration_minutes) FROM service_records"
                " WHERE author_id = :w AND served_on BETWEEN :start AND :end GROUP BY form"
            ),
            args,
        )
    }
    # With 24 hours allowed, a record is on time when entered (local day) by the day after.
    on_time = sum(
        1
        for served_on, written_on in db.session.execute(
            text(
                f"SELECT served_on, {_local_date('created_at')} FROM service_records"  # noqa: S608
                " WHERE author_id = :w AND served_on BETWEEN :start AND :end"
            ),
            args,
        )
        if date.fromisoformat(str(written_on)) <= date.fromisoformat(str(served_on)) + timedelta(1)
    )
    return {
        "opened": one(
            "SELECT count(*) FROM cases WHERE worker_id = :w AND opened_on BETWEEN :start AND :end"
        ),
        "closed": one(
            "SELECT count(*) FROM cases WHERE worker_id = :w AND status IN ('closed','follow_up')"
            " AND closed_on BETWEEN :start AND :end"
        ),
        "held": one(
            "SELECT count(*) FROM cases WHERE worker_id = :w AND opened_on <= :end"
            " AND status <> 'declined' AND (closed_on IS NULL OR closed_on > :end)"
        ),
        "by_form": by_form,
        "on_time": on_time,
        "goals": one(
            "SELECT count(*) FROM goal_results g JOIN evaluations e ON e.id = g.evaluation_id"  # noqa: S608
            " WHERE e.author_id = :w AND NOT e.is_superseded"
            f" AND {_local_date('e.created_at')} BETWEEN :start AND :end"
        ),
        "activities": one(
            "SELECT count(*) FROM community_activities WHERE organiser_id = :w"
            " AND held_on BETWEEN :start AND :end"
        ),
        "supervision": one(
            "SELECT count(*) FROM supervision_sessions s JOIN supervision_workers w"
            " ON w.supervision_id = s.id WHERE w.user_id = :w AND s.held_on BETWEEN :start AND :end"
        ),
        "sessions": one(
            "SELECT count(*) FROM group_sessions s JOIN groups g ON g.id = s.group_id"  # noqa: S608
            " WHERE g.facilitator_id = :w AND s.recorded_at IS NOT NULL"
            f" AND {_local_date('s.starts_at')} BETWEEN :start AND :end"
        ),
    }


def _as_recounted(figures: WorkerFigures) -> dict[str, object]:
    return {
        "opened": figures.cases_opened,
        "closed": figures.cases_closed,
        "held": figures.cases_held,
        "by_form": {
            form: (count, figures.minutes_by_form[form])
            for form, count in figures.records_by_form.items()
        },
        "on_time": figures.records_on_time,
        "goals": figures.goals_evaluated,
        "activities": figures.activities,
        "supervision": figures.supervision_sessions,
        "sessions": figures.sessions_led,
    }


def test_figures_equal_a_recount_on_a_generated_station(app: Flask) -> None:
    args = ["casework", "generate", "--scale", "station", "--seed", "5"]
    assert app.test_cli_runner().invoke(args=args).exit_code == 0
    busiest = db.session.execute(
        text(
            "SELECT author_id FROM service_records GROUP BY author_id"
            " ORDER BY count(*) DESC LIMIT 3"
        )
    ).scalars()
    workers = [db.session.get(User, worker_id) for worker_id in busiest]
    today = local_today()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    periods = [
        (last_month, today.replace(day=1) - timedelta(days=1)),
        (today.replace(day=1), today),
        (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    ]
    checked = 0
    for worker in workers:
        assert worker is not None
        if worker.role is not Role.SOCIAL_WORKER:
            continue
        for start, end in periods:
            assert _as_recounted(worker_figures(worker, start, end)) == _recount(
                worker.id, start, end
            )
            checked += 1
    assert checked
