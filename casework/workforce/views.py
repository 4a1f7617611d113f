"""Personnel files (人员档案): list, open, create and edit, and the rows they hold.

Routes for posts, training and statistics live in their own modules on the same blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.accounts.models import Role, User
from casework.core.actions import done, form_status, report_refusal
from casework.core.forms import Form, SelectChoice, add_error
from casework.core.i18n import with_note
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs.models import SERVICE_KINDS, Unit
from casework.people.models import Gender
from casework.workforce import hours, services
from casework.workforce.forms import (
    ProfileForm,
)
from casework.workforce.models import (
    Certificate,
    CertificateLevel,
    EducationLevel,
    Post,
    TrainingAttendance,
    TrainingSession,
    WorkerProfile,
)
from casework.workforce.permissions import (
    can_create_profile,
    can_edit_profile,
    can_list_profiles,
    can_see_full_numbers,
    profiles_visible_to,
)

bp = Blueprint("workforce", __name__, url_prefix="/workforce")

PER_PAGE = 25
SEARCH_LENGTH = 50


def form_page(
    form: Form,
    *,
    heading: str,
    back: str,
    crumbs: list[tuple[str, str]],
    help_texts: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The shared page for a flat form: breadcrumbs, heading, fields, save and cancel."""
    return (
        render_template(
            "workforce/form.html",
            form=form,
            heading=heading,
            back=back,
            crumbs=crumbs,
            help_texts=help_texts or {},
        ),
        status,
    )


def visible_profile_or_404(profile_id: int) -> WorkerProfile:
    profile: WorkerProfile = db.first_or_404(
        profiles_visible_to(current_user).where(WorkerProfile.id == profile_id)
    )
    return profile


def editable_profile_or_404(profile_id: int) -> WorkerProfile:
    profile = visible_profile_or_404(profile_id)
    require(can_edit_profile(current_user, profile))
    return profile


def managed_units(user: User) -> list[Unit]:
    """Service units where ``user`` may add files, posts and training."""
    if user.role is Role.SYSADMIN:
        return list(
            db.session.scalars(
                select(Unit)
                .where(Unit.kind.in_(SERVICE_KINDS), Unit.is_active.is_(True))
                .order_by(Unit.path)
            )
        )
    if user.role is Role.STATION_HEAD:
        return [user.unit]
    return []


def unit_choices(units: list[Unit]) -> list[SelectChoice]:
    return [SelectChoice(str(unit.id), unit.name) for unit in units]


def chosen_unit(field_data: str | None, units: list[Unit]) -> Unit | None:
    return next((unit for unit in units if str(unit.id) == (field_data or "")), None)


def profile_crumbs(profile: WorkerProfile | None = None) -> list[tuple[str, str]]:
    crumbs = []
    if can_list_profiles(current_user):
        crumbs.append((str(_l("人员档案")), url_for("workforce.profiles")))
    if profile is not None:
        crumbs.append((profile.name, url_for("workforce.profile", profile_id=profile.id)))
    return crumbs


# --- the list ------------------------------------------------------------------------------


@bp.get("/profiles/")
@login_required
def profiles() -> ResponseReturnValue:
    require(can_list_profiles(current_user))
    query = profiles_visible_to(current_user).options(
        selectinload(WorkerProfile.unit), selectinload(WorkerProfile.certificates)
    )
    search = (request.args.get("q") or "").strip()[:SEARCH_LENGTH]
    if search:
        query = query.where(WorkerProfile.name.contains(search, autoescape=True))
    level_text = request.args.get("level", "")
    try:
        level = CertificateLevel.of(level_text) if level_text else None
    except ValueError:
        level = None
    if level is not None:
        query = query.where(
            WorkerProfile.id.in_(select(Certificate.profile_id).where(Certificate.level == level))
        )
    status = request.args.get("status", "active")
    if status in ("active", "inactive"):
        query = query.where(WorkerProfile.is_active.is_(status == "active"))
    page = db.paginate(
        query.order_by(WorkerProfile.unit_id, WorkerProfile.name, WorkerProfile.id),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "workforce/profiles.html",
        page=page,
        search=search,
        level=level,
        levels=list(CertificateLevel),
        status=status,
        can_create=can_create_profile(current_user),
    )


@bp.get("/profiles/mine")
@login_required
def my_profile() -> ResponseReturnValue:
    profile = services.profile_of(current_user)
    if profile is None:
        return render_template("workforce/no_profile.html")
    return redirect(url_for("workforce.profile", profile_id=profile.id))


# --- one file ------------------------------------------------------------------------------


@bp.get("/profiles/<int:profile_id>")
@login_required
def profile(profile_id: int) -> ResponseReturnValue:
    profile = visible_profile_or_404(profile_id)
    full_numbers = can_see_full_numbers(current_user, profile)
    posts = list(db.session.scalars(select(Post).where(Post.holder_profile_id == profile.id)))
    trainings = list(
        db.session.scalars(
            select(TrainingAttendance)
            .where(TrainingAttendance.profile_id == profile.id)
            .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
            .options(selectinload(TrainingAttendance.session).selectinload(TrainingSession.course))
            .order_by(TrainingSession.held_on.desc())
        )
    )
    return render_template(
        "workforce/profile.html",
        profile=profile,
        id_number=profile.id_number if full_numbers else profile.masked_id_number,
        phone=profile.phone if full_numbers else profile.masked_phone,
        status=hours.education_status(profile),
        warning=hours.registration_warning(profile),
        posts=posts,
        trainings=trainings,
        can_edit=can_edit_profile(current_user, profile),
        action_form=ActionForm(),
    )


def _profile_fields(form: ProfileForm) -> dict[str, Any]:
    return {
        "gender": Gender.of(form.gender.data) if form.gender.data else None,
        "id_number": form.id_number.data or None,
        "phone": form.phone.data or None,
        "education_level": (
            EducationLevel.of(form.education_level.data) if form.education_level.data else None
        ),
        "major": form.major.data or None,
        "is_social_work_major": bool(form.is_social_work_major.data),
        "position_title": form.position_title.data or None,
        "employed_since": form.employed_since.data,
        "is_active": bool(form.is_active.data),
    }


def _accounts_without_profile(units: list[Unit]) -> list[User]:
    has_profile = select(WorkerProfile.user_id).where(WorkerProfile.user_id.is_not(None))
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.unit_id.in_([unit.id for unit in units]),
                User.is_active.is_(True),
                User.role.in_((Role.SOCIAL_WORKER, Role.STATION_HEAD, Role.TUTOR)),
                User.id.not_in(has_profile),
            )
            .order_by(User.unit_id, User.username)
        )
    )


@bp.route("/profiles/new", methods=["GET", "POST"])
@login_required
def new_profile() -> ResponseReturnValue:
    require(can_create_profile(current_user))
    units = managed_units(current_user)
    require(bool(units))
    accounts = _accounts_without_profile(units)
    form = ProfileForm()
    form.unit.choices = unit_choices(units)
    form.account.choices = [
        SelectChoice("", _l("无（没有系统账号）")),
        *(SelectChoice(str(a.id), with_note(a.display_name, a.username)) for a in accounts),
    ]
    if request.method == "GET":
        form.unit.data = str(current_user.unit_id)
        form.is_active.data = True
    page = {
        "heading": _("新建人员档案"),
        "back": url_for("workforce.profiles"),
        "crumbs": profile_crumbs(),
        "help_texts": {"account": _("社工、站长、督导如有系统账号，关联后本人可查看自己的档案。")},
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    unit = chosen_unit(form.unit.data, units)
    account = next((a for a in accounts if str(a.id) == form.account.data), None)
    if unit is None:
        add_error(form.unit, _("请选择单位。"))
        return form_page(form, status=422, **page)
    if account is not None and account.unit_id != unit.id:
        add_error(form.account, _("账号须属于所选单位。"))
        return form_page(form, status=422, **page)
    try:
        profile = services.create_profile(
            unit=unit,
            name=form.name.data or "",
            actor=current_user,
            user=account,
            **_profile_fields(form),
        )
    except services.WorkforceError as error:
        report_refusal(error, form.id_number if error.code == "invalid_id_number" else form.name)
        return form_page(form, status=422, **page)
    return done(_("人员档案已建立。"), url_for("workforce.profile", profile_id=profile.id))


@bp.route("/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
@login_required
def edit_profile(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = ProfileForm()
    del form.unit
    del form.account
    if request.method == "GET":
        form.name.data = profile.name
        form.gender.data = profile.gender.value if profile.gender else ""
        form.id_number.data = profile.id_number
        form.phone.data = profile.phone
        form.education_level.data = profile.education_level.value if profile.education_level else ""
        form.major.data = profile.major
        form.is_social_work_major.data = profile.is_social_work_major
        form.position_title.data = profile.position_title
        form.employed_since.data = profile.employed_since
        form.is_active.data = profile.is_active
    page = {
        "heading": _("修改人员档案"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": profile_crumbs(profile),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.update_profile(
            profile, actor=current_user, name=form.name.data or "", **_profile_fields(form)
        )
    except services.WorkforceError as error:
        report_refusal(error, form.id_number if error.code == "invalid_id_number" else form.name)
        return form_page(form, status=422, **page)
    return done(_("人员档案已保存。"), url_for("workforce.profile", profile_id=profile.id))


# --- certificates --------------------------------------------------------------------------


# --- employment, exams, awards ---------------------------------------------------------------


# --- continuing education ------------------------------------------------------------------


def search_condition(text: str) -> Any:
    return or_(WorkerProfile.name.contains(text, autoescape=True))
