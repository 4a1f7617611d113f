"""The second factor: enrolment forced by role, TOTP and recovery codes at sign-in, resets."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from casework.accounts import mfa
from casework.accounts.models import RecoveryCode, User, UserSession
from casework.extensions import db
from tests.conftest import Login
from tests.factories import (
    PASSWORD,
    AdminFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)

REQUIRED = ("sysadmin", "bureau_viewer", "station_head", "tutor")


@pytest.fixture
def required(app: Flask) -> None:
    """The production default: the four roles that see more than one caseload."""
    app.config["MFA_REQUIRED_ROLES"] = REQUIRED


def _enrol(user: User) -> tuple[pyotp.TOTP, list[str]]:
    """Enrol ``user`` as the enrolment page would; returns the app and the recovery codes."""
    secret = mfa.begin_enrolment(user)
    totp = pyotp.TOTP(secret)
    codes = mfa.confirm_enrolment(user, totp.at(time.time() - 30))
    db.session.commit()
    return totp, codes


def _password(client: FlaskClient, user: User) -> Any:
    return client.post("/login", data={"username": user.username, "password": PASSWORD})


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/account/password").status_code == 200


def test_a_tutor_without_a_second_factor_is_sent_to_enrol(
    client: FlaskClient, required: None
) -> None:
    response = _password(client, TutorFactory())
    assert response.headers["Location"] == "/login/enrol"


def test_a_tutor_stopped_at_enrolment_reaches_no_page(client: FlaskClient, required: None) -> None:
    _password(client, TutorFactory())
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("factory", [AdminFactory, StationHeadFactory, TutorFactory])
def test_required_roles_reach_no_page_with_the_password_alone(
    client: FlaskClient, required: None, factory: Any
) -> None:
    user = factory()
    _enrol(user)
    assert _password(client, user).headers["Location"] == "/login/verify"
    assert not _signed_in(client)


def test_a_social_worker_signs_in_with_the_password_by_default(
    client: FlaskClient, required: None
) -> None:
    assert _password(client, WorkerFactory()).headers["Location"] == "/"


def test_enrolment_shows_a_qr_code_drawn_on_the_server(client: FlaskClient, required: None) -> None:
    _password(client, TutorFactory())
    page = client.get("/login/enrol").get_data(as_text=True)
    assert "<svg" in page
    assert "otpauth" not in page  # the URI is only inside the QR code


def test_enrolling_with_a_right_code_signs_in_and_shows_ten_recovery_codes(
    client: FlaskClient, required: None
) -> None:
    tutor = TutorFactory()
    _password(client, tutor)
    client.get("/login/enrol")
    db.session.expire_all()
    secret = mfa.pending_secret(db.session.get(User, tutor.id))
    assert secret is not None
    page = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li class=\"col\">([0-9A-Z]{5}-[0-9A-Z]{5})</li>", page.get_data(True))
    assert (len(codes), _signed_in(client)) == (10, True)


def test_enrolling_with_a_wrong_code_keeps_the_seed_and_asks_again(
    client: FlaskClient, required: None
) -> None:
    tutor = TutorFactory()
    _password(client, tutor)
    client.get("/login/enrol")
    db.session.expire_all()
    seed = db.session.get(User, tutor.id).totp_secret  # type: ignore[union-attr]
    response = client.post("/login/enrol", data={"code": "000000"})
    db.session.expire_all()
    assert response.status_code == 422
    assert db.session.get(User, tutor.id).totp_secret == seed  # type: ignore[union-attr]


def _stored_seed(user_id: int) -> str:
    return db.session.execute(
        text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id}
    ).scalar_one()


def test_the_seed_is_stored_encrypted(app: Flask) -> None:
    tutor = TutorFactory()
    secret = mfa.begin_enrolment(tutor)
    db.session.commit()
    stored = _stored_seed(tutor.id)
    assert (stored.startswith("v1:"), secret in stored) == (True, False)


def test_the_seed_does_not_decrypt_with_another_data_key(app: Flask) -> None:
    tutor = TutorFactory()
    mfa.begin_enrolment(tutor)
    db.session.commit()
    app.config["DATA_KEY"] = "ab" * 32
    db.session.expire_all()
    with pytest.raises(ValueError, match="key that is not configured"):
        mfa.pending_secret(db.session.get(User, tutor.id))  # type: ignore[arg-type]


def test_a_computed_totp_code_completes_the_sign_in(client: FlaskClient, required: None) -> None:
    tutor = TutorFactory()
    totp, _codes = _enrol(tutor)
    _password(client, tutor)
    response = client.post("/login/verify", data={"code": totp.now()})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert _signed_in(client)


def test_a_wrong_code_is_refused_and_counts_as_a_failed_login(
    client: FlaskClient, required: None
) -> None:
    tutor = TutorFactory()
    _enrol(tutor)
    _password(client, tutor)
    response = client.post("/login/verify", data={"code": "123456"})
    db.session.expire_all()
    assert response.status_code == 401
    assert db.session.get(User, tutor.id).failed_logins == 1  # type: ignore[union-attr]


def test_a_code_is_accepted_only_once(app: Flask, required: None) -> None:
    tutor = TutorFactory()
    totp, _codes = _enrol(tutor)
    code = totp.now()
    first, second = app.test_client(), app.test_client()
    _password(first, tutor)
    _password(second, tutor)
    assert first.post("/login/verify", data={"code": code}).status_code == 302
    assert second.post("/login/verify", data={"code": code}).status_code == 401


def test_a_recovery_code_signs_in_once(app: Flask, required: None) -> None:
    tutor = TutorFactory()
    _totp, codes = _enrol(tutor)
    first, second = app.test_client(), app.test_client()
    _password(first, tutor)
    _password(second, tutor)
    assert first.post("/login/verify", data={"code": codes[0]}).status_code == 302
    assert second.post("/login/verify", data={"code": codes[0]}).status_code == 401


def test_a_recovery_code_is_read_without_its_dash_and_in_lower_case(
    client: FlaskClient, required: None
) -> None:
    tutor = TutorFactory()
    _totp, codes = _enrol(tutor)
    _password(client, tutor)
    response = client.post("/login/verify", data={"code": codes[3].replace("-", "").lower()})
    assert response.status_code == 302


def test_recovery_codes_are_stored_as_hashes(app: Flask) -> None:
    tutor = TutorFactory()
    _totp, codes = _enrol(tutor)
    stored = {code.code_hash for code in db.session.scalars(db.select(RecoveryCode))}
    assert len(stored) == 10
    assert not stored & {code.replace("-", "") for code in codes}


def test_the_second_step_expires(app: Flask, client: FlaskClient, required: None) -> None:
    tutor = TutorFactory()
    totp, _codes = _enrol(tutor)
    _password(client, tutor)
    app.config["MFA_PENDING_MINUTES"] = 0
    response = client.post("/login/verify", data={"code": totp.now()})
    assert response.headers["Location"] == "/login"
    assert not _signed_in(client)


def test_the_second_step_lapses_when_the_password_is_reset_meanwhile(
    app: Flask, client: FlaskClient, required: None
) -> None:
    tutor = TutorFactory()
    totp, _codes = _enrol(tutor)
    _password(client, tutor)
    tutor.session_version += 1
    db.session.commit()
    response = client.post("/login/verify", data={"code": totp.now()})
    assert response.headers["Location"] == "/login"


def test_verification_without_a_password_step_sends_to_login(client: FlaskClient) -> None:
    assert client.post("/login/verify", data={"code": "123456"}).headers["Location"] == "/login"


def test_enough_wrong_codes_lock_the_account(
    app: Flask, client: FlaskClient, required: None
) -> None:
    app.config["LOCKOUT_THRESHOLD"] = 3
    tutor = TutorFactory()
    totp, _codes = _enrol(tutor)
    _password(client, tutor)
    for _ in range(3):
        client.post("/login/verify", data={"code": "000000"})
    response = client.post("/login/verify", data={"code": totp.now()})
    assert response.headers["Location"] == "/login"
    assert not _signed_in(client)


def test_verification_is_rate_limited(make_app: Callable[..., Flask]) -> None:
    app = make_app(
        RATELIMIT_ENABLED=True, MFA_RATE_LIMIT="2 per minute", MFA_REQUIRED_ROLES=REQUIRED
    )
    with app.app_context():
        tutor = TutorFactory()
        _enrol(tutor)
        username = tutor.username
    client = app.test_client()
    client.post("/login", data={"username": username, "password": PASSWORD})
    statuses = [client.post("/login/verify", data={"code": "000000"}).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_demo_accounts_skip_enrolment_in_demo_mode(app: Flask, client: FlaskClient) -> None:
    tutor = TutorFactory()
    app.config.update(DEMO=True, DEMO_ACCOUNTS=(tutor.username,), MFA_REQUIRED_ROLES=REQUIRED)
    assert _password(client, tutor).headers["Location"] == "/"


def test_other_accounts_enrol_even_in_demo_mode(app: Flask, client: FlaskClient) -> None:
    app.config.update(DEMO=True, DEMO_ACCOUNTS=("someone-else",), MFA_REQUIRED_ROLES=REQUIRED)
    assert _password(client, TutorFactory()).headers["Location"] == "/login/enrol"


def test_the_login_page_says_demo_accounts_skip_the_second_factor(
    app: Flask, client: FlaskClient
) -> None:
    tutor = TutorFactory()
    app.config.update(DEMO=True, DEMO_ACCOUNTS=(tutor.username,))
    assert "不要求两步验证" in client.get("/login").get_data(as_text=True)


def test_a_signed_in_user_whose_role_now_requires_it_reaches_only_enrolment(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    login(TutorFactory())
    app.config["MFA_REQUIRED_ROLES"] = REQUIRED
    assert client.get("/cases/").headers["Location"] == "/login/enrol"


def test_a_social_worker_may_enrol_of_their_own_accord(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    login(worker)
    client.get("/login/enrol")
    db.session.expire_all()
    secret = mfa.pending_secret(db.session.get(User, worker.id))
    assert secret is not None
    client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    db.session.expire_all()
    assert mfa.is_enabled(db.session.get(User, worker.id))


def test_a_social_worker_may_turn_it_off_with_a_code(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    totp, _codes = _enrol(worker)
    client.post("/login", data={"username": worker.username, "password": PASSWORD})
    client.post("/login/verify", data={"code": totp.now()})
    client.post("/account/mfa/disable", data={"disable-code": totp.at(time.time() + 30)})
    db.session.expire_all()
    assert not mfa.is_enabled(db.session.get(User, worker.id))


def test_a_required_role_cannot_turn_it_off(client: FlaskClient, required: None) -> None:
    tutor = TutorFactory()
    totp, _codes = _enrol(tutor)
    _password(client, tutor)
    client.post("/login/verify", data={"code": totp.now()})
    response = client.post("/account/mfa/disable", data={"disable-code": totp.at(time.time() + 30)})
    assert response.status_code == 422


def test_new_recovery_codes_void_the_old_ones(client: FlaskClient, required: None) -> None:
    tutor = TutorFactory()
    totp, old = _enrol(tutor)
    _password(client, tutor)
    client.post("/login/verify", data={"code": totp.now()})
    client.post("/account/mfa/codes", data={"code": totp.at(time.time() + 30)})
    assert mfa.verify(db.session.get(User, tutor.id), old[0]) is None  # type: ignore[arg-type]


def _reset_by(client: FlaskClient, login: Login, actor: User, target: User) -> Any:
    login(actor)
    return client.post(f"/users/{target.id}/mfa/reset")


def test_an_administrators_reset_waits_for_the_heads_confirmation(
    client: FlaskClient, login: Login
) -> None:
    tutor = TutorFactory()
    _enrol(tutor)
    _reset_by(client, login, AdminFactory(), tutor)
    db.session.expire_all()
    tutor = db.session.get(User, tutor.id)  # type: ignore[assignment]
    assert (mfa.is_enabled(tutor), tutor.is_pending_confirmation) == (False, True)
    assert tutor.confirmation_reason == "mfa_reset"


def test_a_reset_ends_the_users_sessions(app: Flask, login: Login) -> None:
    worker = WorkerFactory()
    totp, _codes = _enrol(worker)
    own = app.test_client()
    _password(own, worker)
    own.post("/login/verify", data={"code": totp.now()})
    head = StationHeadFactory(unit=worker.unit)
    head_client = app.test_client()
    head_client.post("/login", data={"username": head.username, "password": PASSWORD})
    head_client.post(f"/users/{worker.id}/mfa/reset")
    open_sessions = db.session.scalars(
        db.select(UserSession).where(
            UserSession.user_id == worker.id, UserSession.ended_at.is_(None)
        )
    ).all()
    assert open_sessions == []


def test_a_social_worker_cannot_reset_a_colleagues_second_factor(
    client: FlaskClient, login: Login
) -> None:
    colleague = WorkerFactory()
    _enrol(colleague)
    response = _reset_by(client, login, WorkerFactory(unit=colleague.unit), colleague)
    assert response.status_code == 404


def test_a_head_cannot_reset_a_tutors_second_factor(client: FlaskClient, login: Login) -> None:
    tutor = TutorFactory()
    _enrol(tutor)
    response = _reset_by(client, login, StationHeadFactory(unit=tutor.unit), tutor)
    assert response.status_code == 403


def test_a_head_of_another_station_cannot_see_the_account(
    client: FlaskClient, login: Login
) -> None:
    worker = WorkerFactory()
    _enrol(worker)
    assert _reset_by(client, login, StationHeadFactory(), worker).status_code == 404
