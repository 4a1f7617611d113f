"""The wall screen in a browser: it shows the figures, fetches fresh ones by itself and
asks nothing of any server but the app (no CDN: it works on a network without internet)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from casework.accounts.models import User
from casework.dashboards import displays
from casework.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def wall_address(make_app: Callable[..., Flask], live_server: Callable[..., str]) -> str:
    """A wall screen of the demo city on a live server refreshing every second."""
    seeded = make_app(DEMO=True)
    result = seeded.test_cli_runner().invoke(args=["casework", "seed-demo"])
    assert result.exit_code == 0, result.output
    with seeded.app_context():
        viewer = db.session.scalars(select(User).where(User.username == "bureau")).one()
        token = displays.create_display_token(actor=viewer, unit=viewer.unit, label="大屏")
        db.session.commit()
        db.session.remove()
    return live_server(DEMO=True, WALL_REFRESH_SECONDS=1) + f"/wall/{token}"


def test_the_wall_refreshes_its_figures_from_the_app_alone(wall_address: str, page: Any) -> None:
    origin = wall_address.split("/wall/")[0]
    elsewhere: list[str] = []

    def only_the_app(route: Any) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_app)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(wall_address)
    assert page.locator('[data-wall="opened"]').inner_text().strip()
    assert page.locator("[data-chart] svg").count() == 3
    # wall.js marks the page once it has put fetched figures in place.
    with page.expect_response(lambda response: response.url.endswith("/data.json")) as fetched:
        page.wait_for_selector("body[data-updated]", state="attached", timeout=10000)
    assert fetched.value.status == 200
    assert page.locator("[data-chart] svg").count() == 3
    assert page.locator("#wall-stale").is_hidden()
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(11, 22, 34)"
    assert not elsewhere, elsewhere
