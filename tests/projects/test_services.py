"""Agencies, projects and evaluations: the rules their services enforce."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import insert, select

from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import UnitKind
from casework.projects import services
from casework.projects.models import (
    Deliverable,
    DeliverableKind,
    EvaluationIndicator,
    FundSource,
    Project,
    QualificationLevel,
)
from tests.factories import BureauFactory, ProjectFactory, UnitFactory, credit_code_for
from tests.projects.conftest import Setting

SCHEME = [("机构管理", 20), ("专业服务", 40), ("服务成效", 25), ("财务管理", 15)]


def _details(code: str) -> services.AgencyDetails:
    return services.AgencyDetails(
        credit_code=code,
        registration_authority="长春市民政局",
        legal_representative="李华",
        founded_on=date(2018, 5, 1),
        qualification=QualificationLevel.A4,
    )


def _project_details(setting: Setting, **overrides: object) -> services.ProjectDetails:
    fields: dict[str, object] = {
        "name": "湖西社区社会工作服务项目",
        "purchaser": setting.bureau,
        "agency": setting.agency,
        "units": [setting.station],
        "contract_number": "CCMZ-2026-001",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "budget_fen": 30_000_000,
    }
    return services.ProjectDetails(**(fields | overrides))  # type: ignore[arg-type]


def test_an_agency_gets_a_new_agency_unit_under_its_bureau(app: Flask, setting: Setting) -> None:
    agency = services.create_agency(
        actor=setting.viewer,
        details=_details(credit_code_for(9001)),
        new_unit_parent=setting.bureau,
        new_unit_name="长春市春晖社会工作服务中心",
        new_unit_code="AG-CH",
    )
    assert agency.unit.kind.value == "agency"
    assert agency.unit.parent_id == setting.bureau.id


def test_a_wrong_credit_code_is_refused(app: Flask, setting: Setting) -> None:
    with pytest.raises(services.ProjectRuleError) as refused:
        services.create_agency(
            actor=setting.viewer,
            details=_details("91350100M000100Y44"),
            new_unit_parent=setting.bureau,
            new_unit_name="某机构",
            new_unit_code="AG-X",
        )
    assert refused.value.code == "credit_code"


def test_a_credit_code_is_registered_once(app: Flask, setting: Setting) -> None:
    with pytest.raises(services.ProjectRuleError) as refused:
        services.create_agency(
            actor=setting.viewer,
            details=_details(setting.agency.credit_code),
            new_unit_parent=setting.bureau,
            new_unit_name="某机构",
            new_unit_code="AG-Y",
        )
    assert refused.value.code == "credit_code_taken"


def test_an_existing_agency_unit_is_linked_not_duplicated(app: Flask, setting: Setting) -> None:
    unit = UnitFactory(kind=UnitKind.AGENCY, parent=setting.bureau, name="已有机构")
    agency = services.create_agency(
        actor=setting.viewer, details=_details(credit_code_for(9002)), unit=unit
    )
    assert agency.unit_id == unit.id


def test_a_contract_ending_before_it_starts_is_refused(app: Flask, setting: Setting) -> None:
    with pytest.raises(services.ProjectRuleError) as refused:
        services.create_project(
            actor=setting.viewer,
            details=_project_details(setting, ends_on=date(2025, 12, 31)),
        )
    assert refused.value.code == "period"


def test_a_contract_number_belongs_to_one_project(app: Flask, setting: Setting) -> None:
    services.create_project(actor=setting.viewer, details=_project_details(setting))
    with pytest.raises(services.ProjectRuleError) as refused:
        services.create_project(actor=setting.viewer, details=_project_details(setting))
    assert refused.value.code == "contract_number"


def test_funds_from_several_sources_add_up_in_fen(app: Flask, setting: Setting) -> None:
    project = services.create_project(actor=setting.viewer, details=_project_details(setting))
    services.add_fund(
        actor=setting.viewer,
        project=project,
        source=FundSource.FISCAL,
        amount_fen=20_000_000,
        received_on=date(2026, 1, 15),
    )
    services.add_fund(
        actor=setting.viewer,
        project=project,
        source=FundSource.DONATION,
        amount_fen=1_234_56,
        received_on=date(2026, 2, 1),
    )
    db.session.commit()
    assert db.session.get(Project, project.id).funds_received_fen == 20_123_456  # type: ignore[union-attr]


def test_targets_replace_the_previous_ones(app: Flask, setting: Setting) -> None:
    project = ProjectFactory(agency=setting.agency, targets={DeliverableKind.GROUPS: Decimal(4)})
    services.set_targets(
        actor=setting.viewer, project=project, targets={DeliverableKind.CASES_OPENED: Decimal(30)}
    )
    assert [(item.kind, item.target) for item in project.deliverables] == [
        (DeliverableKind.CASES_OPENED, Decimal(30))
    ]


def test_weights_must_sum_to_100(app: Flask, setting: Setting) -> None:
    with pytest.raises(services.ProjectRuleError) as refused:
        services.set_indicators(
            actor=setting.viewer,
            bureau=setting.bureau,
            indicators=[("机构管理", 50), ("专业服务", 40)],
        )
    assert refused.value.code == "weights"


def test_a_new_scheme_keeps_the_old_indicators_inactive(app: Flask, setting: Setting) -> None:
    services.set_indicators(actor=setting.viewer, bureau=setting.bureau, indicators=SCHEME)
    services.set_indicators(actor=setting.viewer, bureau=setting.bureau, indicators=[("综合", 100)])
    rows = db.session.scalars(select(EvaluationIndicator)).all()
    assert sorted((row.name, row.is_active) for row in rows)[0] == ("专业服务", False)
    assert [item.name for item in services.active_indicators(setting.bureau)] == ["综合"]


def test_a_county_uses_its_city_scheme_when_it_has_none(app: Flask, setting: Setting) -> None:
    services.set_indicators(actor=setting.viewer, bureau=setting.bureau, indicators=SCHEME)
    county = BureauFactory(kind=UnitKind.COUNTY_BUREAU, parent=setting.bureau, name="朝阳区民政局")
    assert [item.name for item in services.active_indicators(county)] == [n for n, _w in SCHEME]


def test_an_evaluation_weights_each_score(app: Flask, setting: Setting) -> None:
    indicators = services.set_indicators(
        actor=setting.viewer, bureau=setting.bureau, indicators=SCHEME
    )
    project = ProjectFactory(agency=setting.agency)
    scores = dict(
        zip([item.id for item in indicators], map(Decimal, ("90", "85", "80", "70")), strict=True)
    )
    evaluation = services.record_evaluation(
        actor=setting.viewer,
        project=project,
        evaluator="吉林省社会工作评估中心",
        evaluated_on=local_today(),
        report="项目执行良好。",
        scores=scores,
    )
    # 90×0.20 + 85×0.40 + 80×0.25 + 70×0.15 = 18 + 34 + 20 + 10.5
    assert evaluation.total == Decimal("82.5")
    action = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.object_type == "project_evaluations", AuditEntry.object_id == evaluation.id
        )
    ).first()
    assert action == "evaluation.create"


def test_an_evaluation_needs_a_score_for_every_indicator(app: Flask, setting: Setting) -> None:
    indicators = services.set_indicators(
        actor=setting.viewer, bureau=setting.bureau, indicators=SCHEME
    )
    project = ProjectFactory(agency=setting.agency)
    with pytest.raises(services.ProjectRuleError) as refused:
        services.record_evaluation(
            actor=setting.viewer,
            project=project,
            evaluator="评估中心",
            evaluated_on=local_today() - timedelta(days=1),
            report="",
            scores={indicators[0].id: Decimal(90)},
        )
    assert refused.value.code == "scores"


def test_a_deliverable_added_meanwhile_refuses_the_targets_not_the_request(
    app: Flask, setting: Setting
) -> None:
    project = ProjectFactory(agency=setting.agency)
    assert project.deliverables == []
    # The race: another request stores the same kind after this one has read the list.
    db.session.execute(
        insert(Deliverable).values(
            project_id=project.id, kind=DeliverableKind.GROUPS, target=Decimal(5)
        )
    )
    with pytest.raises(services.ProjectRuleError) as refused:
        services.set_targets(
            actor=setting.viewer, project=project, targets={DeliverableKind.GROUPS: Decimal(4)}
        )
    assert refused.value.code == "targets_changed"
