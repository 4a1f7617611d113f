"""The password policy: long enough, not common, not the account's own names."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.accounts import passwords, services
from casework.accounts.models import Role
from casework.extensions import db
from tests.conftest import Login
from tests.factories import PASSWORD, StationFactory, WorkerFactory


def test_the_list_holds_ten_thousand_passwords() -> None:
    assert len(passwords.common_passwords()) == 10_000


@pytest.mark.parametrize("password", ["1qaz2wsx3edc", "woaini1314", "QWERTYUIOP"])
def test_common_passwords_are_refused(password: str) -> None:
    assert passwords.problem(password, username="zhangsan") == "password_common"


def test_a_password_containing_the_username_is_refused() -> None:
    assert passwords.problem("Worker17-2024!", username="worker17") == "password_has_username"


def test_a_password_containing_the_unit_name_is_refused() -> None:
    problem = passwords.problem("湖西社区工作站2024", username="w1", unit_names=("湖西社区工作站",))
    assert problem == "password_has_unit"


def test_a_long_uncommon_password_passes() -> None:
    assert passwords.problem("杏花村东头第三棵柳树", username="worker17") is None


def test_creating_an_account_with_a_common_password_is_refused(app: Flask) -> None:
    with pytest.raises(services.AccountError) as refused:
        services.create_user(
            actor=None,
            username="lisi",
            display_name="李四",
            role=Role.SOCIAL_WORKER,
            unit=StationFactory(),
            password="password123",
        )
    assert refused.value.code == "password_common"


def test_changing_to_a_common_password_shows_the_rule_and_keeps_the_old(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    login(worker)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "1234567890",
            "confirm_password": "1234567890",
        },
    )
    page = response.get_data(as_text=True)
    assert (response.status_code, "最常用的一万个密码" in page) == (422, True)


def test_changing_to_the_unit_name_is_refused(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    login(worker)
    new = worker.unit.name + "123456"
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert "不能包含所属单位" in response.get_data(as_text=True)


def test_setting_a_common_password_through_a_link_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    worker = WorkerFactory()
    token = services.issue_password_link(actor=None, user=worker)
    db.session.commit()
    response = client.post(
        f"/password/{token}",
        data={"new_password": "qwertyuiop", "confirm_password": "qwertyuiop"},
    )
    assert (response.status_code, "最常用的一万个密码" in response.get_data(True)) == (422, True)
