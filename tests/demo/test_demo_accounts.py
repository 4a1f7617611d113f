"""The demo accounts skip the second factor in demo mode only."""

from __future__ import annotations

import pytest

from casework.demo import DEMO_PASSWORD
from tests.demo.conftest import Seeded

REQUIRED = ("sysadmin", "bureau_viewer", "station_head", "tutor")


@pytest.mark.parametrize("username", ["admin", "bureau", "head1", "tutor"])
def test_outside_demo_mode_a_demo_account_must_enrol_a_second_factor(
    seeded: Seeded, username: str
) -> None:
    """The same accounts on a server not in demo mode: the password alone opens nothing."""
    app = seeded.app
    settings = {name: app.config[name] for name in ("DEMO", "MFA_REQUIRED_ROLES")}
    app.config.update(DEMO=False, MFA_REQUIRED_ROLES=REQUIRED)
    try:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        reached = client.get("/cases/").status_code
    finally:
        app.config.update(settings)
    assert (response.headers["Location"], reached) == ("/login/enrol", 302)


@pytest.mark.parametrize("username", ["admin", "head1"])
def test_in_demo_mode_a_demo_account_signs_in_with_the_password(
    seeded: Seeded, username: str
) -> None:
    app = seeded.app
    settings = {"MFA_REQUIRED_ROLES": app.config["MFA_REQUIRED_ROLES"]}
    app.config["MFA_REQUIRED_ROLES"] = REQUIRED
    try:
        response = app.test_client().post(
            "/login", data={"username": username, "password": DEMO_PASSWORD}
        )
    finally:
        app.config.update(settings)
    assert response.headers["Location"] == "/"
