"""Groups (小组工作): the list, the plan, the group page, status steps and stages, summary."""

from __future__ import annotations

from typing import TypeVar

from flask import (
    Blueprint,
    abort,
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
from casework.accounts.queries import front_line_staff, tutors_of
from casework.cases.enums import ServiceDomain
from casework.cases.lifecycle import Actor
from casework.core.actions import done, form_page, refused, report_refusal
from casework.core.enums import LabelledEnum
from casework.core.forms import SelectChoice
from casework.core.permissions import require
from casework.core.redirects import is_safe_next
from casework.core.rules import RuleError
from casework.extensions import db
from casework.groups import lifecycle, queries, services
from casework.groups.forms import (
    GroupPlanForm,
    NewGroupForm,
    StepForm,
    SummaryForm,
)
from casework.groups.lifecycle import GroupStep
from casework.groups.models import Group, GroupStage, GroupStatus, GroupType
from casework.groups.permissions import (
    can_create_group,
    can_run_group,
    can_supervise_group,
    groups_visible_to,
)

bp = Blueprint("groups", __name__, url_prefix="/groups")

E = TypeVar("E", bound=LabelledEnum)

PER_PAGE = 25

# The states in which the facilitator may still change the pre/post scores and the summary.
EDITABLE_STATUSES = (GroupStatus.PLANNING, GroupStatus.RUNNING)


def visible_group_or_404(group_id: int) -> Group:
    group: Group = db.first_or_404(groups_visible_to(current_user).where(Group.id == group_id))
    return group


def runnable_group(group_id: int) -> Group:
    """A visible group the user runs (facilitator, co-facilitator, head); 403 otherwise."""
    group = visible_group_or_404(group_id)
    require(can_run_group(current_user, group))
    return group


def may_take_step(user: User, group: Group, step: GroupStep) -> bool:
    if step.actor is Actor.TUTOR:
        return can_supervise_group(user, group)
    return can_run_group(user, group)


def refuse_unless(group: Group, statuses: tuple[GroupStatus, ...]) -> ResponseReturnValue | None:
    """Send the user back to the group page when its status does not allow the page."""
    if group.status in statuses:
        return None
    flash(_("小组当前为“%(status)s”，不能进行此操作。", status=group.status.label), "warning")
    return redirect(url_for("groups.detail", group_id=group.id))


def _enum_arg(enum_class: type[E], name: str) -> E | None:
    """A filter from the query string; an unknown value means no filter."""
    value = request.args.get(name) or ""
    try:
        return enum_class.of(value) if value else None
    except ValueError:
        return None


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(bool(casework_unit_ids(current_user)))
    filters = queries.GroupFilters(
        status=_enum_arg(GroupStatus, "status"),
        stage=_enum_arg(GroupStage, "stage"),
        group_type=_enum_arg(GroupType, "type"),
        mine=request.args.get("mine") == "1",
    )
    page = db.paginate(
        queries.filtered_groups(groups_visible_to(current_user), filters, current_user),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "groups/index.html",
        page=page,
        filters=filters,
        statuses=list(GroupStatus),
        stages=list(GroupStage),
        types=list(GroupType),
        can_create=can_create_group(current_user),
    )


def _plan(form: GroupPlanForm) -> services.GroupPlan:
    return services.GroupPlan(
        name=form.name.data or "",
        group_type=GroupType.of(form.group_type.data or ""),
        domain=ServiceDomain.of(form.domain.data or ""),
        purpose=form.purpose.data or "",
        goals=form.goals.data or "",
        target_members=form.target_members.data or "",
        rationale=form.rationale.data or "",
        session_plan=form.session_plan.data or "",
        planned_sessions=form.planned_sessions.data or 0,
        recruitment_from=form.recruitment_from.data,
        recruitment_until=form.recruitment_until.data,
        measure_name=form.measure_name.data or "",
        measure_max=form.measure_max.data or 0,
    )


def _fill_plan_form(form: GroupPlanForm, group: Group) -> None:
    form.name.data = group.name
    form.group_type.data = group.group_type.value
    form.domain.data = group.domain.value
    form.purpose.data = group.purpose
    form.goals.data = group.goals
    form.target_members.data = group.target_members
    form.rationale.data = group.rationale
    form.session_plan.data = group.session_plan
    form.planned_sessions.data = group.planned_sessions
    form.recruitment_from.data = group.recruitment_from
    form.recruitment_until.data = group.recruitment_until
    form.measure_name.data = group.measure_name
    form.measure_max.data = group.measure_max


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """Start a group at the user's unit with its plan (小组计划书)."""
    require(can_create_group(current_user))
    unit = current_user.unit
    staff = {user.id: user for user in front_line_staff([unit.id])}
    tutors = {user.id: user for user in tutors_of(unit.id)}
    form = NewGroupForm()
    none = SelectChoice("0", _("（暂不指定）"))
    staff_choices = [SelectChoice(str(user.id), user.display_name) for user in staff.values()]
    form.facilitator_id.choices = staff_choices
    form.co_facilitator_ids.choices = staff_choices
    form.observer_id.choices = [none, *staff_choices]
    form.tutor_id.choices = [none] + [
        SelectChoice(str(user.id), user.display_name) for user in tutors.values()
    ]
    if request.method == "GET":
        form.facilitator_id.data = current_user.id
        form.planned_sessions.data = 6
        form.measure_max.data = 10
    if not form.validate_on_submit():
        return form_page("groups/new.html", form=form)
    facilitator = staff[form.facilitator_id.data]
    co_ids = [
        user_id for user_id in form.co_facilitator_ids.data or [] if user_id != facilitator.id
    ]
    try:
        group = services.create_group(
            actor=current_user,
            unit=unit,
            plan=_plan(form),
            facilitator=facilitator,
            co_facilitators=[staff[user_id] for user_id in co_ids],
            observer=staff.get(form.observer_id.data or 0),
            tutor=tutors.get(form.tutor_id.data or 0),
        )
    except RuleError as error:
        return refused(error, "groups/new.html", form=form)
    return done(
        _("小组“%(name)s”已创建。完成计划书后请提交督导审核。", name=group.name),
        url_for("groups.detail", group_id=group.id),
    )


@bp.get("/<int:group_id>")
@login_required
def detail(group_id: int) -> ResponseReturnValue:
    visible_group_or_404(group_id)
    # The page's collections at once (refreshing the group the check loaded).
    group = db.session.scalars(
        db.select(Group)
        .where(Group.id == group_id)
        .options(*queries.group_page_options())
        .execution_options(populate_existing=True)
    ).one()
    can_run = can_run_group(current_user, group)
    following = lifecycle.next_stage(group.stage)
    return render_template(
        "groups/detail.html",
        group=group,
        steps=[
            step
            for step in lifecycle.steps_from(group.status)
            if may_take_step(current_user, group, step)
        ],
        can_run=can_run,
        can_supervise=can_supervise_group(current_user, group),
        next_stage=following if can_run and group.status is GroupStatus.RUNNING else None,
        member_rates=services.member_attendance(group),
        session_rates=services.session_attendance(group),
        attendance_open={
            session.id for session in group.sessions if services.attendance_refusal(session) is None
        },
        step_labels={
            "create": _("创建小组"),
            "advance_stage": _("进入下一阶段"),
            **{action: step.label for action, step in lifecycle.STEPS.items()},
        },
        editable=group.status in EDITABLE_STATUSES,
        report_url=url_for("groups.report", group_id=group.id)
        if "groups.report" in current_app.view_functions
        else None,
        step_form=StepForm(formdata=None),
        action_form=ActionForm(),
    )


@bp.route("/<int:group_id>/plan", methods=["GET", "POST"])
@login_required
def plan(group_id: int) -> ResponseReturnValue:
    group = runnable_group(group_id)
    if refusal := refuse_unless(group, (GroupStatus.PLANNING,)):
        return refusal
    form = GroupPlanForm()
    if request.method == "GET":
        _fill_plan_form(form, group)
    if not form.validate_on_submit():
        return form_page("groups/plan.html", form=form, group=group)
    try:
        services.update_plan(actor=current_user, group=group, plan=_plan(form))
    except RuleError as error:
        return refused(error, "groups/plan.html", form=form, group=group)
    return done(_("小组计划书已保存。"), url_for("groups.detail", group_id=group.id))


@bp.post("/<int:group_id>/steps/<action>")
@login_required
def take_step(group_id: int, action: str) -> ResponseReturnValue:
    """Every status step goes through here and through services.take_step."""
    group = visible_group_or_404(group_id)
    step = lifecycle.STEPS.get(action)
    if step is None:
        abort(404)
    require(may_take_step(current_user, group, step))
    # A step taken from a dashboard goes back there; the target must stay on this site.
    target = request.args.get("next")
    back = target if is_safe_next(target) else url_for("groups.detail", group_id=group_id)
    form = StepForm()
    if not form.validate_on_submit():
        flash(_("提交的内容无效，请重试。"), "danger")
        return redirect(back)
    try:
        services.take_step(group, action, actor=current_user, reason=form.reason.data)
    except RuleError as error:
        report_refusal(error)
        return redirect(back, 303)
    return done(_("已完成：%(step)s。", step=step.label), back)


@bp.post("/<int:group_id>/stage")
@login_required
def advance_stage(group_id: int) -> ResponseReturnValue:
    group = runnable_group(group_id)
    if not ActionForm().validate_on_submit():
        flash(_("提交的内容无效，请重试。"), "danger")
        return redirect(url_for("groups.detail", group_id=group.id))
    try:
        stage = services.advance_stage(actor=current_user, group=group)
    except RuleError as error:
        report_refusal(error)
        return redirect(url_for("groups.detail", group_id=group_id), 303)
    return done(
        _("小组已进入%(stage)s。", stage=stage.label), url_for("groups.detail", group_id=group.id)
    )


@bp.route("/<int:group_id>/summary", methods=["GET", "POST"])
@login_required
def summary(group_id: int) -> ResponseReturnValue:
    """The group summary report (小组总结报告)."""
    group = runnable_group(group_id)
    if refusal := refuse_unless(group, EDITABLE_STATUSES):
        return refusal
    form = SummaryForm()
    if request.method == "GET":
        form.summary.data = group.summary
        form.outcomes.data = group.outcomes
    if not form.validate_on_submit():
        return form_page("groups/summary.html", form=form, group=group)
    try:
        services.save_summary(
            actor=current_user,
            group=group,
            summary=form.summary.data or "",
            outcomes=form.outcomes.data or "",
        )
    except RuleError as error:
        return refused(error, "groups/summary.html", form=form, group=group)
    return done(_("小组总结报告已保存。"), url_for("groups.detail", group_id=group.id) + "#summary")
