"""Referrals that arrive at a unit: its queue, and its answer to each."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.cases import referrals
from casework.cases.enums import ReferralOutcome
from casework.cases.forms import ReferralAnswerForm
from casework.cases.models import Referral
from casework.cases.views import bp
from casework.core.actions import done, form_page, refused
from casework.core.clock import local_today
from casework.core.forms import SelectChoice
from casework.core.permissions import require
from casework.extensions import db


@bp.get("/referrals/inbound")
@login_required
def inbound_referrals() -> ResponseReturnValue:
    show_all = request.args.get("status") == "all"
    require(referrals.can_receive_referrals(current_user))
    return render_template(
        "cases/inbound_referrals.html",
        items=referrals.inbound(current_user, show_all=show_all),
        show_all=show_all,
        today=local_today(),
    )


def _answer_form(referral: Referral, form: ReferralAnswerForm | None = None) -> ReferralAnswerForm:
    form = form or ReferralAnswerForm(formdata=None)
    allowed = referrals.ANSWERS.get(referral.outcome, ())
    form.outcome.choices = [SelectChoice("", _("（请选择）"))] + [
        SelectChoice(outcome.value, outcome.label) for outcome in allowed
    ]
    if form.outcome_on.data is None:
        form.outcome_on.data = local_today()
    return form


@bp.route("/referrals/inbound/<int:referral_id>", methods=["GET", "POST"])
@login_required
def inbound_referral(referral_id: int) -> ResponseReturnValue:
    referral: Referral = db.first_or_404(
        referrals.inbound_visible_to(current_user).where(Referral.id == referral_id)
    )
    can_answer = referrals.can_answer(current_user, referral)
    if request.method == "GET":
        return render_template(
            "cases/inbound_referral.html",
            referral=referral,
            form=_answer_form(referral),
            can_answer=can_answer,
            today=local_today(),
        )
    require(can_answer)
    form = _answer_form(referral, ReferralAnswerForm())
    page = {"referral": referral, "form": form, "can_answer": can_answer, "today": local_today()}
    if not form.validate_on_submit():
        return form_page("cases/inbound_referral.html", **page)
    try:
        referrals.answer(
            actor=current_user,
            referral=referral,
            outcome=ReferralOutcome.of(form.outcome.data or ""),
            note=form.note.data or "",
            on=form.outcome_on.data,  # type: ignore[arg-type]
        )
    except referrals.ReferralError as error:
        return refused(error, "cases/inbound_referral.html", **page)
    return done(_("答复已发送给转介方。"), url_for("cases.inbound_referrals"))
