"""The search page: what each role finds, ranking, highlighting, masking and audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from casework.cases import services as case_services
from casework.core.audit import AuditEntry
from casework.extensions import db
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    ServiceUserFactory,
    StationFactory,
    TutorFactory,
    WorkerFactory,
)
from tests.search.helpers import add_record, case_in_intervention


def _search(client: FlaskClient, q: str, **extra: Any) -> Any:
    return client.post("/search/", data={"q": q, **extra})


def test_the_search_page_opens_for_a_worker(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    assert client.get("/search/").status_code == 200


def test_a_two_character_name_is_found(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    person = ServiceUserFactory(unit=station, name="张伟")
    login(WorkerFactory(unit=station))
    page = _search(client, "张伟").get_data(as_text=True)
    assert f"/people/{person.id}" in page
    assert "<mark>张伟</mark>" in page


def test_pinyin_and_initials_find_the_person(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    person = ServiceUserFactory(unit=station, name="张伟")
    login(WorkerFactory(unit=station))
    for query in ("zhangwei", "zw", "zhangw"):
        assert f"/people/{person.id}" in _search(client, query).get_data(as_text=True)


def test_an_id_fragment_finds_the_person_with_the_number_masked(
    client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    person = ServiceUserFactory(unit=station, id_number="220102195603141234", phone="13912345678")
    login(WorkerFactory(unit=station))
    page = _search(client, "19560314").get_data(as_text=True)
    assert f"/people/{person.id}" in page
    assert "220102********1234" in page
    assert "220102195603141234" not in page


def test_a_phone_fragment_finds_the_person(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    person = ServiceUserFactory(unit=station, phone="13912345678")
    login(WorkerFactory(unit=station))
    page = _search(client, "2345678").get_data(as_text=True)
    assert f"/people/{person.id}" in page
    assert "139****5678" in page


def test_fewer_than_four_digits_are_explained(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    page = _search(client, "139").get_data(as_text=True)
    assert "号码片段至少需要 4 位数字" in page


def test_exact_name_ranks_before_prefix_and_fragment(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    fragment = ServiceUserFactory(unit=station, name="李张伟")
    prefix = ServiceUserFactory(unit=station, name="张伟明")
    exact = ServiceUserFactory(unit=station, name="张伟")
    login(WorkerFactory(unit=station))
    page = _search(client, "张伟", section="people").get_data(as_text=True)
    positions = [page.index(f'/people/{p.id}"') for p in (exact, prefix, fragment)]
    assert positions == sorted(positions)


def test_a_phrase_in_a_service_record_is_found_and_highlighted(
    client: FlaskClient, login: Login
) -> None:
    case = case_in_intervention(StationFactory())
    add_record(case, "老人独居多年，子女在外地")
    login(case.worker)
    page = _search(client, "独居", section="records").get_data(as_text=True)
    assert "老人<mark>独居</mark>多年" in page
    assert case.number in page


def test_newer_records_come_first(client: FlaskClient, login: Login) -> None:
    case = case_in_intervention(StationFactory())
    older = add_record(case, "第一次家访：低保申请")
    newer = add_record(case, "第二次家访：低保材料")
    login(case.worker)
    page = _search(client, "低保", section="records").get_data(as_text=True)
    assert page.index("低保</mark>材料") < page.index("低保</mark>申请")
    assert older.id < newer.id


def test_the_text_is_escaped_before_marking(client: FlaskClient, login: Login) -> None:
    case = case_in_intervention(StationFactory())
    add_record(case, "<script>alert(1)</script>独居")
    login(case.worker)
    page = _search(client, "独居", section="records").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_a_case_is_found_by_its_number(client: FlaskClient, login: Login) -> None:
    case = case_in_intervention(StationFactory())
    login(case.worker)
    page = _search(client, case.number, section="cases").get_data(as_text=True)
    assert f"/cases/{case.id}" in page


def test_worker3_never_sees_station_1s_results(client: FlaskClient, login: Login) -> None:
    station1, station2 = StationFactory(), StationFactory()
    case = case_in_intervention(station1, person=ServiceUserFactory(unit=station1, name="张伟"))
    add_record(case, "张伟独居，申请低保")
    worker3 = WorkerFactory(unit=station2, username="worker3")
    login(worker3)
    for query in ("张伟", "zw", "独居", "低保", case.number, case.service_user.phone[-6:]):
        page = _search(client, query).get_data(as_text=True)
        assert f"/people/{case.service_user.id}" not in page
        assert f"/cases/{case.id}" not in page
        assert "<mark>" not in page


def test_a_tutor_finds_the_supervised_units_records(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    case = case_in_intervention(station)
    add_record(case, "情绪低落需要心理疏导")
    login(TutorFactory(unit=station, supervised_units=[station]))
    page = _search(client, "疏导").get_data(as_text=True)
    assert "<mark>疏导</mark>" in page


def test_bureau_viewers_get_403(client: FlaskClient, login: Login) -> None:
    login(BureauViewerFactory())
    assert _search(client, "张伟").status_code == 403
    assert client.get("/search/").status_code == 403


def test_an_administrator_finds_only_cases_under_break_glass(
    client: FlaskClient, login: Login
) -> None:
    station = StationFactory()
    granted = case_in_intervention(station)
    other = case_in_intervention(station)
    add_record(granted, "紧急查看：家暴风险")
    add_record(other, "另一个家暴个案")
    admin = AdminFactory()
    case_services.grant_break_glass(actor=admin, case=granted, reason="紧急情况")
    db.session.commit()
    login(admin)
    page = _search(client, "家暴").get_data(as_text=True)
    assert f"/cases/{granted.id}" in page
    assert f"/cases/{other.id}" not in page


def test_an_expired_break_glass_finds_nothing(client: FlaskClient, login: Login) -> None:
    case = case_in_intervention(StationFactory())
    add_record(case, "家暴风险")
    admin = AdminFactory()
    grant = case_services.grant_break_glass(actor=admin, case=case, reason="紧急情况")
    grant.expires_at = grant.granted_at - timedelta(minutes=1)
    db.session.commit()
    login(admin)
    assert f"/cases/{case.id}" not in _search(client, "家暴").get_data(as_text=True)


def test_each_search_is_audited_without_the_query(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    ServiceUserFactory(unit=station, name="张伟")
    worker = WorkerFactory(unit=station)
    login(worker)
    _search(client, "张伟")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "search.run")).one()
    assert entry.actor_id == worker.id
    assert "张伟" not in str(entry.details)


def test_the_navigation_bar_has_the_search_box(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    assert 'id="navbar-search"' in client.get("/").get_data(as_text=True)


def test_the_query_is_not_in_the_url(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    page = client.get("/").get_data(as_text=True)
    assert 'method="post" action="/search/"' in page


def test_paging_through_records_with_the_cursor(client: FlaskClient, login: Login) -> None:
    case = case_in_intervention(StationFactory())
    for number in range(23):
        add_record(case, f"第{number}次随访，情况稳定")
    login(case.worker)
    first = _search(client, "随访", section="records").get_data(as_text=True)
    assert first.count("<mark>随访</mark>") == 20
    cursor = first.split('name="after" value="')[1].split('"')[0]
    second = _search(client, "随访", section="records", after=cursor).get_data(as_text=True)
    assert second.count("<mark>随访</mark>") == 3


def test_each_person_found_shows_their_cases_with_stage_and_worker(
    client: FlaskClient, login: Login
) -> None:
    from tests.factories import CaseFactory

    station = StationFactory()
    worker = WorkerFactory(unit=station, display_name="王芳")
    person = ServiceUserFactory(unit=station, name="张伟")
    case = CaseFactory(service_user=person, worker=worker)
    login(worker)
    page = _search(client, "张伟").get_data(as_text=True)
    cell = page[page.index(f'data-cases-of="{person.id}"') :]
    cell = cell[: cell.index("</td>")]
    assert case.number in cell
    assert "接案" in cell
    assert "王芳" in cell
