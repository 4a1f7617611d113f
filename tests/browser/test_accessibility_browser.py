"""No serious or critical WCAG 2.1 AA violation (axe-core) on any page of any role."""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import pytest

from casework.demo import DEMO_PASSWORD
from tests.browser.accessibility import serious_violations

pytestmark = pytest.mark.browser

ROLES = ["admin", "bureau", "tutor", "head1", "worker1"]
# Pages of one shape (the same path with other ids) are audited once.
MOST_PAGES_PER_ROLE = 150
# Files, feeds and machine answers: not pages a person reads in the browser.
NOT_PAGES = re.compile(
    r"^/(api|static|exports|attachments|calendar/feed/)|\.(pdf|json|ics|csv|xlsx|zip)$"
    r"|/(pdf|zip|export)$"
)

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
        if urlsplit(page.url).path == "/login":
            continue
        found[path] = serious_violations(page)
        for href in page.evaluate(LINKS):
            link = urlsplit(href)
            if f"{link.scheme}://{link.netloc}" != base or NOT_PAGES.search(link.path):
                continue
            if link.path in ("/logout",) or _shape(link.path) in seen:
                continue
            seen.add(_shape(link.path))
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
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
    assert len(found) > 5
    assert _report(found) == []
