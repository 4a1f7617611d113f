"""On the demo city: the bureau dashboard and the wall screen name nobody."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from casework.accounts.models import User
from casework.dashboards import displays
from casework.demo import DEMO_PASSWORD
from casework.extensions import db
from tests.dashboards.test_bureau import names_and_numbers, without_menu


def test_the_demo_bureau_dashboard_and_wall_name_nobody(demo: Flask) -> None:
    viewer = db.session.scalars(select(User).where(User.username == "bureau")).one()
    token = displays.create_display_token(actor=viewer, unit=viewer.unit, label="大屏")
    db.session.commit()
    client = demo.test_client()
    response = client.post("/login", data={"username": "bureau", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    board = client.get("/dashboard/bureau")
    assert board.status_code == 200
    pages = [without_menu(board.get_data(as_text=True))]
    children = [unit.id for unit in viewer.unit.children]
    for unit_id in children:
        pages.append(
            without_menu(client.get(f"/dashboard/bureau?unit={unit_id}").get_data(as_text=True))
        )
    screen = demo.test_client()
    pages += [
        screen.get(f"/wall/{token}").get_data(as_text=True),
        screen.get(f"/wall/{token}/data.json").get_data(as_text=True),
    ]
    values = names_and_numbers()
    assert len(values) > 50
    for value in values:
        assert all(value not in page for page in pages), value
