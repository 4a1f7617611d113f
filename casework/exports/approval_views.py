"""The two-person rule's pages: the request, the second person's decision, the one download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.core.actions import done, report_refusal
from casework.core.permissions import require
from casework.exports import approvals
from casework.exports.forms import ApprovalDecisionForm
from casework.exports.models import ApprovalStatus, ExportApproval
from casework.exports.views import bp, build_approved, finish
from casework.extensions import db
from casework.people.permissions import may_export_full_identifiers

KIND_LABELS = {"people": _l("服务对象"), "requests": _l("求助")}


def _approval_or_404(approval_id: int) -> ExportApproval:
    approval: ExportApproval = db.first_or_404(
        approvals.approvals_visible_to(current_user).where(ExportApproval.id == approval_id)
    )
    return approval


def _is_requester(user: User, approval: ExportApproval) -> bool:
    return approval.requested_by_id == user.id


@bp.get("/approvals")
@login_required
def approval_list() -> ResponseReturnValue:
    """One's own requests and those one may decide, newest first."""
    require(may_export_full_identifiers(current_user))
    rows = db.session.scalars(
        approvals.approvals_visible_to(current_user)
        .where(
            or_(
                ExportApproval.requested_by_id == current_user.id,
                ExportApproval.status == ApprovalStatus.PENDING,
            )
        )
        .options(selectinload(ExportApproval.requested_by))
        .order_by(ExportApproval.requested_at.desc(), ExportApproval.id.desc())
        .limit(200)
    ).all()
    visible = [
        a for a in rows if _is_requester(current_user, a) or approvals.can_approve(current_user, a)
    ]
    return render_template(
        "exports/approvals.html",
        approvals=visible,
        kinds=KIND_LABELS,
        is_ready=approvals.is_ready,
        is_expired=approvals.is_expired,
    )


@bp.get("/approvals/<int:approval_id>")
@login_required
def approval(approval_id: int) -> ResponseReturnValue:
    item = _approval_or_404(approval_id)
    require(_is_requester(current_user, item) or approvals.can_approve(current_user, item))
    return _approval_page(item, ApprovalDecisionForm())


def _approval_page(
    item: ExportApproval, form: ApprovalDecisionForm, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "exports/approval.html",
        item=item,
        kind=KIND_LABELS.get(item.kind, item.kind),
        form=form,
        may_decide=approvals.can_approve(current_user, item),
        is_requester=_is_requester(current_user, item),
        ready=approvals.is_ready(item),
        expired=approvals.is_expired(item),
    )
    return page, status


@dataclass(frozen=True)
class Decision:
    allowed: Callable[[User, ExportApproval], bool]
    apply: Callable[[ExportApproval, ApprovalDecisionForm], None]
    message: object


DECISIONS = {
    "approve": Decision(
        approvals.can_approve,
        lambda item, _form: approvals.approve(actor=current_user, approval=item),
        _l("已批准。申请人可在有效期内下载一次。"),
    ),
    "reject": Decision(
        approvals.can_approve,
        lambda item, form: approvals.reject(
            actor=current_user, approval=item, note=form.note.data or ""
        ),
        _l("已不批准，申请人会看到原因。"),
    ),
    "withdraw": Decision(
        _is_requester,
        lambda item, _form: approvals.withdraw(actor=current_user, approval=item),
        _l("申请已撤回。"),
    ),
}


@bp.post("/approvals/<int:approval_id>/<any(approve, reject, withdraw):decision>")
@login_required
def decide(approval_id: int, decision: str) -> ResponseReturnValue:
    item = _approval_or_404(approval_id)
    step = DECISIONS[decision]
    require(step.allowed(current_user, item))
    form = ApprovalDecisionForm()
    if not form.validate_on_submit():
        return _approval_page(item, form, 422)
    try:
        step.apply(item, form)
    except approvals.ApprovalError as error:
        report_refusal(error, form.note if error.code == "note_required" else None)
        return _approval_page(item, form, 422)
    return done(step.message, url_for("exports.approval", approval_id=item.id))


@bp.post("/approvals/<int:approval_id>/download")
@login_required
def approved_download(approval_id: int) -> ResponseReturnValue:
    """The one download of an approved file, by whoever asked for it."""
    item = _approval_or_404(approval_id)
    require(_is_requester(current_user, item))
    if not ApprovalDecisionForm().validate_on_submit():
        abort(400)
    try:
        approvals.mark_downloaded(item)
    except approvals.ApprovalError as error:
        report_refusal(error)
        return _approval_page(item, ApprovalDecisionForm(), 409)
    data = build_approved(item)
    return finish(
        data,
        item.kind,
        item.file_format,
        full_identifiers=True,
        reason=item.reason,
        approval=item.id,
        approved_by=item.decided_by_id,
    )
