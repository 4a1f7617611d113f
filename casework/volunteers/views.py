"""The volunteer registry (义工/志愿者): list with hours, register, edit, enable and disable.

Volunteers have no account; these pages are for staff. Nothing about a case or a service
user appears here: only the activities and groups a volunteer served in.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.accounts.permissions import casework_unit_ids
from casework.activities.views import enum_arg, has_casework_scope
from casework.core.actions import done, form_page
from casework.core.permissions import require
from casework.extensions import db
from casework.volunteers import queries, services
from casework.volunteers.forms import VolunteerForm
from casework.volunteers.models import Volunteer, VolunteerAssignment, VolunteerCategory
from casework.volunteers.permissions import can_manage_volunteers, volunteers_visible_to

bp = Blueprint("volunteers", __name__, url_prefix="/volunteers")

PER_PAGE = 25


def visible_volunteer_or_404(volunteer_id: int) -> Volunteer:
    volunteer: Volunteer = db.first_or_404(
        volunteers_visible_to(current_user).where(Volunteer.id == volunteer_id)
    )
    return volunteer


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(has_casework_scope(current_user))
    category = enum_arg(VolunteerCategory, "category")
    status = queries.volunteer_status_from(request.args)
    page = db.paginate(
        queries.filtered_volunteers(volunteers_visible_to(current_user), category, status),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "volunteers/index.html",
        page=page,
        hours=queries.hours_by_volunteer([volunteer.id for volunteer in page.items]),
        category=category,
        status=status,
        categories=list(VolunteerCategory),
        several_units=len(casework_unit_ids(current_user)) > 1,
        can_register=can_manage_volunteers(current_user, current_user.unit_id),
    )


def _details(form: VolunteerForm) -> services.VolunteerDetails:
    return services.VolunteerDetails(
        name=form.name.data or "",
        phone=form.phone.data or None,
        category=VolunteerCategory.of(form.category.data or ""),
        skills=form.skills.data or "",
        availability=form.availability.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """Register a volunteer at the user's own unit."""
    require(can_manage_volunteers(current_user, current_user.unit_id))
    form = VolunteerForm()
    if not form.validate_on_submit():
        return form_page("volunteers/form.html", form=form, volunteer=None)
    volunteer = services.register_volunteer(
        actor=current_user, unit=current_user.unit, details=_details(form)
    )
    return done(
        _("志愿者 %(name)s 已登记。", name=volunteer.name),
        url_for("volunteers.detail", volunteer_id=volunteer.id),
    )


@bp.get("/<int:volunteer_id>")
@login_required
def detail(volunteer_id: int) -> ResponseReturnValue:
    volunteer = visible_volunteer_or_404(volunteer_id)
    assignments = list(
        db.session.scalars(
            select(VolunteerAssignment)
            .where(VolunteerAssignment.volunteer_id == volunteer.id)
            .options(
                selectinload(VolunteerAssignment.activity),
                selectinload(VolunteerAssignment.group),
            )
            .order_by(VolunteerAssignment.served_on.desc(), VolunteerAssignment.id.desc())
        )
    )
    can_manage = can_manage_volunteers(current_user, volunteer.unit_id)
    return render_template(
        "volunteers/detail.html",
        volunteer=volunteer,
        assignments=assignments,
        total_hours=services.volunteer_hours(volunteer),
        can_manage=can_manage,
        # The full number only for the staff who call the volunteer; tutors see it masked.
        phone=volunteer.phone if can_manage else volunteer.masked_phone,
        action_form=ActionForm(),
    )


@bp.route("/<int:volunteer_id>/edit", methods=["GET", "POST"])
@login_required
def edit(volunteer_id: int) -> ResponseReturnValue:
    volunteer = visible_volunteer_or_404(volunteer_id)
    require(can_manage_volunteers(current_user, volunteer.unit_id))
    form = VolunteerForm()
    if request.method == "GET":
        form.name.data = volunteer.name
        form.phone.data = volunteer.phone
        form.category.data = volunteer.category.value
        form.skills.data = volunteer.skills
        form.availability.data = volunteer.availability
    if not form.validate_on_submit():
        return form_page("volunteers/form.html", form=form, volunteer=volunteer)
    services.update_volunteer(actor=current_user, volunteer=volunteer, details=_details(form))
    return done(_("志愿者信息已保存。"), url_for("volunteers.detail", volunteer_id=volunteer.id))


def _set_active(volunteer_id: int, *, active: bool) -> ResponseReturnValue:
    volunteer = visible_volunteer_or_404(volunteer_id)
    require(can_manage_volunteers(current_user, volunteer.unit_id))
    if not ActionForm().validate_on_submit():
        flash(_("提交的内容无效，请重试。"), "danger")
        return redirect(url_for("volunteers.detail", volunteer_id=volunteer.id))
    services.set_volunteer_active(actor=current_user, volunteer=volunteer, active=active)
    return done(
        _("志愿者已启用。") if active else _("志愿者已停用。"),
        url_for("volunteers.detail", volunteer_id=volunteer.id),
    )


@bp.post("/<int:volunteer_id>/enable")
@login_required
def enable(volunteer_id: int) -> ResponseReturnValue:
    return _set_active(volunteer_id, active=True)


@bp.post("/<int:volunteer_id>/disable")
@login_required
def disable(volunteer_id: int) -> ResponseReturnValue:
    """A disabled volunteer keeps their history but cannot be assigned again."""
    return _set_active(volunteer_id, active=False)
