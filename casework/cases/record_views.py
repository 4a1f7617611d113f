"""The forms for each stage's record: intake, assessment, plan, service records, …"""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from casework.cases import lifecycle, quality, queries, services, wording
from casework.cases import records as case_records
from casework.cases.enums import Attainment, ClosureType, NeedLevel, ReferralOutcome, ServiceForm
from casework.cases.forms import (
    AssessmentForm,
    ClosureForm,
    EvaluationForm,
    FollowUpForm,
    IntakeForm,
    PlanForm,
    ReferralForm,
    ReferralOutcomeForm,
    ServiceRecordForm,
)
from casework.cases.models import Case, Referral
from casework.cases.permissions import can_write_records
from casework.cases.views import bp, visible_case_or_404
from casework.core.actions import done, form_status, refused
from casework.core.clock import local_today
from casework.core.forms import SelectChoice
from casework.core.models import utcnow
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.picker import UnitChoices, pick_units, picked
from casework.people.models import ConsentBasis


def _writable_case(case_id: int) -> Case:
    """Load a visible case whose records the user may write (403 otherwise)."""
    case = visible_case_or_404(case_id)
    require(can_write_records(current_user, case))
    return case


def _refuse_if_closed_stage(case: Case, kind: str) -> ResponseReturnValue | None:
    if lifecycle.can_write(kind, case.status):
        return None
    flash(
        _("个案当前处于“%(status)s”阶段，不能填写此记录。", status=case.status.label),
        "warning",
    )
    return redirect(url_for("cases.detail", case_id=case.id))


def _saved(case: Case, message: str, anchor: str = "") -> ResponseReturnValue:
    return done(message, url_for("cases.detail", case_id=case.id) + anchor)


def _flash_wording_hints(fields: list[tuple[object, str | None]]) -> None:
    """Say which words of the list a saved record uses; a hint, never a refusal."""
    for field in wording.matcher().by_field(fields):
        flash(
            _(
                "用词提示（%(field)s）：%(hints)s",
                field=field.label,
                hints="；".join(
                    _("“%(word)s”— %(suggestion)s", word=hint.word, suggestion=hint.suggestion)
                    for hint in field.hints
                ),
            ),
            "info",
        )


def _rule_error(
    template: str, error: services.CaseRuleError, **context: object
) -> ResponseReturnValue:
    return refused(error, template, **context)


@bp.route("/<int:case_id>/intake", methods=["GET", "POST"])
@login_required
def intake(case_id: int) -> ResponseReturnValue:
    case = _writable_case(case_id)
    if refused := _refuse_if_closed_stage(case, "intake"):
        return refused
    form = IntakeForm(obj=case.intake if request.method == "GET" else None)
    if not form.validate_on_submit():
        return render_template("cases/intake.html", form=form, case=case), (form_status())
    try:
        case_records.save_intake(
            actor=current_user,
            case=case,
            presenting_problem=form.presenting_problem.data or "",
            arrival=form.arrival.data or "",
            first_judgement=form.first_judgement.data or "",
            agreement_signed=bool(form.agreement_signed.data),
            agreement_signed_on=form.agreement_signed_on.data,
        )
    except services.CaseRuleError as error:
        return _rule_error("cases/intake.html", error, form=form, case=case)
    _flash_wording_hints(wording.intake_fields(case.intake))
    return _saved(case, _("接案登记表已保存。"))


@bp.route("/<int:case_id>/assessment", methods=["GET", "POST"])
@login_required
def assessment(case_id: int) -> ResponseReturnValue:
    case = _writable_case(case_id)
    if refused := _refuse_if_closed_stage(case, "assessment"):
        return refused
    form = AssessmentForm()
    if request.method == "GET" and case.assessment is not None:
        written = case.assessment
        form.needs.data, form.strengths.data = written.needs, written.strengths
        form.risks.data, form.summary.data = written.risks, written.summary
        for area, level, note in form.area_fields():
            found = written.level(area)
            level.data = found.value if found else ""
            note.data = written.note(area)
    if not form.validate_on_submit():
        return render_template("cases/assessment.html", form=form, case=case), (form_status())
    written = case_records.save_assessment(
        actor=current_user,
        case=case,
        details=case_records.AssessmentDetails(
            areas={
                area: case_records.AreaFinding(NeedLevel.of(level.data or ""), note.data or "")
                for area, level, note in form.area_fields()
            },
            needs=form.needs.data or "",
            strengths=form.strengths.data or "",
            risks=form.risks.data or "",
            summary=form.summary.data or "",
        ),
    )
    _flash_wording_hints(wording.assessment_fields(written))
    return _saved(case, _("预估表已保存。"))


def _fill_plan_form(form: PlanForm, case: Case) -> None:
    plan = services.editable_plan(case) or case.approved_plan
    if plan is None:
        form.review_due.data = local_today() + timedelta(days=90)
        return
    form.overall_goal.data = plan.overall_goal
    form.review_due.data = plan.review_due
    while len(form.goals.entries) < len(plan.goals):
        form.goals.append_entry()
    for entry, goal in zip(form.goals.entries, plan.goals, strict=False):
        entry.form.description.data = goal.description
        entry.form.indicator.data = goal.indicator
        entry.form.actions.data = goal.actions
        entry.form.responsible.data = goal.responsible
        entry.form.due_on.data = goal.due_on


@bp.route("/<int:case_id>/plan", methods=["GET", "POST"])
@login_required
def plan(case_id: int) -> ResponseReturnValue:
    case = _writable_case(case_id)
    if refused := _refuse_if_closed_stage(case, "plan"):
        return refused
    form = PlanForm()
    if request.method == "GET":
        _fill_plan_form(form, case)
        return render_template("cases/plan.html", form=form, case=case)
    if form.add_goal.data:
        # Adding a row is a round trip, so the form works without JavaScript.
        form.goals.append_entry()
        return render_template("cases/plan.html", form=form, case=case)
    goals = [entry.form for entry in form.goals.entries if not entry.form.is_blank()]
    incomplete = [
        goal
        for goal in goals
        if not all(
            (goal.description.data, goal.indicator.data, goal.actions.data, goal.responsible.data)
        )
        or goal.due_on.data is None
    ]
    if not form.validate_on_submit() or not goals or incomplete:
        if not goals:
            flash(_("服务计划至少需要一个服务目标。"), "danger")
        elif incomplete:
            flash(_("每个服务目标都需要填写目标、衡量指标、行动措施、负责人和完成期限。"), "danger")
        return render_template("cases/plan.html", form=form, case=case), 422
    try:
        case_records.save_plan(
            actor=current_user,
            case=case,
            overall_goal=form.overall_goal.data or "",
            review_due=form.review_due.data,  # type: ignore[arg-type]
            goals=[
                case_records.GoalDetails(
                    description=goal.description.data or "",
                    indicator=goal.indicator.data or "",
                    actions=goal.actions.data or "",
                    responsible=goal.responsible.data or "",
                    due_on=goal.due_on.data,  # type: ignore[arg-type]
                )
                for goal in goals
            ],
        )
    except services.CaseRuleError as error:
        return _rule_error("cases/plan.html", error, form=form, case=case)
    return _saved(case, _("服务计划书已保存。提交督导审核后方可开始介入服务。"))


@bp.route("/<int:case_id>/records/new", methods=["GET", "POST"])
@login_required
def new_service_record(case_id: int) -> ResponseReturnValue:
    case = _writable_case(case_id)
    if refused := _refuse_if_closed_stage(case, "service_record"):
        return refused
    form = ServiceRecordForm()
    goals = case.approved_plan.goals if case.approved_plan else []
    form.goal_ids.choices = [
        SelectChoice(str(goal.id), f"{goal.position}. {goal.description}") for goal in goals
    ]
    if request.method == "GET":
        form.served_on.data = local_today()
        form.form.data = ServiceForm.INTERVIEW.value
    if not form.validate_on_submit():
        return render_template(
            "cases/service_record.html",
            form=form,
            case=case,
            on_time_from=quality.earliest_on_time_service_day(),
        ), form_status()
    try:
        record = case_records.add_service_record(
            actor=current_user,
            case=case,
            served_on=form.served_on.data,  # type: ignore[arg-type]
            form=ServiceForm.of(form.form.data or ""),
            duration_minutes=form.duration_minutes.data or 0,
            content=form.content.data or "",
            response=form.response.data or "",
            next_step=form.next_step.data or "",
            goals=[goal for goal in goals if goal.id in set(form.goal_ids.data or [])],
        )
    except services.CaseRuleError as error:
        return _rule_error(
            "cases/service_record.html",
            error,
            form=form,
            case=case,
            on_time_from=quality.earliest_on_time_service_day(),
        )
    if days := quality.days_late(record.served_on, utcnow()):
        flash(_("此记录晚于服务日 %(days)d 天录入，已标记为补录。", days=days), "warning")
    _flash_wording_hints(wording.service_record_fields(record))
    return _saved(case, _("服务记录已保存。"), f"#service_record-{record.id}")


def _referral_units(form: ReferralForm, case: Case) -> UnitChoices:
    """The units of the organisation, found as in a province (orgs.picker), after the
    choice of an outside agency."""
    term, chosen = picked(form, "to_unit_id")
    units = pick_units(select(Unit), near=case.unit, term=term, chosen=chosen)
    form.to_unit_id.choices = [SelectChoice("0", _("（不选，填写外部机构）")), *units.choices]
    return units


@bp.route("/<int:case_id>/referrals/new", methods=["GET", "POST"])
@login_required
def new_referral(case_id: int) -> ResponseReturnValue:
    case = _writable_case(case_id)
    if refused := _refuse_if_closed_stage(case, "referral"):
        return refused
    form = ReferralForm()
    units = _referral_units(form, case)
    if request.method == "GET":
        form.referred_on.data = local_today()
    if not form.validate_on_submit():
        return render_template("cases/referral.html", form=form, case=case, units=units), (
            form_status()
        )
    to_unit = db.session.get(Unit, form.to_unit_id.data) if form.to_unit_id.data else None
    try:
        referral = services.add_referral(
            actor=current_user,
            case=case,
            referred_on=form.referred_on.data,  # type: ignore[arg-type]
            to_unit=to_unit,
            to_agency=form.to_agency.data,
            reason=form.reason.data or "",
            shared_information=form.shared_information.data,
            consent_basis=ConsentBasis.of(form.consent_basis.data)
            if form.consent_basis.data
            else None,
            agency_contact=form.agency_contact.data,
        )
    except services.CaseRuleError as error:
        return _rule_error("cases/referral.html", error, form=form, case=case, units=units)
    return _saved(case, _("转介已记录。"), f"#referral-{referral.id}")


@bp.route("/<int:case_id>/referrals/<int:referral_id>/outcome", methods=["GET", "POST"])
@login_required
def referral_outcome(case_id: int, referral_id: int) -> ResponseReturnValue:
    case = _writable_case(case_id)
    referral = db.first_or_404(
        select(Referral).where(Referral.id == referral_id, Referral.case_id == case.id)
    )
    form = ReferralOutcomeForm()
    if request.method == "GET":
        form.outcome.data = referral.outcome.value
        form.outcome_on.data = referral.outcome_on or local_today()
        form.note.data = referral.outcome_note
    if not form.validate_on_submit():
        return render_template(
            "cases/referral_outcome.html", form=form, case=case, referral=referral
        ), form_status()
    try:
        case_records.record_referral_outcome(
            actor=current_user,
            referral=referral,
            outcome=ReferralOutcome.of(form.outcome.data or ""),
            note=form.note.data or "",
            on=form.outcome_on.data,  # type: ignore[arg-type]
        )
    except services.CaseRuleError as error:
        return _rule_error(
            "cases/referral_outcome.html", error, form=form, case=case, referral=referral
        )
    return _saved(case, _("转介结果已记录。"), f"#referral-{referral.id}")


@bp.route("/<int:case_id>/evaluation", methods=["GET", "POST"])
@login_required
def evaluation(case_id: int) -> ResponseReturnValue:
    case = _writable_case(case_id)
    if refused := _refuse_if_closed_stage(case, "evaluation"):
        return refused
    plan = case.approved_plan
    goals = plan.goals if plan else []
    form = EvaluationForm()
    # Each goal with how many service records worked towards it: the evidence to rate it on.
    page = {"form": form, "case": case, "goals": goals, "served": queries.records_per_goal(goals)}
    if request.method == "GET":
        existing = {r.goal_id: r for r in case.evaluation.goal_results} if case.evaluation else {}
        for goal in goals:
            form.results.append_entry()
            entry = form.results.entries[-1].form
            entry.goal_id.data = str(goal.id)
            result = existing.get(goal.id)
            entry.attainment.data = result.attainment.value if result else ""
            entry.note.data = result.note if result else ""
        if case.evaluation:
            form.client_view.data = case.evaluation.client_view
            form.satisfaction.data = case.evaluation.satisfaction
            form.summary.data = case.evaluation.summary
        return render_template("cases/evaluation.html", **page)
    goals_by_id = {goal.id: goal for goal in goals}
    if not form.validate_on_submit():
        return render_template("cases/evaluation.html", **page), 422
    results = {}
    for row in form.results.entries:
        raw_goal_id = row.form.goal_id.data or ""
        if raw_goal_id.isdigit() and int(raw_goal_id) in goals_by_id:
            results[int(raw_goal_id)] = (
                Attainment.of(row.form.attainment.data or ""),
                row.form.note.data or "",
            )
    try:
        evaluation = case_records.save_evaluation(
            actor=current_user,
            case=case,
            client_view=form.client_view.data or "",
            satisfaction=form.satisfaction.data or 0,
            summary=form.summary.data or "",
            results=results,
        )
    except services.CaseRuleError as error:
        return _rule_error("cases/evaluation.html", error, **page)
    _flash_wording_hints(wording.evaluation_fields(evaluation))
    return _saved(case, _("评估报告已保存。"))


@bp.route("/<int:case_id>/closure", methods=["GET", "POST"])
@login_required
def closure(case_id: int) -> ResponseReturnValue:
    case = _writable_case(case_id)
    if refused := _refuse_if_closed_stage(case, "closure"):
        return refused
    form = ClosureForm(obj=case.closure if request.method == "GET" else None)
    if request.method == "GET":
        if case.closure:
            form.closure_type.data = case.closure.closure_type.value
        else:
            form.follow_up_due.data = local_today() + timedelta(days=30)
    if not form.validate_on_submit():
        return render_template("cases/closure.html", form=form, case=case), (form_status())
    report = case_records.save_closure_report(
        actor=current_user,
        case=case,
        closure_type=ClosureType.of(form.closure_type.data or ""),
        summary=form.summary.data or "",
        follow_up_plan=form.follow_up_plan.data or "",
        follow_up_due=form.follow_up_due.data,
    )
    _flash_wording_hints(wording.closure_fields(report))
    return _saved(case, _("结案报告已保存。提交结案审核后由督导批准。"))


@bp.route("/<int:case_id>/follow-ups/new", methods=["GET", "POST"])
@login_required
def new_follow_up(case_id: int) -> ResponseReturnValue:
    case = _writable_case(case_id)
    if refused := _refuse_if_closed_stage(case, "follow_up"):
        return refused
    form = FollowUpForm()
    if request.method == "GET":
        form.followed_on.data = local_today()
        form.form.data = ServiceForm.PHONE.value
    if not form.validate_on_submit():
        return render_template("cases/follow_up.html", form=form, case=case), (form_status())
    try:
        follow_up = case_records.add_follow_up(
            actor=current_user,
            case=case,
            followed_on=form.followed_on.data,  # type: ignore[arg-type]
            form=ServiceForm.of(form.form.data or ""),
            content=form.content.data or "",
            next_due=form.next_due.data,
        )
    except services.CaseRuleError as error:
        return _rule_error("cases/follow_up.html", error, form=form, case=case)
    _flash_wording_hints(wording.follow_up_fields(follow_up))
    return _saved(case, _("回访记录已保存。"), f"#follow_up-{follow_up.id}")
