"""The annual assessment: the head completes it, the worker signs it off, then it is fixed."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from casework.cases import records as case_records
from casework.cases.enums import CaseStatus, ServiceForm
from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from casework.worker_reports import services
from casework.worker_reports.models import AnnualAssessment, AssessmentGrade, AssessmentStatus
from tests.conftest import Login
from tests.factories import CaseFactory, ServiceUserFactory, advance_case
from tests.worker_reports.conftest import Team

YEAR = local_today().year


def _url(team: Team, year: int = YEAR) -> str:
    return f"/workers/{team.worker.id}/assessments/{year}"


def _judgement(**overrides: object) -> dict[str, str]:
    data = {
        "grade": "excellent",
        "strengths": "个案记录及时、完整",
        "improvements": "加强小组工作技巧",
        "comments": "全年工作认真负责",
        "complete": "完成考核",
    }
    data.update({key: str(value) for key, value in overrides.items()})
    return data


def _assessment(team: Team) -> AnnualAssessment | None:
    db.session.expire_all()
    return db.session.scalar(
        select(AnnualAssessment).where(AnnualAssessment.worker_id == team.worker.id)
    )


def _completed(team: Team) -> AnnualAssessment:
    assessment = services.save_assessment(
        actor=team.head,
        worker=team.worker,
        year=YEAR,
        judgement=services.Judgement(AssessmentGrade.COMPETENT, "认真", "加强记录", "合格"),
        complete=True,
    )
    db.session.commit()
    return assessment


def _with_records(team: Team) -> None:
    today = local_today()
    case = advance_case(
        CaseFactory(
            worker=team.worker,
            service_user=ServiceUserFactory(unit=team.station),
            opened_on=today - timedelta(days=3),
        ),
        CaseStatus.INTERVENTION,
        tutor=team.tutor,
    )
    for days_ago in (0, 1, 2):
        case_records.add_service_record(
            actor=team.worker,
            case=case,
            served_on=today - timedelta(days=days_ago),
            form=ServiceForm.PHONE,
            duration_minutes=30,
            content="电话了解近况",
            response="",
            next_step="",
        )
    db.session.commit()


def test_the_head_sees_the_years_figures_filled_in(
    team: Team, client: FlaskClient, login: Login
) -> None:
    _with_records(team)
    login(team.head)
    page = client.get(_url(team)).get_data(as_text=True)
    assert 'id="assessment-form"' in page
    assert 'data-key="records"' in page
    assert page.split('<tr data-key="records">')[1].split("</tr>")[0].count('data-value="3"')


def test_the_head_completes_the_assessment_with_the_figures_kept(
    team: Team, client: FlaskClient, login: Login
) -> None:
    _with_records(team)
    login(team.head)
    response = client.post(_url(team), data=_judgement())
    assert response.status_code == 302
    assessment = _assessment(team)
    assert assessment is not None
    assert assessment.status is AssessmentStatus.COMPLETED
    assert assessment.grade is AssessmentGrade.EXCELLENT
    assert assessment.figures["records"] == 3
    assert assessment.assessor_id == team.head.id


def test_a_draft_keeps_no_figures_and_is_hidden_from_the_worker(
    team: Team, client: FlaskClient, login: Login
) -> None:
    login(team.head)
    client.post(_url(team), data=_judgement(complete="", save="保存草稿"))
    assessment = _assessment(team)
    assert assessment is not None
    assert assessment.status is AssessmentStatus.DRAFT
    client.post("/logout")
    login(team.worker)
    page = client.get(_url(team)).get_data(as_text=True)
    assert 'id="not-yet"' in page
    assert "全年工作认真负责" not in page


def test_completing_without_a_grade_is_refused(
    team: Team, client: FlaskClient, login: Login
) -> None:
    login(team.head)
    response = client.post(_url(team), data=_judgement(grade=""))
    assert response.status_code == 422
    assert "请选择考核等次" in response.get_data(as_text=True)
    assert _assessment(team) is None


def test_the_worker_signs_the_completed_assessment_off(
    team: Team, client: FlaskClient, login: Login
) -> None:
    _completed(team)
    login(team.worker)
    page = client.get(_url(team)).get_data(as_text=True)
    assert 'id="sign-form"' in page
    response = client.post(_url(team) + "/sign", data={"agrees": "yes", "comment": ""})
    assert response.status_code == 302
    assessment = _assessment(team)
    assert assessment is not None
    assert assessment.status is AssessmentStatus.SIGNED
    assert assessment.worker_agrees is True


def test_the_worker_may_record_disagreement(team: Team, client: FlaskClient, login: Login) -> None:
    _completed(team)
    login(team.worker)
    client.post(_url(team) + "/sign", data={"agrees": "no", "comment": "培训学时未计入"})
    assessment = _assessment(team)
    assert assessment is not None
    assert (assessment.worker_agrees, assessment.worker_comment) == (False, "培训学时未计入")


def test_a_draft_cannot_be_signed(team: Team, client: FlaskClient, login: Login) -> None:
    services.save_assessment(
        actor=team.head,
        worker=team.worker,
        year=YEAR,
        judgement=services.Judgement(None, "", "", ""),
        complete=False,
    )
    db.session.commit()
    login(team.worker)
    assert client.post(_url(team) + "/sign", data={"agrees": "yes"}).status_code == 404


def test_a_signed_assessment_cannot_be_changed_by_the_head(
    team: Team, client: FlaskClient, login: Login
) -> None:
    assessment = _completed(team)
    services.sign_assessment(actor=team.worker, assessment=assessment, agrees=True, comment="")
    db.session.commit()
    login(team.head)
    assert 'id="assessment-form"' not in client.get(_url(team)).get_data(as_text=True)
    response = client.post(_url(team), data=_judgement(grade="not_competent"))
    assert response.status_code == 422
    assert "不能再修改" in response.get_data(as_text=True)
    assessment = _assessment(team)
    assert assessment is not None
    assert assessment.grade is AssessmentGrade.COMPETENT


def test_a_signed_assessment_cannot_be_signed_again(team: Team) -> None:
    assessment = _completed(team)
    services.sign_assessment(actor=team.worker, assessment=assessment, agrees=True, comment="")
    db.session.commit()
    with pytest.raises(services.AssessmentRuleError) as refused:
        services.sign_assessment(actor=team.worker, assessment=assessment, agrees=False, comment="")
    assert refused.value.code == "signed"


@pytest.mark.parametrize("who", ["worker", "tutor"])
def test_only_the_head_fills_the_assessment_in(
    team: Team, client: FlaskClient, login: Login, who: str
) -> None:
    login(getattr(team, who))
    assert client.post(_url(team), data=_judgement()).status_code == 403
    assert _assessment(team) is None


@pytest.mark.parametrize("who", ["head", "tutor"])
def test_only_the_worker_signs(team: Team, client: FlaskClient, login: Login, who: str) -> None:
    _completed(team)
    login(getattr(team, who))
    assert client.post(_url(team) + "/sign", data={"agrees": "yes"}).status_code == 403


@pytest.mark.parametrize(
    "who", ["colleague", "other_worker", "other_head", "other_tutor", "viewer", "admin"]
)
def test_nobody_else_reaches_the_assessment(
    team: Team, client: FlaskClient, login: Login, who: str
) -> None:
    _completed(team)
    login(getattr(team, who))
    assert client.get(_url(team)).status_code == 404
    assert client.post(_url(team), data=_judgement()).status_code == 404
    assert client.post(_url(team) + "/sign", data={"agrees": "yes"}).status_code == 404
    assert client.get(_url(team) + ".pdf").status_code == 404


def test_the_tutor_reads_the_completed_assessment(
    team: Team, client: FlaskClient, login: Login
) -> None:
    _completed(team)
    login(team.tutor)
    page = client.get(_url(team)).get_data(as_text=True)
    assert "加强记录" in page
    assert 'id="assessment-form"' not in page


def test_a_year_out_of_range_is_not_found(team: Team, client: FlaskClient, login: Login) -> None:
    login(team.head)
    assert client.get(_url(team, 1800)).status_code == 404


def test_each_change_is_audited(team: Team) -> None:
    assessment = _completed(team)
    services.sign_assessment(actor=team.worker, assessment=assessment, agrees=True, comment="")
    db.session.commit()
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(
            AuditEntry.object_type == "annual_assessments", AuditEntry.object_id == assessment.id
        )
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["assessment.complete", "assessment.sign"]


def test_the_pdf_holds_the_figures_grade_and_both_signatures(
    team: Team, client: FlaskClient, login: Login
) -> None:
    _with_records(team)
    assessment = _completed(team)
    services.sign_assessment(actor=team.worker, assessment=assessment, agrees=True, comment="")
    db.session.commit()
    login(team.worker)
    response = client.get(_url(team) + ".pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    content = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    squeezed = "".join(content.split())
    assert "服务记录3" in squeezed
    assert "合格" in squeezed
    assert "王芳" in squeezed
    assert "李红梅" in squeezed
    assert team.station.name in squeezed
    audited = db.session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "assessment.export_pdf")
    )
    assert audited is not None


def test_a_draft_has_no_pdf(team: Team, client: FlaskClient, login: Login) -> None:
    services.save_assessment(
        actor=team.head,
        worker=team.worker,
        year=YEAR,
        judgement=services.Judgement(None, "", "", ""),
        complete=False,
    )
    db.session.commit()
    login(team.head)
    assert client.get(_url(team) + ".pdf").status_code == 404


def test_the_demo_has_worker1s_assessment_of_last_year_awaiting_her_sign_off(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(DEMO=True)
    result = app.test_cli_runner().invoke(args=["casework", "seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assessment = db.session.scalar(select(AnnualAssessment))
        assert assessment is not None
        assert assessment.worker.username == "worker1"
        assert assessment.year == YEAR - 1
        assert assessment.status is AssessmentStatus.COMPLETED
