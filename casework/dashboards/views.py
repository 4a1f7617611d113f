"""The dashboards: the tutor's and the station head's day at a glance, the bureau's
comparison of its units, and the bureau's wall screens (their addresses; the screen itself is
in ``wall_views``)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.accounts.forms import ActionForm
from casework.cases.enums import RiskLevel
from casework.cases.permissions import can_assign_case, cases_visible_to
from casework.core.actions import done, form_status
from casework.core.clock import local_today
from casework.core.inputs import db_int, external_url
from casework.core.permissions import require
from casework.dashboards import bureau, displays, queries
from casework.dashboards.forms import DisplayTokenForm
from casework.dashboards.models import DisplayToken
from casework.dashboards.permissions import (
    can_manage_displays,
    can_revoke_display,
    can_use_bureau_dashboard,
    can_use_station_dashboard,
    can_use_tutor_dashboard,
)
from casework.extensions import db
from casework.groups.permissions import groups_visible_to
from casework.helpdesk.permissions import requests_visible_to
from casework.orgs.services import units_in_subtree
from casework.reports import periods
from casework.worker_reports.permissions import can_read_summary
from casework.workforce.services import target_for

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")


@bp.get("/tutor")
@login_required
def tutor() -> ResponseReturnValue:
    """督导工作台: caseloads, approvals, overdue items and records of the supervised units."""
    require(can_use_tutor_dashboard(current_user))
    board = queries.tutor_dashboard(
        current_user, cases_visible_to(current_user), groups_visible_to(current_user)
    )
    return render_template(
        "dashboards/tutor.html",
        board=board,
        statuses=queries.OPEN_CASE_STATUSES,
        risks=list(RiskLevel),
        here=url_for("dashboards.tutor"),
        show_unit=len(board.units) > 1,
        has_summary=lambda worker: can_read_summary(current_user, worker),
    )


@bp.get("/station")
@login_required
def station() -> ResponseReturnValue:
    """站务工作台: the head's unit, its workers' load, requests to assign, this month."""
    require(can_use_station_dashboard(current_user))
    board = queries.station_dashboard(
        current_user, cases_visible_to(current_user), requests_visible_to(current_user)
    )
    return render_template(
        "dashboards/station.html",
        board=board,
        statuses=queries.OPEN_CASE_STATUSES,
        can_assign=lambda case: can_assign_case(current_user, case),
        has_summary=lambda worker: can_read_summary(current_user, worker),
    )


@bp.get("/bureau")
@login_required
def bureau_dashboard() -> ResponseReturnValue:
    """民政局数据看板: the bureau's units side by side, trends, overdue help requests."""
    require(can_use_bureau_dashboard(current_user))
    units = units_in_subtree(current_user.unit)
    unit_id = request.args.get("unit", type=db_int)
    wanted = current_user.unit_id if unit_id is None else unit_id
    unit = next((each for each in units if each.id == wanted), None)
    if unit is None:
        abort(404)  # outside the bureau's subtree, or no such unit: the same answer
    today = local_today()
    kind = request.args.get("period", "month")
    at_text = request.args.get("at", "")
    page = {
        "unit": unit,
        "trail": [u for u in units if unit.path.startswith(u.path)],
        "kind": kind,
        "at": at_text or today.strftime("%Y-%m"),
        "kinds": [
            ("month", _("月")),
            ("quarter", _("季度")),
            ("year", _("年")),
        ],
    }
    if kind not in periods.PERIOD_KINDS:
        return render_template(
            "dashboards/bureau.html", error=_("请选择按月、按季度或按年查看。"), **page
        ), 422
    try:
        at = periods.parse_month(at_text) if at_text else today
    except periods.PeriodError as error:
        return render_template("dashboards/bureau.html", error=error.message, **page), 422
    period = periods.period_containing(kind, at)
    with_target = unit.id == current_user.unit_id
    board = bureau.recent_board(
        ("dashboard", unit.id, unit.code, period, today, with_target),
        float(current_app.config["DASHBOARD_CACHE_SECONDS"]),
        lambda: bureau.bureau_board(
            unit,
            units,
            period,
            today,
            aggregate_only=True,
            target=target_for(unit) if with_target else None,
        ),
    )
    return render_template("dashboards/bureau.html", board=board, today=today, **page)


def _displays_page(form: DisplayTokenForm, *, wall_url: str | None = None) -> Response:
    rows = displays.display_tokens_of(current_user.unit)
    response = Response(
        render_template(
            "dashboards/displays.html",
            form=form,
            rows=rows,
            is_usable=displays.is_usable,
            revoke_form=ActionForm(formdata=None),
            wall_url=wall_url,
        ),
        status=form_status() if wall_url is None else 200,
    )
    # The page may show a secret address: keep it out of every cache and history.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/displays", methods=["GET", "POST"])
@login_required
def display_tokens() -> ResponseReturnValue:
    """数据大屏: create a screen address (shown once), list and revoke the bureau's screens."""
    require(can_manage_displays(current_user))
    form = DisplayTokenForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _displays_page(form)
    token = displays.create_display_token(
        actor=current_user, unit=current_user.unit, label=(form.label.data or "").strip()
    )
    db.session.commit()
    # Only a hash is stored: this response is the one time the address can be shown.
    return _displays_page(
        DisplayTokenForm(formdata=None),
        wall_url=external_url(url_for("dashboards_wall.screen", token=token)),
    )


@bp.post("/displays/<int:display_id>/revoke")
@login_required
def revoke_display(display_id: int) -> ResponseReturnValue:
    require(can_manage_displays(current_user))
    row = db.session.get(DisplayToken, display_id)
    if row is None or not can_revoke_display(current_user, row):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    displays.revoke_display_token(row, actor=current_user)
    return done(_("大屏地址已停用，该屏幕将无法再显示数据。"), url_for("dashboards.display_tokens"))
