"""The pilot pages through the client: the overview by city, designating, the stages, and
who may open what."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import UnitKind
from casework.pilot.models import PilotKind, PilotStage, PilotUnit
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    AdminFactory,
    BureauViewerFactory,
    StationHeadFactory,
    TutorFactory,
    UnitFactory,
    WorkerFactory,
)
from tests.pilot.conftest import CONTACTS, Province, certify, designate

TODAY = local_today().isoformat()
TOMORROW = (local_today() + timedelta(days=1)).isoformat()

FORM = {
    "kind": "community",
    "designated_on": "2011-03-01",
    "head_name": "孙志强",
    "head_post": "主任",
    "head_phone": "13912345678",
    "contact_name": "周晓燕",
    "contact_post": "中心主任",
    "contact_phone": "",
}


def _soup(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _figure(soup: BeautifulSoup, name: str) -> str:
    element = soup.select_one(f'[data-figure="{name}"]')
    assert element is not None, name
    return element.get_text(strip=True)


def test_the_overview_shows_each_city_with_its_pilot_units(
    province: Province, client: FlaskClient, login: Login
) -> None:
    designate(province.viewer, province.centre_a)
    login(province.viewer)
    soup = _soup(client, "/pilot/")
    city_a = soup.select_one(f"#area-c{province.city_a.id}")
    city_b = soup.select_one(f"#area-c{province.city_b.id}")
    assert city_a is not None
    assert city_b is not None
    assert "甲街道中心" in city_a.get_text()
    assert "暂无试点单位" in city_b.get_text()


def test_the_overview_names_no_responsible_person(
    province: Province, client: FlaskClient, login: Login
) -> None:
    designate(province.viewer, province.centre_a)
    login(province.viewer)
    body = client.get("/pilot/").get_data(as_text=True)
    assert "甲街道中心" in body
    assert CONTACTS.head_name not in body
    assert "139****5678" not in body


def test_phone_numbers_are_masked_on_the_units_page(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.viewer, province.centre_a)
    login(province.viewer)
    body = client.get(f"/pilot/units/{pilot.id}").get_data(as_text=True)
    assert "139****5678" in body
    assert str(CONTACTS.head_phone) not in body


def test_certifying_workers_raises_the_figure_on_the_page(
    province: Province, client: FlaskClient, login: Login
) -> None:
    certify(province.station_a, 5)
    login(province.viewer)
    before = _figure(_soup(client, "/pilot/"), "workforce.certified")
    certify(province.station_b, 2)
    after = _figure(_soup(client, "/pilot/"), "workforce.certified")
    assert (before, after) == ("5", "7")


def test_the_figure_equals_the_bureau_dashboards_and_home_pages(
    province: Province, client: FlaskClient, login: Login
) -> None:
    certify(province.station_a, 6)
    certify(province.station_b, 3)
    login(province.viewer)
    pilot = _figure(_soup(client, "/pilot/"), "workforce.certified")
    dashboard = _figure(_soup(client, "/dashboard/bureau"), "workforce.certified")
    home = _figure(_soup(client, "/"), "workforce.certified")
    assert pilot == dashboard == home == "9"


def _dashboard_certified(soup: BeautifulSoup) -> dict[str, str]:
    return {
        str(row["data-row"]): row.select_one('[data-column="certified"]').get_text(strip=True)
        for row in soup.select("tr[data-row]")
    }


def _area_certified(soup: BeautifulSoup, key: str) -> str:
    element = soup.select_one(f"#area-{key} [data-certified]")
    assert element is not None, key
    return element.get_text(strip=True)


def test_the_cities_counts_hide_what_the_dashboard_hides(
    province: Province, client: FlaskClient, login: Login
) -> None:
    # 甲 6, 乙 2, and two of the province's own institutions with 5 each: the pages must not
    # between them give away 乙's 2 or the institution the dashboard hides to protect it.
    first = UnitFactory(kind=UnitKind.INSTITUTION, parent=province.unit, name="省儿童福利院")
    second = UnitFactory(kind=UnitKind.INSTITUTION, parent=province.unit, name="省救助站")
    certify(province.station_a, 6)
    certify(province.station_b, 2)
    certify(first, 5)
    certify(second, 5)
    login(province.viewer)
    dashboard = _dashboard_certified(_soup(client, "/dashboard/bureau"))
    pilot = _soup(client, "/pilot/")
    for city in (province.city_a, province.city_b):
        assert _area_certified(pilot, f"c{city.id}") == dashboard[f"u{city.id}"]
    hidden_institution = "—" in (dashboard[f"u{first.id}"], dashboard[f"u{second.id}"])
    assert hidden_institution
    assert _area_certified(pilot, "other") == "—"


def test_a_hidden_citys_pace_is_not_shown(
    province: Province, client: FlaskClient, login: Login
) -> None:
    certify(province.station_a, 2)
    certify(province.station_b, 6)
    login(province.viewer)
    soup = _soup(client, "/pilot/")
    paces = [
        soup.select_one(f"#area-c{city.id} [data-pace]")
        for city in (province.city_a, province.city_b)
    ]
    assert [pace.get_text(strip=True) for pace in paces if pace] == ["—", "—"]


def test_the_province_target_is_the_workforce_target(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.viewer)
    assert _figure(_soup(client, "/pilot/"), "target") == "2000"


def test_a_city_bureau_sees_one_target_for_its_city(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.city_a_viewer)
    soup = _soup(client, "/pilot/")
    card = soup.select_one(f"#area-c{province.city_a.id}")
    assert card is not None
    assert _figure(soup, "target") == "2000"
    assert "/ 2000" in card.get_text()
    assert "未设目标" not in card.get_text()


def test_designating_a_pilot_unit_through_the_form(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.city_a_viewer)
    response = client.post("/pilot/units/new", data={**FORM, "unit_id": province.station_a.id})
    assert response.status_code == 302
    pilot = db.session.scalars(select(PilotUnit)).one()
    assert (pilot.unit_id, pilot.head_phone, pilot.contact_phone) == (
        province.station_a.id,
        "13912345678",
        None,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("head_name", "孙\x00志强", "控制字符"),
        ("designated_on", "1850-01-01", "1900 年至 2099 年"),
        ("designated_on", "2011-02-30", "该字段是必填字段"),
        ("head_phone", "abc", "有效的电话号码"),
        ("head_name", "", "该字段是必填字段"),
    ],
)
def test_bad_input_is_refused_with_the_input_kept(
    province: Province,
    client: FlaskClient,
    login: Login,
    field: str,
    value: str,
    message: str,
) -> None:
    login(province.city_a_viewer)
    data = {**FORM, "unit_id": province.station_a.id, field: value}
    response = client.post("/pilot/units/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert "周晓燕" in body
    assert db.session.scalars(select(PilotUnit)).first() is None


def test_a_withdrawn_unit_is_designated_again_through_the_form(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.city_a_viewer, province.station_a)
    login(province.city_a_viewer)
    client.post(f"/pilot/units/{pilot.id}/withdraw", data={"withdrawn_on": TODAY})
    response = client.post("/pilot/units/new", data={**FORM, "unit_id": province.station_a.id})
    assert response.status_code == 302
    assert len(db.session.scalars(select(PilotUnit)).all()) == 2


def test_a_unit_of_the_wrong_kind_is_refused_on_the_field(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.city_a_viewer)
    data = {**FORM, "kind": "institution", "unit_id": province.station_a.id}
    response = client.post("/pilot/units/new", data=data)
    assert response.status_code == 422
    assert "该单位的类型不能作为这一类试点" in response.get_data(as_text=True)


def test_a_city_cannot_designate_a_unit_of_another_city(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.city_a_viewer)
    response = client.post("/pilot/units/new", data={**FORM, "unit_id": province.station_b.id})
    assert response.status_code == 422
    assert db.session.scalars(select(PilotUnit)).first() is None


def test_a_huge_id_is_not_found(province: Province, client: FlaskClient, login: Login) -> None:
    login(province.viewer)
    assert client.get("/pilot/units/99999999999999999999").status_code == 404
    assert client.get("/pilot/stages/99999999999999999999/edit").status_code == 404


def test_editing_keeps_the_record_and_changes_the_contact(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.city_a_viewer, province.station_a)
    login(province.city_a_viewer)
    response = client.post(f"/pilot/units/{pilot.id}/edit", data={**FORM, "contact_name": "刘洋"})
    assert response.status_code == 302
    db.session.refresh(pilot)
    assert pilot.contact_name == "刘洋"


def test_withdrawing_through_the_page(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.city_a_viewer, province.station_a)
    login(province.city_a_viewer)
    response = client.post(f"/pilot/units/{pilot.id}/withdraw", data={"withdrawn_on": TODAY})
    assert response.status_code == 302
    db.session.refresh(pilot)
    assert not pilot.is_active


def test_a_designation_dated_after_today_is_refused_on_the_field(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.city_a_viewer)
    data = {**FORM, "unit_id": province.station_a.id, "designated_on": TOMORROW}
    response = client.post("/pilot/units/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "日期不能晚于今天" in body
    assert TOMORROW in body
    assert db.session.scalars(select(PilotUnit)).first() is None


def test_an_edit_dated_after_today_is_refused_on_the_field(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.city_a_viewer, province.station_a)
    login(province.city_a_viewer)
    data = {**FORM, "designated_on": TOMORROW}
    response = client.post(f"/pilot/units/{pilot.id}/edit", data=data)
    assert response.status_code == 422
    assert "日期不能晚于今天" in response.get_data(as_text=True)
    db.session.refresh(pilot)
    assert pilot.designated_on < local_today()


def test_a_withdrawal_dated_after_today_is_refused_on_the_field(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.city_a_viewer, province.station_a)
    login(province.city_a_viewer)
    response = client.post(f"/pilot/units/{pilot.id}/withdraw", data={"withdrawn_on": TOMORROW})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "日期不能晚于今天" in body
    assert TOMORROW in body
    db.session.refresh(pilot)
    assert pilot.is_active


def test_the_province_edits_a_stage(province: Province, client: FlaskClient, login: Login) -> None:
    login(province.viewer)
    assert "/pilot/stages/plan/2/edit" in client.get("/pilot/stages").get_data(as_text=True)
    data = {"name": "试点推进", "starts_on": "2011-01-01", "ends_on": "2012-12-31"}
    assert client.post("/pilot/stages/plan/2/edit", data=data).status_code == 302
    assert "试点推进" in client.get("/pilot/").get_data(as_text=True)


def test_a_stored_stage_is_edited_by_its_id(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.viewer)
    data = {"name": "筹备", "starts_on": "2009-01-01", "ends_on": "2009-12-31"}
    assert client.post("/pilot/stages", data=data).status_code == 302
    added = db.session.scalars(select(PilotStage).where(PilotStage.name == "筹备")).one()
    data = {"name": "前期筹备", "starts_on": "2009-01-01", "ends_on": "2009-12-31"}
    assert client.post(f"/pilot/stages/{added.id}/edit", data=data).status_code == 302
    db.session.refresh(added)
    assert added.name == "前期筹备"
    assert f"/pilot/stages/{added.id}/edit" in client.get("/pilot/stages").get_data(as_text=True)


def test_the_plans_stage_is_no_longer_addressed_once_stages_are_stored(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.viewer)
    data = {"name": "筹备", "starts_on": "2009-01-01", "ends_on": "2009-12-31"}
    client.post("/pilot/stages", data=data)
    assert client.post("/pilot/stages/plan/1/edit", data=data).status_code == 404


def test_an_overlapping_stage_is_refused_with_a_message(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.viewer)
    data = {"name": "总结推广", "starts_on": "2015-01-01", "ends_on": "2016-12-31"}
    response = client.post("/pilot/stages", data=data)
    assert response.status_code == 422
    assert "与其他阶段的日期重叠" in response.get_data(as_text=True)


def test_a_missing_csrf_token_is_refused(
    province: Province, make_app: Callable[..., Flask]
) -> None:
    username = province.viewer.username
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token[1]})
    data = {"name": "总结推广", "starts_on": "2016-01-01", "ends_on": "2016-12-31"}
    assert client.post("/pilot/stages", data=data).status_code == 400


# Who may see what -------------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [WorkerFactory, TutorFactory, AdminFactory, StationHeadFactory])
def test_only_bureaus_open_the_overview(
    province: Province, client: FlaskClient, login: Login, factory: Any
) -> None:
    login(factory())
    assert client.get("/pilot/").status_code == 403


@pytest.mark.parametrize("factory", [WorkerFactory, TutorFactory, AdminFactory])
def test_others_cannot_open_a_pilot_unit(
    province: Province, client: FlaskClient, login: Login, factory: Any
) -> None:
    pilot = designate(province.viewer, province.station_a)
    login(factory(unit=province.station_a))
    assert client.get(f"/pilot/units/{pilot.id}").status_code == 404


def test_a_city_cannot_open_another_citys_pilot(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.viewer, province.station_b)
    login(province.city_a_viewer)
    assert client.get(f"/pilot/units/{pilot.id}").status_code == 404
    assert client.get(f"/pilot/units/{pilot.id}/edit").status_code == 404


def test_a_city_cannot_edit_or_withdraw_another_citys_pilot(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.viewer, province.station_b)
    login(province.city_a_viewer)
    assert client.post(f"/pilot/units/{pilot.id}/edit", data=FORM).status_code == 404
    response = client.post(f"/pilot/units/{pilot.id}/withdraw", data={"withdrawn_on": TODAY})
    assert response.status_code == 404
    db.session.refresh(pilot)
    assert pilot.is_active


def test_a_city_cannot_edit_the_provinces_designation_in_its_city(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.viewer, province.station_a)
    login(province.city_a_viewer)
    data = {**FORM, "contact_name": "刘洋"}
    assert client.post(f"/pilot/units/{pilot.id}/edit", data=data).status_code == 403
    db.session.refresh(pilot)
    assert pilot.contact_name == CONTACTS.contact_name


def test_a_city_cannot_withdraw_the_provinces_designation_in_its_city(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.viewer, province.station_a)
    login(province.city_a_viewer)
    response = client.post(f"/pilot/units/{pilot.id}/withdraw", data={"withdrawn_on": TODAY})
    assert response.status_code == 403
    db.session.refresh(pilot)
    assert pilot.is_active


def test_the_province_edits_a_citys_designation(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.city_a_viewer, province.station_a)
    login(province.viewer)
    response = client.post(f"/pilot/units/{pilot.id}/edit", data={**FORM, "contact_name": "刘洋"})
    assert response.status_code == 302


def test_a_city_cannot_change_the_stages(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.city_a_viewer)
    assert client.get("/pilot/stages").status_code == 403
    assert client.post("/pilot/stages/1/delete").status_code == 403


def test_a_city_cannot_change_its_own_designation(
    province: Province, client: FlaskClient, login: Login
) -> None:
    pilot = designate(province.viewer, province.city_a, PilotKind.AREA)
    login(province.city_a_viewer)
    assert client.get(f"/pilot/units/{pilot.id}").status_code == 200
    assert client.get(f"/pilot/units/{pilot.id}/edit").status_code == 403


def test_a_head_reads_their_own_units_record(
    province: Province, client: FlaskClient, login: Login
) -> None:
    designate(province.viewer, province.station_a)
    login(province.head_a)
    body = client.get("/pilot/mine").get_data(as_text=True)
    assert "甲社区站" in body
    assert "139****5678" in body


def test_a_head_cannot_open_another_units_record_or_change_their_own(
    province: Province, client: FlaskClient, login: Login
) -> None:
    own = designate(province.viewer, province.station_a)
    other = designate(province.viewer, province.station_b)
    login(province.head_a)
    assert client.get(f"/pilot/units/{other.id}").status_code == 404
    assert client.get(f"/pilot/units/{own.id}/edit").status_code == 403


def test_a_head_of_a_unit_that_is_no_pilot_is_told_so(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.head_a)
    assert "本单位目前不是试点单位" in client.get("/pilot/mine").get_data(as_text=True)


def test_bureaus_cannot_open_the_heads_page(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(BureauViewerFactory(unit=province.city_a))
    assert client.get("/pilot/mine").status_code == 403


# Export -----------------------------------------------------------------------------------------


def test_the_overview_exports_one_row_per_city_and_the_total(
    province: Province, client: FlaskClient, login: Login
) -> None:
    designate(province.viewer, province.centre_a)
    certify(province.station_a, 6)
    login(province.viewer)
    response = client.get("/pilot/export?format=csv")
    assert response.status_code == 200
    lines = response.get_data().decode("utf-8-sig").splitlines()
    assert lines[1].startswith("甲市民政局,1,甲街道中心,6,")
    assert lines[-1].startswith("合计：测试省民政厅,1,,6,2000,2015-12-31,")
    assert len(lines) == 4


def test_the_export_names_no_responsible_person(
    province: Province, client: FlaskClient, login: Login
) -> None:
    designate(province.viewer, province.centre_a)
    login(province.viewer)
    body = client.get("/pilot/export?format=xlsx").get_data()
    workbook = load_workbook(io.BytesIO(body))
    cells = {str(cell.value) for row in workbook.active.iter_rows() for cell in row}
    assert "甲街道中心" in cells
    assert not {CONTACTS.head_name, CONTACTS.contact_name} & cells


def test_an_unknown_export_format_is_a_bad_request(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.viewer)
    assert client.get("/pilot/export?format=pdf").status_code == 400


def test_others_cannot_export_the_overview(
    province: Province, client: FlaskClient, login: Login
) -> None:
    login(province.head_a)
    assert client.get("/pilot/export?format=csv").status_code == 403
