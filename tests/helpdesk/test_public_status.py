"""The status page at /help/status: public events only, never anything about the person."""

from __future__ import annotations

from flask.testing import FlaskClient

from casework.cases import services as case_services
from casework.cases.enums import CaseSource, ProblemCategory, RiskLevel, ServiceDomain
from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import HelpRequest
from casework.orgs.models import Unit
from tests.factories import (
    HelpRequestFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    WorkerFactory,
)

NOT_FOUND = "未找到该查询码对应的求助。请核对查询码"


def _look_up(client: FlaskClient, code: str) -> tuple[int, str]:
    response = client.post("/help/status", data={"code": code})
    return response.status_code, response.get_data(as_text=True)


def _answered_request(station: Unit) -> HelpRequest:
    request = HelpRequestFactory(
        unit=station,
        name="李桂芝",
        phone="13804310000",
        description="丈夫酒后打人，不敢让邻居知道",
    )
    worker = WorkerFactory(unit=station, display_name="赵晓梅")
    services.assign(actor=worker, request=request, worker=worker)
    services.add_note(actor=worker, request=request, body="内部备注：需评估家暴风险")
    services.reply(actor=worker, request=request, body="已联系妇联，社工明天上午与您见面。")
    db.session.commit()
    return request


def test_status_shows_the_public_reply_and_the_answered_status(
    client: FlaskClient, station: Unit
) -> None:
    request = _answered_request(station)
    status, html = _look_up(client, request.tracking_code)
    assert status == 200
    assert '<span class="badge text-bg-primary fs-6" id="request-status">已答复</span>' in html
    assert "已联系妇联，社工明天上午与您见面。" in html
    assert request.category.label in html
    assert station.name in html


def test_status_never_shows_personal_data_notes_or_staff_names(
    client: FlaskClient, station: Unit
) -> None:
    request = _answered_request(station)
    _status, html = _look_up(client, request.tracking_code)
    for secret in (
        "李桂芝",
        "13804310000",
        "138****0000",
        "丈夫酒后打人",
        "内部备注",
        "赵晓梅",
    ):
        assert secret not in html


def test_public_events_are_listed_in_order(client: FlaskClient, station: Unit) -> None:
    request = _answered_request(station)
    _status, html = _look_up(client, request.tracking_code)
    events = html[html.index('id="events-title"') :]
    positions = [events.index(label) for label in ("提交求助", "受理", "答复", "已联系妇联")]
    assert positions == sorted(positions)


def test_code_is_accepted_in_lower_case_with_spaces_and_hyphens(
    client: FlaskClient, station: Unit
) -> None:
    code = HelpRequestFactory(unit=station).tracking_code
    typed = f" {code[:4].lower()} {code[4:8].lower()}-{code[8:]} "
    status, html = _look_up(client, typed)
    assert status == 200
    assert "新提交" in html


def test_wrong_code_answers_404_with_a_clear_message_and_keeps_the_input(
    client: FlaskClient,
) -> None:
    status, html = _look_up(client, "abcd-efgh-jkmn")
    assert status == 404
    assert NOT_FOUND in html
    assert 'value="abcd-efgh-jkmn"' in html


def test_empty_code_asks_for_one(client: FlaskClient) -> None:
    status, html = _look_up(client, "  ")
    assert status == 422
    assert "请输入查询码。" in html


def test_code_in_the_address_is_not_looked_up(client: FlaskClient, station: Unit) -> None:
    code = HelpRequestFactory(unit=station).tracking_code
    html = client.get(f"/help/status?code={code}").get_data(as_text=True)
    assert "新提交" not in html


def test_status_page_is_not_cached(client: FlaskClient, station: Unit) -> None:
    code = HelpRequestFactory(unit=station).tracking_code
    response = client.post("/help/status", data={"code": code})
    assert response.headers["Cache-Control"] == "no-store"


def test_decline_reason_is_shown(client: FlaskClient, station: Unit) -> None:
    request = HelpRequestFactory(unit=station)
    services.decline(
        actor=WorkerFactory(unit=station), request=request, reason="不属于本社区，请联系户籍地"
    )
    db.session.commit()
    _status, html = _look_up(client, request.tracking_code)
    assert "不予受理" in html
    assert "不属于本社区，请联系户籍地" in html


def test_referral_shows_the_new_station_its_hotline_and_the_note(
    client: FlaskClient, station: Unit
) -> None:
    request = HelpRequestFactory(unit=station)
    other = StationFactory(name="西解放社区社会工作服务站")
    services.save_profile(
        actor=StationHeadFactory(unit=other),
        unit=other,
        details=services.ProfileDetails(
            opening_hours="",
            hotline="0431-8765 4321",
            address="",
            services="",
            acknowledge_within_days=1,
            answer_within_days=5,
        ),
    )
    services.refer_to_unit(
        actor=WorkerFactory(unit=station), request=request, unit=other, note="您住在西解放社区"
    )
    db.session.commit()
    _status, html = _look_up(client, request.tracking_code)
    assert "转至西解放社区社会工作服务站" in html
    assert "您住在西解放社区" in html
    assert 'href="tel:0431-87654321"' in html


def test_conversion_to_a_case_shows_the_public_note(client: FlaskClient, station: Unit) -> None:
    request = HelpRequestFactory(unit=station)
    worker = WorkerFactory(unit=station)
    services.convert_to_case(
        actor=worker,
        request=request,
        person=ServiceUserFactory(unit=station, name="李桂芝"),
        details=case_services.CaseDetails(
            domain=ServiceDomain.SOCIAL_AID,
            source=CaseSource.WEB,
            risk_level=RiskLevel.LOW,
            summary="独居老人生活困难",
            problems=[ProblemCategory.LIVELIHOOD],
        ),
        worker=worker,
        tutor=None,
    )
    db.session.commit()
    _status, html = _look_up(client, request.tracking_code)
    assert "已转为个案" in html
    assert "社工已为您建立个案，将与您联系。" in html
    assert "李桂芝" not in html
