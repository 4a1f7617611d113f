"""Case transfers between units: propose (the case's worker), accept or reject (the
receiving station head), withdraw (the sender); the list of transfers in and out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids
from casework.cases import transfers
from casework.cases.enums import TransferStatus
from casework.cases.forms import (
    AssignForm,
    RejectTransferForm,
    TransferForm,
    default_tutor_id,
    fill_staff_choices,
)
from casework.cases.models import CaseTransfer
from casework.cases.services import CaseRuleError, record_case_export
from casework.cases.views import bp, visible_case_or_404
from casework.core.actions import done, form_page, refused
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.picker import pick_units, picked


@bp.route("/<int:case_id>/transfer", methods=["GET", "POST"])
@login_required
def propose_transfer(case_id: int) -> ResponseReturnValue:
    case = visible_case_or_404(case_id)
    require(transfers.can_propose_transfer(current_user, case))
    form = TransferForm()
    term, chosen = picked(form, "to_unit_id")
    units = pick_units(transfers.receiving_units(case), near=case.unit, term=term, chosen=chosen)
    form.to_unit_id.choices = units.choices
    page = {
        "form": form,
        "case": case,
        "pending": transfers.pending_transfer(case),
        "units": units,
    }
    if not form.validate_on_submit():
        return form_page("cases/transfer.html", **page)
    to_unit = db.get_or_404(Unit, form.to_unit_id.data)
    try:
        transfers.propose(
            actor=current_user,
            case=case,
            to_unit=to_unit,
            reason=form.reason.data or "",
            handover_note=form.handover_note.data or "",
        )
    except transfers.TransferError as error:
        return refused(error, "cases/transfer.html", **page)
    return done(
        _("转移申请已提交，等待%(unit)s站长接收。", unit=to_unit.name),
        url_for("cases.detail", case_id=case.id) + "#transfers",
    )


@bp.get("/transfers")
@login_required
def transfer_list() -> ResponseReturnValue:
    require(transfers.can_list_transfers(current_user))
    scope = transfers.transfers_visible_to(current_user)
    shown = request.args.get("status", "pending")
    if shown == "pending":
        scope = scope.where(CaseTransfer.status == TransferStatus.PENDING)
    found = db.session.scalars(
        scope.options(
            selectinload(CaseTransfer.case),
            selectinload(CaseTransfer.from_unit),
            selectinload(CaseTransfer.to_unit),
            selectinload(CaseTransfer.proposed_by),
        )
        .order_by(CaseTransfer.id.desc())
        .limit(200)
    ).all()
    units = set(casework_unit_ids(current_user))
    return render_template(
        "cases/transfers.html",
        inbound=[t for t in found if t.to_unit_id in units],
        outbound=[t for t in found if t.from_unit_id in units],
        shown=shown,
    )


def _visible_transfer_or_404(transfer_id: int) -> CaseTransfer:
    transfer: CaseTransfer = db.first_or_404(
        transfers.transfers_visible_to(current_user).where(CaseTransfer.id == transfer_id)
    )
    return transfer


def _decision_page(transfer: CaseTransfer, **forms: object) -> dict[str, object]:
    pending = transfer.status is TransferStatus.PENDING
    can_decide = pending and transfers.can_decide_transfer(current_user, transfer)
    accept_form = forms.get("accept_form") or AssignForm(formdata=None)
    if can_decide:
        # The receiving unit's staff and tutors, its tutor chosen when it has only one.
        tutors = fill_staff_choices(accept_form, transfer.to_unit_id)  # type: ignore[arg-type]
        if "accept_form" not in forms:
            accept_form.tutor_id.data = default_tutor_id(tutors)  # type: ignore[attr-defined]
    return {
        "transfer": transfer,
        "case": transfer.case,
        "accept_form": accept_form,
        "reject_form": forms.get("reject_form") or RejectTransferForm(formdata=None),
        "action_form": ActionForm(),
        "can_decide": can_decide,
        "can_withdraw": pending and transfers.can_withdraw_transfer(current_user, transfer),
        "can_read_as_sent": transfers.can_read_as_sent(current_user, transfer),
    }


@bp.get("/transfers/<int:transfer_id>")
@login_required
def transfer_detail(transfer_id: int) -> ResponseReturnValue:
    transfer = _visible_transfer_or_404(transfer_id)
    return render_template("cases/transfer_detail.html", **_decision_page(transfer))


@bp.post("/transfers/<int:transfer_id>/accept")
@login_required
def accept_transfer(transfer_id: int) -> ResponseReturnValue:
    transfer = _visible_transfer_or_404(transfer_id)
    require(transfers.can_decide_transfer(current_user, transfer))
    form = AssignForm()
    page = _decision_page(transfer, accept_form=form)
    if not form.validate_on_submit():
        return form_page("cases/transfer_detail.html", **page)
    worker = db.get_or_404(User, form.worker_id.data)
    tutor = db.session.get(User, form.tutor_id.data) if form.tutor_id.data else None
    try:
        transfers.accept(actor=current_user, transfer=transfer, worker=worker, tutor=tutor)
    except (transfers.TransferError, CaseRuleError) as error:
        return refused(error, "cases/transfer_detail.html", **page)
    return done(
        _("个案 %(number)s 已接收。", number=transfer.case.number),
        url_for("cases.detail", case_id=transfer.case_id),
    )


@bp.post("/transfers/<int:transfer_id>/reject")
@login_required
def reject_transfer(transfer_id: int) -> ResponseReturnValue:
    transfer = _visible_transfer_or_404(transfer_id)
    require(transfers.can_decide_transfer(current_user, transfer))
    form = RejectTransferForm()
    page = _decision_page(transfer, reject_form=form)
    if not form.validate_on_submit():
        return form_page("cases/transfer_detail.html", **page)
    try:
        transfers.reject(actor=current_user, transfer=transfer, reason=form.reason.data or "")
    except transfers.TransferError as error:
        return refused(error, "cases/transfer_detail.html", **page)
    return done(_("已退回该转移申请。"), url_for("cases.transfer_list"))


@bp.post("/transfers/<int:transfer_id>/withdraw")
@login_required
def withdraw_transfer(transfer_id: int) -> ResponseReturnValue:
    transfer = _visible_transfer_or_404(transfer_id)
    require(transfers.can_withdraw_transfer(current_user, transfer))
    if not ActionForm().validate_on_submit():
        return form_page("cases/transfer_detail.html", **_decision_page(transfer))
    try:
        transfers.withdraw(actor=current_user, transfer=transfer)
    except transfers.TransferError as error:
        return refused(error, "cases/transfer_detail.html", **_decision_page(transfer))
    return done(_("转移申请已撤回。"), url_for("cases.detail", case_id=transfer.case_id))


@bp.get("/transfers/<int:transfer_id>/file.pdf")
@login_required
def transfer_case_file(transfer_id: int) -> ResponseReturnValue:
    """The case file as the sending unit left it, for that unit (when configured)."""
    from casework.cases.casefile import render_case_file
    from casework.core.pdf import MissingCJKFont, pdf_download

    transfer = _visible_transfer_or_404(transfer_id)
    require(transfers.can_read_as_sent(current_user, transfer))
    case = transfer.case
    try:
        pdf = render_case_file(case, sent=transfer)
    except MissingCJKFont as error:
        flash(str(error.message), "danger")
        return redirect(url_for("cases.transfer_detail", transfer_id=transfer.id))
    record_case_export(actor=current_user, case=case)
    db.session.commit()
    return pdf_download(pdf, f"{case.number}.pdf")
