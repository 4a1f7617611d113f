"""A reply does not end a request: it stays open to assignment, referral and conversion until
the station closes (办结) or declines it; whoever handles it becomes its responsible worker."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.cases.enums import CaseSource, ProblemCategory, RiskLevel, ServiceDomain
from casework.cases.services import CaseDetails
from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import EventKind, HelpRequest, RequestStatus
from tests.conftest import Login
from tests.factories import HelpRequestFactory, ServiceUserFactory, StationFactory, WorkerFactory


def _answered(worker_unit_request: HelpRequest) -> HelpRequest:
    worker = WorkerFactory(unit=worker_unit_request.unit)
    services.reply(actor=worker, request=worker_unit_request, body="社工明天上午上门了解情况。")
    db.session.commit()
    return worker_unit_request


def _details() -> CaseDetails:
    return CaseDetails(
        domain=ServiceDomain.SOCIAL_AID,
        source=CaseSource.WEB,
        risk_level=RiskLevel.MEDIUM,
        summary="独居老人生活困难",
        problems=[ProblemCategory.LIVELIHOOD],
    )


def test_answered_request_can_still_be_assigned(app: Flask) -> None:
    help_request = _answered(HelpRequestFactory())
    colleague = WorkerFactory(unit=help_request.unit)
    services.assign(actor=colleague, request=help_request, worker=colleague)
    assert help_request.assigned_to_id == colleague.id
    assert help_request.status is RequestStatus.ANSWERED


def test_answered_request_can_still_be_referred_to_another_station(app: Flask) -> None:
    help_request = _answered(HelpRequestFactory())
    other = StationFactory()
    services.refer_to_unit(
        actor=help_request.assigned_to, request=help_request, unit=other, note="属地管辖"
    )
    assert (help_request.unit_id, help_request.status) == (other.id, RequestStatus.NEW)


def test_answered_request_can_still_be_converted_into_a_case(app: Flask) -> None:
    help_request = _answered(HelpRequestFactory())
    worker = help_request.assigned_to
    assert worker is not None
    person = ServiceUserFactory(unit=help_request.unit)
    case = services.convert_to_case(
        actor=worker,
        request=help_request,
        person=person,
        details=_details(),
        worker=worker,
        tutor=None,
    )
    assert (help_request.status, help_request.case_id) == (RequestStatus.CONVERTED, case.id)


def test_closing_needs_an_answer_first(app: Flask) -> None:
    help_request = HelpRequestFactory()
    worker = WorkerFactory(unit=help_request.unit)
    with pytest.raises(services.RequestRuleError, match="请先答复居民"):
        services.close(actor=worker, request=help_request, note="")
    assert help_request.status is RequestStatus.NEW


def test_a_closed_request_can_no_longer_be_converted(app: Flask) -> None:
    help_request = _answered(HelpRequestFactory())
    worker = help_request.assigned_to
    assert worker is not None
    services.close(actor=worker, request=help_request, note="")
    person = ServiceUserFactory(unit=help_request.unit)
    with pytest.raises(services.RequestRuleError, match="已办结"):
        services.convert_to_case(
            actor=worker,
            request=help_request,
            person=person,
            details=_details(),
            worker=worker,
            tutor=None,
        )


def test_close_page_action_ends_the_request_with_a_public_event(
    client: FlaskClient, login: Login
) -> None:
    help_request = _answered(HelpRequestFactory())
    worker = help_request.assigned_to
    login(worker)
    response = client.post(
        f"/requests/{help_request.id}/close", data={"close-note": "已协助办理低保申请。"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    reloaded = db.session.get(HelpRequest, help_request.id)
    assert reloaded is not None
    assert reloaded.status is RequestStatus.CLOSED
    last = reloaded.events[-1]
    assert (last.kind, last.is_public) == (EventKind.CLOSED, True)
    assert last.body == "已协助办理低保申请。"


def test_answered_request_page_still_offers_conversion_and_referral(
    client: FlaskClient, login: Login
) -> None:
    help_request = _answered(HelpRequestFactory())
    login(help_request.assigned_to)
    html = client.get(f"/requests/{help_request.id}").get_data(as_text=True)
    assert f"/requests/{help_request.id}/convert" in html
    assert 'id="refer-form"' in html
    assert 'id="close-form"' in html


def test_replying_to_an_unassigned_request_makes_the_worker_responsible(app: Flask) -> None:
    help_request = HelpRequestFactory()
    worker = WorkerFactory(unit=help_request.unit)
    services.reply(actor=worker, request=help_request, body="请明天到站面谈。")
    assert help_request.assigned_to_id == worker.id


def test_converting_an_unassigned_request_makes_the_case_worker_responsible(app: Flask) -> None:
    help_request = HelpRequestFactory()
    head = WorkerFactory(unit=help_request.unit)
    worker = WorkerFactory(unit=help_request.unit)
    services.convert_to_case(
        actor=head,
        request=help_request,
        person=ServiceUserFactory(unit=help_request.unit),
        details=_details(),
        worker=worker,
        tutor=None,
    )
    assert help_request.assigned_to_id == worker.id


def test_handling_does_not_take_over_an_assigned_request(app: Flask) -> None:
    help_request = HelpRequestFactory()
    responsible = WorkerFactory(unit=help_request.unit)
    colleague = WorkerFactory(unit=help_request.unit)
    services.assign(actor=responsible, request=help_request, worker=responsible)
    services.reply(actor=colleague, request=help_request, body="代为答复：社工明天联系您。")
    assert help_request.assigned_to_id == responsible.id
