"""The summary page: who may read it, its periods, the menu and the dashboards' links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from casework.cases import records as case_records
from casework.cases.enums import CaseStatus, ServiceForm
from casework.core.clock import local_today
from casework.extensions import db
from tests.conftest import Login
from tests.factories import CaseFactory, ServiceUserFactory, advance_case
from tests.worker_reports.conftest import Team


def _summary(team: Team) -> str:
    return f"/workers/{team.worker.id}/summary"


@pytest.mark.parametrize("who", ["worker", "head", "tutor"])
def test_the_worker_their_head_and_their_tutor_read_the_summary(
    team: Team, client: FlaskClient, login: Login, who: str
) -> None:
    login(getattr(team, who))
    response = client.get(_summary(team))
    assert response.status_code == 200
    assert "王芳" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "who", ["colleague", "other_worker", "other_head", "other_tutor", "viewer", "admin"]
)
def test_nobody_else_learns_that_the_summary_exists(
    team: Team, client: FlaskClient, login: Login, who: str
) -> None:
    login(getattr(team, who))
    assert client.get(_summary(team)).status_code == 404


def test_a_head_has_no_summary_of_their_own(team: Team, client: FlaskClient, login: Login) -> None:
    login(team.head)
    assert client.get(f"/workers/{team.head.id}/summary").status_code == 404


def test_a_huge_id_is_not_found(team: Team, client: FlaskClient, login: Login) -> None:
    login(team.head)
    assert client.get("/workers/99999999999999999999/summary").status_code == 404


def test_a_late_record_shows_as_late_in_the_monthly_summary(
    team: Team, client: FlaskClient, login: Login
) -> None:
    today = local_today()
    case = advance_case(
        CaseFactory(
            worker=team.worker,
            service_user=ServiceUserFactory(unit=team.station),
            opened_on=today - timedelta(days=40),
        ),
        CaseStatus.INTERVENTION,
        tutor=team.tutor,
    )
    served = today - timedelta(days=3)
    case_records.add_service_record(
        actor=team.worker,
        case=case,
        served_on=served,
        form=ServiceForm.HOME_VISIT,
        duration_minutes=60,
        content="家访",
        response="",
        next_step="",
    )
    db.session.commit()
    login(team.worker)
    page = client.get(_summary(team) + f"?period={served:%Y-%m}").get_data(as_text=True)
    assert '<tr data-key="records.late">' in page
    late_row = page.split('<tr data-key="records.late">')[1].split("</tr>")[0]
    assert 'data-value="1"' in late_row


def test_a_year_is_shown_beside_the_year_before(
    team: Team, client: FlaskClient, login: Login
) -> None:
    login(team.worker)
    page = client.get(_summary(team) + "?year=2025").get_data(as_text=True)
    assert "2025年" in page
    assert "2024年" in page


@pytest.mark.parametrize("query", ["?period=2026-13", "?period=abc", "?year=20x6", "?year=1800"])
def test_an_unreadable_period_is_refused_with_a_message(
    team: Team, client: FlaskClient, login: Login, query: str
) -> None:
    login(team.worker)
    response = client.get(_summary(team) + query, follow_redirects=True)
    assert response.status_code == 200
    assert "格式不正确" in response.get_data(as_text=True) or "之间" in response.get_data(
        as_text=True
    )


def test_a_worker_finds_their_summary_in_the_menu(
    team: Team, client: FlaskClient, login: Login
) -> None:
    login(team.worker)
    assert "/workers/me/summary" in client.get("/").get_data(as_text=True)
    response = client.get("/workers/me/summary")
    assert response.headers["Location"].endswith(_summary(team))


def test_a_head_is_not_offered_a_summary_of_their_own(
    team: Team, client: FlaskClient, login: Login
) -> None:
    login(team.head)
    assert "/workers/me/summary" not in client.get("/").get_data(as_text=True)
    assert client.get("/workers/me/summary").status_code == 403


def _with_case(team: Team) -> None:
    CaseFactory(worker=team.worker, service_user=ServiceUserFactory(unit=team.station))


def test_the_station_dashboard_links_each_workers_summary(
    team: Team, client: FlaskClient, login: Login
) -> None:
    _with_case(team)
    login(team.head)
    page = client.get("/dashboard/station").get_data(as_text=True)
    assert f'data-summary="{team.worker.id}"' in page


def test_the_tutor_dashboard_links_each_workers_summary(
    team: Team, client: FlaskClient, login: Login
) -> None:
    _with_case(team)
    login(team.tutor)
    page = client.get("/dashboard/tutor").get_data(as_text=True)
    assert f'data-summary="{team.worker.id}"' in page


def _add_cases(team: Team, count: int) -> None:
    for _index in range(count):
        case = advance_case(
            CaseFactory(
                worker=team.worker,
                service_user=ServiceUserFactory(unit=team.station),
                opened_on=local_today() - timedelta(days=5),
            ),
            CaseStatus.INTERVENTION,
            tutor=team.tutor,
        )
        case_records.add_service_record(
            actor=team.worker,
            case=case,
            served_on=local_today() - timedelta(days=2),
            form=ServiceForm.PHONE,
            duration_minutes=20,
            content="电话了解近况",
            response="",
            next_step="",
        )
    db.session.commit()


def test_the_summary_issues_as_many_statements_for_many_records_as_for_few(
    team: Team, client: FlaskClient, login: Login
) -> None:
    from tests.test_query_counts import counted_statements

    login(team.head)
    _add_cases(team, 1)
    with counted_statements() as few:
        assert client.get(_summary(team)).status_code == 200
    _add_cases(team, 4)
    with counted_statements() as many:
        assert client.get(_summary(team)).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 40


def test_the_summary_exports_as_csv_with_the_same_figures(
    team: Team, client: FlaskClient, login: Login
) -> None:
    _add_cases(team, 2)
    login(team.worker)
    response = client.get(_summary(team) + ".csv?year=" + str(local_today().year))
    assert response.status_code == 200
    lines = response.get_data(as_text=True).splitlines()
    records = next(line for line in lines if line.startswith("服务记录,"))
    assert records.split(",")[1] == "2"


@pytest.mark.parametrize("who", ["colleague", "other_head", "viewer"])
def test_nobody_else_exports_the_summary(
    team: Team, client: FlaskClient, login: Login, who: str
) -> None:
    login(getattr(team, who))
    assert client.get(_summary(team) + ".xlsx").status_code == 404


def test_an_unknown_export_format_is_a_bad_request(
    team: Team, client: FlaskClient, login: Login
) -> None:
    login(team.worker)
    assert client.get(_summary(team) + ".pdf").status_code == 400


def test_exporting_the_summary_is_audited(team: Team, client: FlaskClient, login: Login) -> None:
    from sqlalchemy import select

    from casework.core.audit import AuditEntry

    login(team.head)
    client.get(_summary(team) + ".xlsx")
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "export.worker_summary")
    )
    assert entry is not None
    assert entry.details["worker_id"] == team.worker.id
