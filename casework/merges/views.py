"""The administrator's duplicate records page: merge a person's second record into the one
kept, or undo a merge within its undo period."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from casework.accounts.forms import ActionForm
from casework.accounts.models import Role, User
from casework.core.actions import done, report_refusal
from casework.core.forms import Form
from casework.core.inputs import MAX_ID
from casework.core.permissions import require
from casework.extensions import db
from casework.merges import services
from casework.people.models import PersonMerge, ServiceUser

bp = Blueprint("merges", __name__, url_prefix="/admin/duplicates")


class MergeForm(Form):
    target_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=MAX_ID)])
    source_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=MAX_ID)])
    reason = StringField(_l("合并理由"), validators=[DataRequired(), Length(max=200)])


def can_merge_people(user: User) -> bool:
    return user.role is Role.SYSADMIN and not user.is_pending_confirmation


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(can_merge_people(current_user))
    return render_template(
        "merges/index.html",
        groups=services.duplicate_groups(),
        merges=services.recent_merges(),
        can_undo=services.can_undo,
        form=MergeForm(formdata=None),
        action_form=ActionForm(),
        undo_days=services.UNDO_DAYS,
    )


@bp.post("/merge")
@login_required
def merge() -> ResponseReturnValue:
    require(can_merge_people(current_user))
    form = MergeForm()
    back = url_for("merges.index")
    if not form.validate_on_submit():
        flash(_("请填写合并理由。"), "danger")
        return redirect(back)
    target = db.get_or_404(ServiceUser, form.target_id.data)
    source = db.get_or_404(ServiceUser, form.source_id.data)
    try:
        services.merge(
            actor=current_user, target=target, source=source, reason=form.reason.data or ""
        )
    except services.MergeError as error:
        report_refusal(error)
        return redirect(back)
    return done(_("档案已合并，%(days)d 天内可以撤销。", days=services.UNDO_DAYS), back)


@bp.post("/merges/<int:merge_id>/undo")
@login_required
def undo(merge_id: int) -> ResponseReturnValue:
    require(can_merge_people(current_user))
    record = db.get_or_404(PersonMerge, merge_id)
    back = url_for("merges.index")
    if not ActionForm().validate_on_submit():
        return redirect(back)
    try:
        services.undo(actor=current_user, record=record)
    except services.MergeError as error:
        report_refusal(error)
        return redirect(back)
    return done(_("合并已撤销。"), back)
