"""The attendance screen on a phone: big touch targets, no sideways scrolling, one save."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask

from casework.core.clock import local_timezone, local_today
from casework.extensions import db
from casework.groups import services
from tests.factories import PASSWORD, ServiceUserFactory, WorkerFactory, running_group

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": PHONE_WIDTH, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


def _held_session_with_three_members(app: Flask) -> tuple[int, int]:
    with app.app_context():
        facilitator = WorkerFactory(username="wangfang", display_name="王芳")
        group = running_group(members=0, unit=facilitator.unit, facilitator=facilitator)
        for name in ("张秀英", "李建国", "赵淑珍"):
            services.add_member(
                actor=facilitator,
                group=group,
                person=ServiceUserFactory(unit=group.unit, name=name),
                joined_on=local_today() - timedelta(days=14),
            )
        starts = datetime.combine(local_today() - timedelta(days=1), time(14, 30), local_timezone())
        session = services.schedule_session(
            actor=facilitator,
            group=group,
            plan=services.SessionPlan(
                starts_at=starts.astimezone(UTC),
                duration_minutes=90,
                place="社区活动室",
                topic="分享生活",
                planned_content="",
            ),
        )
        db.session.commit()
        return group.id, session.id


def _tap_mark(page: Any, name: str, label: str) -> None:
    page.locator("fieldset", has_text=name).get_by_text(label, exact=True).tap()


def test_facilitator_takes_attendance_on_a_phone(
    make_app: Callable[..., Flask], live_server: Callable[..., str], phone: Any
) -> None:
    group_id, session_id = _held_session_with_three_members(make_app())
    base = live_server()

    phone.goto(base + "/login")
    phone.fill("#username", "wangfang")
    phone.fill("#password", PASSWORD)
    phone.locator("main button[type=submit]").tap()
    phone.wait_for_url(base + "/")

    phone.goto(f"{base}/groups/{group_id}/sessions/{session_id}/attendance")
    _tap_mark(phone, "张秀英", "出席")
    _tap_mark(phone, "李建国", "缺席")
    _tap_mark(phone, "赵淑珍", "请假")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert phone.locator("input[value=absent]:checked").count() == 1

    phone.get_by_role("button", name="保存点名").tap()
    phone.wait_for_selector(".alert-success")
    assert phone.url.startswith(f"{base}/groups/{group_id}/sessions/{session_id}")
    assert phone.locator("#count-present").inner_text() == "1"
    assert phone.locator("#count-absent").inner_text() == "1"
    assert phone.locator("#count-excused").inner_text() == "1"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
