"""The demo data: a Changchun setting and one account per role."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.accounts.models import Role, User
from casework.demo import DEMO_PASSWORD, DEMO_USERNAMES
from casework.demo.loader import DATA, load_demo_data
from casework.demo.tables import DemoDataError
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


def test_every_demo_data_file_parses_and_its_references_resolve() -> None:
    """A typo in the data fails here, naming the file and key, not half-way through seeding."""
    files = {path.name for path in DATA.iterdir()}
    assert files == {
        "organisation.toml",
        "cases.toml",
        "requests.toml",
        "groups.toml",
        "workforce.toml",
        "assessments.toml",
        "supervision.toml",
        "pilot.toml",
        "projects.toml",
        "photos",
    }
    data = load_demo_data()
    assert tuple(account.username for account in data.accounts) == DEMO_USERNAMES


@pytest.mark.parametrize(
    ("file", "written", "typo", "message"),
    [
        (
            "cases.toml",
            'worker = "worker1"',
            'worker = "worker9"',
            "cases.toml: cases[0].worker: unknown account 'worker9'",
        ),
        (
            "cases.toml",
            "opened_days_ago = 150",
            "opened_day_ago = 150",
            "cases.toml: cases[0]: unknown key 'opened_day_ago'",
        ),
        (
            "cases.toml",
            'status = "intervention"',
            'status = "intervension"',
            "cases.toml: cases[0].status: 'intervension' is not a CaseStatus",
        ),
        (
            "groups.toml",
            '"徐国栋"',
            '"徐国"',
            "groups.toml: groups[0].members[0]: unknown person '徐国'",
        ),
        (
            "requests.toml",
            'unit = "CC-CQ-XJ"',
            'unit = "CC-CQ-XX"',
            "requests.toml: requests[9].actions[0].unit: unknown unit 'CC-CQ-XX'",
        ),
        (
            "workforce.toml",
            'holder = "sunmin"',
            'holder = "sunmim"',
            "workforce.toml: posts[3].holder: unknown profile 'sunmim'",
        ),
    ],
)
def test_a_typo_in_the_demo_data_names_the_file_and_key(
    tmp_path: Path, file: str, written: str, typo: str, message: str
) -> None:
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    assert written in text
    path.write_text(text.replace(written, typo, 1), encoding="utf-8")
    with pytest.raises(DemoDataError) as error:
        load_demo_data(tmp_path)
    assert str(error.value).startswith(message)


def test_a_photo_the_data_names_must_exist(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    (folder / "photos" / "huxi-clean-up.jpg").unlink()
    with pytest.raises(DemoDataError, match=r"no photo 'huxi-clean-up\.jpg'"):
        load_demo_data(folder)
