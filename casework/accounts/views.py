"""Login, logout, own password, language, and account management."""

from __future__ import annotations

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
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from casework.accounts import services
from casework.accounts.forms import (
    ActionForm,
    ChangePasswordForm,
    LocaleForm,
    LoginForm,
    ResetPasswordForm,
    UserForm,
)
from casework.accounts.models import Role, User
from casework.accounts.permissions import (
    assignable_roles,
    can_manage_user,
    can_manage_users,
    users_visible_to,
)
from casework.core.forms import SelectChoice, add_error
from casework.core.permissions import require
from casework.core.redirects import is_safe_next
from casework.extensions import db, limiter
from casework.orgs.forms import unit_choices
from casework.orgs.models import Unit
from casework.orgs.services import all_units

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


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
        status = 422 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form, demo_accounts=demo_accounts), status
    user = services.authenticate(form.username.data or "", form.password.data or "")
    if user is None:
        services.record_failed_login(form.username.data or "")
        db.session.commit()
        flash(_("用户名或密码不正确，或账号已停用。"), "danger")
        return render_template("auth/login.html", form=form, demo_accounts=demo_accounts), 401
    services.record_login(user)
    db.session.commit()
    session.clear()  # a fresh session on login: no fixation
    login_user(user)
    if user.locale:
        session["locale"] = user.locale
    target = request.args.get("next")
    return redirect(target if target and is_safe_next(target) else url_for("home.index"))


def _demo_accounts() -> list[User]:
    from casework.demo import DEMO_USERNAMES

    users = db.session.scalars(select(User).where(User.username.in_(DEMO_USERNAMES)))
    order = {name: position for position, name in enumerate(DEMO_USERNAMES)}
    return sorted(users, key=lambda user: order[user.username])


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("accounts/password.html", form=form), status
    try:
        services.change_password(
            user=current_user,
            current_password=form.current_password.data or "",
            new_password=form.new_password.data or "",
        )
    except services.AccountError:
        add_error(form.current_password, _("当前密码不正确"))
        return render_template("accounts/password.html", form=form), 422
    db.session.commit()
    # The version changed: re-issue this session so only the other ones end.
    login_user(current_user._get_current_object())
    flash(_("密码已修改，其他设备上的登录已失效。"), "success")
    return redirect(url_for("home.index"))


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
        "accounts/users.html", users=accounts, action_form=ActionForm(), can_manage=can_manage_user
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
        status = 422 if request.method == "POST" else 200
        return render_template("accounts/user_new.html", form=form), status
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
            password=form.password.data or "",
            role=Role.of(form.role.data or ""),
            unit=unit,
            supervised_units=supervised,
        )
    except services.AccountError:
        add_error(form.username, _("该用户名已被使用"))
        return render_template("accounts/user_new.html", form=form), 422
    db.session.commit()
    flash(_("账号 %(username)s 已创建。", username=user.username), "success")
    return redirect(url_for("accounts.users"))


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
    except services.AccountError:
        flash(_("不能停用自己的账号。"), "warning")
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
    require(can_manage_users(current_user))
    user = _managed_user_or_404(user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("accounts/reset_password.html", form=form, user=user), status
    services.reset_password(
        actor=current_user, user=user, new_password=form.new_password.data or ""
    )
    db.session.commit()
    flash(_("账号 %(username)s 的密码已重置。", username=user.username), "success")
    return redirect(url_for("accounts.users"))
