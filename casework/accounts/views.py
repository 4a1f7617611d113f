"""Login, logout, own password, language, and account management."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from casework.accounts import mfa, services
from casework.accounts.forms import (
    ActionForm,
    ChangePasswordForm,
    LocaleForm,
    LoginForm,
    SetPasswordForm,
    UserForm,
)
from casework.accounts.models import Role, User
from casework.accounts.permissions import (
    assignable_roles,
    can_confirm_account,
    can_end_sessions,
    can_manage_user,
    can_manage_users,
    can_reset_second_factor,
    can_unlock_account,
    users_visible_to,
)
from casework.core.actions import done, form_page
from casework.core.forms import SelectChoice, add_error
from casework.core.i18n import short_datetime
from casework.core.inputs import external_url
from casework.core.permissions import require
from casework.core.redirects import is_safe_next
from casework.extensions import db, limiter
from casework.orgs.forms import unit_choices
from casework.orgs.models import Unit
from casework.orgs.services import all_units

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


# What an account waiting for confirmation may still do: nothing that shows people or cases.
OPEN_TO_PENDING = frozenset(
    {
        "static",
        "health.health",
        "accounts.login",
        "accounts.logout",
        "accounts.change_password",
        "accounts.set_locale",
        "accounts.set_password",
        "accounts.mfa_settings",
        "accounts.mfa_enrol",
        "accounts.mfa_codes",
        "accounts.mfa_disable",
    }
)


@bp.before_app_request
def hold_pending_accounts() -> ResponseReturnValue | None:
    """Separation of duties: until confirmed, an account reaches only its home page (which
    says what it waits for), its password and logout. Visibility (casework_unit_ids) is empty
    as well, so no list or search can show it anything either."""
    if (
        not current_user.is_authenticated
        or not current_user.is_pending_confirmation
        or request.endpoint in OPEN_TO_PENDING
        or (request.endpoint or "").startswith("helpdesk_public.")
    ):
        return None
    status = 200 if request.endpoint == "home.index" else 403
    return render_template("accounts/pending.html"), status


@bp.before_app_request
def hold_until_enrolled() -> ResponseReturnValue | None:
    """A signed-in user whose role now requires a second factor they have not set up (the
    setting changed, or an administrator reset it) reaches nothing but enrolment."""
    if (
        not current_user.is_authenticated
        or request.endpoint in OPEN_TO_PENDING
        or (request.endpoint or "").startswith("helpdesk_public.")
        or not mfa.must_enrol(current_user)
    ):
        return None
    return redirect(url_for("accounts.mfa_enrol"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _login_limit,
    methods=["POST"],
    # Only failed attempts count, so a busy shared office PC is not locked out.
    deduct_when=lambda response: response.status_code != 302,
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    demo_accounts = _demo_accounts() if current_app.config["DEMO"] else []
    if not form.validate_on_submit():
        return form_page("accounts/login.html", form=form, demo_accounts=demo_accounts)
    page = {"form": form, "demo_accounts": demo_accounts}
    try:
        user = services.authenticate(form.username.data or "", form.password.data or "")
    except services.AccountLocked as locked:
        db.session.rollback()
        until = short_datetime(locked.until)
        flash(
            _("账号因连续登录失败已被锁定至 %(until)s。请稍后再试，或请站长解锁。", until=until),
            "danger",
        )
        return render_template("accounts/login.html", **page), 401
    if user is None:
        services.record_failed_login(form.username.data or "")
        db.session.commit()
        flash(_("用户名或密码不正确，或账号已停用。"), "danger")
        return render_template("accounts/login.html", **page), 401
    target = request.args.get("next")
    next_url = target if target and is_safe_next(target) else url_for("home.index")
    if mfa.is_enabled(user) or mfa.must_enrol(user):
        # The password was right; the second factor decides (accounts.mfa_views).
        db.session.commit()
        begin_second_factor(user, next_url)
        return redirect(
            url_for("accounts.mfa_verify" if mfa.is_enabled(user) else "accounts.mfa_enrol")
        )
    start_signed_in_session(user)
    return redirect(next_url)


def start_signed_in_session(user: User) -> None:
    """Both factors (or the password, where no second factor is needed) are right: a fresh
    server-side session, and the owner hears of failed attempts since the last login."""
    failures = services.record_login(user)
    token = services.start_session(user, request.remote_addr)
    db.session.commit()
    session.clear()  # a fresh session on login: no fixation
    session.permanent = True
    session[services.SESSION_KEY] = token
    login_user(user)
    if user.locale:
        session["locale"] = user.locale
    if failures:
        flash(
            ngettext(
                "自上次登录以来，您的账号有 %(num)d 次密码错误的登录尝试。"
                "如非本人所为，请告知站长。",
                "自上次登录以来，您的账号有 %(num)d 次密码错误的登录尝试。"
                "如非本人所为，请告知站长。",
                failures,
            ),
            "warning",
        )


# Between a right password and the second factor: who, since when, with which password.
PENDING_KEY = "mfa_pending"


def begin_second_factor(user: User, next_url: str) -> None:
    session.clear()
    session[PENDING_KEY] = {
        "user": user.id,
        "at": time.time(),
        "version": user.session_version,
        "next": next_url,
    }


def pending_second_factor() -> tuple[User, str] | None:
    """The user who gave the right password moments ago, and where they were going."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    started, user_id = pending.get("at"), pending.get("user")
    if not isinstance(started, int | float) or not isinstance(user_id, int):
        return None
    if time.time() - started > current_app.config["MFA_PENDING_MINUTES"] * 60:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.session_version != pending.get("version"):
        return None
    next_url = pending.get("next")
    return user, next_url if isinstance(next_url, str) and is_safe_next(next_url) else "/"


def _demo_accounts() -> list[User]:
    usernames = current_app.config["DEMO_ACCOUNTS"]
    users = db.session.scalars(select(User).where(User.username.in_(usernames)))
    order = {name: position for position, name in enumerate(usernames)}
    return sorted(users, key=lambda user: order[user.username])


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    services.log_out(current_user, services.current_session())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return form_page("accounts/password.html", form=form)
    try:
        services.change_password(
            user=current_user,
            current_password=form.current_password.data or "",
            new_password=form.new_password.data or "",
            keep_session=services.current_session(),
        )
    except services.AccountError as error:
        field = form.current_password if error.code == "wrong_password" else form.new_password
        add_error(field, error.message)
        return render_template("accounts/password.html", form=form), 422
    return done(_("密码已修改，其他设备上的登录已失效。"), url_for("home.index"))


@bp.post("/locale")
def set_locale() -> ResponseReturnValue:
    form = LocaleForm()
    target = form.next.data if is_safe_next(form.next.data) else url_for("home.index")
    if not form.validate_on_submit():
        return redirect(target or "/")
    locale = form.locale.data or current_app.config["BABEL_DEFAULT_LOCALE"]
    session["locale"] = locale
    if current_user.is_authenticated:
        services.set_locale(current_user, locale)
        db.session.commit()
    return redirect(target or "/")


@bp.get("/users")
@login_required
def users() -> ResponseReturnValue:
    require(can_manage_users(current_user))
    accounts = db.session.scalars(
        users_visible_to(current_user).join(User.unit).order_by(Unit.path, User.username)
    ).all()
    return render_template(
        "accounts/users.html",
        users=accounts,
        action_form=ActionForm(),
        can_manage=can_manage_user,
        can_confirm=can_confirm_account,
        can_unlock=can_unlock_account,
        can_end_sessions=can_end_sessions,
        can_reset_mfa=can_reset_second_factor,
        is_locked=services.is_locked,
        has_usable_password=services.has_usable_password,
    )


def _user_form(actor: User) -> UserForm:
    form = UserForm()
    form.role.choices = [
        SelectChoice(role.value, role.lazy_label) for role in assignable_roles(actor)
    ]
    units = all_units() if actor.role is Role.SYSADMIN else [actor.unit]
    form.unit_id.choices = unit_choices(units)
    form.supervised_unit_ids.choices = (
        unit_choices(all_units()) if actor.role is Role.SYSADMIN else []
    )
    return form


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new_user() -> ResponseReturnValue:
    require(can_manage_users(current_user))
    form = _user_form(current_user)
    if not form.validate_on_submit():
        return form_page("accounts/user_new.html", form=form)
    unit = db.get_or_404(Unit, form.unit_id.data)
    supervised = (
        list(db.session.scalars(select(Unit).where(Unit.id.in_(form.supervised_unit_ids.data))))
        if form.supervised_unit_ids.data
        else []
    )
    try:
        user = services.create_user(
            actor=current_user,
            username=form.username.data or "",
            display_name=form.display_name.data or "",
            role=Role.of(form.role.data or ""),
            unit=unit,
            supervised_units=supervised,
        )
    except services.AccountError as error:
        add_error(form.username, error.message)
        return render_template("accounts/user_new.html", form=form), 422
    token = services.issue_password_link(actor=current_user, user=user)
    db.session.commit()
    return _password_link_page(user, token, created=True)


def _password_link_page(user: User, token: str, *, created: bool) -> ResponseReturnValue:
    """The one time a set-password link is shown: to hand to its owner, never to use."""
    link = external_url(url_for("accounts.set_password", token=token))
    return render_template(
        "accounts/password_link.html",
        user=user,
        link=link,
        created=created,
        hours=current_app.config["PASSWORD_LINK_HOURS"],
    )


def _managed_user_or_404(user_id: int) -> User:
    user: User = db.first_or_404(users_visible_to(current_user).where(User.id == user_id))
    require(can_manage_user(current_user, user))
    return user


@bp.post("/users/<int:user_id>/active")
@login_required
def toggle_active(user_id: int) -> ResponseReturnValue:
    require(can_manage_users(current_user))
    user = _managed_user_or_404(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.users"))
    try:
        services.set_active(actor=current_user, user=user, active=not user.is_active)
    except services.AccountError as error:
        flash(error.message, "warning")
        return redirect(url_for("accounts.users"))
    db.session.commit()
    if user.is_active:
        flash(_("账号 %(username)s 已启用。", username=user.username), "success")
    else:
        flash(_("账号 %(username)s 已停用，其登录已失效。", username=user.username), "success")
    return redirect(url_for("accounts.users"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@login_required
def reset_password(user_id: int) -> ResponseReturnValue:
    """The old password stops working; a one-time link lets the owner set a new one."""
    require(can_manage_users(current_user))
    user = _managed_user_or_404(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("accounts/reset_password.html", form=form, user=user), status
    token = services.reset_password(actor=current_user, user=user)
    db.session.commit()
    return _password_link_page(user, token, created=False)


@bp.route("/password/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def set_password(token: str) -> ResponseReturnValue:
    """The owner of a one-time link sets their own password (no login: the link is the key)."""
    link = services.find_password_link(token)
    if link is None:
        return render_template("accounts/set_password.html", form=None), 404
    form = SetPasswordForm()
    if not form.validate_on_submit():
        return form_page("accounts/set_password.html", form=form, user=link.user)
    try:
        user = services.set_password_from_link(link=link, new_password=form.new_password.data or "")
    except services.AccountError as error:
        db.session.rollback()
        add_error(form.new_password, error.message)
        return render_template("accounts/set_password.html", form=form, user=link.user), 422
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("密码已设置，请用新密码登录。"), "success")
    if user.is_pending_confirmation:
        flash(_("账号还需站长确认后才能查看服务对象和个案。"), "info")
    return redirect(url_for("accounts.login"))


def _back_to_accounts() -> str:
    """Heads act on accounts from their home page, the administrator from the account list."""
    return url_for("accounts.users" if current_user.role is Role.SYSADMIN else "home.index")


def _account_action(user_id: int, allowed: Callable[[User, User], bool]) -> User | None:
    """A state-changing button on an account: its CSRF token, visibility and permission."""
    user: User = db.first_or_404(users_visible_to(current_user).where(User.id == user_id))
    require(allowed(current_user, user))
    return user if ActionForm().validate_on_submit() else None


@bp.post("/users/<int:user_id>/confirm")
@login_required
def confirm(user_id: int) -> ResponseReturnValue:
    """The head (or a second administrator) confirms an account an administrator set up."""
    user = _account_action(user_id, can_confirm_account)
    if user is not None:
        services.confirm_account(actor=current_user, user=user)
        db.session.commit()
        flash(_("已确认账号 %(username)s，可以开始工作。", username=user.username), "success")
    return redirect(_back_to_accounts())


@bp.post("/users/<int:user_id>/unlock")
@login_required
def unlock(user_id: int) -> ResponseReturnValue:
    user = _account_action(user_id, can_unlock_account)
    if user is not None:
        services.unlock(actor=current_user, user=user)
        db.session.commit()
        flash(_("账号 %(username)s 已解锁。", username=user.username), "success")
    return redirect(_back_to_accounts())


@bp.post("/users/<int:user_id>/sessions/end")
@login_required
def end_sessions(user_id: int) -> ResponseReturnValue:
    """The administrator ends every session of an account (a lost phone, a shared PC)."""
    user = _account_action(user_id, can_end_sessions)
    if user is not None:
        ended = services.end_sessions_by_administrator(actor=current_user, user=user)
        db.session.commit()
        flash(
            _("已结束账号 %(username)s 的 %(count)d 个登录。", username=user.username, count=ended),
            "success",
        )
    return redirect(url_for("accounts.users"))
