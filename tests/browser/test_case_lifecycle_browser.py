"""A case taken from registration to follow-up in a real browser, by a worker and a tutor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask

from tests.factories import PASSWORD, TutorFactory, WorkerFactory, make_id_number

pytestmark = pytest.mark.browser


def _sign_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def _status(page: Any) -> str:
    return str(page.locator("#case-status").inner_text())


def _submit(page: Any, selector: str = "main button[type=submit]") -> None:
    """Click and wait for the page the server answers with (not the one still showing)."""
    with page.expect_navigation():
        page.click(selector)


def _step(page: Any, action: str) -> None:
    _submit(page, f"#next-step [data-step={action}]")
    page.wait_for_selector(".alert-success")


def _next_record(page: Any, expected: str) -> None:
    """Follow the guide to the record the next step needs."""
    link = page.locator("#next-record")
    assert link.inner_text() == expected
    _submit(page, "#next-record")


def test_worker_and_tutor_take_a_case_through_its_lifecycle(
    make_app: Callable[..., Flask], live_server: Callable[..., str], page: Any
) -> None:
    """Each action is the one the case page's 下一步 panel offers: nothing to hunt for."""
    setup = make_app()
    with setup.app_context():
        worker = WorkerFactory(username="wangfang", display_name="王芳")
        TutorFactory(username="chenjing", display_name="陈静", supervised_units=[worker.unit])
    base = live_server()
    page.on("dialog", lambda dialog: dialog.accept())

    _sign_in(page, base, "wangfang")
    page.goto(base + "/people/new")
    page.fill("#name", "刘桂兰")
    page.select_option("#gender", "female")
    page.fill("#id_number", make_id_number(date(1956, 3, 14), serial=122))
    page.fill("#address", "朝阳区湖西路 18 号")
    page.fill("#consent_given_on", "2026-11-20")
    _submit(page)
    _submit(page, "a:has-text('开案')")
    page.fill("#summary", "独居老人跌倒后生活自理困难")
    page.select_option("#domain", "social_aid")
    page.select_option("#risk_level", "medium")
    page.check("text=生活困难")
    assert page.locator("#tutor_id option:checked").inner_text() == "陈静"  # the only tutor
    _submit(page)

    page.fill("#presenting_problem", "独居，摔倒后行动不便，无人照料")
    page.fill("#arrival", "网格员陪同来访")
    page.fill("#first_judgement", "符合接案条件")
    _submit(page)
    case_url = page.url
    _step(page, "accept")
    assert _status(page) == "预估"

    _next_record(page, "填写预估表")
    for select in page.locator("#assessment-areas select").all():
        select.select_option("mild")
    page.fill("#family_note", "丧偶，独子在外地")
    for field in ("needs", "strengths", "risks", "summary"):
        page.fill(f"#{field}", "日常照料和情绪支持")
    _submit(page)
    _step(page, "finish_assessment")

    _next_record(page, "填写服务计划书")
    page.fill("#overall_goal", "恢复基本生活自理")
    page.fill("#goals-0-description", "链接居家养老助餐服务")
    page.fill("#goals-0-indicator", "每周至少 5 次助餐")
    page.fill("#goals-0-actions", "联系街道养老服务中心")
    page.fill("#goals-0-responsible", "王芳")
    page.fill("#goals-0-due_on", "2026-12-31")
    _submit(page, "main button:has-text('保存')")
    _step(page, "submit_plan")
    assert _status(page) == "计划待审核"
    assert "等待督导审核" in page.locator("#next-step").inner_text()

    _sign_in(page, base, "chenjing")
    _submit(page, "#approvals a")
    page.fill("#reason-approve_plan", "计划可行")
    _step(page, "approve_plan")
    assert _status(page) == "介入服务"

    _sign_in(page, base, "wangfang")
    page.goto(case_url)
    _submit(page, "#next-step >> text=添加服务记录")
    page.select_option("#form", "home_visit")
    page.fill("#duration_minutes", "60")
    page.fill("#content", "家访，了解助餐服务使用情况")
    _submit(page)
    _step(page, "start_evaluation")
    _next_record(page, "填写评估报告")
    page.select_option("#results-0-attainment", "fully_met")
    page.select_option("#satisfaction", "5")
    page.fill("#client_view", "生活方便多了")
    page.fill("#summary", "目标达成")
    _submit(page)
    _next_record(page, "填写结案报告")
    page.select_option("#closure_type", "goals_met")
    page.fill("#summary", "服务目标达成，结案")
    _submit(page)
    _step(page, "request_closure")
    assert _status(page) == "结案待审核"

    _sign_in(page, base, "chenjing")
    page.goto(case_url)
    _step(page, "approve_closure")
    assert _status(page) == "已结案"

    _sign_in(page, base, "wangfang")
    page.goto(case_url)
    _submit(page, "#next-step >> text=添加回访记录")
    page.fill("#content", "电话回访，情况稳定")
    _submit(page)
    assert _status(page) == "回访"
    timeline = page.locator("#timeline").inner_text()
    for label in ("接案", "预估", "计划待审核", "介入服务", "评估", "结案待审核", "已结案", "回访"):
        assert label in timeline
    assert "陈静" in page.locator("main").inner_text()  # the case records its tutor


def test_a_new_case_offers_its_intake_record_not_a_step_that_would_be_refused(
    make_app: Callable[..., Flask], live_server: Callable[..., str], page: Any
) -> None:
    from tests.factories import CaseFactory

    setup = make_app()
    with setup.app_context():
        case = CaseFactory()
        username, case_id = case.worker.username, case.id
    base = live_server()
    _sign_in(page, base, username)
    page.goto(f"{base}/cases/{case_id}")
    assert page.locator("#next-record").inner_text() == "填写接案登记表"
    assert page.locator("#next-step [data-step=accept]").count() == 0
    assert _status(page) == "接案"
