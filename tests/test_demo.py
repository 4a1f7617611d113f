"""The demo data: a Changchun setting and one account per role."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from casework.accounts.models import Role, User
from casework.demo import DEMO_PASSWORD, DEMO_USERNAMES
from casework.extensions import db
from casework.orgs.models import Unit, UnitKind


def _seed(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["casework", "seed-demo", "--if-empty"])
    return str(result.output)


def test_seed_demo_creates_the_documented_accounts(make_app: Callable[..., Flask]) -> None:
    app = make_app(DEMO=True)
    _seed(app)
    with app.app_context():
        users = {user.username: user for user in db.session.scalars(db.select(User))}
        assert set(users) == set(DEMO_USERNAMES)
        assert users["tutor"].role is Role.TUTOR
        assert [unit.code for unit in users["tutor"].supervised_units] == ["CC-CQ-HX", "CC-CQ-XJ"]
        assert users["worker1"].unit_id == users["head1"].unit_id
        assert users["worker3"].unit_id != users["worker1"].unit_id
        assert users["bureau"].unit.kind is UnitKind.CITY_BUREAU


def test_seed_demo_builds_the_tree(make_app: Callable[..., Flask]) -> None:
    app = make_app(DEMO=True)
    _seed(app)
    with app.app_context():
        kinds = [unit.kind for unit in db.session.scalars(db.select(Unit))]
    assert kinds.count(UnitKind.STATION) == 3
    assert kinds.count(UnitKind.CENTRE) == 2
    assert kinds.count(UnitKind.INSTITUTION) == 1


def test_seed_demo_twice_changes_nothing(make_app: Callable[..., Flask]) -> None:
    app = make_app(DEMO=True)
    _seed(app)
    assert "not empty" in _seed(app)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == len(DEMO_USERNAMES)


def test_seed_demo_refuses_outside_demo_mode(make_app: Callable[..., Flask]) -> None:
    app = make_app(DEMO=False)
    result = app.test_cli_runner().invoke(args=["casework", "seed-demo"])
    assert result.exit_code != 0
    assert "demo mode" in result.output


def test_demo_worker_logs_in_with_the_demo_password(make_app: Callable[..., Flask]) -> None:
    app = make_app(DEMO=True)
    _seed(app)
    response = app.test_client().post(
        "/login", data={"username": "worker1", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_login_page_lists_demo_accounts_in_demo_mode(make_app: Callable[..., Flask]) -> None:
    app = make_app(DEMO=True)
    _seed(app)
    assert "worker1" in app.test_client().get("/login").get_data(as_text=True)


def test_login_page_hides_demo_accounts_outside_demo_mode(
    make_app: Callable[..., Flask],
) -> None:
    _seed(make_app(DEMO=True))
    client: FlaskClient = make_app(DEMO=False).test_client()
    assert "worker1" not in client.get("/login").get_data(as_text=True)
