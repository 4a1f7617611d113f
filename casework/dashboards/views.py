"""The tutor's and the station head's dashboards: what needs them today, at a glance."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from casework.cases.enums import RiskLevel
from casework.cases.permissions import can_assign_case, cases_visible_to
from casework.core.permissions import require
from casework.dashboards import queries
from casework.dashboards.permissions import can_use_station_dashboard, can_use_tutor_dashboard
from casework.groups.permissions import groups_visible_to
from casework.helpdesk.permissions import requests_visible_to
from casework.worker_reports.permissions import can_read_summary

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
