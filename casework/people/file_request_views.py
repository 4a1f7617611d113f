"""Requests for a file another unit holds (档案请求): made from the registration page's
notice, listed for the unit that asked and the unit that holds the file, answered by the
holder's station head."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.core.actions import done, form_page, refused, report_refusal
from casework.core.permissions import require
from casework.extensions import db
from casework.people import file_requests
from casework.people.forms import FileRequestAnswerForm, FileRequestForm
from casework.people.models import FileRequest, FileRequestKind, FileRequestStatus
from casework.people.views import bp

MAX_LISTED = 100


def _visible_request_or_404(request_id: int) -> FileRequest:
    found: FileRequest = db.first_or_404(
        file_requests.file_requests_visible_to(current_user).where(FileRequest.id == request_id)
    )
    return found


def _listed(*, incoming: bool) -> list[FileRequest]:
    """The unit's requests, pending first, then the newest."""
    side = FileRequest.to_unit_id if incoming else FileRequest.from_unit_id
    query = (
        file_requests.file_requests_visible_to(current_user)
        .where(side == current_user.unit_id)
        .options(
            selectinload(FileRequest.from_unit),
            selectinload(FileRequest.to_unit),
            selectinload(FileRequest.requested_by),
            selectinload(FileRequest.answered_by),
        )
        .order_by(
            (FileRequest.status == FileRequestStatus.PENDING).desc(),
            FileRequest.requested_at.desc(),
            FileRequest.id.desc(),
        )
        .limit(MAX_LISTED)
    )
    if incoming:
        # The holder sees whose file is asked for; the asking unit knows only the number.
        query = query.options(selectinload(FileRequest.person))
    return list(db.session.scalars(query))


@bp.get("/requests/")
@login_required
def file_request_list() -> ResponseReturnValue:
    require(file_requests.can_list_file_requests(current_user))
    return render_template(
        "people/file_requests.html",
        incoming=_listed(incoming=True),
        outgoing=_listed(incoming=False),
        answer_form=FileRequestAnswerForm(formdata=None),
        action_form=ActionForm(),
        can_answer=file_requests.can_answer,
        can_withdraw=file_requests.can_withdraw,
        can_revoke=file_requests.can_revoke,
        limit=MAX_LISTED,
        kinds=FileRequestKind,
        statuses=FileRequestStatus,
    )


@bp.post("/requests/new")
@login_required
def new_file_request() -> ResponseReturnValue:
    """Ask the unit holding the number typed on the registration page."""
    require(file_requests.can_request_files(current_user))
    form = FileRequestForm(prefix="request")
    if not form.validate_on_submit():
        return form_page("people/file_request_new.html", form=form)
    try:
        file_requests.request_file(
            actor=current_user,
            id_number=form.id_number.data or "",
            kind=FileRequestKind.of(form.kind.data or ""),
            reason=form.reason.data or "",
        )
    except file_requests.FileRequestError as error:
        return refused(error, "people/file_request_new.html", form=form)
    return done(
        _("请求已发给该服务对象的登记单位，答复后会显示在“档案请求”中。"),
        url_for("people.file_request_list"),
    )


@bp.post("/requests/<int:request_id>/grant")
@login_required
def grant_file_request(request_id: int) -> ResponseReturnValue:
    found = _visible_request_or_404(request_id)
    require(file_requests.can_answer(current_user, found))
    form = FileRequestAnswerForm()
    if form.validate_on_submit():
        try:
            file_requests.grant(actor=current_user, request=found, note=form.note.data)
        except file_requests.FileRequestError as error:
            report_refusal(error)
        else:
            return done(_("已同意该请求。"), url_for("people.file_request_list"))
    return redirect(url_for("people.file_request_list"))


@bp.post("/requests/<int:request_id>/decline")
@login_required
def decline_file_request(request_id: int) -> ResponseReturnValue:
    found = _visible_request_or_404(request_id)
    require(file_requests.can_answer(current_user, found))
    form = FileRequestAnswerForm()
    if form.validate_on_submit():
        try:
            file_requests.decline(actor=current_user, request=found, note=form.note.data or "")
        except file_requests.FileRequestError as error:
            report_refusal(error)
        else:
            return done(_("已拒绝该请求。"), url_for("people.file_request_list"))
    return redirect(url_for("people.file_request_list"))


@bp.post("/requests/<int:request_id>/withdraw")
@login_required
def withdraw_file_request(request_id: int) -> ResponseReturnValue:
    found = _visible_request_or_404(request_id)
    require(file_requests.can_withdraw(current_user, found))
    if ActionForm().validate_on_submit():
        file_requests.withdraw(actor=current_user, request=found)
        db.session.commit()
        flash(_("请求已撤回。"), "success")
    return redirect(url_for("people.file_request_list"))


@bp.post("/requests/<int:request_id>/revoke")
@login_required
def revoke_file_request(request_id: int) -> ResponseReturnValue:
    found = _visible_request_or_404(request_id)
    require(file_requests.can_revoke(current_user, found))
    if ActionForm().validate_on_submit():
        file_requests.revoke(actor=current_user, request=found)
        db.session.commit()
        flash(_("已收回查阅权限。"), "success")
    return redirect(url_for("people.file_request_list"))
