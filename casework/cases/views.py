"""Cases: the caseload, opening a case, the case page, lifecycle steps, comments, PDF."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import Select

from casework.accounts.forms import ActionForm
from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids
from casework.accounts.queries import front_line_staff
from casework.attachments.listing import attachments_context
from casework.attachments.models import Attachment
from casework.attachments.permissions import can_upload_to_case
from casework.cases import lifecycle, quality, queries, services, transfers, wording
from casework.cases.enums import (
    AssessmentArea,
    CaseSource,
    CaseStatus,
    ProblemCategory,
    RiskLevel,
    ServiceDomain,
)
from casework.cases.forms import (
    AssignForm,
    BreakGlassForm,
    CaseDetailsForm,
    CommentForm,
    OpenCaseForm,
    StepForm,
    default_tutor_id,
    fill_staff_choices,
)
from casework.cases.guide import guide
from casework.cases.models import Case
from casework.cases.permissions import (
    can_assign_case,
    can_break_glass,
    can_comment,
    can_export_case,
    can_list_cases,
    can_open_case,
    can_take_step,
    can_write_records,
    cases_visible_to,
    is_case_worker,
)
from casework.core.actions import done, form_page, report_refusal
from casework.core.clock import local_today
from casework.core.pagination import keyset_paginate
from casework.core.permissions import require
from casework.core.redirects import is_safe_next
from casework.extensions import db
from casework.groups.permissions import groups_visible_to
from casework.groups.queries import memberships_of
from casework.helpdesk import queries as request_queries
from casework.helpdesk.permissions import requests_visible_to
from casework.people.file_requests import has_access
from casework.people.models import ServiceUser
from casework.people.permissions import people_visible_to

bp = Blueprint("cases", __name__, url_prefix="/cases")


PER_PAGE = 25


def visible_case_or_404(case_id: int) -> Case:
    case: Case = db.first_or_404(cases_visible_to(current_user).where(Case.id == case_id))
    return case


def _caseload(template: str, scope_query: Select[Case], **extra: object) -> ResponseReturnValue:
    filters = queries.case_filters_from(request.args)
    page = keyset_paginate(
        queries.filtered_cases(scope_query, filters),
        keys=queries.sort_keys(filters),
        id_column=Case.id,
        args=request.args,
        per_page=PER_PAGE,
    )
    return render_template(
        template,
        page=page,
        filters=filters,
        statuses=list(CaseStatus),
        domains=list(ServiceDomain),
        risks=list(RiskLevel),
        workers=front_line_staff(casework_unit_ids(current_user)),
        sorts=SORT_LABELS,
        figure=queries.figure_of(filters),
        **extra,
    )


SORT_LABELS = {
    "opened": _l("开案日期（新→旧）"),
    "number": _l("个案编号"),
    "risk": _l("风险等级（高→低）"),
    "status": _l("状态"),
    "last_service": _l("最近服务（久→近）"),
}


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(can_list_cases(current_user))
    return _caseload("cases/index.html", cases_visible_to(current_user), mine=False)


@bp.get("/mine")
@login_required
def mine() -> ResponseReturnValue:
    require(can_open_case(current_user))
    scope = cases_visible_to(current_user).where(Case.worker_id == current_user.id)
    return _caseload("cases/index.html", scope, mine=True)


def _case_details(form: CaseDetailsForm) -> services.CaseDetails:
    return services.CaseDetails(
        domain=ServiceDomain.of(form.domain.data or ""),
        source=CaseSource.of(form.source.data or ""),
        risk_level=RiskLevel.of(form.risk_level.data or ""),
        summary=form.summary.data or "",
        problems=[ProblemCategory.of(value) for value in form.problems.data or []],
    )


@bp.route("/new/<int:person_id>", methods=["GET", "POST"])
@login_required
def new(person_id: int) -> ResponseReturnValue:
    """Open a case (接案) for a registered service user."""
    person: ServiceUser = db.first_or_404(
        people_visible_to(current_user).where(ServiceUser.id == person_id)
    )
    require(can_open_case(current_user) and has_access(current_user.unit, person))
    form = OpenCaseForm()
    tutors = fill_staff_choices(form, current_user.unit_id)
    if request.method == "GET":
        form.worker_id.data = current_user.id
        form.tutor_id.data = default_tutor_id(tutors)
        form.source.data = CaseSource.WALK_IN.value
    if not form.validate_on_submit():
        return form_page("cases/new.html", form=form, person=person)
    worker = db.get_or_404(User, form.worker_id.data)
    tutor = db.session.get(User, form.tutor_id.data) if form.tutor_id.data else None
    case = services.open_case(
        actor=current_user,
        person=person,
        details=_case_details(form),
        worker=worker,
        tutor=tutor,
        unit=current_user.unit,
    )
    return done(
        _("个案 %(number)s 已开案，请填写接案登记表。", number=case.number),
        url_for("cases.intake", case_id=case.id),
    )


@bp.get("/<int:case_id>")
@login_required
def detail(case_id: int) -> ResponseReturnValue:
    visible_case_or_404(case_id)
    # The page's records and their authors at once (refreshing the case the check loaded).
    case = db.session.scalars(
        db.select(Case)
        .where(Case.id == case_id)
        .options(*queries.case_page_options())
        .execution_options(populate_existing=True)
    ).one()
    comments = queries.comments_of(case)
    steps = [
        step
        for step in lifecycle.steps_from(case.status)
        if step.action != "start_follow_up" and can_take_step(current_user, case, step)
    ]

    def can_write_kind(kind: str) -> bool:
        return can_write_records(current_user, case) and lifecycle.can_write(kind, case.status)

    return render_template(
        "cases/detail.html",
        case=case,
        steps=steps,
        guide=guide(case, steps, can_write_kind),
        assessment_areas=list(AssessmentArea),
        can_write=can_write_records(current_user, case),
        can_write_kind=can_write_kind,
        can_comment=can_comment(current_user, case),
        can_assign=can_assign_case(current_user, case),
        can_transfer=transfers.can_propose_transfer(current_user, case),
        transfers=transfers.transfers_of(case),
        today=local_today(),
        can_export=can_export_case(current_user, case),
        is_worker=is_case_worker(current_user, case),
        timeline=queries.timeline(case, comments),
        comments=queries.comments_by_subject(case, comments),
        help_request=request_queries.request_of_case(requests_visible_to(current_user), case.id),
        memberships=memberships_of(groups_visible_to(current_user), case.service_user_id),
        late={
            f"service_record-{record_id}": days
            for record_id, days in quality.late_records(case.service_records).items()
        },
        hints=wording.case_hints(case, wording.matcher()),
        completeness=quality.completeness(case),
        step_form=StepForm(formdata=None),
        comment_form=CommentForm(formdata=None),
        action_form=ActionForm(),
        **attachments_context(
            Attachment.case_id == case.id,
            upload_url=url_for("attachments.upload_to_case", case_id=case.id)
            if can_upload_to_case(current_user, case)
            else None,
        ),
    )


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@login_required
def edit(case_id: int) -> ResponseReturnValue:
    case = visible_case_or_404(case_id)
    require(can_write_records(current_user, case) and case.is_active)
    form = CaseDetailsForm()
    if request.method == "GET":
        form.summary.data = case.summary
        form.domain.data = case.domain.value
        form.problems.data = [p.value for p in case.problems]
        form.source.data = case.source.value
        form.risk_level.data = case.risk_level.value
    if not form.validate_on_submit():
        return form_page("cases/edit.html", form=form, case=case)
    services.update_case_details(actor=current_user, case=case, details=_case_details(form))
    return done(_("个案信息已保存。"), url_for("cases.detail", case_id=case.id))


@bp.route("/<int:case_id>/assign", methods=["GET", "POST"])
@login_required
def assign(case_id: int) -> ResponseReturnValue:
    case = visible_case_or_404(case_id)
    require(can_assign_case(current_user, case))
    form = AssignForm()
    tutors = fill_staff_choices(form, case.unit_id)
    if request.method == "GET":
        form.worker_id.data = case.worker_id
        form.tutor_id.data = case.tutor_id or default_tutor_id(tutors)
    if not form.validate_on_submit():
        return form_page("cases/assign.html", form=form, case=case)
    worker = db.get_or_404(User, form.worker_id.data)
    tutor = db.session.get(User, form.tutor_id.data) if form.tutor_id.data else None
    services.assign_case(actor=current_user, case=case, worker=worker, tutor=tutor)
    return done(_("已重新分派。"), url_for("cases.detail", case_id=case.id))


@bp.post("/<int:case_id>/steps/<action>")
@login_required
def take_step(case_id: int, action: str) -> ResponseReturnValue:
    """Every lifecycle step goes through here and through services.take_step."""
    case = visible_case_or_404(case_id)
    step = lifecycle.STEPS.get(action)
    if step is None:
        abort(404)
    require(can_take_step(current_user, case, step))
    # A step taken from a dashboard goes back there; the target must stay on this site.
    target = request.args.get("next")
    back = target if is_safe_next(target) else url_for("cases.detail", case_id=case_id)
    form = StepForm()
    if not form.validate_on_submit():
        flash(_("提交的内容无效，请重试。"), "danger")
        return redirect(back)
    try:
        services.take_step(
            case,
            action,
            actor=current_user,
            reason=form.reason.data,
            referral_to=form.referral_to.data if action == "decline" else None,
        )
    except services.CaseRuleError as error:
        report_refusal(error)
        return redirect(back), 303
    return done(_("个案 %(number)s：%(step)s。", number=case.number, step=step.label), back)


@bp.post("/<int:case_id>/comments")
@login_required
def comment(case_id: int) -> ResponseReturnValue:
    case = visible_case_or_404(case_id)
    require(can_comment(current_user, case))
    form = CommentForm()
    anchor = f"#{form.subject_type.data}-{form.subject_id.data}" if form.subject_id.data else ""
    if not form.validate_on_submit():
        flash(_("请填写督导意见。"), "danger")
        return redirect(url_for("cases.detail", case_id=case.id) + anchor)
    raw_subject = form.subject_id.data or ""
    subject_id = int(raw_subject) if raw_subject.isdigit() else None
    try:
        services.add_comment(
            actor=current_user,
            case=case,
            subject_type=form.subject_type.data or "",
            subject_id=subject_id,
            body=form.body.data or "",
        )
    except services.CaseRuleError as error:
        report_refusal(error)
        return redirect(url_for("cases.detail", case_id=case_id))
    return done(_("督导意见已保存。"), url_for("cases.detail", case_id=case.id) + anchor)


@bp.get("/<int:case_id>/file.pdf")
@login_required
def case_file(case_id: int) -> ResponseReturnValue:
    from casework.cases.casefile import render_case_file
    from casework.core.pdf import MissingCJKFont, pdf_download

    case = visible_case_or_404(case_id)
    require(can_export_case(current_user, case))
    try:
        pdf = render_case_file(case)
    except MissingCJKFont as error:
        flash(str(error.message), "danger")
        return redirect(url_for("cases.detail", case_id=case.id))
    services.record_case_export(actor=current_user, case=case)
    db.session.commit()
    # The case number, not the person's name, names the file: nothing personal in headers.
    return pdf_download(pdf, f"{case.number}.pdf")


@bp.route("/break-glass", methods=["GET", "POST"])
@login_required
def break_glass() -> ResponseReturnValue:
    """The administrator's audited, time-limited access to one case's content."""
    require(can_break_glass(current_user))
    form = BreakGlassForm()
    if not form.validate_on_submit():
        return form_page("cases/break_glass.html", form=form)
    case = services.find_case_by_number(form.case_number.data or "")
    if case is None:
        form.case_number.errors = [_("没有这个个案编号。")]
        return render_template("cases/break_glass.html", form=form), 422
    services.grant_break_glass(actor=current_user, case=case, reason=form.reason.data or "")
    db.session.commit()
    flash(
        _(
            "已记录查看原因。您可在 %(minutes)d 分钟内查看该个案。",
            minutes=services.BREAK_GLASS_MINUTES,
        ),
        "warning",
    )
    return redirect(url_for("cases.detail", case_id=case.id))
