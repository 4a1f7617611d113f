"""Staff pages on a 360-px phone: lists become stacked cards, nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from casework.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

# The widest element's overflow, the page's and any scroll box's, in CSS pixels.
OVERFLOW = """() => {
  const page = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  const boxes = [...document.querySelectorAll('.table-responsive')].map(
    (box) => box.scrollWidth - box.clientWidth);
  return Math.max(page, 0, ...boxes);
}"""


def _sign_in(page: Any, base: str, username: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


@pytest.mark.parametrize(
    ("path", "table"),
    [
        ("/cases/", "#caseload"),
        ("/people/", "#people"),
        ("/requests/?status=all", "#queue"),
        ("/groups/", "#groups"),
    ],
)
def test_each_staff_list_is_a_stack_of_cards_on_a_phone(
    demo_server: str, page: Any, path: str, table: str
) -> None:
    _sign_in(page, demo_server, "head1")
    page.goto(demo_server + path)
    first_row = page.locator(f"{table} tbody tr").first
    assert first_row.evaluate("row => getComputedStyle(row).display") == "block"
    widths = first_row.locator("td").evaluate_all("cells => cells.map(c => c.clientWidth)")
    assert min(width for width in widths if width) > 200  # whole lines, not narrow columns
    assert page.evaluate(OVERFLOW) <= 1


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        (
            "head1",
            [
                "/",
                "/dashboard/station",
                "/cases/{case}",
                "/cases/{case}/intake",
                "/reports/",
                "/workforce/statistics",
                "/workforce/posts/",
                "/volunteers/",
                "/activities/",
                "/supervision/",
                "/audit/",
                "/users",
                "/users/new",
                "/cases/transfers?status=all",
                "/cases/referrals/inbound?status=all",
                "/people/households/",
                "/people/households/new",
                "/people/requests/",
                "/notifications/",
                "/notifications/settings",
                "/account/api-tokens/",
                "/pilot/mine",
            ],
        ),
        (
            "admin",
            [
                "/",
                "/users",
                "/users/new",
                "/audit/",
                "/admin/duplicates/",
                "/admin/connected-systems/",
            ],
        ),
        ("tutor", ["/", "/dashboard/tutor", "/supervision/new"]),
        (
            "bureau",
            [
                "/",
                "/reports/",
                "/workforce/statistics",
                "/dashboard/bureau",
                "/dashboard/displays",
                "/pilot/",
                "/pilot/units/new",
            ],
        ),
    ],
)
def test_staff_pages_do_not_scroll_sideways_on_a_phone(
    demo_server: str, first_demo_case: int, page: Any, username: str, paths: list[str]
) -> None:
    _sign_in(page, demo_server, username)
    wide = []
    for path in paths:
        page.goto(demo_server + path.format(case=first_demo_case))
        overflow = page.evaluate(OVERFLOW)
        if overflow > 1:
            wide.append(f"{path}: {overflow}px")
    assert not wide, wide
