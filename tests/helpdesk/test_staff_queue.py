"""The triage queue at /requests/: scope, order, filters, masking, deadline highlighting."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from casework.accounts.models import User
from casework.core.clock import local_timezone, local_today, working_days_before
from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import (
    Channel,
    ContactPreference,
    HelpRequest,
    RequestCategory,
    RequestStatus,
)
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    HelpRequestFactory,
    StationFactory,
    TutorFactory,
    WorkerFactory,
)


def _submitted_working_days_ago(help_request: HelpRequest, days: int) -> HelpRequest:
    day = working_days_before(local_today(), days)
    moment = datetime.combine(day, time(10, 0), tzinfo=local_timezone()).astimezone(UTC)
    help_request.submitted_at = moment
    db.session.commit()
    return help_request


def _log(worker: User, channel: Channel, description: str) -> HelpRequest:
    help_request = services.log_request(
        actor=worker,
        unit=worker.unit,
        channel=channel,
        details=services.RequestDetails(
            category=RequestCategory.OTHER,
            description=description,
            name="王大爷",
            phone=None,
            contact_preference=ContactPreference.VISIT,
        ),
        consent_given=True,
    )
    db.session.commit()
    return help_request


def _queue(client: FlaskClient, query: str = "") -> str:
    response = client.get("/requests/" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_queue_lists_only_the_users_units(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    HelpRequestFactory(unit=worker.unit, description="本站居民的求助")
    HelpRequestFactory(unit=StationFactory(), description="别的站居民的求助")
    login(worker)
    html = _queue(client)
    assert "本站居民的求助" in html
    assert "别的站居民的求助" not in html


def test_tutor_sees_the_queues_of_supervised_units(client: FlaskClient, login: Login) -> None:
    first, second = StationFactory(), StationFactory()
    HelpRequestFactory(unit=first, description="第一站的求助")
    HelpRequestFactory(unit=second, description="第二站的求助")
    HelpRequestFactory(unit=StationFactory(), description="未督导站点的求助")
    login(TutorFactory(supervised_units=[first, second]))
    html = _queue(client)
    assert "第一站的求助" in html
    assert "第二站的求助" in html
    assert "未督导站点的求助" not in html


@pytest.mark.parametrize("make_user", [BureauViewerFactory, AdminFactory])
def test_users_without_casework_scope_get_403_on_the_queue(
    client: FlaskClient, login: Login, make_user: type
) -> None:
    login(make_user())
    assert client.get("/requests/").status_code == 403


def test_queue_is_oldest_first(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    newer = HelpRequestFactory(unit=worker.unit, description="昨天提交的求助")
    older = HelpRequestFactory(unit=worker.unit, description="三天前提交的求助")
    _submitted_working_days_ago(newer, 1)
    _submitted_working_days_ago(older, 3)
    login(worker)
    html = _queue(client)
    assert html.index("三天前提交的求助") < html.index("昨天提交的求助")


def test_queue_shows_requests_not_yet_ended_unless_all_are_asked_for(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    HelpRequestFactory(unit=worker.unit, description="还在等待的求助")
    answered = HelpRequestFactory(unit=worker.unit, description="已经答复的求助")
    services.reply(actor=worker, request=answered, body="已电话答复")
    closed = HelpRequestFactory(unit=worker.unit, description="已经办结的求助")
    services.reply(actor=worker, request=closed, body="已电话答复")
    services.close(actor=worker, request=closed, note="")
    db.session.commit()
    login(worker)
    default = _queue(client)
    everything = _queue(client, "?status=all")
    assert "还在等待的求助" in default
    assert "已经答复的求助" in default
    assert "已经办结的求助" not in default
    assert "已经办结的求助" in everything


def test_queue_filters_by_status(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    HelpRequestFactory(unit=worker.unit, description="新提交的求助")
    acknowledged = HelpRequestFactory(unit=worker.unit, description="已受理的求助")
    services.acknowledge(actor=worker, request=acknowledged)
    db.session.commit()
    login(worker)
    html = _queue(client, f"?status={RequestStatus.ACKNOWLEDGED.value}")
    assert "已受理的求助" in html
    assert "新提交的求助" not in html


def test_queue_filters_by_category(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    HelpRequestFactory(unit=worker.unit, category=RequestCategory.EDUCATION, description="孩子厌学")
    HelpRequestFactory(
        unit=worker.unit, category=RequestCategory.LIVELIHOOD, description="家里断粮了"
    )
    login(worker)
    html = _queue(client, "?category=education")
    assert "孩子厌学" in html
    assert "家里断粮了" not in html


def test_queue_filters_by_channel(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    HelpRequestFactory(unit=worker.unit, description="网上提交的求助")
    _log(worker, Channel.HOTLINE, "热线来电的求助")
    login(worker)
    html = _queue(client, "?channel=hotline")
    assert "热线来电的求助" in html
    assert "网上提交的求助" not in html


def test_queue_masks_the_phone_and_shows_anonymous_requesters(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    HelpRequestFactory(unit=worker.unit, name=None, phone="13804319876")
    login(worker)
    html = _queue(client)
    assert "138****9876" in html
    assert "13804319876" not in html
    assert "匿名" in html


def test_queue_shows_only_the_beginning_of_the_description(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    beginning = "甲" * 40
    HelpRequestFactory(unit=worker.unit, description=beginning + "后面不应出现在列表里")
    login(worker)
    html = _queue(client)
    assert beginning + "…" in html
    assert "后面不应出现在列表里" not in html


def test_request_past_the_acknowledge_limit_is_highlighted(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    late = _submitted_working_days_ago(HelpRequestFactory(unit=worker.unit), 3)
    login(worker)
    html = _queue(client)
    assert f'<tr id="request-{late.id}" class="table-danger">' in html
    assert "逾期未受理" in html
    assert "逾期未答复" not in html


def test_request_past_the_answer_limit_is_highlighted(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    late = HelpRequestFactory(unit=worker.unit)
    services.acknowledge(actor=worker, request=late)
    _submitted_working_days_ago(late, 6)
    login(worker)
    html = _queue(client)
    assert f'<tr id="request-{late.id}" class="table-danger">' in html
    assert "逾期未答复" in html


def test_request_within_its_limits_is_not_highlighted(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    fresh = HelpRequestFactory(unit=worker.unit)
    login(worker)
    html = _queue(client)
    assert f'<tr id="request-{fresh.id}">' in html
    assert "逾期" not in html


def test_queue_uses_the_units_own_limits(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    services.save_profile(
        actor=worker,
        unit=worker.unit,
        details=services.ProfileDetails(
            opening_hours="",
            hotline="",
            address="",
            services="",
            acknowledge_within_days=5,
            answer_within_days=10,
        ),
    )
    _submitted_working_days_ago(HelpRequestFactory(unit=worker.unit), 3)
    login(worker)
    assert "逾期" not in _queue(client)


def _statements_for_queue(client: FlaskClient) -> int:
    count = 0

    def counter(*_args: object) -> None:
        nonlocal count
        count += 1

    with client.application.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        _queue(client)
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


def test_queue_does_not_query_per_row(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    other_worker = WorkerFactory(unit=worker.unit)
    first = HelpRequestFactory(unit=worker.unit)
    services.assign(actor=worker, request=first, worker=worker)
    db.session.commit()
    login(worker)
    one_row = _statements_for_queue(client)
    assert one_row > 0
    for _ in range(4):
        extra = HelpRequestFactory(unit=worker.unit)
        services.assign(actor=worker, request=extra, worker=other_worker)
    db.session.commit()
    assert _statements_for_queue(client) == one_row


def test_tutor_queue_names_the_unit_of_each_request(client: FlaskClient, login: Login) -> None:
    first, second = StationFactory(), StationFactory()
    HelpRequestFactory(unit=first)
    login(TutorFactory(supervised_units=[first, second]))
    assert first.name in _queue(client)
