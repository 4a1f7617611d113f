"""The administrator's retention page: the periods (within the legal floors) and what the
next run would anonymise."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import IntegerField
from wtforms.validators import DataRequired, NumberRange

from casework.accounts.models import Role, User
from casework.core import audit
from casework.core.actions import done, form_page
from casework.core.forms import Form
from casework.core.permissions import require
from casework.core.retention_policy import (
    MIN_AUDIT_DAYS,
    MIN_CASE_YEARS,
    MIN_HELP_YEARS,
    Periods,
    current_policy,
    save_policy,
)
from casework.retention import run

bp = Blueprint("retention", __name__, url_prefix="/retention")


def _floor(minimum: int, unit: str) -> NumberRange:
    return NumberRange(
        min=minimum,
        max=100 if unit == "years" else 36500,
        message=_l("不能短于法定的最短保存期限（%(min)d）", min=minimum),
    )


class PolicyForm(Form):
    case_years = IntegerField(
        _l("个案全部结束后保存（年）"), validators=[DataRequired(), _floor(MIN_CASE_YEARS, "years")]
    )
    help_years = IntegerField(
        _l("求助办结后保存（年）"), validators=[DataRequired(), _floor(MIN_HELP_YEARS, "years")]
    )
    audit_days = IntegerField(
        _l("审计日志保存（天）"), validators=[DataRequired(), _floor(MIN_AUDIT_DAYS, "days")]
    )


def can_set_retention(user: User) -> bool:
    return user.role is Role.SYSADMIN


@bp.route("/", methods=["GET", "POST"])
@login_required
def policy() -> ResponseReturnValue:
    require(can_set_retention(current_user))
    periods = current_policy()
    form = (
        PolicyForm(formdata=None, data=periods.__dict__)
        if request.method == "GET"
        else PolicyForm()
    )
    if not form.validate_on_submit():
        return form_page("retention/policy.html", form=form, due=run(apply=False))
    chosen = Periods(
        form.case_years.data or 0, form.help_years.data or 0, form.audit_days.data or 0
    )
    save_policy(chosen, actor_id=current_user.id)
    audit.record("retention.policy_update", None, actor_id=current_user.id, details=chosen.__dict__)
    return done(_("保存期限已更新，下次运行时生效。"), url_for("retention.policy"))
