"""The elder-friendly mode (长辈版) of the residents' pages: larger, plainer, remembered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from casework.extensions import db
from tests.factories import StationFactory

pytestmark = pytest.mark.browser

# A 1280-px-wide screen at 200 % zoom lays the page out in 640 CSS pixels.
ZOOMED = {"width": 640, "height": 800}

FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _px(page: Any, selector: str, prop: str) -> float:
    value = page.eval_on_selector(selector, f"e => getComputedStyle(e)['{prop}']")
    return float(value.removesuffix("px"))


@pytest.fixture
def help_form(make_app: Callable[..., Flask], live_server: Callable[..., str]) -> str:
    with make_app().app_context():
        station_id = StationFactory(name="湖西社区社会工作服务站").id
        db.session.commit()
    return f"{live_server()}/help?station={station_id}"


def test_the_switch_enlarges_the_form_and_is_remembered(help_form: str, page: Any) -> None:
    page.goto(help_form)
    assert page.get_attribute("#elder-switch", "aria-pressed") == "false"
    standard_text = _px(page, "#description", "fontSize")
    standard_button = page.locator("#submit-help").bounding_box()["height"]

    with page.expect_navigation():
        page.click("#elder-switch")
    assert page.url == help_form
    assert page.get_attribute("#elder-switch", "aria-pressed") == "true"
    assert _px(page, "body", "fontSize") >= 18
    assert _px(page, "#description", "fontSize") > standard_text
    assert page.locator("#submit-help").bounding_box()["height"] > standard_button
    assert page.locator("#consent").bounding_box()["height"] >= 24
    for option in page.locator(".help-choice").all():
        assert option.bounding_box()["height"] >= 44

    # Remembered by this browser (a cookie holding only "1"), on every residents' page.
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies["elder_mode"] == "1"
    page.goto(help_form.split("?")[0] + "/status")
    assert page.evaluate("document.documentElement.classList.contains('elder-mode')")

    with page.expect_navigation():
        page.click("#elder-switch")
    assert not page.evaluate("document.documentElement.classList.contains('elder-mode')")
    assert "elder_mode" not in {cookie["name"] for cookie in page.context.cookies()}


def test_the_elder_form_works_at_200_percent_zoom(help_form: str, page: Any) -> None:
    base = help_form.split("/help")[0]
    page.context.add_cookies([{"name": "elder_mode", "value": "1", "url": base}])
    page.set_viewport_size(ZOOMED)
    page.goto(help_form)
    assert page.evaluate("document.documentElement.classList.contains('elder-mode')")
    assert page.evaluate(FITS)
    with page.expect_navigation():
        page.click("#submit-help")
    assert page.evaluate(FITS)  # with every error shown too
    page.select_option("#category", index=1)
    page.fill("#description", "家里老人行动不便，想申请社工上门探访。")
    page.check("input[name=contact_preference][value=online_only]")
    page.check("#consent")
    with page.expect_navigation():
        page.click("#submit-help")
    assert page.url == base + "/help/submitted"
    assert page.evaluate(FITS)
