"""Household files (户档): list and find, create, one household's page with its members'
cases and groups, adding and removing members."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.cases.models import Case
from casework.cases.permissions import cases_visible_to
from casework.core.actions import done, form_page, refused
from casework.core.forms import SelectChoice
from casework.core.permissions import require
from casework.extensions import db
from casework.groups.permissions import groups_visible_to
from casework.groups.queries import memberships_by_person
from casework.people import households
from casework.people.forms import HouseholdForm, HouseholdPersonForm
from casework.people.models import Household, HouseholdPerson, ServiceUser
from casework.people.permissions import people_visible_to
from casework.people.views import bp

MAX_LISTED = 100


def _visible_household_or_404(household_id: int) -> Household:
    household: Household = db.first_or_404(
        households.households_visible_to(current_user).where(Household.id == household_id)
    )
    return household


@bp.get("/households/")
@login_required
def households_index() -> ResponseReturnValue:
    """The unit's households; ``q`` finds them by their name or a member's name."""
    require(households.can_list_households(current_user))
    term = (request.args.get("q") or "").strip()[:50]
    query = households.households_visible_to(current_user).options(
        selectinload(Household.members).selectinload(HouseholdPerson.person)
    )
    if term:
        members = (
            select(HouseholdPerson.household_id)
            .join(ServiceUser, ServiceUser.id == HouseholdPerson.service_user_id)
            .where(ServiceUser.name.like(f"%{term}%"))
        )
        query = query.where(or_(Household.name.like(f"%{term}%"), Household.id.in_(members)))
    found = db.session.scalars(query.order_by(Household.name, Household.id).limit(MAX_LISTED))
    return render_template(
        "people/households.html",
        items=found.all(),
        term=term,
        can_create=households.can_create_household(current_user),
        limit=MAX_LISTED,
    )


@bp.route("/households/new", methods=["GET", "POST"])
@login_required
def new_household() -> ResponseReturnValue:
    require(households.can_create_household(current_user))
    form = HouseholdForm()
    if not form.validate_on_submit():
        return form_page("people/household_form.html", form=form, household=None)
    try:
        household = households.create_household(
            actor=current_user,
            name=form.name.data or "",
            address=form.address.data,
            notes=form.notes.data,
        )
    except households.HouseholdError as error:
        return refused(error, "people/household_form.html", form=form, household=None)
    return done(
        _("户档已建立，请加入家庭成员。"),
        url_for("people.household", household_id=household.id),
    )


@bp.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
@login_required
def edit_household(household_id: int) -> ResponseReturnValue:
    household = _visible_household_or_404(household_id)
    require(households.can_edit_household(current_user, household))
    form = HouseholdForm(obj=household if request.method == "GET" else None)
    if not form.validate_on_submit():
        return form_page("people/household_form.html", form=form, household=household)
    try:
        households.update_household(
            actor=current_user,
            household=household,
            name=form.name.data or "",
            address=form.address.data,
            notes=form.notes.data,
        )
    except households.HouseholdError as error:
        return refused(error, "people/household_form.html", form=form, household=household)
    return done(_("户档已保存。"), url_for("people.household", household_id=household.id))


def _member_form() -> HouseholdPersonForm:
    form = HouseholdPersonForm()
    form.relationship.choices = [
        SelectChoice(value, label) for value, label in households.RELATIONSHIPS.items()
    ]
    return form


def _page(household: Household, form: HouseholdPersonForm | None = None) -> dict[str, object]:
    """The household with each member's cases and groups, as far as the reader may see."""
    ids = [place.service_user_id for place in household.members]
    cases = db.session.scalars(
        cases_visible_to(current_user)
        .where(Case.service_user_id.in_(ids))
        .order_by(Case.opened_on.desc(), Case.id.desc())
    ).all()
    find = (request.args.get("find") or "").strip()[:50]
    candidates: list[ServiceUser] = []
    can_edit = households.can_edit_household(current_user, household)
    if find and can_edit:
        placed = select(HouseholdPerson.service_user_id)
        candidates = list(
            db.session.scalars(
                people_visible_to(current_user)
                .where(
                    ServiceUser.unit_id == household.unit_id,
                    ServiceUser.name.like(f"%{find}%"),
                    ServiceUser.id.not_in(placed),
                )
                .order_by(ServiceUser.name, ServiceUser.id)
                .limit(20)
            )
        )
    return {
        "household": household,
        "cases_by_person": {pid: [c for c in cases if c.service_user_id == pid] for pid in ids},
        "groups_by_person": memberships_by_person(groups_visible_to(current_user), ids),
        "can_edit": can_edit,
        "find": find,
        "candidates": candidates,
        "member_form": form or _member_form(),
        "action_form": ActionForm(),
        "relationship_labels": households.RELATIONSHIPS,
    }


@bp.get("/households/<int:household_id>")
@login_required
def household(household_id: int) -> ResponseReturnValue:
    found = _visible_household_or_404(household_id)
    return render_template("people/household.html", **_page(found))


@bp.post("/households/<int:household_id>/members")
@login_required
def add_household_person(household_id: int) -> ResponseReturnValue:
    found = _visible_household_or_404(household_id)
    require(households.can_edit_household(current_user, found))
    form = _member_form()
    if not form.validate_on_submit():
        return form_page("people/household.html", **_page(found, form))
    person = db.first_or_404(
        people_visible_to(current_user).where(ServiceUser.id == form.person_id.data)
    )
    try:
        households.add_member(
            actor=current_user,
            household=found,
            person=person,
            relationship=form.relationship.data or "",
        )
    except households.HouseholdError as error:
        return refused(error, "people/household.html", **_page(found, form))
    return done(
        _("%(name)s 已加入户档。", name=person.name),
        url_for("people.household", household_id=found.id),
    )


@bp.post("/households/<int:household_id>/members/<int:place_id>/delete")
@login_required
def remove_household_person(household_id: int, place_id: int) -> ResponseReturnValue:
    found = _visible_household_or_404(household_id)
    require(households.can_edit_household(current_user, found))
    place = db.first_or_404(
        select(HouseholdPerson).where(
            HouseholdPerson.id == place_id, HouseholdPerson.household_id == found.id
        )
    )
    if ActionForm().validate_on_submit():
        households.remove_member(actor=current_user, place=place)
        db.session.commit()
        flash(_("已从户档中移出。"), "success")
    return redirect(url_for("people.household", household_id=found.id))
