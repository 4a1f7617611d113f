"""Personnel files (人员档案): list, open, create and edit, and the rows they hold.

Routes for posts, training and statistics live in their own modules on the same blueprint.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.accounts.models import Role, User
from casework.core.actions import done, form_status
from casework.core.forms import Form, SelectChoice, add_error
from casework.core.i18n import with_note
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs.models import SERVICE_KINDS, Unit
from casework.people.models import Gender
from casework.workforce import services
from casework.workforce.forms import (
    AwardForm,
    CertificateForm,
    EducationEntryForm,
    EmploymentForm,
    ExamForm,
    ProfileForm,
    RegistrationForm,
)
from casework.workforce.models import (
    AwardRecord,
    Certificate,
    CertificateLevel,
    ContinuingEducationEntry,
    EducationKind,
    EducationLevel,
    EmploymentRecord,
    ExamRecord,
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


def error_message(error: services.WorkforceError) -> str:
    return str(error.message)


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


def _profile_crumbs(profile: WorkerProfile | None = None) -> list[tuple[str, str]]:
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
        status=services.education_status(profile),
        warning=services.registration_warning(profile),
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
        "crumbs": _profile_crumbs(),
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
        db.session.rollback()
        add_error(
            form.id_number if error.code == "invalid_id_number" else form.name,
            error_message(error),
        )
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
        "crumbs": _profile_crumbs(profile),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.update_profile(
            profile, actor=current_user, name=form.name.data or "", **_profile_fields(form)
        )
    except services.WorkforceError as error:
        db.session.rollback()
        add_error(
            form.id_number if error.code == "invalid_id_number" else form.name,
            error_message(error),
        )
        return form_page(form, status=422, **page)
    return done(_("人员档案已保存。"), url_for("workforce.profile", profile_id=profile.id))


# --- certificates --------------------------------------------------------------------------


@bp.route("/profiles/<int:profile_id>/certificates/new", methods=["GET", "POST"])
@login_required
def new_certificate(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = CertificateForm()
    page = {
        "heading": _("添加职业水平证书"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": _profile_crumbs(profile),
        "help_texts": {"registered_on": _("取得证书后一年内应办理登记；尚未登记的留空。")},
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.add_certificate(
            profile,
            level=CertificateLevel.of(form.level.data or ""),
            certificate_number=form.certificate_number.data or "",
            obtained_on=form.obtained_on.data,  # type: ignore[arg-type]  # DataRequired
            registration_number=form.registration_number.data or None,
            registered_on=form.registered_on.data,
            actor=current_user,
        )
    except services.WorkforceError as error:
        db.session.rollback()
        add_error(form.certificate_number, error_message(error))
        return form_page(form, status=422, **page)
    return done(_("证书已添加。"), url_for("workforce.profile", profile_id=profile.id))


def _editable_certificate_or_404(certificate_id: int) -> Certificate:
    certificate: Certificate = db.first_or_404(
        select(Certificate)
        .where(Certificate.id == certificate_id)
        .where(
            Certificate.profile_id.in_(
                profiles_visible_to(current_user).with_only_columns(WorkerProfile.id)
            )
        )
    )
    require(can_edit_profile(current_user, certificate.profile))
    return certificate


@bp.route("/certificates/<int:certificate_id>/registration", methods=["GET", "POST"])
@login_required
def registration(certificate_id: int) -> ResponseReturnValue:
    certificate = _editable_certificate_or_404(certificate_id)
    profile = certificate.profile
    form = RegistrationForm()
    if request.method == "GET":
        form.registration_number.data = certificate.registration_number
        form.registered_on.data = certificate.registered_on
        form.last_reregistered_on.data = certificate.last_reregistered_on
    page = {
        "heading": _("登记与再登记：%(number)s", number=certificate.certificate_number),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": _profile_crumbs(profile),
        "help_texts": {
            "last_reregistered_on": _("每三年再登记一次；再登记日期开始新的继续教育周期。")
        },
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.record_registration(
            certificate,
            actor=current_user,
            registration_number=form.registration_number.data,
            registered_on=form.registered_on.data,
            last_reregistered_on=form.last_reregistered_on.data,
        )
    except services.WorkforceError as error:
        db.session.rollback()
        add_error(form.registered_on, error_message(error))
        return form_page(form, status=422, **page)
    return done(_("登记信息已保存。"), url_for("workforce.profile", profile_id=profile.id))


@bp.post("/certificates/<int:certificate_id>/delete")
@login_required
def delete_certificate(certificate_id: int) -> ResponseReturnValue:
    certificate = _editable_certificate_or_404(certificate_id)
    profile_id = certificate.profile_id
    if ActionForm().validate_on_submit():
        services.remove_certificate(certificate, actor=current_user)
        db.session.commit()
        flash(_("证书已删除。"), "success")
    return redirect(url_for("workforce.profile", profile_id=profile_id))


# --- employment, exams, awards ---------------------------------------------------------------

RECORD_KINDS: dict[str, type[EmploymentRecord | ExamRecord | AwardRecord]] = {
    "employment": EmploymentRecord,
    "exam": ExamRecord,
    "award": AwardRecord,
}


@bp.route("/profiles/<int:profile_id>/employment/new", methods=["GET", "POST"])
@login_required
def new_employment(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = EmploymentForm()
    page = {
        "heading": _("添加工作经历"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": _profile_crumbs(profile),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.add_employment_record(
            profile,
            actor=current_user,
            employer=form.employer.data or "",
            position=form.position.data,
            started_on=form.started_on.data,  # type: ignore[arg-type]  # DataRequired
            ended_on=form.ended_on.data,
        )
    except services.WorkforceError as error:
        db.session.rollback()
        add_error(form.ended_on, error_message(error))
        return form_page(form, status=422, **page)
    return done(
        _("工作经历已添加。"),
        url_for("workforce.profile", profile_id=profile.id, _anchor="employment"),
    )


@bp.route("/profiles/<int:profile_id>/exams/new", methods=["GET", "POST"])
@login_required
def new_exam(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = ExamForm()
    page = {
        "heading": _("添加职业水平考试记录"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": _profile_crumbs(profile),
        "help_texts": {"subjects_passed": _("例如：社会工作综合能力、社会工作实务")},
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.add_exam_record(
            profile,
            actor=current_user,
            year=int(form.year.data or 0),
            level=CertificateLevel.of(form.level.data or ""),
            subjects_passed=form.subjects_passed.data,
            is_passed=bool(form.is_passed.data),
        )
    except services.WorkforceError as error:
        db.session.rollback()
        add_error(form.year, error_message(error))
        return form_page(form, status=422, **page)
    return done(
        _("考试记录已添加。"), url_for("workforce.profile", profile_id=profile.id, _anchor="exams")
    )


@bp.route("/profiles/<int:profile_id>/awards/new", methods=["GET", "POST"])
@login_required
def new_award(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = AwardForm()
    page = {
        "heading": _("添加奖励与考核"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": _profile_crumbs(profile),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    services.add_award_record(
        profile,
        actor=current_user,
        title=form.title.data or "",
        awarded_by=form.awarded_by.data,
        awarded_on=form.awarded_on.data,  # type: ignore[arg-type]  # DataRequired
    )
    return done(
        _("奖励与考核记录已添加。"),
        url_for("workforce.profile", profile_id=profile.id, _anchor="awards"),
    )


@bp.post("/profiles/<int:profile_id>/<kind>/<int:record_id>/delete")
@login_required
def delete_record(profile_id: int, kind: str, record_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    model = RECORD_KINDS.get(kind)
    if model is None:
        return redirect(url_for("workforce.profile", profile_id=profile.id))
    record = db.first_or_404(
        select(model).where(model.id == record_id, model.profile_id == profile.id)
    )
    if ActionForm().validate_on_submit():
        services.remove_profile_record(record, actor=current_user)
        db.session.commit()
        flash(_("记录已删除。"), "success")
    return redirect(url_for("workforce.profile", profile_id=profile.id))


# --- continuing education ------------------------------------------------------------------


@bp.route("/profiles/<int:profile_id>/education/new", methods=["GET", "POST"])
@login_required
def new_education(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = EducationEntryForm()
    page = {
        "heading": _("添加继续教育学时"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": _profile_crumbs(profile),
        "help_texts": {
            "hours": _("学历教育不填学时：毕业后一次计 90 学时，每个登记周期只计一次。"),
            "evidence": _("证明材料的名称或编号，例如结业证书编号；原件由本单位存档。"),
        },
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    hours = form.hours.data
    try:
        services.add_education_entry(
            profile,
            actor=current_user,
            kind=EducationKind.of(form.kind.data or ""),
            title=form.title.data or "",
            provider=form.provider.data,
            started_on=form.started_on.data,  # type: ignore[arg-type]  # DataRequired
            ended_on=form.ended_on.data,
            hours=Decimal(hours) if hours is not None else None,
            is_degree_completed=bool(form.is_degree_completed.data),
            evidence=form.evidence.data,
        )
    except services.WorkforceError as error:
        db.session.rollback()
        target = {"invalid_hours": form.hours, "ends_before_start": form.ended_on}.get(
            error.code, form.ended_on
        )
        add_error(target, error_message(error))
        return form_page(form, status=422, **page)
    return done(
        _("继续教育学时已登记。"),
        url_for("workforce.profile", profile_id=profile.id, _anchor="education"),
    )


@bp.post("/education/<int:entry_id>/delete")
@login_required
def delete_education(entry_id: int) -> ResponseReturnValue:
    entry: ContinuingEducationEntry = db.first_or_404(
        select(ContinuingEducationEntry).where(
            ContinuingEducationEntry.id == entry_id,
            ContinuingEducationEntry.profile_id.in_(
                profiles_visible_to(current_user).with_only_columns(WorkerProfile.id)
            ),
        )
    )
    require(can_edit_profile(current_user, entry.profile))
    profile_id = entry.profile_id
    if ActionForm().validate_on_submit():
        try:
            services.remove_education_entry(entry, actor=current_user)
        except services.WorkforceError as error:
            flash(error_message(error), "danger")
            return redirect(url_for("workforce.profile", profile_id=profile_id))
        db.session.commit()
        flash(_("继续教育记录已删除。"), "success")
    return redirect(url_for("workforce.profile", profile_id=profile_id, _anchor="education"))


def search_condition(text: str) -> Any:
    return or_(WorkerProfile.name.contains(text, autoescape=True))
