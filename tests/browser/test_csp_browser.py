"""The Content-Security-Policy blocks nothing the pages need: no violation in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from casework.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PAGES = {
    "head1": [
        "/",
        "/dashboard/station",
        "/cases/{case}",
        "/reports/",
        "/calendar/",
        "/units/",
        "/notifications/",
        "/account/api-tokens/",
    ],
    "tutor": ["/dashboard/tutor", "/workforce/statistics"],
}


@pytest.mark.parametrize("username", sorted(PAGES))
def test_no_page_trips_the_content_security_policy(
    demo_server: str, first_demo_case: int, page: Any, username: str
) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(demo_server + "/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(demo_server + "/")
    for path in PAGES[username]:
        page.goto(demo_server + path.format(case=first_demo_case))
        page.wait_for_load_state("load")
    assert violations == []
