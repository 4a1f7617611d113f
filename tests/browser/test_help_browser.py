"""A resident asks for help on a phone, then reads the station's reply with the code."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import HelpRequest
from tests.factories import StationFactory, WorkerFactory

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360
REPLY = "您好，社工明天上午十点上门了解情况，请保持电话畅通。"


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    yield context.new_page()
    context.close()


def _scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _answer(make_app: Callable[..., Flask], code: str) -> None:
    """The station acknowledges and replies, as its worker would on the staff side."""
    with make_app().app_context():
        request = db.session.scalars(
            select(HelpRequest).where(HelpRequest.tracking_code == code)
        ).one()
        worker = WorkerFactory(unit=request.unit)
        services.acknowledge(actor=worker, request=request)
        services.reply(actor=worker, request=request, body=REPLY)
        db.session.commit()


def test_resident_submits_on_a_phone_and_reads_the_reply(
    make_app: Callable[..., Flask], live_server: Callable[..., str], phone: Any
) -> None:
    with make_app().app_context():
        station_name = StationFactory(name="湖西社区社会工作服务站").name
    base = live_server()

    phone.goto(base + "/help")
    assert _scroll_width(phone) <= PHONE_WIDTH
    with phone.expect_navigation():
        phone.click(f"#stations >> text={station_name}")
    assert station_name in phone.locator("#board-title").inner_text()
    phone.select_option("#category", label="生活困难/救助")
    phone.fill("#description", "家里老人行动不便，想申请社工上门探访。")
    phone.check("input[name=contact_preference][value=online_only]")
    phone.check("#consent")
    assert _scroll_width(phone) <= PHONE_WIDTH
    phone.click("button:has-text('提交求助')")
    phone.wait_for_url(base + "/help/submitted")

    shown = phone.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", shown)
    _answer(make_app, services.normalise_tracking_code(shown))

    phone.click("text=去查询进度")
    phone.wait_for_url(base + "/help/status")
    phone.fill("#code", shown.lower().replace("-", " "))
    with phone.expect_navigation():
        phone.click("button:has-text('查询')")
    assert phone.locator("#request-status").inner_text() == "已答复"
    assert REPLY in phone.locator("#events-title + ol").inner_text()
    assert _scroll_width(phone) <= PHONE_WIDTH


def test_wrong_code_shows_the_clear_message_on_a_phone(
    live_server: Callable[..., str], phone: Any
) -> None:
    base = live_server()
    phone.goto(base + "/help/status")
    phone.fill("#code", "ABCD-EFGH-JKMN")
    with phone.expect_navigation():
        phone.click("button:has-text('查询')")
    assert phone.locator("#not-found").inner_text().startswith("未找到该查询码")
    assert phone.input_value("#code") == "ABCD-EFGH-JKMN"
    assert _scroll_width(phone) <= PHONE_WIDTH
