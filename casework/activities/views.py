"""Community activities (社区活动): the list, planning, participants and volunteers' hours."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids, is_front_line
from casework.accounts.queries import front_line_staff
from casework.activities import services
from casework.activities.forms import ActivityForm, NewActivityForm, ParticipantsForm
from casework.activities.models import ActivityType, CommunityActivity
from casework.activities.permissions import activities_visible_to, can_manage_activity
from casework.attachments.listing import attachments_context
from casework.attachments.models import Attachment
from casework.attachments.permissions import can_upload_to_activity
from casework.cases.enums import ServiceDomain
from casework.core.actions import done, form_page, report_refusal
from casework.core.clock import local_timezone, local_today
from casework.core.enums import LabelledEnum
from casework.core.forms import SelectChoice
from casework.core.i18n import with_note
from casework.core.models import as_utc
from casework.core.permissions import require
from casework.core.rules import RuleError
from casework.extensions import db
from casework.people.models import ServiceUser
from casework.people.permissions import may_invite, people_visible_to
from casework.volunteers import services as volunteer_services
from casework.volunteers.forms import AssignVolunteerForm
from casework.volunteers.models import Volunteer, VolunteerAssignment
from casework.volunteers.permissions import volunteers_visible_to

bp = Blueprint("activities", __name__, url_prefix="/activities")

E = TypeVar("E", bound=LabelledEnum)

PER_PAGE = 25
# Enough to find someone by name; a longer list means the search should be narrower.
SEARCH_LIMIT = 20


def has_casework_scope(user: User) -> bool:
    """Activities and volunteers belong to units; bureau viewers and administrators have none."""
    return bool(casework_unit_ids(user))


def enum_arg(enum_class: type[E], name: str) -> E | None:
    """A filter from the query string; an unknown value means no filter."""
    value = request.args.get(name) or ""
    try:
        return enum_class.of(value) if value else None
    except ValueError:
        return None


def local_moment(moment: datetime) -> datetime:
    """``moment`` in the stations' time zone; SQLite gives back naive UTC times."""
    return as_utc(moment).astimezone(local_timezone())


def visible_activity_or_404(activity_id: int) -> CommunityActivity:
    activity: CommunityActivity = db.first_or_404(
        activities_visible_to(current_user).where(CommunityActivity.id == activity_id)
    )
    return activity


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(has_casework_scope(current_user))
    activity_type = enum_arg(ActivityType, "type")
    domain = enum_arg(ServiceDomain, "domain")
    query = activities_visible_to(current_user).options(
        selectinload(CommunityActivity.organiser), selectinload(CommunityActivity.unit)
    )
    if activity_type is not None:
        query = query.where(CommunityActivity.activity_type == activity_type)
    if domain is not None:
        query = query.where(CommunityActivity.domain == domain)
    page = db.paginate(
        query.order_by(CommunityActivity.held_on.desc(), CommunityActivity.id.desc()),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "activities/index.html",
        page=page,
        activity_type=activity_type,
        domain=domain,
        activity_types=list(ActivityType),
        domains=list(ServiceDomain),
        several_units=len(casework_unit_ids(current_user)) > 1,
        can_create=is_front_line(current_user, current_user.unit_id),
    )


def _details(form: ActivityForm) -> services.ActivityDetails:
    held_on = form.held_on.data or local_today()
    starts_at = (
        datetime.combine(held_on, form.start_time.data, tzinfo=local_timezone())
        if form.start_time.data
        else None
    )
    return services.ActivityDetails(
        title=form.title.data or "",
        held_on=held_on,
        starts_at=starts_at,
        place=form.place.data or "",
        domain=ServiceDomain.of(form.domain.data or ""),
        activity_type=ActivityType.of(form.activity_type.data or ""),
        description=form.description.data or "",
        participant_count=form.participant_count.data or 0,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """Plan an activity of the user's own unit."""
    require(is_front_line(current_user, current_user.unit_id))
    form = NewActivityForm()
    form.organiser_id.choices = [
        SelectChoice(str(worker.id), worker.display_name)
        for worker in front_line_staff([current_user.unit_id])
    ]
    if request.method == "GET":
        form.organiser_id.data = current_user.id
        form.held_on.data = local_today()
    if not form.validate_on_submit():
        return form_page("activities/form.html", form=form, activity=None)
    organiser = db.get_or_404(User, form.organiser_id.data)
    try:
        activity = services.create_activity(
            actor=current_user, unit=current_user.unit, organiser=organiser, details=_details(form)
        )
    except RuleError as error:
        db.session.rollback()
        return render_template(
            "activities/form.html", form=form, activity=None, form_error=str(error.message)
        ), 422
    return done(
        _("社区活动“%(title)s”已保存。", title=activity.title),
        url_for("activities.detail", activity_id=activity.id),
    )


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int) -> ResponseReturnValue:
    activity = visible_activity_or_404(activity_id)
    require(can_manage_activity(current_user, activity))
    form = ActivityForm()
    if request.method == "GET":
        form.title.data = activity.title
        form.held_on.data = activity.held_on
        form.start_time.data = (
            local_moment(activity.starts_at).time().replace(tzinfo=None)
            if activity.starts_at
            else None
        )
        form.place.data = activity.place
        form.domain.data = activity.domain.value
        form.activity_type.data = activity.activity_type.value
        form.description.data = activity.description
        form.participant_count.data = activity.participant_count
    if not form.validate_on_submit():
        return form_page("activities/form.html", form=form, activity=activity)
    try:
        services.update_activity(actor=current_user, activity=activity, details=_details(form))
    except RuleError as error:
        db.session.rollback()
        return render_template(
            "activities/form.html", form=form, activity=activity, form_error=str(error.message)
        ), 422
    return done(_("社区活动已保存。"), url_for("activities.detail", activity_id=activity.id))


def _volunteer_choices(form: AssignVolunteerForm, activity: CommunityActivity) -> None:
    """Only the active volunteers registered at the activity's unit can be assigned."""
    volunteers = db.session.scalars(
        volunteers_visible_to(current_user)
        .where(Volunteer.unit_id == activity.unit_id, Volunteer.is_active.is_(True))
        .order_by(Volunteer.name, Volunteer.id)
    )
    form.volunteer_id.choices = [
        SelectChoice(str(volunteer.id), with_note(volunteer.name, volunteer.category.label))
        for volunteer in volunteers
    ]


def _render_detail(
    activity: CommunityActivity,
    assign_form: AssignVolunteerForm,
    *,
    assign_error: str | None = None,
) -> str:
    assignments = list(
        db.session.scalars(
            select(VolunteerAssignment)
            .where(VolunteerAssignment.activity_id == activity.id)
            .options(selectinload(VolunteerAssignment.volunteer))
            .order_by(VolunteerAssignment.served_on, VolunteerAssignment.id)
        )
    )
    return render_template(
        "activities/detail.html",
        activity=activity,
        starts_at=local_moment(activity.starts_at) if activity.starts_at else None,
        assignments=assignments,
        total_hours=sum(assignment.hours for assignment in assignments),
        can_manage=can_manage_activity(current_user, activity),
        assign_form=assign_form,
        assign_error=assign_error,
        action_form=ActionForm(),
        **attachments_context(
            Attachment.activity_id == activity.id,
            upload_url=url_for("attachments.upload_to_activity", activity_id=activity.id)
            if can_upload_to_activity(current_user, activity)
            else None,
        ),
    )


@bp.get("/<int:activity_id>")
@login_required
def detail(activity_id: int) -> ResponseReturnValue:
    activity = visible_activity_or_404(activity_id)
    assign_form = AssignVolunteerForm(formdata=None)
    _volunteer_choices(assign_form, activity)
    assign_form.served_on.data = min(activity.held_on, local_today())
    return _render_detail(activity, assign_form)


@bp.post("/<int:activity_id>/volunteers")
@login_required
def assign_volunteer(activity_id: int) -> ResponseReturnValue:
    """Log a volunteer's hours on this activity."""
    activity = visible_activity_or_404(activity_id)
    require(can_manage_activity(current_user, activity))
    form = AssignVolunteerForm()
    _volunteer_choices(form, activity)
    if not form.validate_on_submit():
        return _render_detail(activity, form), 422
    volunteer = db.get_or_404(Volunteer, form.volunteer_id.data)
    try:
        volunteer_services.assign_volunteer(
            actor=current_user,
            volunteer=volunteer,
            activity=activity,
            served_on=form.served_on.data or local_today(),
            hours=form.hours.data or 0.0,
            role=form.role.data or "",
        )
    except RuleError as error:
        db.session.rollback()
        return _render_detail(activity, form, assign_error=str(error.message)), 422
    return done(
        _("已记录 %(name)s 的志愿服务时长。", name=volunteer.name),
        url_for("activities.detail", activity_id=activity.id) + "#volunteers",
    )


def _participant_label(person: ServiceUser) -> str:
    # Two residents may share a name: the masked ID number tells them apart.
    return with_note(person.name, person.masked_id_number) if person.id_number else person.name


@bp.route("/<int:activity_id>/participants", methods=["GET", "POST"])
@login_required
def participants(activity_id: int) -> ResponseReturnValue:
    """Register which service users of the unit took part (residents need not be registered)."""
    activity = visible_activity_or_404(activity_id)
    require(can_manage_activity(current_user, activity))
    candidates = people_visible_to(current_user).where(ServiceUser.unit_id == activity.unit_id)
    term = (request.args.get("q") or "").strip()[:50]
    form = ParticipantsForm()
    if request.method == "POST":
        submitted = [int(value) for value in request.form.getlist("person_ids") if value.isdigit()]
        shown = (
            list(db.session.scalars(candidates.where(ServiceUser.id.in_(submitted))))
            if submitted
            else []
        )
        found: list[ServiceUser] = []
    else:
        shown = list(activity.participants)
        found = (
            list(
                db.session.scalars(
                    candidates.where(ServiceUser.name.like(f"%{term}%"), may_invite())
                    .order_by(ServiceUser.name, ServiceUser.id)
                    .limit(SEARCH_LIMIT)
                )
            )
            if term
            else []
        )
        form.person_ids.data = [person.id for person in shown]
    known = {person.id for person in shown}
    offered = shown + [person for person in found if person.id not in known]
    form.person_ids.choices = [
        SelectChoice(str(person.id), _participant_label(person)) for person in offered
    ]
    if not form.validate_on_submit():
        return form_page(
            "activities/participants.html",
            activity=activity,
            form=form,
            term=term,
            found_count=len(found),
        )
    try:
        services.set_participants(actor=current_user, activity=activity, people=shown)
    except RuleError as error:
        report_refusal(error)
        return redirect(url_for("activities.participants", activity_id=activity_id))
    return done(
        _("已登记 %(count)d 名参与者。", count=len(shown)),
        url_for("activities.detail", activity_id=activity.id) + "#participants",
    )
