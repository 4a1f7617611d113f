"""Downloads of lists and statistics: scope, masking, formula injection, audit, recounts."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select, text

from casework.accounts.models import User
from casework.cases.enums import CaseStatus, ServiceDomain
from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.core.suppression import suppressed
from casework.demo import DEMO_PASSWORD
from casework.extensions import db
from casework.orgs.models import Unit
from casework.volunteers import services as volunteer_services
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    AdminFactory,
    BureauFactory,
    BureauViewerFactory,
    CaseFactory,
    CentreFactory,
    GroupFactory,
    HelpRequestFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    VolunteerFactory,
    WorkerFactory,
    advance_case,
)

LIST_EXPORTS = [
    "/exports/cases",
    "/exports/people",
    "/exports/requests",
    "/exports/groups",
    "/exports/activities",
    "/exports/volunteers",
    "/exports/audit",
]
DOMAINS = list(ServiceDomain)
START = date(2026, 1, 1)
END = date(2026, 3, 31)
MONTHS = ["2026-01", "2026-02", "2026-03"]


def _csv(response: Any) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response: Any) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _column(rows: list[list[Any]], header: str) -> list[Any]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def _last_export() -> AuditEntry:
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("export.%")).order_by(AuditEntry.id.desc())
    ).first()
    assert entry is not None
    return entry


# --- formats ------------------------------------------------------------------------------


def test_caseload_csv_has_a_bom_chinese_headers_and_a_dated_file_name(
    client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    login(case.worker)
    response = client.get("/exports/cases?format=csv")
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0][:3] == ["个案编号", "服务对象", "个案概况"]
    assert rows[1][0] == case.number
    assert _column(rows, "开案日期") == [case.opened_on.isoformat()]
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="cases-{local_today().isoformat()}.csv"'
    assert response.headers["Cache-Control"] == "no-store"


def test_formulas_in_a_name_and_a_summary_are_neutralised_in_csv(
    client: FlaskClient, login: Login
) -> None:
    person = ServiceUserFactory(name='=HYPERLINK("http://evil.example","点我")')
    case = CaseFactory(service_user=person, summary="=1+1")
    login(case.worker)
    rows = _csv(client.get("/exports/cases?format=csv"))
    assert _column(rows, "服务对象") == ["'" + person.name]
    assert _column(rows, "个案概况") == ["'=1+1"]


def test_formulas_in_a_name_and_a_summary_are_not_formulas_in_xlsx(
    client: FlaskClient, login: Login
) -> None:
    person = ServiceUserFactory(name='=HYPERLINK("http://evil.example","点我")')
    case = CaseFactory(service_user=person, summary="=1+1")
    login(case.worker)
    response = client.get("/exports/cases?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    name, summary = sheet["B2"], sheet["C2"]
    assert (name.data_type, summary.data_type) == ("s", "s")
    assert (name.value, summary.value) == (person.name, "=1+1")


def test_caseload_xlsx_has_the_same_rows_as_the_csv(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit))
    advance_case(
        CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit)),
        CaseStatus.INTERVENTION,
    )
    login(worker)
    from_csv = _csv(client.get("/exports/cases?format=csv"))
    from_xlsx = [
        [
            ""
            if value is None
            else value.date().isoformat()
            if isinstance(value, datetime)
            else value
            for value in row
        ]
        for row in _xlsx(client.get("/exports/cases?format=xlsx"))
    ]
    assert len(from_csv) == 3
    assert from_xlsx == from_csv


def test_an_unknown_format_is_a_bad_request(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    assert client.get("/exports/cases?format=pdf").status_code == 400
    assert client.get("/exports/cases").status_code == 400


# --- audit --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("/exports/cases", "export.cases"),
        ("/exports/requests?status=all", "export.requests"),
        ("/exports/groups", "export.groups"),
        ("/exports/activities", "export.activities"),
        ("/exports/volunteers", "export.volunteers"),
        ("/exports/audit", "export.audit"),
        ("/exports/statistics", "export.case-statistics"),
    ],
)
def test_each_export_is_audited_with_its_row_count_and_no_personal_data(
    client: FlaskClient, login: Login, path: str, action: str
) -> None:
    head = StationHeadFactory()
    person = ServiceUserFactory(unit=head.unit, name="欧阳审计")
    CaseFactory(worker=head, service_user=person)
    HelpRequestFactory(unit=head.unit, name="欧阳求助", phone="13812345678")
    GroupFactory(unit=head.unit, facilitator=head)
    ActivityFactory(unit=head.unit, organiser=head)
    VolunteerFactory(unit=head.unit, name="欧阳志愿")
    login(head)
    rows = _csv(client.get(f"{path}{'&' if '?' in path else '?'}format=csv"))
    entry = _last_export()
    assert entry.action == action
    assert entry.actor_id == head.id
    assert entry.details["rows"] == len(rows) - 1 >= 1
    assert entry.details["format"] == "csv"
    details = json.dumps(entry.details, ensure_ascii=False)
    for personal in ("欧阳", person.id_number, "13812345678"):
        assert personal not in details


def test_the_people_export_is_audited_without_the_search_term(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    ServiceUserFactory(unit=worker.unit, name="欧阳秀英")
    ServiceUserFactory(unit=worker.unit, name="张桂兰")
    login(worker)
    rows = _csv(client.post("/exports/people", data={"q": "欧阳", "format": "csv"}))
    entry = _last_export()
    assert entry.action == "export.people"
    assert entry.details["rows"] == len(rows) - 1 == 1
    assert "欧阳" not in json.dumps(entry.details, ensure_ascii=False)


# --- who gets which rows ------------------------------------------------------------------


def test_a_worker_of_station_2_exports_only_station_2_cases(
    client: FlaskClient, login: Login
) -> None:
    centre = CentreFactory()
    station1, station2 = StationFactory(parent=centre), StationFactory(parent=centre)
    theirs = CaseFactory(service_user=ServiceUserFactory(unit=station1, name="一站居民"))
    worker = WorkerFactory(unit=station2)
    ours = CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=station2))
    login(worker)
    rows = _csv(client.get("/exports/cases?format=csv"))
    assert _column(rows, "个案编号") == [ours.number]
    assert theirs.number not in str(rows)
    assert "一站居民" not in str(rows)


def test_the_caseload_export_applies_the_page_filters(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    aid = CaseFactory(worker=worker, service_user=ServiceUserFactory(unit=worker.unit))
    CaseFactory(
        worker=worker,
        service_user=ServiceUserFactory(unit=worker.unit),
        domain=ServiceDomain.COMMUNITY_HEALTH,
    )
    login(worker)
    rows = _csv(client.get("/exports/cases?format=csv&domain=social_aid&page=2"))
    assert _column(rows, "个案编号") == [aid.number]


@pytest.mark.parametrize("path", LIST_EXPORTS)
def test_a_bureau_viewer_may_not_export_any_list(
    client: FlaskClient, login: Login, path: str
) -> None:
    login(BureauViewerFactory())
    assert client.get(f"{path}?format=csv").status_code == 403
    assert client.post(path, data={"format": "xlsx"}).status_code in (403, 405)


@pytest.mark.parametrize("path", [p for p in LIST_EXPORTS if p != "/exports/audit"])
def test_an_administrator_may_not_download_lists_of_individuals(
    client: FlaskClient, login: Login, path: str
) -> None:
    CaseFactory()
    login(AdminFactory())
    assert client.get(f"{path}?format=csv").status_code == 403


@pytest.mark.parametrize("make_user", [WorkerFactory, TutorFactory])
def test_the_audit_log_export_is_for_heads_and_administrators_only(
    client: FlaskClient, login: Login, make_user: Callable[..., User]
) -> None:
    login(make_user())
    assert client.get("/exports/audit?format=csv").status_code == 403


def test_a_station_head_exports_the_audit_log_of_their_unit_only(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    mine = CaseFactory(worker=head, service_user=ServiceUserFactory(unit=head.unit))
    other = CaseFactory()
    login(head)
    rows = _csv(client.get("/exports/audit?format=csv&object_type=cases"))
    records = set(_column(rows, "记录"))
    assert f"个案 {mine.number}" in records
    assert not any(other.number in record for record in records)


# --- masking ------------------------------------------------------------------------------


def test_the_tutors_people_export_masks_id_and_phone_numbers(
    client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    person = ServiceUserFactory(unit=station)
    login(TutorFactory(supervised_units=[station]))
    rows = _csv(client.post("/exports/people", data={"format": "csv"}))
    assert _column(rows, "身份证号") == [person.masked_id_number]
    assert _column(rows, "联系电话") == [person.masked_phone]
    assert person.id_number not in str(rows)
    assert person.phone not in str(rows)


def test_the_workers_people_export_masks_numbers_by_default(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    rows = _csv(client.get("/exports/people?format=csv"))
    assert _column(rows, "身份证号") == [person.masked_id_number]
    assert _column(rows, "联系电话") == [person.masked_phone]


PURPOSE = "报送街道低保年度复核名单"


def test_a_full_numbers_export_asks_for_its_purpose_first(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    ServiceUserFactory(unit=worker.unit)
    login(worker)
    response = client.post("/exports/people/full", data={"q": ""})
    assert response.status_code == 200
    assert 'name="reason"' in response.get_data(as_text=True)


def test_a_full_numbers_export_without_a_purpose_is_refused(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    ServiceUserFactory(unit=worker.unit)
    login(worker)
    response = client.post("/exports/people/full", data={"reason": "", "format": "csv"})
    assert response.status_code == 422
    assert "请说明导出完整号码的用途" in response.get_data(as_text=True)


def test_the_workers_full_numbers_export_has_the_numbers(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    person = ServiceUserFactory(unit=worker.unit)
    login(worker)
    rows = _csv(
        client.post("/exports/people/full", data={"reason": PURPOSE, "format": "csv", "q": ""})
    )
    assert _column(rows, "身份证号") == [person.id_number]
    assert _column(rows, "联系电话") == [person.phone]


def test_a_full_numbers_export_is_marked_in_the_audit_log(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    ServiceUserFactory(unit=worker.unit)
    login(worker)
    client.post("/exports/people/full", data={"reason": PURPOSE, "format": "csv"})
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export.people")).one()
    assert (entry.details["full_identifiers"], entry.details["reason"]) == (True, PURPOSE)


def test_the_tutor_cannot_export_full_numbers(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    ServiceUserFactory(unit=station)
    login(TutorFactory(supervised_units=[station]))
    response = client.post("/exports/people/full", data={"reason": PURPOSE, "format": "csv"})
    assert response.status_code == 403


def test_the_full_numbers_export_keeps_the_search(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    ServiceUserFactory(unit=worker.unit, name="欧阳秀英")
    ServiceUserFactory(unit=worker.unit, name="李明")
    login(worker)
    rows = _csv(
        client.post("/exports/people/full", data={"reason": PURPOSE, "format": "csv", "q": "欧阳"})
    )
    assert _column(rows, "姓名") == ["欧阳秀英"]


def test_the_workers_request_export_masks_phones_by_default(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    HelpRequestFactory(unit=worker.unit, phone="13804310000")
    login(worker)
    rows = _csv(client.get("/exports/requests?format=csv"))
    assert _column(rows, "联系电话") == ["138****0000"]


def test_the_workers_full_request_export_has_the_phones(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    HelpRequestFactory(unit=worker.unit, phone="13804310000")
    login(worker)
    rows = _csv(
        client.post("/exports/requests/full?status=all", data={"reason": PURPOSE, "format": "csv"})
    )
    assert _column(rows, "联系电话") == ["13804310000"]


def test_the_tutor_cannot_export_full_request_phones(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    HelpRequestFactory(unit=station)
    login(TutorFactory(supervised_units=[station]))
    response = client.post("/exports/requests/full", data={"reason": PURPOSE, "format": "csv"})
    assert response.status_code == 403


def test_the_tutors_request_export_masks_phone_numbers(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    HelpRequestFactory(unit=station, phone="13804310000")
    login(TutorFactory(supervised_units=[station]))
    rows = _csv(client.get("/exports/requests?format=csv"))
    assert _column(rows, "联系电话") == ["138****0000"]


def test_the_people_export_does_not_take_a_search_term_from_the_url(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    ServiceUserFactory(unit=worker.unit, name="欧阳秀英")
    login(worker)
    assert client.get("/exports/people?format=csv&q=欧阳").status_code == 400
    assert client.post("/exports/people?q=欧阳", data={"format": "csv"}).status_code == 400
    assert (
        db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export.people")).all()
        == []
    )


def test_the_volunteer_export_carries_total_hours(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    volunteer = VolunteerFactory(unit=worker.unit)
    activity = ActivityFactory(unit=worker.unit, organiser=worker)
    for hours in (2.5, 1.5):
        volunteer_services.assign_volunteer(
            actor=worker,
            volunteer=volunteer,
            served_on=local_today(),
            hours=hours,
            role="引导",
            activity=activity,
        )
    db.session.commit()
    login(worker)
    rows = _csv(client.get("/exports/volunteers?format=csv"))
    assert _column(rows, "志愿服务时长（小时）") == ["4.0"]


# --- statistics ---------------------------------------------------------------------------


def _open_cases(unit: Unit, plan: dict[tuple[date, ServiceDomain], int]) -> None:
    worker = WorkerFactory(unit=unit)
    for (opened_on, domain), count in plan.items():
        for _index in range(count):
            CaseFactory(
                worker=worker,
                service_user=ServiceUserFactory(unit=unit),
                domain=domain,
                opened_on=opened_on,
            )


def _recount(unit_ids: list[int], start: date, end: date) -> tuple[Counter[Any], Counter[str]]:
    """Opened per (month, domain) and closed per month, from the raw table."""
    rows = db.session.execute(
        text("SELECT unit_id, domain, opened_on, status, closed_on FROM cases")
    ).all()
    opened: Counter[Any] = Counter()
    closed: Counter[str] = Counter()
    for unit_id, domain, opened_on, status, closed_on in rows:
        if unit_id not in unit_ids:
            continue
        if start.isoformat() <= str(opened_on) <= end.isoformat():
            opened[(str(opened_on)[:7], domain)] += 1
        if (
            status in ("closed", "follow_up")
            and closed_on is not None
            and start.isoformat() <= str(closed_on) <= end.isoformat()
        ):
            closed[str(closed_on)[:7]] += 1
    return opened, closed


def test_statistics_by_domain_and_month_equal_a_recount_of_the_cases_table(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    _open_cases(
        head.unit,
        {
            (date(2026, 1, 5), ServiceDomain.SOCIAL_AID): 2,
            (date(2026, 1, 31), ServiceDomain.COMMUNITY_HEALTH): 1,
            (date(2026, 3, 1), ServiceDomain.SOCIAL_AID): 3,
            (date(2025, 12, 31), ServiceDomain.SOCIAL_AID): 1,  # before the period
            (date(2026, 4, 1), ServiceDomain.SOCIAL_AID): 1,  # after it
        },
    )
    closed = advance_case(
        CaseFactory(
            worker=head,
            service_user=ServiceUserFactory(unit=head.unit),
            opened_on=date(2026, 2, 2),
        ),
        CaseStatus.CLOSED,
    )
    closed.closed_on = date(2026, 2, 20)
    db.session.commit()
    _open_cases(StationFactory(), {(date(2026, 2, 2), ServiceDomain.SOCIAL_AID): 2})  # elsewhere
    login(head)
    rows = _xlsx(client.get(f"/exports/statistics?format=xlsx&start={START}&end={END}"))
    opened, closed_by_month = _recount([head.unit_id], START, END)
    assert rows[0] == ["月份", *(d.label for d in DOMAINS), "新开个案合计", "结案个案"]
    assert [row[0] for row in rows[1:]] == [*MONTHS, "合计"]
    for row in rows[1:4]:
        month = row[0]
        assert row[1 : 1 + len(DOMAINS)] == [opened[(month, d.value)] for d in DOMAINS]
        assert row[-2] == sum(count for (m, _d), count in opened.items() if m == month)
        assert row[-1] == closed_by_month[month]
    assert rows[-1][-2] == sum(opened.values()) == 7
    assert rows[-1][-1] == 1


def test_a_bureau_viewer_exports_statistics_with_small_counts_hidden_and_no_names(
    client: FlaskClient, login: Login
) -> None:
    bureau = BureauFactory()
    station = StationFactory(parent=CentreFactory(parent=bureau))
    _open_cases(
        station,
        {
            (date(2026, 1, 10), ServiceDomain.SOCIAL_AID): 2,
            (date(2026, 2, 10), ServiceDomain.COMMUNITY_HEALTH): 6,
        },
    )
    login(BureauViewerFactory(unit=bureau))
    response = client.get(f"/exports/statistics?format=csv&start={START}&end={END}")
    rows = _csv(response)
    assert "新开个案合计" not in rows[0]
    assert [row[0] for row in rows[1:]] == MONTHS  # no totals to subtract from
    assert _column(rows, "社会救助") == ["<5", "0", "0"]
    assert _column(rows, "社区卫生") == ["0", "6", "0"]
    body = response.get_data(as_text=True)
    for name in db.session.scalars(text("SELECT name FROM service_users")):
        assert name not in body


def test_statistics_cover_this_month_of_the_own_unit_by_default_as_the_page_does(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    _open_cases(head.unit, {(local_today(), ServiceDomain.SOCIAL_AID): 1})
    _open_cases(StationFactory(), {(local_today(), ServiceDomain.SOCIAL_AID): 1})
    login(head)
    rows = _csv(client.get("/exports/statistics?format=csv"))
    assert [row[0] for row in rows[1:]] == [f"{local_today():%Y-%m}", "合计"]
    assert _column(rows, "社会救助") == ["1", "1"]
    assert _last_export().details["unit"] == head.unit_id


def test_statistics_for_a_unit_outside_the_users_reach_are_not_found(
    client: FlaskClient, login: Login
) -> None:
    login(StationHeadFactory())
    other = StationFactory()
    assert client.get(f"/exports/statistics?format=csv&unit={other.id}").status_code == 404


def test_a_statistics_range_that_makes_no_sense_is_a_bad_request(
    client: FlaskClient, login: Login
) -> None:
    login(StationHeadFactory())
    assert (
        client.get("/exports/statistics?format=csv&start=2026-03-01&end=2026-01-01").status_code
        == 400
    )
    assert client.get("/exports/statistics?format=csv&start=yesterday").status_code == 400


def test_the_demo_bureau_downloads_city_statistics_without_names_that_match_a_recount(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(DEMO=True)
    result = app.test_cli_runner().invoke(args=["casework", "seed-demo"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    with app.app_context():
        city = db.session.scalars(select(Unit).where(Unit.code == "CC")).one()
        unit_ids = list(db.session.scalars(select(Unit.id).where(Unit.path.startswith(city.path))))
        first = db.session.scalar(text("SELECT MIN(opened_on) FROM cases"))
        names = list(db.session.scalars(text("SELECT name FROM service_users")))
    start = date.fromisoformat(str(first)[:10]).replace(day=1)
    end = local_today()
    assert (end - start) < timedelta(days=2 * 365)  # within what one export may cover
    assert (
        client.post("/login", data={"username": "bureau", "password": DEMO_PASSWORD}).status_code
        == 302
    )
    response = client.get(f"/exports/statistics?format=xlsx&unit={city.id}&start={start}&end={end}")
    assert response.status_code == 200
    rows = _xlsx(response)
    cells = " ".join(str(value) for row in rows for value in row)
    assert names
    for name in names:
        assert name not in cells
    with app.app_context():
        opened, closed = _recount(unit_ids, start, end)
    assert sum(opened.values()) > 0
    for row in rows[1:]:
        month = row[0]
        assert row[1 : 1 + len(DOMAINS)] == [_shown(opened[(month, d.value)]) for d in DOMAINS]
        assert row[-1] == _shown(closed[month])


def _shown(count: int) -> int | str:
    """What an aggregate-only user sees: the count, or "<5" for 1 to 4."""
    return count if suppressed(count) == str(count) else suppressed(count)


# --- links on the pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("/cases/?domain=social_aid", "/exports/cases?format=csv&amp;domain=social_aid"),
        ("/requests/?status=all", "/exports/requests?format=xlsx&amp;status=all"),
        ("/groups/?mine=1", "/exports/groups?format=csv&amp;mine=1"),
        ("/activities/", "/exports/activities?format=xlsx"),
        ("/volunteers/", "/exports/volunteers?format=csv"),
        ("/audit/?page=2", "/exports/audit?format=csv"),
    ],
)
def test_list_pages_link_to_their_exports_with_their_filters(
    client: FlaskClient, login: Login, page: str, link: str
) -> None:
    login(StationHeadFactory())
    body = client.get(page).get_data(as_text=True)
    assert f'href="{link}"' in body


def test_the_people_page_posts_its_search_term_to_the_export(
    client: FlaskClient, login: Login
) -> None:
    login(WorkerFactory())
    body = client.get("/people/?q=欧阳").get_data(as_text=True)
    assert 'method="post" action="/exports/people"' in body
    assert 'name="q" value="欧阳"' in body
    assert "/exports/people?" not in body


def test_my_cases_link_exports_my_cases(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    body = client.get("/cases/mine").get_data(as_text=True)
    assert f'href="/exports/cases?format=csv&amp;worker={worker.id}"' in body


def test_an_administrator_sees_no_export_links_on_the_caseload(
    client: FlaskClient, login: Login
) -> None:
    login(AdminFactory())
    response = client.get("/cases/")
    assert response.status_code == 200
    assert "/exports/" not in response.get_data(as_text=True)


def test_the_statistics_page_links_to_the_export_of_its_unit_and_period(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    login(head)
    body = client.get(f"/reports/?start={START}&end={END}").get_data(as_text=True)
    link = (
        f"/exports/statistics?format=xlsx&amp;unit={head.unit_id}&amp;start={START}&amp;end={END}"
    )
    assert f'href="{link}"' in body


def test_the_head_reads_the_purpose_of_a_full_numbers_export(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    ServiceUserFactory(unit=head.unit)
    colleague = app.test_client()
    colleague.post("/login", data={"username": worker.username, "password": PASSWORD})
    colleague.post("/exports/people/full", data={"reason": PURPOSE, "format": "csv"})
    login(head)
    body = client.get("/audit/").get_data(as_text=True)
    assert f"用途：{PURPOSE}" in body


def test_the_people_page_offers_full_numbers_to_the_worker(
    client: FlaskClient, login: Login
) -> None:
    login(WorkerFactory())
    assert "/exports/people/full" in client.get("/people/").get_data(as_text=True)


def test_the_people_page_does_not_offer_full_numbers_to_the_tutor(
    client: FlaskClient, login: Login
) -> None:
    login(TutorFactory(supervised_units=[StationFactory()]))
    assert "/exports/people/full" not in client.get("/people/").get_data(as_text=True)
