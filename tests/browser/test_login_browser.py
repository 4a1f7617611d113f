"""A social worker signs in with a real browser and sees the Chinese home page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from casework.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _seed_demo(make_app: Callable[..., Flask]) -> None:
    result = make_app(DEMO=True).test_cli_runner().invoke(args=["casework", "seed-demo"])
    assert result.exit_code == 0, result.output


def test_worker_signs_in_and_sees_chinese_home_page(
    make_app: Callable[..., Flask], live_server: Callable[..., str], page: Any
) -> None:
    _seed_demo(make_app)
    base = live_server(DEMO=True)
    page.goto(base + "/")
    page.fill("#username", "worker1")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "您好，王芳"
    assert "湖西社区社会工作服务站" in page.content()


def test_bad_password_shows_chinese_message_in_browser(
    make_app: Callable[..., Flask], live_server: Callable[..., str], page: Any
) -> None:
    _seed_demo(make_app)
    base = live_server(DEMO=True)
    page.goto(base + "/login")
    page.fill("#username", "worker1")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    assert page.locator(".alert-danger").inner_text() == "用户名或密码不正确，或账号已停用。"
    assert page.input_value("#username") == "worker1"


def test_login_page_fits_a_phone_without_sideways_scrolling(
    live_server: Callable[..., str], browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    phone = context.new_page()
    phone.goto(live_server() + "/login")
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert scroll_width <= 360
