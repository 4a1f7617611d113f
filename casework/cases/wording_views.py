"""The administrator's word list for wording hints (用词提示词表): add, edit, deactivate."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.accounts.forms import ActionForm
from casework.cases import wording
from casework.cases.forms import WordingRuleForm
from casework.cases.models import WordingRule
from casework.cases.permissions import can_manage_wording
from casework.core.actions import done, form_page, report_refusal
from casework.core.permissions import require
from casework.extensions import db

bp = Blueprint("cases_wording", __name__, url_prefix="/admin/wording")


@bp.app_template_global("wording_rules_json")
def wording_rules_json() -> str:
    """The active rules for a record form's live hints."""
    return wording.matcher().as_json()


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    require(can_manage_wording(current_user))
    form = WordingRuleForm(formdata=None) if request.method == "GET" else WordingRuleForm()
    page = {"form": form, "rules": wording.rules_in_order(), "action_form": ActionForm()}
    if not form.validate_on_submit():
        return form_page("cases/wording.html", **page)
    try:
        wording.add_rule(
            actor=current_user,
            word=form.word.data or "",
            suggestion=form.suggestion.data or "",
            exceptions=form.exceptions.data or "",
        )
    except wording.WordingRuleError as error:
        report_refusal(error, form.word)
        return form_page("cases/wording.html", **page)
    return done(_("已添加到词表。"), url_for("cases_wording.index"))


@bp.route("/<int:rule_id>", methods=["GET", "POST"])
@login_required
def edit(rule_id: int) -> ResponseReturnValue:
    require(can_manage_wording(current_user))
    rule = db.get_or_404(WordingRule, rule_id)
    form = WordingRuleForm(obj=rule) if request.method == "GET" else WordingRuleForm()
    if not form.validate_on_submit():
        return form_page("cases/wording_edit.html", form=form, rule=rule)
    try:
        wording.update_rule(
            actor=current_user,
            rule=rule,
            word=form.word.data or "",
            suggestion=form.suggestion.data or "",
            exceptions=form.exceptions.data or "",
            is_active=bool(form.is_active.data),
        )
    except wording.WordingRuleError as error:
        report_refusal(error, form.word)
        return form_page("cases/wording_edit.html", form=form, rule=rule)
    return done(_("词表已更新。"), url_for("cases_wording.index"))


@bp.post("/defaults")
@login_required
def load_defaults() -> ResponseReturnValue:
    require(can_manage_wording(current_user))
    added = wording.load_default_rules(actor=current_user)
    return done(
        _("已导入默认词表中的 %(count)d 个词语。", count=added), url_for("cases_wording.index")
    )
