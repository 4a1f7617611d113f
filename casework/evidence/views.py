"""Evidence packs (评估台账): asking for one, following its build, downloading its files."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from casework.core.actions import done, form_page
from casework.core.clock import local_today
from casework.core.forms import SelectChoice, add_error
from casework.core.models import as_utc, utcnow
from casework.core.permissions import require
from casework.evidence import build, services
from casework.evidence.forms import EvidencePackForm
from casework.evidence.models import EvidencePack, PackStatus
from casework.evidence.permissions import (
    can_download_pack,
    can_request_evidence_pack,
    pack_units_for,
    packs_visible_to,
)
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.reporting import figure_unit_ids
from casework.reports import periods

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

LISTED = 20
FILES = {"pdf": ("pdf_name", "application/pdf"), "zip": ("zip_name", "application/zip")}


def _page(form: EvidencePackForm, units: list[Unit]) -> ResponseReturnValue:
    packs = list(
        db.session.scalars(
            packs_visible_to(current_user)
            .options(selectinload(EvidencePack.unit))
            .order_by(EvidencePack.created_at.desc(), EvidencePack.id.desc())
            .limit(LISTED)
        )
    )
    return form_page(
        "evidence/index.html",
        form=form,
        packs=packs,
        quick_periods=periods.quick_periods(local_today()),
        is_building=any(pack.status in (PackStatus.QUEUED, PackStatus.BUILDING) for pack in packs),
        step_label=build.step_label,
        error_label=lambda code: build.ERROR_LABELS.get(code, build.ERROR_LABELS["internal"]),
        now=utcnow(),
        as_utc=as_utc,
        multiple_units=len(units) > 1,
    )


def _form(units: list[Unit]) -> EvidencePackForm:
    form = EvidencePackForm()
    indent = min(unit.depth for unit in units)
    form.unit.choices = [
        SelectChoice(unit.id, "\u3000" * (unit.depth - indent) + unit.name) for unit in units
    ]
    if request.method == "GET":
        own = next((unit for unit in units if unit.id == current_user.unit_id), units[0])
        # A project page links here for one of its stations (?unit=).
        asked = request.args.get("unit", type=int)
        form.unit.data = next((unit.id for unit in units if unit.id == asked), own.id)
        this_month = periods.month_period(local_today())
        form.start.data = request.args.get("start") or this_month.start.isoformat()
        form.end.data = request.args.get("end") or this_month.end.isoformat()
    return form


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    """The user's packs with their progress, and the form that asks for another."""
    require(can_request_evidence_pack(current_user))
    units = pack_units_for(current_user)
    form = _form(units)
    if not form.validate_on_submit():
        if request.method == "GET" and current_app.config.get("EVIDENCE_BUILD_IN_THREAD", True):
            _resume_orphaned_builds()
        return _page(form, units)
    unit = next((unit for unit in units if unit.id == form.unit.data), None)
    if unit is None:
        abort(404)
    try:
        period = periods.parse_period(form.start.data or "", form.end.data or "", local_today())
    except periods.PeriodError as error:
        add_error(form.start, error.message)
        return _page(form, units)
    pack = services.request_pack(
        actor=current_user,
        unit=unit,
        includes_subtree=len(figure_unit_ids(units, unit)) > 1,
        period=period,
    )
    db.session.commit()
    if current_app.config.get("EVIDENCE_BUILD_IN_THREAD", True):
        build.start_build_thread(current_app._get_current_object(), pack.id)  # type: ignore[attr-defined]
    return done(_("已提交，台账正在后台生成，完成后可在下方下载。"), url_for("evidence.index"))


def _resume_orphaned_builds() -> None:
    orphaned = build.orphaned_packs(current_user)
    if not orphaned:
        return
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for pack_id in orphaned:
        build.start_build_thread(app, pack_id)


def _own_pack_or_404(pack_id: int) -> EvidencePack:
    pack: EvidencePack = db.first_or_404(
        packs_visible_to(current_user).where(EvidencePack.id == pack_id)
    )
    return pack


@bp.get("/<int:pack_id>/status")
@login_required
def status(pack_id: int) -> ResponseReturnValue:
    """The build's progress as JSON, for the page to follow without reloading."""
    pack = _own_pack_or_404(pack_id)
    return jsonify(
        status=pack.status.value,
        label=pack.status.label,
        progress=pack.progress,
        step=str(build.step_label(pack.step)),
    )


@bp.get("/<int:pack_id>/pdf", defaults={"kind": "pdf"})
@bp.get("/<int:pack_id>/zip", defaults={"kind": "zip"})
@login_required
def download(pack_id: int, kind: str) -> ResponseReturnValue:
    """The pack's PDF or ZIP, for its requester only, until it expires."""
    pack = _own_pack_or_404(pack_id)
    if not can_download_pack(current_user, pack) or (
        pack.expires_at is not None and as_utc(pack.expires_at) <= utcnow()
    ):
        abort(404)
    attribute, mimetype = FILES[kind]
    name = getattr(pack, attribute)
    path = build.pack_path(name) if name else None
    if path is None or not path.is_file():
        abort(404)
    services.record_download(actor=current_user, pack=pack, kind=kind)
    db.session.commit()
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"evidence-{pack.id}-{pack.start:%Y%m%d}-{pack.end:%Y%m%d}.{kind}",
        conditional=False,
        etag=False,
    )
    # The pack holds people's records: no copy in a shared office PC's cache.
    response.headers["Cache-Control"] = "no-store"
    return response
