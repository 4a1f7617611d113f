"""Service users: list and search, register (after a duplicate search), view, edit."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.attachments.listing import attachments_context
from casework.attachments.models import Attachment
from casework.attachments.permissions import can_upload_to_person
from casework.cases.models import Case
from casework.cases.permissions import can_open_case, cases_visible_to
from casework.core.actions import done, form_page, form_status, report_refusal
from casework.core.crypto import blind_candidates
from casework.core.forms import SelectChoice, add_error
from casework.core.pagination import keyset_paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.groups.permissions import groups_visible_to
from casework.groups.queries import memberships_of
from casework.people import services
from casework.people.file_requests import can_request_files, has_access
from casework.people.forms import (
    FileRequestForm,
    HouseholdMemberForm,
    LegalHoldForm,
    PersonForm,
    TagForm,
)
from casework.people.households import household_of
from casework.people.models import (
    ConsentBasis,
    Gender,
    HouseholdMember,
    ServiceUser,
    VulnerabilityTag,
    service_user_tags,
)
from casework.people.permissions import (
    can_edit_person,
    can_list_people,
    can_manage_tags,
    can_register_person,
    can_see_full_numbers,
    can_set_legal_hold,
    people_visible_to,
)

bp = Blueprint("people", __name__, url_prefix="/people")

PER_PAGE = 25


def _visible_person_or_404(person_id: int) -> ServiceUser:
    person: ServiceUser = db.first_or_404(
        people_visible_to(current_user).where(ServiceUser.id == person_id)
    )
    return person


# Where the app finds people by a fragment of their (encrypted) ID or phone number: the
# search domain provides it at start-up (search.queries.people_with_number_fragment), as
# ``app.extensions[NUMBER_FRAGMENTS]``.
NUMBER_FRAGMENTS = "casework.people.number_fragments"


def search_condition(term: str) -> object:
    """Name fragment, a whole ID or phone number, or a fragment of 4 digits or more."""
    conditions = [ServiceUser.name.like(f"%{term}%")]
    digits = term.upper().replace(" ", "")
    if digits and all(ch.isdigit() or ch == "X" for ch in digits):
        conditions += [
            ServiceUser.id_number_index.in_(blind_candidates(digits, "id_number")),
            ServiceUser.phone_index.in_(blind_candidates(digits, "phone")),
        ]
        fragments = current_app.extensions.get(NUMBER_FRAGMENTS)
        if fragments is not None:
            conditions.append(fragments(digits))
    return or_(*conditions)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(can_list_people(current_user))
    term = (request.args.get("q") or "").strip()[:50]
    query = people_visible_to(current_user).options(selectinload(ServiceUser.tags))
    if term:
        query = query.where(search_condition(term))  # type: ignore[arg-type]
    page = keyset_paginate(
        query,
        keys=((ServiceUser.name, False), (ServiceUser.id, False)),
        id_column=ServiceUser.id,
        args=request.args,
        per_page=PER_PAGE,
    )
    return render_template(
        "people/index.html",
        page=page,
        term=term,
        can_register=can_register_person(current_user),
    )


def _person_form() -> PersonForm:
    form = PersonForm()
    form.tag_ids.choices = [SelectChoice(str(tag.id), tag.name) for tag in services.active_tags()]
    return form


def _details(form: PersonForm, tags_by_id: dict[int, VulnerabilityTag]) -> services.PersonDetails:
    return services.PersonDetails(
        name=form.name.data or "",
        gender=Gender.of(form.gender.data) if form.gender.data else None,
        birth_date=form.birth_date.data,
        id_number=form.id_number.data or None,
        phone=form.phone.data,
        address=form.address.data,
        notes=form.notes.data,
        consent_given_on=form.consent_given_on.data,
        consent_basis=ConsentBasis.of(form.consent_basis.data or ""),
        tags=[tags_by_id[tag_id] for tag_id in form.tag_ids.data or [] if tag_id in tags_by_id],
    )


def _person_error(form: PersonForm, error: services.PersonError) -> None:
    """Mark the field the refused rule is about."""
    field = form.birth_date if error.code == "birth_date_mismatch" else form.id_number
    add_error(field, error.message)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """Register a person; first shows possible duplicates among the people one may see."""
    require(can_register_person(current_user))
    form = _person_form()
    if not form.validate_on_submit():
        return form_page("people/new.html", form=form, duplicates=[])
    holder = services.id_number_holder(form.id_number.data)
    if holder is not None:
        # One person, one file: never a second record; name where the person is registered.
        error = services.RegisteredElsewhere(holder)
        _person_error(form, error)
        return render_template(
            "people/new.html",
            form=form,
            duplicates=[],
            holder=holder,
            request_form=FileRequestForm(
                formdata=None, prefix="request", id_number=form.id_number.data
            )
            if can_request_files(current_user) and holder.unit.id != current_user.unit_id
            else None,
            holder_visible=db.session.scalar(
                people_visible_to(current_user)
                .where(ServiceUser.id == holder.person_id)
                .with_only_columns(ServiceUser.id)
            )
            is not None,
        ), 409
    duplicates = services.find_possible_duplicates(
        people_visible_to(current_user),
        name=form.name.data or "",
        birth_date=form.birth_date.data,
        id_number=form.id_number.data,
    )
    if duplicates and not form.confirm_not_duplicate.data:
        return render_template("people/new.html", form=form, duplicates=duplicates), 409
    tags = {tag.id: tag for tag in services.active_tags()}
    try:
        person = services.register_person(
            actor=current_user, unit=current_user.unit, details=_details(form, tags)
        )
    except services.PersonError as error:
        _person_error(form, error)
        return render_template("people/new.html", form=form, duplicates=duplicates), 422
    return done(
        _("服务对象 %(name)s 已登记。", name=person.name),
        url_for("people.detail", person_id=person.id),
    )


@bp.get("/<int:person_id>")
@login_required
def detail(person_id: int) -> ResponseReturnValue:
    person = _visible_person_or_404(person_id)
    cases = db.session.scalars(
        cases_visible_to(current_user)
        .where(Case.service_user_id == person.id)
        .order_by(Case.opened_on.desc(), Case.id.desc())
    ).all()
    return render_template(
        "people/detail.html",
        person=person,
        cases=cases,
        memberships=memberships_of(groups_visible_to(current_user), person.id),
        household_place=household_of(person),
        full_numbers=can_see_full_numbers(current_user, person),
        can_edit=can_edit_person(current_user, person),
        can_open=can_open_case(current_user) and has_access(current_user.unit, person),
        can_hold=can_set_legal_hold(current_user, person),
        hold_form=LegalHoldForm(formdata=None),
        household_form=HouseholdMemberForm(formdata=None),
        action_form=ActionForm(),
        **attachments_context(
            Attachment.service_user_id == person.id,
            upload_url=url_for("attachments.upload_to_person", person_id=person.id)
            if can_upload_to_person(current_user, person)
            else None,
        ),
    )


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit(person_id: int) -> ResponseReturnValue:
    person = _visible_person_or_404(person_id)
    require(can_edit_person(current_user, person))
    form = _person_form()
    if request.method == "GET":
        form.name.data = person.name
        form.gender.data = person.gender.value if person.gender else ""
        form.birth_date.data = person.birth_date
        form.id_number.data = person.id_number
        form.phone.data = person.phone
        form.address.data = person.address
        form.notes.data = person.notes
        form.tag_ids.data = [tag.id for tag in person.tags]
        form.consent_basis.data = person.consent_basis.value if person.consent_basis else None
        form.consent_given_on.data = person.consent_given_on
    if not form.validate_on_submit():
        return form_page("people/edit.html", form=form, person=person)
    tags = {tag.id: tag for tag in services.all_tags()}
    try:
        services.update_person(actor=current_user, person=person, details=_details(form, tags))
    except services.PersonError as error:
        _person_error(form, error)
        return render_template("people/edit.html", form=form, person=person), 422
    return done(_("服务对象信息已保存。"), url_for("people.detail", person_id=person.id))


@bp.post("/<int:person_id>/household")
@login_required
def add_household_member(person_id: int) -> ResponseReturnValue:
    person = _visible_person_or_404(person_id)
    require(can_edit_person(current_user, person))
    form = HouseholdMemberForm()
    if not form.validate_on_submit():
        flash(_("家庭成员信息不完整：请填写姓名和关系。"), "danger")
        return redirect(url_for("people.detail", person_id=person.id) + "#household")
    services.add_household_member(
        actor=current_user,
        person=person,
        name=form.name.data or "",
        relationship=form.relationship.data or "",
        birth_year=form.birth_year.data,
        lives_together=bool(form.lives_together.data),
        notes=form.notes.data,
    )
    return done(_("家庭成员已添加。"), url_for("people.detail", person_id=person.id) + "#household")


@bp.post("/<int:person_id>/legal-hold")
@login_required
def legal_hold(person_id: int) -> ResponseReturnValue:
    """Set (with a reason) or lift the hold that keeps a person's data past retention."""
    person = _visible_person_or_404(person_id)
    require(can_set_legal_hold(current_user, person))
    form = LegalHoldForm()
    back = url_for("people.detail", person_id=person.id) + "#legal-hold"
    if not form.validate_on_submit():
        return redirect(back)
    try:
        services.set_legal_hold(
            actor=current_user,
            person=person,
            reason=None if person.legal_hold else (form.reason.data or ""),
        )
    except services.PersonError as error:
        report_refusal(error)
        return redirect(back)
    return done(_("已保留该服务对象的信息。") if person.legal_hold else _("已解除保留。"), back)


@bp.post("/<int:person_id>/household/<int:member_id>/delete")
@login_required
def remove_household_member(person_id: int, member_id: int) -> ResponseReturnValue:
    person = _visible_person_or_404(person_id)
    require(can_edit_person(current_user, person))
    member = db.first_or_404(
        select(HouseholdMember).where(
            HouseholdMember.id == member_id, HouseholdMember.service_user_id == person.id
        )
    )
    if ActionForm().validate_on_submit():
        services.remove_household_member(actor=current_user, member=member)
        db.session.commit()
        flash(_("家庭成员已删除。"), "success")
    return redirect(url_for("people.detail", person_id=person.id) + "#household")


@bp.route("/tags", methods=["GET", "POST"])
@login_required
def tags() -> ResponseReturnValue:
    require(can_manage_tags(current_user))
    form = TagForm()
    if form.validate_on_submit():
        try:
            services.add_tag(actor=current_user, name=form.name.data or "")
        except services.PersonError as error:
            add_error(form.name, error.message)
        else:
            return done(_("标签已添加。"), url_for("people.tags"))
    status = form_status()
    usage: dict[int, int] = dict(
        db.session.execute(
            select(service_user_tags.c.tag_id, func.count()).group_by(service_user_tags.c.tag_id)
        ).all()
    )
    return render_template(
        "people/tags.html",
        form=form,
        tags=services.all_tags(),
        usage=usage,
        action_form=ActionForm(),
    ), status


@bp.post("/tags/<int:tag_id>/active")
@login_required
def toggle_tag(tag_id: int) -> ResponseReturnValue:
    require(can_manage_tags(current_user))
    tag = db.get_or_404(VulnerabilityTag, tag_id)
    if ActionForm().validate_on_submit():
        services.set_tag_active(actor=current_user, tag=tag, active=not tag.is_active)
        db.session.commit()
    return redirect(url_for("people.tags"))
