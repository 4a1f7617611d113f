"""Workers' summaries (工作小结) and annual assessments (年度考核)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.accounts.models import User
from casework.core import audit
from casework.core.actions import done, form_page, report_refusal
from casework.core.clock import local_today
from casework.core.exports import export_format, send_export, table
from casework.core.pdf import MissingCJKFont, pdf_download
from casework.core.permissions import require
from casework.core.rules import RuleError
from casework.extensions import db
from casework.reports.periods import PeriodError
from casework.worker_reports import services
from casework.worker_reports.document import render_assessment
from casework.worker_reports.figures import (
    FigureRow,
    compared_rows,
    figure_rows,
    snapshot_rows,
    worker_figures,
)
from casework.worker_reports.forms import AssessmentForm, SignOffForm
from casework.worker_reports.models import AnnualAssessment, AssessmentGrade, AssessmentStatus
from casework.worker_reports.periods import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    SummaryPeriod,
    summary_period,
)
from casework.worker_reports.permissions import (
    can_assess_worker,
    can_sign_assessment,
    has_own_summary,
    summarised_workers_visible_to,
)

bp = Blueprint("worker_reports", __name__, url_prefix="/workers")


def _worker_or_404(user_id: int) -> User:
    worker: User = db.first_or_404(
        summarised_workers_visible_to(current_user).where(User.id == user_id)
    )
    return worker


def _year_or_404(year: int) -> int:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        abort(404)
    return year


@bp.get("/me/summary")
@login_required
def my_summary() -> ResponseReturnValue:
    """我的工作小结: the signed-in worker's own summary."""
    require(has_own_summary(current_user))
    return redirect(url_for("worker_reports.summary", user_id=current_user.id))


def _compared(worker: User, period: SummaryPeriod) -> list[FigureRow]:
    """The period's figures with the previous period's beside them."""
    previous = period.previous
    return compared_rows(
        worker_figures(worker, period.start, period.end),
        worker_figures(worker, previous.start, previous.end),
    )


def _requested_period() -> SummaryPeriod:
    """The period the query string names (PeriodError when it cannot be read)."""
    return summary_period(request.args.get("period"), request.args.get("year"), local_today())


def _unreadable_period(error: PeriodError, worker: User) -> ResponseReturnValue:
    flash(error.message, "danger")
    return redirect(url_for("worker_reports.summary", user_id=worker.id))


@bp.get("/<int:user_id>/summary")
@login_required
def summary(user_id: int) -> ResponseReturnValue:
    """A worker's figures for a month or a year, beside the period before."""
    worker = _worker_or_404(user_id)
    try:
        period = _requested_period()
    except PeriodError as error:
        return _unreadable_period(error, worker)
    today = local_today()
    return render_template(
        "worker_reports/summary.html",
        worker=worker,
        period=period,
        previous=period.previous,
        rows=_compared(worker, period),
        today=today,
        assessment_year=period.start.year if period.is_year else today.year - 1,
    )


@bp.get("/<int:user_id>/summary.<fmt>")
@login_required
def summary_export(user_id: int, fmt: str) -> ResponseReturnValue:
    """The summary as CSV or XLSX: the same figures as the page; audited."""
    worker = _worker_or_404(user_id)
    fmt = export_format(fmt)
    try:
        period = _requested_period()
    except PeriodError as error:
        return _unreadable_period(error, worker)
    data = table(
        [_("项目"), period.label, period.previous.label, _("增减")],
        title=_("工作小结 %(period)s", period=period.label),
    )
    for row in _compared(worker, period):
        data.add([str(row.label), row.value, row.previous, row.difference])
    audit.record(
        "export.worker_summary",
        None,
        actor_id=current_user.id,
        unit_id=worker.unit_id,
        details={"worker_id": worker.id, "period": period.query, "format": fmt},
    )
    db.session.commit()
    # The worker's id and the period name the file: nothing personal in headers.
    name = "-".join(period.query.values())
    return send_export(data, f"summary-{worker.id}-{name}", fmt)


def _visible_assessment(worker: User, year: int) -> AnnualAssessment | None:
    """The year's assessment as the user may see it: a draft only by the head writing it."""
    assessment = services.assessment_for(worker, year)
    if assessment is None:
        return None
    if assessment.status is AssessmentStatus.DRAFT and not can_assess_worker(current_user, worker):
        return None
    return assessment


def _assessment_form(assessment: AnnualAssessment | None) -> AssessmentForm:
    form = AssessmentForm()
    if request.method == "GET" and assessment is not None:
        form.grade.data = assessment.grade.value if assessment.grade else ""
        form.strengths.data = assessment.strengths
        form.improvements.data = assessment.improvements
        form.comments.data = assessment.comments
    return form


def _assessment_page(
    worker: User, year: int, assessment: AnnualAssessment | None, **forms: object
) -> ResponseReturnValue:
    can_edit = can_assess_worker(current_user, worker) and not (
        assessment is not None and assessment.is_signed
    )
    if assessment is not None and assessment.status is not AssessmentStatus.DRAFT:
        rows = snapshot_rows(assessment.figures)
    else:
        rows = _year_rows(worker, year)
    if not can_edit:
        forms["form"] = None
    forms.setdefault("form", _assessment_form(assessment))
    forms.setdefault(
        "sign_form",
        SignOffForm()
        if assessment is not None and can_sign_assessment(current_user, assessment)
        else None,
    )
    return form_page(
        "worker_reports/assessment.html",
        worker=worker,
        year=year,
        assessment=assessment,
        rows=rows,
        can_edit=can_edit,
        **forms,
    )


def _year_rows(worker: User, year: int) -> list[FigureRow]:
    """The year's figures as they stand today (what completing the assessment would keep)."""
    return figure_rows(worker_figures(worker, date(year, 1, 1), date(year, 12, 31)))


@bp.route("/<int:user_id>/assessments/<int:year>", methods=["GET", "POST"])
@login_required
def assessment(user_id: int, year: int) -> ResponseReturnValue:
    """年度考核: the head fills it in with the year's figures; others read it."""
    worker = _worker_or_404(user_id)
    year = _year_or_404(year)
    current = _visible_assessment(worker, year)
    if request.method == "GET":
        return _assessment_page(worker, year, current)
    require(can_assess_worker(current_user, worker))
    form = AssessmentForm()
    if not form.validate_on_submit():
        return _assessment_page(worker, year, current, form=form)
    judgement = services.Judgement(
        grade=AssessmentGrade.of(form.grade.data) if form.grade.data else None,
        strengths=form.strengths.data or "",
        improvements=form.improvements.data or "",
        comments=form.comments.data or "",
    )
    complete = bool(form.complete.data)
    try:
        services.save_assessment(
            actor=current_user, worker=worker, year=year, judgement=judgement, complete=complete
        )
    except RuleError as error:
        report_refusal(error)
        return _assessment_page(worker, year, current, form=form)
    message = _("年度考核已完成，等待社工本人确认。") if complete else _("年度考核草稿已保存。")
    return done(message, url_for("worker_reports.assessment", user_id=worker.id, year=year))


@bp.post("/<int:user_id>/assessments/<int:year>/sign")
@login_required
def sign(user_id: int, year: int) -> ResponseReturnValue:
    """The worker signs the completed assessment off (本人确认)."""
    worker = _worker_or_404(user_id)
    year = _year_or_404(year)
    current = _visible_assessment(worker, year)
    if current is None:
        abort(404)
    require(current.worker_id == current_user.id)
    form = SignOffForm()
    if not form.validate_on_submit():
        return _assessment_page(worker, year, current, sign_form=form)
    try:
        services.sign_assessment(
            actor=current_user,
            assessment=current,
            agrees=form.agrees.data == "yes",
            comment=form.comment.data or "",
        )
    except RuleError as error:
        report_refusal(error)
        return _assessment_page(worker, year, current)
    return done(
        _("已确认年度考核。"),
        url_for("worker_reports.assessment", user_id=worker.id, year=year),
    )


@bp.get("/<int:user_id>/assessments/<int:year>.pdf")
@login_required
def assessment_pdf(user_id: int, year: int) -> ResponseReturnValue:
    """The completed assessment, printed; printing is audited."""
    worker = _worker_or_404(user_id)
    year = _year_or_404(year)
    current = _visible_assessment(worker, year)
    if current is None or current.status is AssessmentStatus.DRAFT:
        abort(404)
    try:
        pdf = render_assessment(current)
    except MissingCJKFont as error:
        flash(str(error.message), "danger")
        return redirect(url_for("worker_reports.assessment", user_id=worker.id, year=year))
    audit.record("assessment.export_pdf", current, actor_id=current_user.id)
    db.session.commit()
    return pdf_download(pdf, f"assessment-{current.id}.pdf")
