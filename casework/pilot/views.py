"""The pilot pages: the overview by city, pilot units, and the pilot's stages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import Select, select
from wtforms import Field

from casework.core import audit
from casework.core.actions import done, form_page, report_refusal
from casework.core.clock import local_today
from casework.core.exports import export_format, send_export, table
from casework.core.inputs import db_int
from casework.core.masking import mask_phone
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.picker import UnitChoices, pick_units, picked
from casework.pilot import progress, services
from casework.pilot.forms import DesignatePilotForm, PilotDetailsForm, StageForm, WithdrawPilotForm
from casework.pilot.models import UNIT_KINDS_FOR_PILOT, PilotKind, PilotStage, PilotUnit
from casework.pilot.permissions import (
    can_designate_pilots,
    can_manage_pilot,
    can_manage_pilot_unit,
    can_manage_stages,
    can_view_own_pilot,
    can_view_pilot,
    pilot_units_visible_to,
)

bp = Blueprint("pilot", __name__, url_prefix="/pilot")

PILOT_UNIT_KINDS = frozenset().union(*UNIT_KINDS_FOR_PILOT.values())


def _pilot_or_404(pilot_id: int) -> PilotUnit:
    pilot = db.session.scalars(
        pilot_units_visible_to(current_user).where(PilotUnit.id == pilot_id)
    ).first()
    if pilot is None:
        abort(404)
    return pilot


def _day(field: Field) -> date:
    """A required date field's value, once the form has validated."""
    value = field.data
    assert isinstance(value, date)  # noqa: S101  (DataRequired has run)
    return value


def _refused_field(form: PilotDetailsForm, code: str) -> Field | None:
    """The field a pilot rule's refusal is about, if any."""
    fields = {"unit_kind": form.kind, "designated_in_future": form.designated_on}
    return fields.get(code)


def _contacts(form: PilotDetailsForm) -> services.Contacts:
    return services.Contacts(
        head_name=form.head_name.data or "",
        head_post=form.head_post.data or "",
        head_phone=form.head_phone.data or None,
        contact_name=form.contact_name.data or "",
        contact_post=form.contact_post.data or "",
        contact_phone=form.contact_phone.data or None,
    )


def _page_context() -> dict[str, Any]:
    return {
        "mask_phone": mask_phone,
        "can_manage_pilot": can_manage_pilot,
        "can_view_overview": can_view_pilot(current_user),
    }


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """Each city with its pilot units and its certified workers against its target."""
    require(can_view_pilot(current_user))
    board = progress.overview(current_user, local_today())
    return render_template(
        "pilot/index.html",
        board=board,
        can_manage_stages=can_manage_stages(current_user),
        can_designate=can_designate_pilots(current_user),
        **_page_context(),
    )


EXPORT_HEADERS = (
    _l("市（州）"),
    _l("试点单位数"),
    _l("试点单位"),
    _l("持证社工"),
    _l("目标人数"),
    _l("目标期限"),
    _l("目标完成率"),
    _l("进度"),
)


@bp.get("/export")
@login_required
def export() -> ResponseReturnValue:
    """The overview as CSV or XLSX: one row per city and the total; aggregates only."""
    require(can_view_pilot(current_user))
    fmt = export_format(request.args.get("format"))
    board = progress.overview(current_user, local_today())
    data = table(EXPORT_HEADERS, title=_l("试点工作"))
    for area in board.areas:
        data.add(
            [
                area.unit.name if area.unit else _("省直及其他单位"),
                len(area.active_pilots),
                "、".join(pilot.unit.name for pilot in area.active_pilots),
                area.cells["certified"],
                area.target.target if area.target else "",
                area.target.due_on.isoformat() if area.target and area.target.due_on else "",
                area.cells["share"],
                area.cells["pace"],
            ]
        )
    data.add(
        [
            _("合计：%(unit)s", unit=board.unit.name),
            sum(len(area.active_pilots) for area in board.areas),
            "",
            board.total_cell,
            board.target.target,
            board.target.due_on.isoformat() if board.target.due_on else "",
            board.share_cell,
            board.pace_cell,
        ]
    )
    audit.record(
        "export.pilot_overview",
        None,
        actor_id=current_user.id,
        unit_id=board.unit.id,
        details={"rows": len(data.rows), "format": fmt},
    )
    db.session.commit()
    return send_export(data, "pilot", fmt)


@bp.get("/mine")
@login_required
def mine() -> ResponseReturnValue:
    """A station head's own unit's pilot record, if it is a pilot unit."""
    require(can_view_own_pilot(current_user))
    # The latest designation: a unit withdrawn and designated again has two records.
    pilot = db.session.scalars(
        pilot_units_visible_to(current_user).order_by(PilotUnit.id.desc())
    ).first()
    return render_template("pilot/mine.html", pilot=pilot, **_page_context())


@bp.get("/units/<int:pilot_id>")
@login_required
def detail(pilot_id: int) -> ResponseReturnValue:
    pilot = _pilot_or_404(pilot_id)
    return render_template(
        "pilot/detail.html",
        pilot=pilot,
        withdraw_form=WithdrawPilotForm(formdata=None, withdrawn_on=local_today()),
        **_page_context(),
    )


def _candidates() -> Select[Unit]:
    """Units below the viewer that may be pilots and are not now (a withdrawn one may be
    designated again)."""
    taken = select(PilotUnit.unit_id).where(PilotUnit.withdrawn_on.is_(None))
    return select(Unit).where(
        Unit.path.startswith(current_user.unit.path, autoescape=True),
        Unit.id != current_user.unit_id,
        Unit.kind.in_(PILOT_UNIT_KINDS),
        Unit.is_active.is_(True),
        Unit.id.not_in(taken),
    )


@bp.route("/units/new", methods=["GET", "POST"])
@login_required
def new_unit() -> ResponseReturnValue:
    require(can_designate_pilots(current_user))
    form = DesignatePilotForm()
    if request.method == "GET":
        form.designated_on.data = local_today()
    term, chosen = picked(form, "unit_id")
    units: UnitChoices = pick_units(_candidates(), near=current_user.unit, term=term, chosen=chosen)
    form.unit_id.choices = units.choices
    page = {"form": form, "units": units}
    if not form.validate_on_submit():
        return form_page("pilot/designate.html", **page)
    unit = db.session.scalars(_candidates().where(Unit.id == db_int(form.unit_id.data))).first()
    if unit is None:
        abort(404)
    require(can_manage_pilot_unit(current_user, unit))
    try:
        pilot = services.designate(
            actor=current_user,
            unit=unit,
            kind=PilotKind.of(form.kind.data),
            designated_on=_day(form.designated_on),
            contacts=_contacts(form),
        )
    except services.PilotError as error:
        report_refusal(error, _refused_field(form, error.code))
        return form_page("pilot/designate.html", **page)
    return done(
        _("已确定%(unit)s为试点单位。", unit=unit.name),
        url_for("pilot.detail", pilot_id=pilot.id),
    )


@bp.route("/units/<int:pilot_id>/edit", methods=["GET", "POST"])
@login_required
def edit(pilot_id: int) -> ResponseReturnValue:
    pilot = _pilot_or_404(pilot_id)
    require(can_manage_pilot(current_user, pilot) and pilot.is_active)
    form = PilotDetailsForm()
    if request.method == "GET":
        form.kind.data = pilot.kind.value
        form.designated_on.data = pilot.designated_on
        for name in ("head_name", "head_post", "head_phone"):
            form[name].data = getattr(pilot, name)
        for name in ("contact_name", "contact_post", "contact_phone"):
            form[name].data = getattr(pilot, name)
    if not form.validate_on_submit():
        return form_page("pilot/edit.html", form=form, pilot=pilot)
    try:
        services.update(
            actor=current_user,
            pilot=pilot,
            kind=PilotKind.of(form.kind.data),
            designated_on=_day(form.designated_on),
            contacts=_contacts(form),
        )
    except services.PilotError as error:
        report_refusal(error, _refused_field(form, error.code))
        return form_page("pilot/edit.html", form=form, pilot=pilot)
    return done(_("试点单位信息已保存。"), url_for("pilot.detail", pilot_id=pilot.id))


@bp.post("/units/<int:pilot_id>/withdraw")
@login_required
def withdraw(pilot_id: int) -> ResponseReturnValue:
    pilot = _pilot_or_404(pilot_id)
    require(can_manage_pilot(current_user, pilot))
    form = WithdrawPilotForm()
    context = {"pilot": pilot, "withdraw_form": form, **_page_context()}
    if not form.validate_on_submit():
        return render_template("pilot/detail.html", **context), 422
    try:
        services.withdraw(actor=current_user, pilot=pilot, on=_day(form.withdrawn_on))
    except services.PilotError as error:
        report_refusal(error, form.withdrawn_on)
        return render_template("pilot/detail.html", **context), 422
    return done(_("已撤销该试点单位。"), url_for("pilot.detail", pilot_id=pilot.id))


# Stages -----------------------------------------------------------------------------------------


@bp.route("/stages", methods=["GET", "POST"])
@login_required
def stages() -> ResponseReturnValue:
    """The province's stages, and a form to add one."""
    require(can_manage_stages(current_user))
    form = StageForm()
    listed = services.stages_for(services.pilot_root(current_user.unit))
    page = {"form": form, "stages": listed, "today": local_today()}
    if not form.validate_on_submit():
        return form_page("pilot/stages.html", **page)
    try:
        services.add_stage(
            actor=current_user,
            name=form.name.data or "",
            starts_on=_day(form.starts_on),
            ends_on=_day(form.ends_on),
        )
    except services.PilotError as error:
        report_refusal(error, form.ends_on)
        return form_page("pilot/stages.html", **page)
    return done(_("阶段已添加。"), url_for("pilot.stages"))


def _stage_form_page(
    shown: services.Stage, find: Callable[[], PilotStage | None]
) -> ResponseReturnValue:
    """Edit the stage ``shown``; ``find`` gives its row once the form is valid."""
    form = StageForm()
    if request.method == "GET":
        form.name.data, form.starts_on.data, form.ends_on.data = (
            shown.name,
            shown.starts_on,
            shown.ends_on,
        )
    page = {"form": form}
    if not form.validate_on_submit():
        return form_page("pilot/edit_stage.html", **page)
    stage = find()
    if stage is None:
        abort(404)
    try:
        services.update_stage(
            actor=current_user,
            stage=stage,
            name=form.name.data or "",
            starts_on=_day(form.starts_on),
            ends_on=_day(form.ends_on),
        )
    except services.PilotError as error:
        report_refusal(error, form.ends_on)
        return form_page("pilot/edit_stage.html", **page)
    return done(_("阶段已保存。"), url_for("pilot.stages"))


@bp.route("/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@login_required
def edit_stage(stage_id: int) -> ResponseReturnValue:
    """A stored stage, by its id."""
    require(can_manage_stages(current_user))
    stage = services.stage_of(current_user, stage_id)
    if stage is None:
        abort(404)
    shown = services.Stage(stage.name, stage.starts_on, stage.ends_on, stage.id)
    return _stage_form_page(shown, lambda: stage)


@bp.route("/stages/plan/<int:plan_stage_id>/edit", methods=["GET", "POST"])
@login_required
def edit_plan_stage(plan_stage_id: int) -> ResponseReturnValue:
    """One of the plan's stages (numbered from 1) while the province has stored none:
    saving stores them."""
    number = plan_stage_id
    require(can_manage_stages(current_user))
    listed = services.stages_for(services.pilot_root(current_user.unit))
    if listed[0].id is not None or not 1 <= number <= len(listed):
        abort(404)
    return _stage_form_page(listed[number - 1], lambda: services.plan_stage(current_user, number))


def _delete(stage: PilotStage | None) -> ResponseReturnValue:
    if stage is None:
        abort(404)
    try:
        services.delete_stage(actor=current_user, stage=stage)
    except services.PilotError as error:
        report_refusal(error)
        listed = services.stages_for(services.pilot_root(current_user.unit))
        page = {"form": StageForm(formdata=None), "stages": listed, "today": local_today()}
        return form_page("pilot/stages.html", **page)
    return done(_("阶段已删除。"), url_for("pilot.stages"))


@bp.post("/stages/<int:stage_id>/delete")
@login_required
def delete_stage(stage_id: int) -> ResponseReturnValue:
    require(can_manage_stages(current_user))
    return _delete(services.stage_of(current_user, stage_id))


@bp.post("/stages/plan/<int:plan_stage_id>/delete")
@login_required
def delete_plan_stage(plan_stage_id: int) -> ResponseReturnValue:
    require(can_manage_stages(current_user))
    return _delete(services.plan_stage(current_user, plan_stage_id))
