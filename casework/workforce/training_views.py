"""Training (培训): plans per unit and year, courses, sessions and the attendance sheet.

Marking someone present credits the session's hours to their continuing education.
"""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.core.actions import done, form_status, report_refusal
from casework.core.clock import local_today
from casework.core.forms import SelectChoice
from casework.core.inputs import db_int
from casework.core.permissions import require
from casework.extensions import db
from casework.workforce import services
from casework.workforce import training as training_services
from casework.workforce.forms import CourseForm, PlanForm, SessionForm
from casework.workforce.models import (
    CourseFormat,
    CourseKind,
    PartnerKind,
    TrainingAttendance,
    TrainingCourse,
    TrainingPlan,
    TrainingSession,
    WorkerProfile,
)
from casework.workforce.permissions import (
    can_manage_workforce,
    can_use_workforce,
    courses_visible_to,
    plans_visible_to,
    profiles_visible_to,
)
from casework.workforce.views import bp, chosen_unit, form_page, managed_units


def _training_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("培训"), url_for("workforce.training")), *extra]


@bp.get("/training/")
@login_required
def training() -> ResponseReturnValue:
    require(can_use_workforce(current_user))
    year = request.args.get("year", type=db_int) or local_today().year
    plans = list(
        db.session.scalars(
            plans_visible_to(current_user)
            .where(TrainingPlan.year == year)
            .options(selectinload(TrainingPlan.unit), selectinload(TrainingPlan.courses))
            .order_by(TrainingPlan.unit_id, TrainingPlan.id)
        )
    )
    unplanned = list(
        db.session.scalars(
            courses_visible_to(current_user)
            .where(TrainingCourse.plan_id.is_(None))
            .options(selectinload(TrainingCourse.unit))
            .order_by(TrainingCourse.id.desc())
        )
    )
    return render_template(
        "workforce/training.html",
        year=year,
        plans=plans,
        unplanned=unplanned,
        can_add=bool(managed_units(current_user)),
    )


@bp.route("/training/plans/new", methods=["GET", "POST"])
@login_required
def new_plan() -> ResponseReturnValue:
    units = managed_units(current_user)
    require(bool(units))
    unit = chosen_unit(request.args.get("unit") or str(current_user.unit_id), units) or units[0]
    form = PlanForm()
    if request.method == "GET":
        form.year.data = local_today().year
    page = {
        "heading": _("新建培训计划：%(unit)s", unit=unit.name),
        "back": url_for("workforce.training"),
        "crumbs": _training_crumbs(),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    plan = training_services.create_plan(
        unit=unit,
        year=int(form.year.data or 0),
        title=form.title.data or "",
        notes=form.notes.data,
        actor=current_user,
    )
    return done(_("培训计划已建立。"), url_for("workforce.plan", plan_id=plan.id))


def _visible_plan_or_404(plan_id: int) -> TrainingPlan:
    plan: TrainingPlan = db.first_or_404(
        plans_visible_to(current_user).where(TrainingPlan.id == plan_id)
    )
    return plan


@bp.get("/training/plans/<int:plan_id>")
@login_required
def plan(plan_id: int) -> ResponseReturnValue:
    plan = _visible_plan_or_404(plan_id)
    return render_template(
        "workforce/plan.html",
        plan=plan,
        can_manage=can_manage_workforce(current_user, plan.unit_id),
    )


@bp.route("/training/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit_plan(plan_id: int) -> ResponseReturnValue:
    plan = _visible_plan_or_404(plan_id)
    require(can_manage_workforce(current_user, plan.unit_id))
    form = PlanForm()
    if request.method == "GET":
        form.year.data = plan.year
        form.title.data = plan.title
        form.notes.data = plan.notes
    page = {
        "heading": _("修改培训计划"),
        "back": url_for("workforce.plan", plan_id=plan.id),
        "crumbs": _training_crumbs((plan.title, url_for("workforce.plan", plan_id=plan.id))),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    training_services.update_plan(
        plan,
        year=int(form.year.data or 0),
        title=form.title.data or "",
        notes=form.notes.data,
        actor=current_user,
    )
    return done(_("培训计划已保存。"), url_for("workforce.plan", plan_id=plan.id))


def _plan_choices(unit_id: int) -> tuple[list[TrainingPlan], list[SelectChoice]]:
    plans = list(
        db.session.scalars(
            select(TrainingPlan)
            .where(TrainingPlan.unit_id == unit_id)
            .order_by(TrainingPlan.year.desc(), TrainingPlan.id)
        )
    )
    return plans, [
        SelectChoice("", _l("不属于培训计划")),
        *(SelectChoice(str(p.id), f"{p.year} · {p.title}") for p in plans),
    ]


def _course_details(form: CourseForm, plans: list[TrainingPlan]) -> training_services.CourseDetails:
    return training_services.CourseDetails(
        title=form.title.data or "",
        kind=CourseKind.of(form.kind.data or ""),
        format=CourseFormat.of(form.format.data or ""),
        trainer=form.trainer.data,
        partner_kind=PartnerKind.of(form.partner_kind.data) if form.partner_kind.data else None,
        partner_name=form.partner_name.data,
        hours=Decimal(form.hours.data or 0),
        plan=next((p for p in plans if str(p.id) == form.plan.data), None),
    )


@bp.route("/training/courses/new", methods=["GET", "POST"])
@login_required
def new_course() -> ResponseReturnValue:
    units = managed_units(current_user)
    require(bool(units))
    preset_plan = None
    plan_id = request.args.get("plan", type=db_int)
    if plan_id is not None:
        preset_plan = _visible_plan_or_404(plan_id)
        require(can_manage_workforce(current_user, preset_plan.unit_id))
    unit_text = str(preset_plan.unit_id) if preset_plan else request.args.get("unit")
    unit = chosen_unit(unit_text or str(current_user.unit_id), units) or units[0]
    plans, choices = _plan_choices(unit.id)
    form = CourseForm()
    form.plan.choices = choices
    if request.method == "GET" and preset_plan is not None:
        form.plan.data = str(preset_plan.id)
    page = {
        "heading": _("新增培训课程：%(unit)s", unit=unit.name),
        "back": url_for("workforce.training"),
        "crumbs": _training_crumbs(),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        course = training_services.create_course(
            unit=unit, details=_course_details(form, plans), actor=current_user
        )
    except services.WorkforceError as error:
        report_refusal(error, form.hours)
        return form_page(form, status=422, **page)
    return done(_("培训课程已添加。"), url_for("workforce.course", course_id=course.id))


def _visible_course_or_404(course_id: int) -> TrainingCourse:
    course: TrainingCourse = db.first_or_404(
        courses_visible_to(current_user).where(TrainingCourse.id == course_id)
    )
    return course


@bp.get("/training/courses/<int:course_id>")
@login_required
def course(course_id: int) -> ResponseReturnValue:
    course = _visible_course_or_404(course_id)
    present = dict(
        db.session.execute(
            select(TrainingAttendance.session_id, func.count())
            .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
            .where(TrainingSession.course_id == course.id, TrainingAttendance.is_present.is_(True))
            .group_by(TrainingAttendance.session_id)
        ).all()
    )
    return render_template(
        "workforce/course.html",
        course=course,
        present=present,
        can_manage=can_manage_workforce(current_user, course.unit_id),
    )


@bp.route("/training/courses/<int:course_id>/edit", methods=["GET", "POST"])
@login_required
def edit_course(course_id: int) -> ResponseReturnValue:
    course = _visible_course_or_404(course_id)
    require(can_manage_workforce(current_user, course.unit_id))
    plans, choices = _plan_choices(course.unit_id)
    form = CourseForm()
    form.plan.choices = choices
    if request.method == "GET":
        form.plan.data = str(course.plan_id or "")
        form.title.data = course.title
        form.kind.data = course.kind.value
        form.format.data = course.format.value
        form.trainer.data = course.trainer
        form.partner_kind.data = course.partner_kind.value if course.partner_kind else ""
        form.partner_name.data = course.partner_name
        form.hours.data = course.hours
    page = {
        "heading": _("修改培训课程"),
        "back": url_for("workforce.course", course_id=course.id),
        "crumbs": _training_crumbs(
            (course.title, url_for("workforce.course", course_id=course.id))
        ),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        training_services.update_course(
            course, details=_course_details(form, plans), actor=current_user
        )
    except services.WorkforceError as error:
        report_refusal(error, form.hours)
        return form_page(form, status=422, **page)
    return done(_("培训课程已保存。"), url_for("workforce.course", course_id=course.id))


@bp.route("/training/courses/<int:course_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(course_id: int) -> ResponseReturnValue:
    course = _visible_course_or_404(course_id)
    require(can_manage_workforce(current_user, course.unit_id))
    form = SessionForm()
    page = {
        "heading": _("新增培训场次"),
        "back": url_for("workforce.course", course_id=course.id),
        "crumbs": _training_crumbs(
            (course.title, url_for("workforce.course", course_id=course.id))
        ),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        session = training_services.add_session(
            course,
            held_on=form.held_on.data,  # type: ignore[arg-type]  # DataRequired
            hours=Decimal(form.hours.data or 0),
            place=form.place.data,
            actor=current_user,
        )
    except services.WorkforceError as error:
        report_refusal(error, form.hours)
        return form_page(form, status=422, **page)
    return done(_("培训场次已添加。"), url_for("workforce.attendance", session_id=session.id))


def _attendees(session: TrainingSession) -> list[WorkerProfile]:
    """Active files of the course's unit, plus anyone already on the sheet."""
    marked = select(TrainingAttendance.profile_id).where(
        TrainingAttendance.session_id == session.id
    )
    return list(
        db.session.scalars(
            profiles_visible_to(current_user)
            .where(
                (
                    (WorkerProfile.unit_id == session.course.unit_id)
                    & WorkerProfile.is_active.is_(True)
                )
                | WorkerProfile.id.in_(marked)
            )
            .order_by(WorkerProfile.name, WorkerProfile.id)
        )
    )


@bp.route("/training/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(session_id: int) -> ResponseReturnValue:
    session: TrainingSession = db.first_or_404(
        select(TrainingSession).where(
            TrainingSession.id == session_id,
            TrainingSession.course_id.in_(
                courses_visible_to(current_user).with_only_columns(TrainingCourse.id)
            ),
        )
    )
    course = session.course
    can_manage = can_manage_workforce(current_user, course.unit_id)
    people = _attendees(session)
    form = ActionForm()
    if request.method == "POST":
        require(can_manage)
        if not form.validate_on_submit():
            flash(_("提交的内容无效，请重试。"), "danger")
            return redirect(url_for("workforce.attendance", session_id=session.id))
        chosen = set(request.form.getlist("present"))
        current = {
            row.profile_id: row.is_present
            for row in db.session.scalars(
                select(TrainingAttendance).where(TrainingAttendance.session_id == session.id)
            )
        }
        try:
            for person in people:
                is_present = str(person.id) in chosen
                if current.get(person.id, False) != is_present or (
                    person.id not in current and is_present
                ):
                    training_services.mark_attendance(
                        session, person, is_present=is_present, actor=current_user
                    )
        except services.WorkforceError as error:
            report_refusal(error)
            return redirect(url_for("workforce.attendance", session_id=session.id))
        return done(
            _("签到已保存，出席者的继续教育学时已同步。"),
            url_for("workforce.course", course_id=course.id),
        )
    present = set(
        db.session.scalars(
            select(TrainingAttendance.profile_id).where(
                TrainingAttendance.session_id == session.id,
                TrainingAttendance.is_present.is_(True),
            )
        )
    )
    return render_template(
        "workforce/attendance.html",
        session=session,
        course=course,
        people=people,
        present=present,
        can_manage=can_manage,
        is_future=session.held_on > local_today(),
        form=form,
    )
