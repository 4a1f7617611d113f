"""The staff side of the help channel: the triage queue, a request's page and its actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.accounts.forms import ActionForm
from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids
from casework.accounts.queries import front_line_staff
from casework.core.actions import done, form_page, report_refusal
from casework.core.forms import SelectChoice
from casework.core.inputs import external_url
from casework.core.pagination import keyset_paginate
from casework.core.pdf import MissingCJKFont
from casework.core.permissions import require
from casework.core.rules import RuleError
from casework.extensions import db
from casework.helpdesk import queries, services
from casework.helpdesk.board import render_poster
from casework.helpdesk.forms import (
    AssignRequestForm,
    CloseForm,
    DeclineForm,
    LogRequestForm,
    NoteForm,
    ProfileForm,
    ReferToAgencyForm,
    ReferToUnitForm,
    ReplyForm,
)
from casework.helpdesk.models import (
    Channel,
    ContactPreference,
    HelpRequest,
    RequestCategory,
    RequestStatus,
)
from casework.helpdesk.permissions import (
    can_edit_profile,
    can_handle_request,
    can_log_request,
    requests_visible_to,
)
from casework.hotline.models import WorkOrder
from casework.orgs.models import Unit

bp = Blueprint("helpdesk", __name__, url_prefix="/requests")

F = TypeVar("F")

PER_PAGE = 25


def visible_request_or_404(request_id: int) -> HelpRequest:
    help_request: HelpRequest = db.first_or_404(
        requests_visible_to(current_user).where(HelpRequest.id == request_id)
    )
    return help_request


def handled_request_or_403(request_id: int) -> HelpRequest:
    help_request = visible_request_or_404(request_id)
    require(can_handle_request(current_user, help_request))
    return help_request


# --- the queue ---------------------------------------------------------------------------


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The triage queue of the units the user works in or supervises, oldest first."""
    unit_ids = casework_unit_ids(current_user)
    require(bool(unit_ids))
    filters = queries.request_filters_from(request.args)
    page = keyset_paginate(
        queries.filtered_requests(requests_visible_to(current_user), filters),
        keys=queries.QUEUE_ORDER,
        id_column=HelpRequest.id,
        args=request.args,
        per_page=PER_PAGE,
    )
    return render_template(
        "helpdesk/index.html",
        page=page,
        rows=queries.queue_rows(page.items),
        status_counts=queries.requests_by_status(requests_visible_to(current_user)),
        unassigned=queries.unassigned_count(requests_visible_to(current_user)),
        filters=filters,
        statuses=list(RequestStatus),
        categories=list(RequestCategory),
        channels=list(Channel),
        show_unit=len(unit_ids) > 1,
        can_log=can_log_request(current_user),
        can_edit_profile=can_edit_profile(current_user, current_user.unit),
    )


# --- one request -------------------------------------------------------------------------


@dataclass
class ActionForms:
    """The forms on a request's page; the one just submitted is bound to its input."""

    action: ActionForm
    assign: AssignRequestForm
    reply: ReplyForm
    note: NoteForm
    refer: ReferToUnitForm
    agency: ReferToAgencyForm
    decline: DeclineForm
    close: CloseForm


def _action_forms(help_request: HelpRequest, bound: str = "") -> ActionForms:
    def make(form_class: Callable[..., F], prefix: str) -> F:
        if prefix == bound:
            return form_class(prefix=prefix)
        return form_class(prefix=prefix, formdata=None)

    forms = ActionForms(
        action=make(ActionForm, "action"),
        assign=make(AssignRequestForm, "assign"),
        reply=make(ReplyForm, "reply"),
        note=make(NoteForm, "note"),
        refer=make(ReferToUnitForm, "refer"),
        agency=make(ReferToAgencyForm, "agency"),
        decline=make(DeclineForm, "decline"),
        close=make(CloseForm, "close"),
    )
    forms.assign.worker_id.choices = [
        SelectChoice(str(worker.id), worker.display_name)
        for worker in front_line_staff([help_request.unit_id])
    ]
    if bound != "assign" and help_request.assigned_to_id:
        forms.assign.worker_id.data = help_request.assigned_to_id
    forms.refer.unit_id.choices = [
        SelectChoice(str(unit.id), unit.name)
        for unit in queries.referral_units(help_request.unit_id)
    ]
    return forms


def _detail_page(
    help_request: HelpRequest, forms: ActionForms | None = None, status: int = 200
) -> ResponseReturnValue:
    can_handle = can_handle_request(current_user, help_request)
    profile = services.profile_for(help_request.unit)
    return render_template(
        "helpdesk/detail.html",
        help_request=help_request,
        tracking_code=services.format_tracking_code(help_request.tracking_code),
        events=queries.history(help_request),
        deadlines=services.deadlines(help_request, profile),
        profile=profile,
        can_handle=can_handle,
        full_phone=can_handle,
        forms=forms or (_action_forms(help_request) if can_handle else None),
        work_order=db.session.scalar(
            db.select(WorkOrder).where(WorkOrder.help_request_id == help_request.id)
        ),
    ), status


@bp.get("/<int:request_id>")
@login_required
def detail(request_id: int) -> ResponseReturnValue:
    help_request = visible_request_or_404(request_id)
    return _detail_page(help_request)


@dataclass(frozen=True)
class RequestAction:
    """One thing a worker does to a request from its page.

    ``form`` names the form on the page that is submitted; ``run`` calls the service with
    the validated form and returns the message that confirms it.
    """

    form: str
    run: Callable[[HelpRequest, Any], Any]
    back_to_queue: bool = False


def _acknowledge(help_request: HelpRequest, _form: ActionForm) -> Any:
    services.acknowledge(actor=current_user, request=help_request)
    return _("已受理。")


def _start(help_request: HelpRequest, _form: ActionForm) -> Any:
    services.start(actor=current_user, request=help_request)
    return _("已开始处理。")


def _assign(help_request: HelpRequest, form: AssignRequestForm) -> Any:
    worker = db.get_or_404(User, form.worker_id.data)
    services.assign(actor=current_user, request=help_request, worker=worker)
    return _("已分派给 %(name)s。", name=worker.display_name)


def _reply(help_request: HelpRequest, form: ReplyForm) -> Any:
    services.reply(actor=current_user, request=help_request, body=form.body.data or "")
    return _("答复已发布，居民可用查询码查看。")


def _note(help_request: HelpRequest, form: NoteForm) -> Any:
    services.add_note(actor=current_user, request=help_request, body=form.body.data or "")
    return _("内部备注已保存。")


def _refer(help_request: HelpRequest, form: ReferToUnitForm) -> Any:
    unit = db.get_or_404(Unit, form.unit_id.data)
    services.refer_to_unit(
        actor=current_user, request=help_request, unit=unit, note=form.note.data or ""
    )
    return _("求助已转介至%(unit)s，由该单位继续处理。", unit=unit.name)


def _refer_out(help_request: HelpRequest, form: ReferToAgencyForm) -> Any:
    agency = form.agency.data or ""
    services.refer_to_agency(
        actor=current_user, request=help_request, agency=agency, note=form.note.data or ""
    )
    return _("已转介至%(agency)s。", agency=agency.strip())


def _decline(help_request: HelpRequest, form: DeclineForm) -> Any:
    services.decline(actor=current_user, request=help_request, reason=form.reason.data or "")
    return _("已记录不予受理，原因将告知居民。")


def _close(help_request: HelpRequest, form: CloseForm) -> Any:
    services.close(actor=current_user, request=help_request, note=form.note.data or "")
    return _("求助已办结。")


ACTIONS: dict[str, RequestAction] = {
    "acknowledge": RequestAction("action", _acknowledge),
    "start": RequestAction("action", _start),
    "assign": RequestAction("assign", _assign),
    "reply": RequestAction("reply", _reply),
    "note": RequestAction("note", _note),
    "refer": RequestAction("refer", _refer, back_to_queue=True),
    "refer-out": RequestAction("agency", _refer_out),
    "decline": RequestAction("decline", _decline),
    "close": RequestAction("close", _close),
}
ACTION_NAMES = ", ".join(f"'{name}'" for name in ACTIONS)
ACTION_RULE = f"/<int:request_id>/<any({ACTION_NAMES}):action>"


@bp.post(ACTION_RULE)
@login_required
def act(request_id: int, action: str) -> ResponseReturnValue:
    """Every action on the request's page: a refusal shows the page again, input kept."""
    step = ACTIONS[action]
    help_request = handled_request_or_403(request_id)
    forms = _action_forms(help_request, step.form)
    form = getattr(forms, step.form)
    if not form.validate_on_submit():
        return _detail_page(help_request, forms, 422)
    try:
        message = step.run(help_request, form)
    except RuleError as error:
        report_refusal(error)
        return _detail_page(help_request, forms, 422)
    target = (
        url_for("helpdesk.index")
        if step.back_to_queue
        else url_for("helpdesk.detail", request_id=help_request.id)
    )
    return done(message, target)


# --- logging a request, the notice board -------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """Log a hotline call, a letter or a walk-in into the user's own unit."""
    require(can_log_request(current_user))
    form = LogRequestForm()
    if request.method == "GET":
        form.channel.data = Channel.HOTLINE.value
        form.contact_preference.data = ContactPreference.PHONE.value
    if not form.validate_on_submit():
        return form_page("helpdesk/new.html", form=form)
    help_request = services.log_request(
        actor=current_user,
        unit=current_user.unit,
        channel=Channel.of(form.channel.data or ""),
        details=services.RequestDetails(
            category=RequestCategory.of(form.category.data or ""),
            description=form.description.data or "",
            name=form.name.data,
            phone=form.phone.data,
            contact_preference=ContactPreference.of(form.contact_preference.data or ""),
        ),
        consent_given=bool(form.consent.data),
    )
    return done(
        _(
            "求助已登记。查询码 %(code)s，请告知求助人，用于查询办理进度。",
            code=services.format_tracking_code(help_request.tracking_code),
        ),
        url_for("helpdesk.detail", request_id=help_request.id),
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    """The station head keeps the notice board and the response-time limits."""
    unit = current_user.unit
    require(can_edit_profile(current_user, unit))
    form = ProfileForm()
    if request.method == "GET":
        current = services.profile_for(unit)
        form.opening_hours.data = current.opening_hours
        form.hotline.data = current.hotline
        form.address.data = current.address
        form.services.data = current.services
        form.acknowledge_within_days.data = current.acknowledge_within_days
        form.answer_within_days.data = current.answer_within_days
    if not form.validate_on_submit():
        return form_page("helpdesk/profile.html", form=form, unit=unit)
    try:
        services.save_profile(
            actor=current_user,
            unit=unit,
            details=services.ProfileDetails(
                opening_hours=form.opening_hours.data or "",
                hotline=form.hotline.data or "",
                address=form.address.data or "",
                services=form.services.data or "",
                acknowledge_within_days=form.acknowledge_within_days.data or 1,
                answer_within_days=form.answer_within_days.data or 1,
            ),
        )
    except services.RequestRuleError as error:
        report_refusal(error, form.acknowledge_within_days)
        return render_template("helpdesk/profile.html", form=form, unit=unit), 422
    return done(_("公示栏和办理时限已保存。"), url_for("helpdesk.profile"))


@bp.get("/profile/poster.pdf")
@login_required
def poster() -> ResponseReturnValue:
    """The notice board as an A4 poster whose QR code opens this station's help form."""
    unit = current_user.unit
    require(can_edit_profile(current_user, unit))
    path = url_for("helpdesk_public.submit", station=unit.id)
    # The configured public address; without one, the address this head is using.
    address = (
        external_url(path)
        if current_app.config.get("EXTERNAL_URL")
        else request.host_url.rstrip("/") + path
    )
    try:
        pdf = render_poster(unit, address)
    except MissingCJKFont as error:
        flash(str(error.message), "danger")
        return redirect(url_for("helpdesk.profile"))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="poster-{unit.id}.pdf"'},
    )
