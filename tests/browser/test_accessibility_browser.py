"""No serious or critical WCAG 2.1 AA violation (axe-core) on any page of any role."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask

from casework.demo import DEMO_PASSWORD
from casework.extensions import db
from tests.browser.accessibility import serious_violations
from tests.factories import StationFactory

pytestmark = pytest.mark.browser

ROLES = ["admin", "bureau", "tutor", "head1", "worker1"]
# Pages of one shape (the same path with other ids) are audited once; a crawl that reaches
# the cap with pages still queued fails rather than passing on what it happened to see.
MOST_PAGES_PER_ROLE = 300
# What each role's crawl must at least reach, so a crawl cut short (a broken menu, a lost
# session) cannot pass on a handful of pages.
FEWEST_PAGES = {"admin": 40, "bureau": 24, "tutor": 36, "head1": 80, "worker1": 55}
# Files, feeds and machine answers: not pages a person reads in the browser.
NOT_PAGES = re.compile(
    r"^/(api|static|exports|attachments|calendar/feed/)|\.(pdf|json|ics|csv|xlsx|zip)$"
    r"|/(pdf|zip|export)$"
)

# Staff forms sent back with every error shown (the browser's own checks switched off).
FORMS_SENT_EMPTY = {
    "head1": ["/people/new", "/groups/new", "/people/households/new"],
    "admin": ["/users/new"],
    "bureau": ["/projects/agencies/new", "/projects/new", "/pilot/units/new"],
}
SEND_EMPTY = """() => {
  const form = document.querySelector('main form[method=post]:not([role=search])');
  form.noValidate = true;
  form.requestSubmit();
}"""

LINKS = """() => [...document.querySelectorAll('a[href]')].map((a) => a.href)"""


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{n}", path)


def _open(page: Any, url: str) -> Any:
    """The response to a page, or None when the link starts a download instead."""
    from playwright.sync_api import Error

    try:
        return page.goto(url)
    except Error as error:
        if "Download is starting" in str(error):
            return None
        raise


def _crawl(page: Any, base: str, start: str) -> dict[str, list[str]]:
    """Audit each page shape reachable by links from ``start``; violations by path."""
    found: dict[str, list[str]] = {}
    seen = {_shape(start)}
    queue = deque([start])
    while queue and len(found) < MOST_PAGES_PER_ROLE:
        path = queue.popleft()
        response = _open(page, base + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        # A link of the role's own pages that ends on the login page lost the session.
        assert urlsplit(page.url).path != "/login", f"{path} sent the signed-in user to /login"
        found[path] = serious_violations(page)
        for href in page.evaluate(LINKS):
            link = urlsplit(href)
            if f"{link.scheme}://{link.netloc}" != base or NOT_PAGES.search(link.path):
                continue
            if link.path in ("/logout",) or _shape(link.path) in seen:
                continue
            seen.add(_shape(link.path))
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
    assert not queue, f"stopped at {MOST_PAGES_PER_ROLE} pages, {len(queue)} still queued"
    return found


def _report(found: dict[str, list[str]]) -> list[str]:
    return [f"{path}: {line}" for path, lines in found.items() for line in lines]


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_a_role_passes_axe(
    demo_server: str, first_demo_case: int, page: Any, username: str
) -> None:
    page.goto(demo_server + "/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(demo_server + "/")
    found = _crawl(page, demo_server, "/")
    assert len(found) >= FEWEST_PAGES[username], sorted(found)
    for path in FORMS_SENT_EMPTY.get(username, []):
        page.goto(demo_server + path)
        with page.expect_navigation():
            page.evaluate(SEND_EMPTY)
        assert page.locator("#error-summary").count() == 1, f"{path} came back without errors"
        found[f"{path} (errors)"] = serious_violations(page)
    if username == "bureau":
        # The wall screen, reached through the address a new display gets.
        page.goto(demo_server + "/dashboard/displays")
        page.fill("#label", "大厅")
        with page.expect_navigation():
            page.click("#create-display button[type=submit]")
        page.goto(demo_server + urlsplit(page.input_value("#wall-url")).path)
        page.wait_for_load_state("networkidle")
        found["/wall/{token}"] = serious_violations(page)
    assert _report(found) == []


@pytest.fixture
def public_base(make_app: Callable[..., Flask], live_server: Callable[..., str]) -> tuple[str, int]:
    """A live server with one station offering the help form; its base URL and station id."""
    with make_app().app_context():
        station_id = StationFactory(name="湖西社区社会工作服务站").id
        db.session.commit()
    return live_server(), station_id


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder-friendly"])
def test_the_public_pages_pass_axe(public_base: tuple[str, int], page: Any, elder: bool) -> None:
    base, station_id = public_base
    if elder:
        page.context.add_cookies([{"name": "elder_mode", "value": "1", "url": base}])
    found: dict[str, list[str]] = {}
    for path in ["/help", f"/help?station={station_id}", "/help/status", "/help/privacy", "/login"]:
        page.goto(base + path)
        found[path] = serious_violations(page)
    page.goto(f"{base}/help?station={station_id}")
    with page.expect_navigation():
        page.click("#submit-help")
    found["/help (errors)"] = serious_violations(page)
    page.goto(base + "/help/status")
    page.fill("#code", "ABCD-EFGH-JKMN")
    with page.expect_navigation():
        page.click("main button:has-text('查询')")
    found["/help/status (not found)"] = serious_violations(page)
    # A real request: the one-time code page, then its status with the timeline.
    page.goto(f"{base}/help?station={station_id}")
    page.select_option("#category", index=1)
    page.fill("#description", "家里老人行动不便，想申请社工上门探访。")
    page.check("input[name=contact_preference][value=online_only]")
    page.check("#consent")
    with page.expect_navigation():
        page.click("#submit-help")
    code = page.locator("#tracking-code").inner_text().strip()
    found["/help/submitted"] = serious_violations(page)
    page.goto(base + "/help/status")
    page.fill("#code", code)
    with page.expect_navigation():
        page.click("main button:has-text('查询')")
    assert page.locator("main ol.timeline li").count() >= 1, "no timeline shown"
    found["/help/status (found)"] = serious_violations(page)
    assert _report(found) == []
