"""Record-quality aids in a browser: live wording hints, and the pages on a 360-px phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from casework.cases.models import Case
from casework.demo import DEMO_PASSWORD
from casework.extensions import db
from casework.people.models import ServiceUser

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _sign_in(page: Any, base: str, username: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def _late_case(make_app: Callable[..., Flask]) -> int:
    """worker1's case whose record was written late and uses 不配合 (see cases.toml)."""
    with make_app().app_context():
        case_id = db.session.scalars(
            select(Case.id).join(ServiceUser).where(ServiceUser.name == "刘淑珍")
        ).one()
        db.session.remove()
    return case_id


def test_worker_sees_the_late_badge_hint_and_score_on_a_phone(
    demo_server: str, make_app: Callable[..., Flask], page: Any
) -> None:
    case_id = _late_case(make_app)
    _sign_in(page, demo_server, "worker1")
    page.goto(f"{demo_server}/cases/{case_id}")
    assert page.locator("#service-records [data-late-record]").count() == 1
    hint = page.locator("#service-records [data-wording-hints]")
    assert hint.count() == 1
    assert page.locator("#completeness [data-completeness-score]").is_visible()
    assert page.evaluate(OVERFLOW) <= 1
    hint.locator(".btn-close").click()
    page.wait_for_selector("#service-records [data-wording-hints]", state="detached")


def test_the_record_form_hints_while_typing(
    demo_server: str, make_app: Callable[..., Flask], page: Any
) -> None:
    case_id = _late_case(make_app)
    _sign_in(page, demo_server, "worker1")
    page.goto(f"{demo_server}/cases/{case_id}/records/new")
    page.fill("textarea[name=content]", "服务对象不配合")
    live = page.locator(".wording-live")
    live.wait_for(state="visible")
    assert "不配合" in live.inner_text()
    assert page.evaluate(OVERFLOW) <= 1


def test_the_word_list_fits_a_phone(demo_server: str, page: Any) -> None:
    _sign_in(page, demo_server, "admin")
    page.goto(demo_server + "/admin/wording/")
    first_row = page.locator("#wording-rules-list tbody tr").first
    assert first_row.evaluate("row => getComputedStyle(row).display") == "block"
    assert page.evaluate(OVERFLOW) <= 1
