"""head1 uploads the faulty staff sample, sees every row's problems, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from casework.demo import DEMO_PASSWORD
from casework.extensions import db
from casework.workforce.models import WorkerProfile

pytestmark = pytest.mark.browser

SAMPLE = (
    Path(__file__).resolve().parents[2] / "casework" / "fixtures" / "imports" / "staff_errors.xlsx"
)


def _profiles(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(WorkerProfile.id))) or 0)


def test_head_sees_the_error_preview_and_nothing_is_written(
    make_app: Callable[..., Flask], live_server: Callable[..., str], page: Any
) -> None:
    seeding = make_app(DEMO=True)
    assert seeding.test_cli_runner().invoke(args=["casework", "seed-demo"]).exit_code == 0
    before = _profiles(seeding)
    base = live_server(DEMO=True)
    page.goto(base + "/login")
    page.fill("#username", "head1")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")
    page.goto(base + "/imports/new")
    page.select_option("#kind", "staff")
    page.set_input_files("#file", str(SAMPLE))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/preview")
    summary = page.inner_text("#summary")
    assert "行有问题" in summary
    assert "身份证号无效" in summary
    assert page.locator("#preview-rows tr[data-invalid]").count() >= 8
    page.click("#confirm-form button[type=submit]")  # without skipping: refused
    assert "行存在问题" in page.inner_text("body")
    assert _profiles(seeding) == before
