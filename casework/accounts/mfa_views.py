"""The second factor: the step after the password, enrolment, and one's own settings."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.accounts import mfa, services
from casework.accounts.forms import SecondFactorForm
from casework.accounts.models import User
from casework.accounts.permissions import can_reset_second_factor
from casework.accounts.views import (
    PENDING_KEY,
    _account_action,
    _back_to_accounts,
    bp,
    pending_second_factor,
    start_signed_in_session,
)
from casework.core import audit
from casework.core.actions import form_page
from casework.core.forms import add_error
from casework.extensions import db, limiter


def _mfa_limit() -> str:
    return str(current_app.config["MFA_RATE_LIMIT"])


def _expired() -> ResponseReturnValue:
    session.pop(PENDING_KEY, None)
    flash(_("登录步骤已超时，请重新输入用户名和密码。"), "warning")
    return redirect(url_for("accounts.login"))


@bp.route("/login/verify", methods=["GET", "POST"])
@limiter.limit(_mfa_limit, methods=["POST"])
def mfa_verify() -> ResponseReturnValue:
    """The code from the authenticator app (or a recovery code) after the right password."""
    pending = pending_second_factor()
    if pending is None or not mfa.is_enabled(pending[0]):
        return _expired()
    user, next_url = pending
    form = SecondFactorForm()
    if not form.validate_on_submit():
        return form_page("accounts/mfa_verify.html", form=form)
    if services.is_locked(user):
        session.pop(PENDING_KEY, None)
        flash(_("账号因连续登录失败已被锁定，请稍后再试，或请站长解锁。"), "danger")
        return redirect(url_for("accounts.login"))
    used = mfa.verify(user, form.code.data or "")
    if used is None:
        services.count_failure(user)
        audit.record("user.mfa_failed", user, actor_id=user.id)
        db.session.commit()
        add_error(form.code, _("验证码不正确或已使用过，请输入认证应用上当前显示的 6 位数字。"))
        return render_template("accounts/mfa_verify.html", form=form), 401
    start_signed_in_session(user)
    if used == "recovery":
        left = mfa.remaining_codes(user)
        flash(
            _("您用了一个恢复码，还剩 %(left)d 个。请在“两步验证”中生成新的恢复码。", left=left),
            "warning",
        )
    return redirect(next_url)


def _enrolling_user() -> tuple[User, str | None] | None:
    """Who enrols: the signed-in user, or one stopped at login because their role needs a
    second factor (then with where they were going)."""
    if current_user.is_authenticated:
        return current_user, None
    pending = pending_second_factor()
    if pending is None or mfa.is_enabled(pending[0]):
        return None
    return pending


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(_mfa_limit, methods=["POST"])
def mfa_enrol() -> ResponseReturnValue:
    enrolling = _enrolling_user()
    if enrolling is None:
        return _expired()
    user, next_url = enrolling
    if mfa.is_enabled(user):
        return redirect(url_for("accounts.mfa_settings"))
    secret = mfa.pending_secret(user)
    if secret is None:
        secret = mfa.begin_enrolment(user)
        db.session.commit()
    form = SecondFactorForm()
    uri = mfa.provisioning_uri(user, secret)
    page = {
        "form": form,
        "qr_svg": mfa.qr_svg(uri),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": mfa.is_required(user),
    }
    if not form.validate_on_submit():
        return form_page("accounts/mfa_enrol.html", **page)
    try:
        codes = mfa.confirm_enrolment(user, form.code.data or "")
    except mfa.MfaError as error:
        db.session.rollback()
        add_error(form.code, error.message)
        return render_template("accounts/mfa_enrol.html", **page), 422
    db.session.commit()
    if next_url is not None:
        start_signed_in_session(user)
    return render_template("accounts/mfa_codes.html", codes=codes, next_url=next_url, enrolled=True)


@bp.get("/account/mfa")
@login_required
def mfa_settings() -> ResponseReturnValue:
    return render_template(
        "accounts/mfa.html",
        enabled=mfa.is_enabled(current_user),
        required=mfa.is_required(current_user),
        remaining=mfa.remaining_codes(current_user),
        form=SecondFactorForm(),
        disable_form=SecondFactorForm(prefix="disable"),
    )


def _settings_with_error(form: SecondFactorForm, name: str) -> ResponseReturnValue:
    db.session.rollback()
    page = {
        "enabled": mfa.is_enabled(current_user),
        "required": mfa.is_required(current_user),
        "remaining": mfa.remaining_codes(current_user),
        "form": SecondFactorForm(),
        "disable_form": SecondFactorForm(prefix="disable"),
    }
    page[name] = form
    return render_template("accounts/mfa.html", **page), 422


@bp.post("/account/mfa/codes")
@login_required
@limiter.limit(_mfa_limit)
def mfa_codes() -> ResponseReturnValue:
    """New recovery codes, after a current code; the old ones stop working."""
    form = SecondFactorForm()
    if not form.validate_on_submit():
        return _settings_with_error(form, "form")
    try:
        codes = mfa.regenerate_recovery_codes(current_user, form.code.data or "")
    except mfa.MfaError as error:
        add_error(form.code, error.message)
        return _settings_with_error(form, "form")
    db.session.commit()
    return render_template("accounts/mfa_codes.html", codes=codes, next_url=None, enrolled=False)


@bp.post("/account/mfa/disable")
@login_required
@limiter.limit(_mfa_limit)
def mfa_disable() -> ResponseReturnValue:
    form = SecondFactorForm(prefix="disable")
    if not form.validate_on_submit():
        return _settings_with_error(form, "disable_form")
    try:
        mfa.disable(current_user, form.code.data or "")
    except mfa.MfaError as error:
        add_error(form.code, error.message)
        return _settings_with_error(form, "disable_form")
    db.session.commit()
    flash(_("两步验证已关闭。"), "success")
    return redirect(url_for("accounts.mfa_settings"))


@bp.post("/users/<int:user_id>/mfa/reset")
@login_required
def mfa_reset(user_id: int) -> ResponseReturnValue:
    """A lost phone: the owner enrols again at the next sign-in."""
    user = _account_action(user_id, can_reset_second_factor)
    if user is not None:
        mfa.reset(actor=current_user, user=user)
        db.session.commit()
        flash(
            _(
                "已重置账号 %(username)s 的两步验证，本人下次登录时重新设置。",
                username=user.username,
            ),
            "success",
        )
    return redirect(_back_to_accounts())
