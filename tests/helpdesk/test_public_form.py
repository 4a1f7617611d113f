"""The residents' help form at /help: no login, validation in Chinese, honeypot, CSRF."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import Channel, ContactPreference, HelpRequest, RequestCategory
from casework.helpdesk.services import CODE_ALPHABET, CODE_LENGTH
from casework.orgs.models import Unit, UnitKind
from tests.factories import BureauFactory, CentreFactory, StationFactory, StationHeadFactory

CODE_ON_PAGE = re.compile(r'id="tracking-code">\s*([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\s*<')


def _form(station: Unit, **overrides: Any) -> dict[str, Any]:
    data = {
        "station": str(station.id),
        "category": RequestCategory.LIVELIHOOD.value,
        "description": "家里老人行动不便，想申请上门探访服务",
        "name": "李桂芝",
        "phone": "138 0431 0000",
        "contact_preference": ContactPreference.PHONE.value,
        "consent": "y",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _stored_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(HelpRequest)) or 0)


def _deactivate(unit: Unit) -> None:
    unit.is_active = False
    db.session.commit()


def test_help_pages_open_without_login(client: FlaskClient) -> None:
    statuses = [client.get(path).status_code for path in ("/help", "/help/status", "/help/privacy")]
    assert statuses == [200, 200, 200]


def test_the_first_step_lists_the_areas_not_every_station(client: FlaskClient) -> None:
    first, second = StationFactory(), StationFactory()
    html = client.get("/help").get_data(as_text=True)
    for station in (first, second):
        bureau = station.parent.parent
        assert f'href="/help?area={bureau.id}">{bureau.name}</a>' in html
        assert station.name not in html
    assert '<select id="station"' not in html


def test_an_area_lists_the_streets_below_it(client: FlaskClient) -> None:
    station = StationFactory()
    other_centre = CentreFactory(parent=station.parent.parent)
    StationFactory(parent=other_centre)
    html = client.get(f"/help?area={station.parent.parent.id}").get_data(as_text=True)
    assert f'href="/help?area={station.parent.id}">{station.parent.name}</a>' in html
    assert f'href="/help?area={other_centre.id}">{other_centre.name}</a>' in html


def test_a_street_lists_its_stations_as_links_to_the_form(client: FlaskClient) -> None:
    station = StationFactory()
    neighbour = StationFactory(parent=station.parent)
    html = client.get(f"/help?area={station.parent.id}").get_data(as_text=True)
    for unit in (station, neighbour):
        assert f'href="/help?station={unit.id}">{unit.name}</a>' in html


def test_a_level_with_a_single_area_is_skipped(client: FlaskClient, station: Unit) -> None:
    html = client.get("/help").get_data(as_text=True)
    assert f'href="/help?station={station.id}">{station.name}</a>' in html
    assert f'aria-current="page">{station.parent.name}</li>' in html


def test_an_area_shows_how_many_stations_lie_below_it(client: FlaskClient) -> None:
    station = StationFactory()
    StationFactory.create_batch(2, parent=station.parent)
    StationFactory()
    html = client.get("/help").get_data(as_text=True)
    bureau_link = html.index(f"?area={station.parent.parent.id}")
    assert html.index("3 个社工站", bureau_link) < html.index("</li>", bureau_link)


def test_a_station_is_found_by_part_of_its_name(client: FlaskClient) -> None:
    StationFactory(name="湖西社区社会工作服务站")
    StationFactory(name="东岭社区社会工作服务站")
    html = client.get("/help?q=湖西").get_data(as_text=True)
    assert "湖西社区社会工作服务站" in html
    assert "东岭社区社会工作服务站" not in html


def test_the_stations_of_a_street_are_found_by_the_streets_name(client: FlaskClient) -> None:
    centre = CentreFactory(name="红旗街道社会工作服务中心")
    station = StationFactory(parent=centre)
    html = client.get("/help?q=红旗街道").get_data(as_text=True)
    assert f'href="/help?station={station.id}">{station.name}</a>' in html


def test_institution_under_a_bureau_is_offered_beside_its_streets(client: FlaskClient) -> None:
    bureau = BureauFactory()
    CentreFactory(parent=bureau)
    home = StationFactory(kind=UnitKind.INSTITUTION, name="测试社会福利院", parent=bureau)
    StationFactory()
    html = client.get(f"/help?area={bureau.id}").get_data(as_text=True)
    assert f'href="/help?station={home.id}">测试社会福利院</a>' in html


def test_inactive_station_is_not_offered(client: FlaskClient) -> None:
    closed = StationFactory(name="已撤销社区社会工作服务站")
    StationFactory(parent=closed.parent)
    _deactivate(closed)
    by_area = client.get(f"/help?area={closed.parent.id}").get_data(as_text=True)
    by_name = client.get("/help?q=已撤销").get_data(as_text=True)
    assert f"?station={closed.id}" not in by_area + by_name


def test_station_under_an_inactive_centre_is_not_offered(client: FlaskClient) -> None:
    centre = CentreFactory()
    hidden = StationFactory(parent=centre, name="撤销中心下的社工站")
    _deactivate(centre)
    assert f"?station={hidden.id}" not in client.get("/help?q=撤销中心").get_data(as_text=True)


def test_request_to_an_inactive_station_is_refused(client: FlaskClient) -> None:
    closed = StationFactory()
    _deactivate(closed)
    response = client.post("/help", data=_form(closed))
    assert response.status_code == 422
    assert "请从列表中选择社工站" in response.get_data(as_text=True)
    assert _stored_count() == 0


def test_station_in_the_address_preselects_it_and_shows_its_notice_board(
    client: FlaskClient, station: Unit
) -> None:
    head = StationHeadFactory(unit=station)
    services.save_profile(
        actor=head,
        unit=station,
        details=services.ProfileDetails(
            opening_hours="周一至周五 8:30–17:00",
            hotline="0431-8888 1234",
            address="湖西路 88 号",
            services="独居老人探访",
            acknowledge_within_days=1,
            answer_within_days=5,
        ),
    )
    db.session.commit()
    html = client.get(f"/help?station={station.id}").get_data(as_text=True)
    assert f'<input type="hidden" name="station" value="{station.id}">' in html
    assert 'href="tel:0431-88881234"' in html
    assert "周一至周五 8:30–17:00" in html
    assert "湖西路 88 号" in html
    assert "独居老人探访" in html


def test_the_second_step_names_the_chosen_station_instead_of_listing_all(
    client: FlaskClient, station: Unit
) -> None:
    other = StationFactory(name="远方社区社会工作服务站")
    html = client.get(f"/help?station={station.id}").get_data(as_text=True)
    chosen = html[html.index('id="chosen-station"') :]
    assert station.name in chosen[: chosen.index("</p>")]
    assert 'href="/help">更换社工站</a>' in chosen
    assert other.name not in html
    assert "<optgroup" not in html


def test_a_posted_station_that_is_not_offered_keeps_the_input_and_lists_all(
    client: FlaskClient, station: Unit
) -> None:
    response = client.post("/help", data={**_form(station), "station": "999999"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<option value="{station.id}">{station.name}</option>' in html
    assert ">家里老人行动不便，想申请上门探访服务</textarea>" in html
    assert _stored_count() == 0


def test_unknown_station_in_the_address_asks_to_choose_again(client: FlaskClient) -> None:
    response = client.get("/help?station=999999")
    assert response.status_code == 200
    assert "请选择您所在社区的社工站。" in response.get_data(as_text=True)


def test_submission_stores_the_request_and_redirects_without_the_code(
    client: FlaskClient, station: Unit
) -> None:
    response = client.post("/help", data=_form(station))
    stored = db.session.scalars(select(HelpRequest)).one()
    assert response.status_code == 303
    assert response.headers["Location"] == "/help/submitted"
    assert len(stored.tracking_code) == CODE_LENGTH
    assert set(stored.tracking_code) <= set(CODE_ALPHABET)
    assert stored.tracking_code not in response.headers["Location"]
    assert (stored.unit_id, stored.channel, stored.name) == (station.id, Channel.WEB, "李桂芝")
    assert stored.consent_at is not None


def test_submitted_page_shows_the_formatted_code_once(client: FlaskClient, station: Unit) -> None:
    client.post("/help", data=_form(station))
    first = client.get("/help/submitted")
    code = db.session.scalars(select(HelpRequest.tracking_code)).one()
    match = CODE_ON_PAGE.search(first.get_data(as_text=True))
    assert match is not None
    assert match.group(1) == services.format_tracking_code(code)
    assert first.headers["Cache-Control"] == "no-store"


def test_reloading_the_submitted_page_explains_instead_of_showing_the_code(
    client: FlaskClient, station: Unit
) -> None:
    client.post("/help", data=_form(station))
    client.get("/help/submitted")
    again = client.get("/help/submitted").get_data(as_text=True)
    assert CODE_ON_PAGE.search(again) is None
    assert "查询码只在提交后显示一次" in again


def test_validation_errors_answer_422_and_keep_the_input(
    client: FlaskClient, station: Unit
) -> None:
    response = client.post("/help", data=_form(station, description="太短了"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请至少写 10 个字" in html
    assert ">太短了</textarea>" in html
    assert 'value="李桂芝"' in html
    assert 'value="138 0431 0000"' in html
    assert f'<input type="hidden" name="station" value="{station.id}">' in html
    assert _stored_count() == 0


def test_description_longer_than_2000_characters_is_refused_with_its_length(
    client: FlaskClient, station: Unit
) -> None:
    response = client.post("/help", data=_form(station, description="字" * 2001))
    assert response.status_code == 422
    assert "最多 2000 个字，您现在写了 2001 个字" in response.get_data(as_text=True)


def test_consent_is_required(client: FlaskClient, station: Unit) -> None:
    response = client.post("/help", data=_form(station, consent=None))
    assert response.status_code == 422
    assert "请阅读个人信息保护说明，并勾选同意后再提交。" in response.get_data(as_text=True)
    assert _stored_count() == 0


def test_phone_is_required_when_phone_contact_is_chosen(client: FlaskClient, station: Unit) -> None:
    response = client.post(
        "/help", data=_form(station, phone="", contact_preference=ContactPreference.SMS.value)
    )
    assert response.status_code == 422
    assert "您选择了电话或短信联系，请填写联系电话" in response.get_data(as_text=True)
    assert _stored_count() == 0


def test_phone_with_too_few_digits_is_refused(client: FlaskClient, station: Unit) -> None:
    response = client.post("/help", data=_form(station, phone="12-34"))
    assert response.status_code == 422
    assert "请填写 7 到 20 位数字的电话号码。" in response.get_data(as_text=True)


def test_phone_with_letters_is_refused(client: FlaskClient, station: Unit) -> None:
    response = client.post("/help", data=_form(station, phone="1380431abcd"))
    assert response.status_code == 422
    assert "电话号码只能包含数字" in response.get_data(as_text=True)


def test_anonymous_request_without_name_or_phone_is_accepted(
    client: FlaskClient, station: Unit
) -> None:
    response = client.post(
        "/help",
        data=_form(
            station, name="", phone="", contact_preference=ContactPreference.ONLINE_ONLY.value
        ),
    )
    stored = db.session.scalars(select(HelpRequest)).one()
    assert response.status_code == 303
    assert (stored.name, stored.phone) == (None, None)


def test_contact_preference_is_required(client: FlaskClient, station: Unit) -> None:
    response = client.post("/help", data=_form(station, contact_preference=None))
    assert response.status_code == 422
    assert "请选择希望的联系方式。" in response.get_data(as_text=True)


def test_filled_honeypot_stores_nothing_but_looks_like_success(
    client: FlaskClient, station: Unit
) -> None:
    response = client.post("/help", data=_form(station, website="http://spam.example"))
    page = client.get("/help/submitted").get_data(as_text=True)
    assert response.status_code == 303
    assert response.headers["Location"] == "/help/submitted"
    assert CODE_ON_PAGE.search(page) is not None
    assert _stored_count() == 0


def test_honeypot_field_is_hidden_from_people(client: FlaskClient, station: Unit) -> None:
    html = client.get(f"/help?station={station.id}").get_data(as_text=True)
    assert '<div class="help-honeypot" aria-hidden="true">' in html
    assert 'name="website" value="" tabindex="-1" autocomplete="off"' in html


def test_post_without_csrf_token_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        station = StationFactory()
        data = _form(station)
    response = app.test_client().post("/help", data=data)
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)


def test_post_with_csrf_token_from_the_form_is_accepted(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        station = StationFactory()
        data = _form(station)
    client = app.test_client()
    html = client.get(f"/help?station={station.id}").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match is not None
    response = client.post("/help", data=data | {"csrf_token": match.group(1)})
    assert response.status_code == 303


def test_privacy_notice_says_what_why_who_how_long_and_how_to_delete(
    client: FlaskClient,
) -> None:
    html = client.get("/help/privacy").get_data(as_text=True)
    for heading in ("收集哪些信息", "为什么收集", "谁能看到", "保存多久", "您的权利"):
        assert heading in html
    assert "保存 3 年" in html
    assert "删除" in html


def test_form_links_the_privacy_notice_next_to_the_consent(
    client: FlaskClient, station: Unit
) -> None:
    html = client.get(f"/help?station={station.id}").get_data(as_text=True)
    consent = html.index('id="consent"')
    assert html.index('href="/help/privacy"', consent) < html.index("</label>", consent)


def test_a_submission_reads_only_its_station_not_the_whole_unit_tree(
    client: FlaskClient, station: Unit
) -> None:
    StationFactory.create_batch(3, parent=station.parent)
    unit_reads: list[str] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if re.search(r"\bFROM units\b", statement):
            unit_reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        response = client.post("/help", data=_form(station))
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert response.status_code == 303
    assert unit_reads
    assert all(re.search(r"\bWHERE units\.id (=|IN)", statement) for statement in unit_reads)


def test_a_station_id_that_is_not_a_number_asks_to_choose_again(client: FlaskClient) -> None:
    response = client.get("/help?station=1%20OR%201")
    assert response.status_code == 200
    assert "请选择您所在社区的社工站。" in response.get_data(as_text=True)


def test_the_error_summary_is_read_once_and_every_link_finds_its_field(
    client: FlaskClient, station: Unit
) -> None:
    html = client.post(
        "/help", data=_form(station, description="", category="", consent=None)
    ).get_data(as_text=True)
    summary = re.search(
        r'<div class="alert alert-danger"[^>]*id="error-summary".*?</div>', html, re.S
    )
    assert summary is not None
    assert "role=" not in summary.group(0).split(">", 1)[0]  # the focus reads it out
    targets = re.findall(r'href="#([^"]+)"', summary.group(0))
    assert len(targets) >= 3
    for target in targets:
        assert f'id="{target}"' in html, target
