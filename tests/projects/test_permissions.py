"""Who may see and change agencies, projects and evaluations: every refusal is tested."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import UnitKind
from casework.projects import services
from casework.projects.models import Project
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    AgencyFactory,
    BureauFactory,
    BureauViewerFactory,
    CentreFactory,
    ProjectFactory,
    StationFactory,
    StationHeadFactory,
    WorkerFactory,
)
from tests.projects.conftest import Setting

Make = Callable[[Setting], Any]

OUTSIDERS: dict[str, Make] = {
    "worker of the covered station": lambda s: s.worker,
    "tutor of the covered station": lambda s: s.tutor,
    "head of another station": lambda s: StationHeadFactory(
        unit=StationFactory(parent=s.station.parent)
    ),
    "viewer of another bureau": lambda s: BureauViewerFactory(),
    "administrator": lambda s: AdminFactory(unit=s.bureau),
}

READERS: dict[str, Make] = {
    "purchasing bureau": lambda s: s.viewer,
    "head of the covered station": lambda s: s.head,
    "head of the agency": lambda s: StationHeadFactory(unit=s.agency.unit),
    "worker of the agency": lambda s: WorkerFactory(unit=s.agency.unit),
}


@pytest.fixture
def project(setting: Setting) -> Project:
    return ProjectFactory(agency=setting.agency, units=[setting.station])


def _evaluation(setting: Setting, project: Project) -> int:
    indicators = services.set_indicators(
        actor=setting.viewer, bureau=setting.bureau, indicators=[("综合", 100)]
    )
    evaluation = services.record_evaluation(
        actor=setting.viewer,
        project=project,
        evaluator="评估中心",
        evaluated_on=local_today(),
        report="",
        scores={indicators[0].id: Decimal(88)},
    )
    db.session.commit()
    return evaluation.id


@pytest.mark.parametrize("who", READERS)
def test_readers_open_the_project(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, project: Project, who: str
) -> None:
    login(READERS[who](setting))
    assert client.get(f"/projects/{project.id}").status_code == 200


@pytest.mark.parametrize("who", OUTSIDERS)
def test_others_do_not_find_the_project(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, project: Project, who: str
) -> None:
    login(OUTSIDERS[who](setting))
    assert client.get(f"/projects/{project.id}").status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_others_do_not_find_the_evaluation_or_its_pdf(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, project: Project, who: str
) -> None:
    evaluation_id = _evaluation(setting, project)
    login(OUTSIDERS[who](setting))
    assert client.get(f"/projects/evaluations/{evaluation_id}").status_code == 404
    assert client.get(f"/projects/evaluations/{evaluation_id}/pdf").status_code == 404


@pytest.mark.parametrize("who", ["head of the covered station", "head of the agency"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/projects/{id}/edit"),
        ("get", "/projects/{id}/targets"),
        ("get", "/projects/{id}/evaluations/new"),
        ("post", "/projects/{id}/funds"),
        ("post", "/projects/{id}/milestones"),
    ],
)
def test_readers_may_not_change_the_project(
    app: Flask,
    client: FlaskClient,
    login: Login,
    setting: Setting,
    project: Project,
    who: str,
    method: str,
    path: str,
) -> None:
    login(READERS[who](setting))
    response = getattr(client, method)(path.format(id=project.id))
    assert response.status_code == 403


def test_another_bureau_does_not_find_the_edit_page(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, project: Project
) -> None:
    login(BureauViewerFactory())
    assert client.get(f"/projects/{project.id}/edit").status_code == 404


@pytest.mark.parametrize("who", ["worker", "head", "tutor", "administrator"])
@pytest.mark.parametrize(
    "path", ["/projects/new", "/projects/agencies/new", "/projects/indicators"]
)
def test_only_bureaus_create(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, who: str, path: str
) -> None:
    users = {
        "worker": setting.worker,
        "head": setting.head,
        "tutor": setting.tutor,
        "administrator": AdminFactory(unit=setting.bureau),
    }
    login(users[who])
    assert client.get(path).status_code == 403


@pytest.mark.parametrize(
    "who", ["head of the covered station", "worker of the covered station", "administrator"]
)
def test_the_agency_page_is_for_its_bureau_and_staff(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, project: Project, who: str
) -> None:
    login((READERS | OUTSIDERS)[who](setting))
    assert client.get(f"/projects/agencies/{setting.agency.id}").status_code == 404


def test_the_agency_head_opens_their_agency_but_may_not_edit_it(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(StationHeadFactory(unit=setting.agency.unit))
    assert client.get(f"/projects/agencies/{setting.agency.id}").status_code == 200
    assert client.get(f"/projects/agencies/{setting.agency.id}/edit").status_code == 403


@pytest.mark.parametrize("who", ["tutor of the covered station", "administrator"])
def test_the_list_and_exports_are_refused_to_tutors_and_administrators(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, who: str
) -> None:
    login(OUTSIDERS[who](setting))
    assert client.get("/projects/").status_code == 403
    assert client.get("/projects/export.csv").status_code == 403
    assert client.get("/projects/agencies/export.csv").status_code == 403


def test_a_station_worker_exports_no_project_of_another_unit(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, project: Project
) -> None:
    login(setting.worker)
    body = client.get("/projects/export.csv").data.decode("utf-8-sig")
    assert project.contract_number not in body


def test_the_menu_shows_projects_to_bureaus_and_heads_only(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.worker)
    assert 'href="/projects/"' not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(setting.head)
    assert 'href="/projects/"' in client.get("/").get_data(as_text=True)


def test_a_pending_viewer_manages_nothing(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, project: Project
) -> None:
    viewer = BureauViewerFactory(unit=setting.bureau, is_pending_confirmation=True)
    login(viewer)
    assert client.get(f"/projects/{project.id}").status_code == 403
    assert client.get("/projects/new").status_code == 403


def test_a_county_buys_from_an_agency_registered_with_its_city(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    county = BureauFactory(kind=UnitKind.COUNTY_BUREAU, parent=setting.bureau)
    station = StationFactory(parent=CentreFactory(parent=county))
    login(BureauViewerFactory(unit=county))
    assert client.get(f"/projects/agencies/{setting.agency.id}").status_code == 200
    assert client.get(f"/projects/agencies/{setting.agency.id}/edit").status_code == 403
    today = local_today()
    response = client.post(
        "/projects/new",
        data={
            "name": "区级社会工作服务项目",
            "purchaser": str(county.id),
            "agency": str(setting.agency.id),
            "units": [str(station.id)],
            "contract_number": "QMZ-2026-001",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=364)).isoformat(),
            "budget": "100000",
        },
    )
    assert response.status_code == 302


def test_a_county_does_not_see_an_agency_registered_with_a_sibling_county(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    county = BureauFactory(kind=UnitKind.COUNTY_BUREAU, parent=setting.bureau)
    other_county = BureauFactory(kind=UnitKind.COUNTY_BUREAU, parent=setting.bureau)
    agency = AgencyFactory(bureau=other_county)
    login(BureauViewerFactory(unit=county))
    assert client.get(f"/projects/agencies/{agency.id}").status_code == 404


def _city_and_county_contracts(setting: Setting) -> Any:
    """The city's evaluated contract with its agency and a county's own contract with it;
    returns the county's viewer."""
    county = BureauFactory(kind=UnitKind.COUNTY_BUREAU, parent=setting.bureau)
    ProjectFactory(
        agency=setting.agency,
        units=[setting.station],
        name="市级保密服务项目",
        budget_fen=98_765_400,
    )
    city_project = db.session.query(Project).filter_by(name="市级保密服务项目").one()
    indicators = services.set_indicators(
        actor=setting.viewer, bureau=setting.bureau, indicators=[("综合", 100)]
    )
    services.record_evaluation(
        actor=setting.viewer,
        project=city_project,
        evaluator="评估中心",
        evaluated_on=local_today(),
        report="",
        scores={indicators[0].id: Decimal("87.5")},
    )
    county_viewer = BureauViewerFactory(unit=county)
    services.create_project(
        actor=county_viewer,
        details=services.ProjectDetails(
            name="区级服务项目",
            purchaser=county,
            agency=setting.agency,
            units=[StationFactory(parent=CentreFactory(parent=county), name="区级站点")],
            contract_number="QMZ-2026-001",
            starts_on=local_today(),
            ends_on=local_today() + timedelta(days=364),
            budget_fen=12_300_000,
        ),
    )
    db.session.commit()
    return county_viewer


def test_a_county_does_not_see_the_citys_contracts_on_the_agency_page(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(_city_and_county_contracts(setting))
    page = client.get(f"/projects/agencies/{setting.agency.id}").get_data(as_text=True)
    assert "区级服务项目" in page
    assert "区级站点" in page
    assert "市级保密服务项目" not in page
    assert "987,654.00" not in page
    assert setting.station.name not in page
    assert "87.5" not in page


def test_a_county_does_not_count_the_citys_contracts_in_the_agency_list(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(_city_and_county_contracts(setting))
    page = client.get("/projects/").get_data(as_text=True)
    assert "123,000.00" in page
    assert "987,654.00" not in page
    assert "1,110,654.00" not in page


def test_a_county_does_not_export_the_citys_contracts_with_an_agency(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(_city_and_county_contracts(setting))
    csv = client.get("/projects/agencies/export.csv").get_data(as_text=True)
    row = next(line for line in csv.splitlines() if setting.agency.name in line)
    assert "123,000.00" in row
    assert "987,654.00" not in row
    assert "1,110,654.00" not in row
    assert "87.5" not in row
