"""Residents' rights requests: the queue, recording one, answering it, the access copy."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from casework.accounts.models import User
from casework.core import audit
from casework.core.actions import done, form_page, report_refusal
from casework.core.clock import local_today
from casework.core.permissions import require
from casework.extensions import db
from casework.people.models import ServiceUser
from casework.people.permissions import can_edit_person, people_visible_to
from casework.rights import services
from casework.rights.forms import OutcomeForm, RightsRequestForm
from casework.rights.models import RightsChannel, RightsKind, RightsRequest, RightsStatus
from casework.rights.permissions import (
    can_delete_person,
    can_handle_rights,
    rights_requests_visible_to,
)

bp = Blueprint("rights", __name__, url_prefix="/rights")


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(can_handle_rights(current_user))
    requests = db.session.scalars(
        rights_requests_visible_to(current_user)
        .options(selectinload(RightsRequest.person))  # one query for the names, not one a row
        .order_by(
            (RightsRequest.status != RightsStatus.OPEN),
            RightsRequest.due_on,
            RightsRequest.id.desc(),
        )
        .limit(200)
    ).all()
    return render_template("rights/index.html", requests=requests, is_overdue=services.is_overdue)


@bp.route("/new/<int:person_id>", methods=["GET", "POST"])
@login_required
def new(person_id: int) -> ResponseReturnValue:
    person: ServiceUser = db.first_or_404(
        people_visible_to(current_user).where(ServiceUser.id == person_id)
    )
    require(can_handle_rights(current_user) and can_edit_person(current_user, person))
    form = RightsRequestForm()
    if form.received_on.data is None and not form.is_submitted():
        form.received_on.data = local_today()
    if not form.validate_on_submit():
        return form_page("rights/new.html", form=form, person=person)
    request = services.record_request(
        actor=current_user,
        person=person,
        details=services.RequestDetails(
            kind=RightsKind.of(form.kind.data or ""),
            channel=RightsChannel.of(form.channel.data or ""),
            received_on=form.received_on.data or local_today(),
            details=form.details.data or "",
        ),
    )
    return done(
        _("已登记，请在 %(due)s 前答复。", due=request.due_on.isoformat()),
        url_for("rights.detail", request_id=request.id),
    )


def _request_or_404(request_id: int) -> RightsRequest:
    request: RightsRequest = db.first_or_404(
        rights_requests_visible_to(current_user).where(RightsRequest.id == request_id)
    )
    return request


def _page(item: RightsRequest, form: OutcomeForm, status: int = 200) -> ResponseReturnValue:
    return (
        render_template(
            "rights/detail.html",
            item=item,
            form=form,
            overdue=services.is_overdue(item),
            may_delete=can_delete_person(current_user, item),
        ),
        status,
    )


@bp.get("/<int:request_id>")
@login_required
def detail(request_id: int) -> ResponseReturnValue:
    return _page(_request_or_404(request_id), OutcomeForm(formdata=None))


@dataclass(frozen=True)
class Step:
    allowed: Callable[[User, RightsRequest], bool]
    apply: Callable[..., None]
    message: Any


STEPS = {
    "complete": Step(lambda _user, _item: True, services.complete, _l("已办结。")),
    "refuse": Step(lambda _user, _item: True, services.refuse, _l("已记录不予办理的理由。")),
    "delete": Step(can_delete_person, services.delete_person, _l("已删除（匿名化处理）。")),
    "withdraw": Step(lambda _user, _item: True, services.withdraw_consent, _l("已撤回同意。")),
}


@bp.post("/<int:request_id>/<any(complete, refuse, delete, withdraw):step>")
@login_required
def act(request_id: int, step: str) -> ResponseReturnValue:
    item = _request_or_404(request_id)
    action = STEPS[step]
    require(action.allowed(current_user, item))
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _page(item, form, 422)
    try:
        action.apply(actor=current_user, request=item, outcome=form.outcome.data or "")
    except services.RightsError as error:
        report_refusal(error, form.outcome if error.code == "outcome_required" else None)
        return _page(item, form, 422)
    return done(action.message, url_for("rights.detail", request_id=item.id))


def _access_request(request_id: int) -> RightsRequest:
    item = _request_or_404(request_id)
    require(item.kind is RightsKind.ACCESS and item.person.anonymised_at is None)
    return item


def _exported(item: RightsRequest, fmt: str) -> None:
    audit.record(
        "rights_request.export",
        item,
        actor_id=current_user.id,
        details={"format": fmt, "person": item.service_user_id},
    )
    db.session.commit()


@bp.get("/<int:request_id>/copy.json")
@login_required
def copy_json(request_id: int) -> ResponseReturnValue:
    """The person's data, machine-readable (PIPL Art. 45: a copy, and portability)."""
    item = _access_request(request_id)
    body = json.dumps(services.person_data(item.person), ensure_ascii=False, indent=2, default=str)
    _exported(item, "json")
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="rights-{item.id}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/<int:request_id>/copy.pdf")
@login_required
def copy_pdf(request_id: int) -> ResponseReturnValue:
    from casework.core.pdf import MissingCJKFont, pdf_download, render_pdf

    item = _access_request(request_id)
    try:
        pdf = render_pdf(
            "rights/access_pdf.html",
            data=services.person_data(item.person),
            item=item,
            generated_on=local_today(),
        )
    except MissingCJKFont as error:
        flash(str(error.message), "danger")
        return redirect(url_for("rights.detail", request_id=item.id))
    _exported(item, "pdf")
    return pdf_download(pdf, f"rights-{item.id}.pdf")
