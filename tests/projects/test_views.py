"""The pages: the issue's scenario, kept input on refusals, the PDF and the exports."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from casework.cases.enums import CaseStatus
from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from casework.helpdesk import services as helpdesk_services
from casework.orgs.models import Unit, UnitKind
from casework.projects import services
from casework.projects.models import (
    Agency,
    DeliverableKind,
    FundSource,
    Project,
    ProjectEvaluation,
)
from casework.projects.queries import YearResult
from tests.conftest import Login
from tests.factories import (
    AgencyFactory,
    BureauFactory,
    CaseFactory,
    CentreFactory,
    CertificateFactory,
    HelpRequestFactory,
    ProjectFactory,
    ServiceUserFactory,
    StationFactory,
    WorkerFactory,
    WorkerProfileFactory,
    advance_case,
)
from tests.projects.conftest import Setting

SCHEME = [("机构管理", 20), ("专业服务", 40), ("服务成效", 25), ("财务管理", 15)]


def _agency_form(**overrides: str) -> dict[str, str]:
    return {
        "unit": "0",
        "unit_name": "长春市春晖社会工作服务中心",
        "unit_code": "AG-CHUNHUI",
        "credit_code": "91350100M000100Y43",
        "registration_authority": "长春市民政局",
        "legal_representative": "李华",
        "founded_on": "2016-04-01",
        "qualification": "4a",
    } | overrides


def _project_form(setting: Setting, agency: Agency, **overrides: str) -> dict[str, object]:
    today = local_today()
    return {
        "name": "湖西社区社会工作服务项目",
        "purchaser": str(setting.bureau.id),
        "agency": str(agency.id),
        "units": [str(setting.station.id)],
        "contract_number": "CCMZ-2026-018",
        "starts_on": (today - timedelta(days=30)).isoformat(),
        "ends_on": (today + timedelta(days=334)).isoformat(),
        "budget": "300000.00",
    } | overrides


def _row(page: str, kind: str) -> str:
    start = page.index(f'data-deliverable="{kind}"')
    return page[start : page.index("</tr>", start)]


def _actual(page: str, kind: str) -> str:
    row = _row(page, kind)
    start = row.index("data-actual>") + len("data-actual>")
    return row[start : row.index("</td>", start)].strip()


def test_the_issue_scenario(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    refused = client.post(
        "/projects/agencies/new", data=_agency_form(credit_code="91350100M000100Y44")
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "统一社会信用代码不正确" in page
    assert 'value="91350100M000100Y44"' in page
    accepted = client.post(
        "/projects/agencies/new", data=_agency_form(parent=str(setting.bureau.id))
    )
    assert accepted.status_code == 302
    agency = db.session.scalars(
        select(Agency).where(Agency.credit_code == "91350100M000100Y43")
    ).one()

    assert client.post("/projects/new", data=_project_form(setting, agency)).status_code == 302
    project = db.session.scalars(select(Project)).one()
    assert project.budget_fen == 30_000_000
    targets = {
        "target_cases_opened": "20",
        "target_cases_closed": "10",
        "target_service_hours": "100",
    }
    assert client.post(f"/projects/{project.id}/targets", data=targets).status_code == 302
    for source, amount in (("fiscal", "200000.00"), ("donation", "12345.67")):
        fund = {"source": source, "amount": amount, "received_on": local_today().isoformat()}
        assert client.post(f"/projects/{project.id}/funds", data=fund).status_code == 302
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "212,345.67" in page
    assert _actual(page, "cases_closed") == "0"

    case = CaseFactory(service_user=ServiceUserFactory(unit=setting.station), worker=setting.worker)
    advance_case(case, CaseStatus.CLOSED, tutor=setting.tutor)

    client.post("/logout")
    login(setting.head)
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert _actual(page, "cases_opened") == "1"
    assert _actual(page, "cases_closed") == "1"
    assert _actual(page, "service_hours") == "1"
    assert "10%" in _row(page, "cases_closed")


def test_a_bureau_sees_small_counts_suppressed(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(
        agency=setting.agency,
        units=[setting.station],
        targets={DeliverableKind.CASES_OPENED: Decimal(10)},
    )
    CaseFactory(service_user=ServiceUserFactory(unit=setting.station), worker=setting.worker)
    login(setting.viewer)
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert _actual(page, "cases_opened") == "&lt;5"


def test_a_project_ending_before_it_starts_keeps_the_input(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    data = _project_form(setting, setting.agency, ends_on="2020-01-01")
    response = client.post("/projects/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "合同结束日期不能早于开始日期" in page
    assert "CCMZ-2026-018" in page
    assert db.session.scalars(select(Project)).first() is None


def test_control_characters_are_refused(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    response = client.post(
        "/projects/new", data=_project_form(setting, setting.agency, name="湖西\x00项目")
    )
    assert response.status_code == 422
    assert "控制字符" in response.get_data(as_text=True)


def test_a_date_out_of_range_is_refused(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    response = client.post("/projects/agencies/new", data=_agency_form(founded_on="1800-01-01"))
    assert response.status_code == 422
    assert "1900" in response.get_data(as_text=True)


def test_an_amount_with_three_decimals_is_refused(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    login(setting.viewer)
    response = client.post(
        f"/projects/{project.id}/funds",
        data={"source": "fiscal", "amount": "10.005", "received_on": local_today().isoformat()},
    )
    assert response.status_code == 422
    assert "两位小数" in response.get_data(as_text=True)
    assert project.funds == []


def test_weights_not_summing_to_100_are_refused_with_the_input_kept(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    data = {
        "rows-0-name": "机构管理",
        "rows-0-weight": "60",
        "rows-1-name": "专业服务",
        "rows-1-weight": "30",
    }
    response = client.post("/projects/indicators", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "权重之和须为 100" in page
    assert 'value="机构管理"' in page


def test_a_huge_id_is_not_found(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    assert client.get("/projects/99999999999999999999").status_code == 404
    assert client.get("/projects/agencies/99999999999999999999").status_code == 404


def test_an_evaluation_gives_a_weighted_total_and_a_pdf(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    indicators = services.set_indicators(
        actor=setting.viewer, bureau=setting.bureau, indicators=SCHEME
    )
    project = ProjectFactory(agency=setting.agency, units=[setting.station])
    db.session.commit()
    login(setting.viewer)
    data = {
        "evaluator": "吉林省社会工作评估中心",
        "evaluated_on": local_today().isoformat(),
        "report": "项目执行规范，服务成效明显。",
    } | {
        f"score_{item.id}": score
        for item, score in zip(indicators, ("90", "85", "80", "70"), strict=True)
    }
    response = client.post(f"/projects/{project.id}/evaluations/new", data=data)
    assert response.status_code == 302
    evaluation = db.session.scalars(select(ProjectEvaluation)).one()
    assert str(evaluation.total) == "82.5"
    pdf = client.get(f"/projects/evaluations/{evaluation.id}/pdf")
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "服务项目评估报告" in text
    assert "82.5" in text
    assert "专业服务" in text
    entries = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "evaluation.pdf")
    )
    assert entries.all() == ["evaluation.pdf"]


def test_the_agency_page_shows_staff_and_results_by_year(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    for _index in range(6):
        CertificateFactory(profile=WorkerProfileFactory(unit=setting.agency.unit))
    WorkerProfileFactory(unit=setting.agency.unit)
    project = ProjectFactory(agency=setting.agency, units=[setting.station])
    indicators = services.set_indicators(
        actor=setting.viewer, bureau=setting.bureau, indicators=[("综合", 100)]
    )
    for year in (2025, 2026):
        services.record_evaluation(
            actor=setting.viewer,
            project=project,
            evaluator="评估中心",
            evaluated_on=local_today().replace(year=year, month=6, day=30),
            report="",
            scores={indicators[0].id: Decimal(80 + year - 2025)},
        )
    db.session.commit()
    login(setting.viewer)
    page = client.get(f"/projects/agencies/{setting.agency.id}").get_data(as_text=True)
    assert 'data-figure="workforce.workers">7<' in page
    assert 'data-figure="workforce.certified">6<' in page
    assert "湖西社区社会工作服务站" in page
    assert 'data-year="2026"' in page
    assert 'data-year="2025"' in page


def test_project_exports_hold_each_deliverable(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    ProjectFactory(
        agency=setting.agency,
        units=[setting.station],
        name="湖西社区社会工作服务项目",
        targets={DeliverableKind.GROUPS: Decimal(4)},
    )
    login(setting.viewer)
    csv = client.get("/projects/export.csv")
    assert csv.status_code == 200
    assert "湖西社区社会工作服务项目" in csv.data.decode("utf-8-sig")
    xlsx = client.get("/projects/agencies/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet is not None
    assert sheet.cell(2, 2).value == setting.agency.credit_code
    assert client.get("/projects/export.pdf").status_code == 400


def test_editing_an_agency_with_a_wrong_code_keeps_the_old_one(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    old_code = setting.agency.credit_code
    login(setting.viewer)
    form = client.get(f"/projects/agencies/{setting.agency.id}/edit")
    assert old_code in form.get_data(as_text=True)
    response = client.post(
        f"/projects/agencies/{setting.agency.id}/edit",
        data={
            "credit_code": "91350100M000100Y44",
            "registration_authority": "吉林省民政厅",
            "legal_representative": "王明",
            "founded_on": "2015-03-01",
            "qualification": "5a",
        },
    )
    assert response.status_code == 422
    assert "吉林省民政厅" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Agency, setting.agency.id).credit_code == old_code  # type: ignore[union-attr]


def test_a_milestone_is_recorded_on_the_project_page(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    login(setting.viewer)
    response = client.post(
        f"/projects/{project.id}/milestones",
        data={
            "kind": "mid_term",
            "held_on": local_today().isoformat(),
            "score": "86.5",
            "findings": "台账完整，服务成效初显。",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "中期评估" in page
    assert "台账完整，服务成效初显。" in page


def test_a_fund_is_removed_from_its_own_project_only(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    other = ProjectFactory(agency=setting.agency)
    fund = services.add_fund(
        actor=setting.viewer,
        project=other,
        source=FundSource.FISCAL,
        amount_fen=100,
        received_on=local_today(),
    )
    db.session.commit()
    login(setting.viewer)
    assert client.post(f"/projects/{project.id}/funds/{fund.id}/remove").status_code == 404
    assert client.post(f"/projects/{other.id}/funds/{fund.id}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, other.id).funds == []  # type: ignore[union-attr]


def test_the_project_page_links_the_evidence_pack_of_each_station(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency, units=[setting.station])
    login(setting.viewer)
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f"/evidence/?unit={setting.station.id}&amp;start={project.starts_on}" in page
    form = client.get(f"/evidence/?unit={setting.station.id}").get_data(as_text=True)
    assert f'<option selected value="{setting.station.id}">' in form


def test_a_number_that_is_not_a_number_is_refused(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    login(setting.viewer)
    for value in ("sNaN", "NaN", "Infinity"):
        response = client.post(
            f"/projects/{project.id}/funds",
            data={"source": "fiscal", "amount": value, "received_on": local_today().isoformat()},
        )
        assert response.status_code == 422, value
    response = client.post(f"/projects/{project.id}/targets", data={"target_groups": "sNaN"})
    assert response.status_code == 422
    assert "请填写数字" in response.get_data(as_text=True)


def test_a_response_time_from_few_requests_is_hidden_from_the_bureau(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(
        agency=setting.agency,
        units=[setting.station],
        targets={DeliverableKind.RESPONSE_HOURS: Decimal(24)},
    )
    request = HelpRequestFactory(unit=setting.station)
    helpdesk_services.acknowledge(actor=setting.worker, request=request)
    db.session.commit()
    login(setting.viewer)
    bureau_page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert _actual(bureau_page, "response_hours") == "—"
    assert "已达标" not in _row(bureau_page, "response_hours")
    client.post("/logout")
    login(setting.head)
    head_page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert _actual(head_page, "response_hours") == "0"
    assert "已达标" in _row(head_page, "response_hours")


def test_a_wrong_credit_code_is_named_beside_the_other_missing_fields(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    response = client.post(
        "/projects/agencies/new",
        data=_agency_form(credit_code="91350100M000100Y44", legal_representative=""),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "统一社会信用代码不正确" in page
    assert page.count("invalid-feedback") >= 2


def test_the_list_totals_each_agencys_budgets_and_funds(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    for budget in (10_000_000, 20_000_050):
        project = ProjectFactory(agency=setting.agency, budget_fen=budget)
        services.add_fund(
            actor=setting.viewer,
            project=project,
            source=FundSource.SELF_RAISED,
            amount_fen=budget // 2,
            received_on=local_today(),
        )
    db.session.commit()
    login(setting.viewer)
    page = client.get("/projects/").get_data(as_text=True)
    assert "300,000.50" in page
    assert "150,000.25" in page


def test_an_export_is_audited(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    assert client.get("/projects/agencies/export.csv").status_code == 200
    details = db.session.scalars(
        select(AuditEntry.details).where(AuditEntry.action == "export.projects")
    ).one()
    assert details == {"list": "agencies", "format": "csv"}


def _two_stations_project(setting: Setting) -> Project:
    """A project covering 湖西 and a second station where the only case was opened."""
    other = StationFactory(parent=setting.station.parent, name="湖东社区社会工作服务站")
    project = ProjectFactory(
        agency=setting.agency,
        units=[setting.station, other],
        name="两站服务项目",
        targets={DeliverableKind.CASES_OPENED: Decimal(10)},
    )
    CaseFactory(
        service_user=ServiceUserFactory(unit=other),
        worker=WorkerFactory(unit=other),
    )
    return project


def test_a_head_of_one_covered_station_sees_another_stations_small_count_suppressed(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = _two_stations_project(setting)
    login(setting.head)
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert _actual(page, "cases_opened") == "&lt;5"


def test_a_head_of_one_covered_station_exports_another_stations_small_count_suppressed(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    _two_stations_project(setting)
    login(setting.head)
    csv = client.get("/projects/export.csv").data.decode("utf-8-sig")
    row = next(line for line in csv.splitlines() if "两站服务项目" in line)
    assert "<5" in row
    assert ",1," not in row


def test_a_covered_station_outside_the_purchasers_subtree_is_refused(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    county_a = BureauFactory(kind=UnitKind.COUNTY_BUREAU, parent=setting.bureau)
    county_b = BureauFactory(kind=UnitKind.COUNTY_BUREAU, parent=setting.bureau)
    station_b = StationFactory(parent=CentreFactory(parent=county_b), name="乙县站点")
    db.session.commit()
    login(setting.viewer)
    response = client.post(
        "/projects/new",
        data=_project_form(
            setting, setting.agency, purchaser=str(county_a.id), units=[str(station_b.id)]
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "服务站点须在购买方辖区内" in page
    assert "乙县站点" in page
    assert 'value="CCMZ-2026-018"' in page
    assert db.session.scalars(select(Project)).all() == []


def test_a_contract_number_taken_meanwhile_is_refused_with_the_input_kept(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    ProjectFactory(agency=setting.agency, contract_number="CCMZ-2026-018")
    login(setting.viewer)
    # The race: the other project is stored after the check has looked.
    monkeypatch.setattr(services, "contract_number_holder", lambda number: None)
    response = client.post(
        "/projects/new", data=_project_form(setting, setting.agency, name="另一个项目")
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "该合同编号已被另一个项目使用" in page
    assert 'value="另一个项目"' in page
    assert len(db.session.scalars(select(Project)).all()) == 1


def test_a_station_chosen_twice_is_covered_once(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    data = _project_form(setting, setting.agency, units=[str(setting.station.id)] * 2)
    assert client.post("/projects/new", data=data).status_code == 302
    project = db.session.scalars(select(Project)).one()
    assert [unit.id for unit in project.units] == [setting.station.id]


def test_more_than_eight_indicators_are_refused_not_dropped(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    login(setting.viewer)
    data: dict[str, str] = {}
    for index, weight in enumerate((10, 10, 10, 10, 10, 10, 10, 10, 20)):
        data |= {f"rows-{index}-name": f"指标{index + 1}", f"rows-{index}-weight": str(weight)}
    response = client.post("/projects/indicators", data=data)
    assert response.status_code == 422
    assert "评估指标最多 8 项" in response.get_data(as_text=True)
    assert services.active_indicators(setting.bureau) == []


def test_a_years_average_rounds_half_up() -> None:
    evaluations = [
        ProjectEvaluation(total=Decimal("80.0")),
        ProjectEvaluation(total=Decimal("80.1")),
    ]
    assert YearResult(2026, evaluations).average == Decimal("80.1")


def test_an_evaluation_without_a_scheme_is_refused_with_a_message(
    app: Flask, client: FlaskClient, login: Login, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    login(setting.viewer)
    response = client.post(
        f"/projects/{project.id}/evaluations/new",
        data={"evaluator": "评估中心", "evaluated_on": local_today().isoformat()},
    )
    assert response.status_code == 422
    assert "请先设置评估指标和权重" in response.get_data(as_text=True)
    assert db.session.scalars(select(ProjectEvaluation)).first() is None


def test_a_credit_code_registered_meanwhile_is_refused_with_the_input_kept(
    app: Flask, client: FlaskClient, login: Login, setting: Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    AgencyFactory(bureau=setting.bureau, credit_code="91350100M000100Y43")
    login(setting.viewer)
    # The race: the other agency is stored after the check has looked.
    monkeypatch.setattr(services, "credit_code_holder", lambda code: None)
    response = client.post(
        "/projects/agencies/new", data=_agency_form(parent=str(setting.bureau.id))
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "该统一社会信用代码已登记为另一家机构" in page
    assert 'value="AG-CHUNHUI"' in page
    assert db.session.scalars(select(Unit).where(Unit.code == "AG-CHUNHUI")).first() is None
    assert len(db.session.scalars(select(Agency)).all()) == 2
