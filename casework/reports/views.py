"""Statistics for every level (统计报表) and the monthly report (月报) PDF."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from casework.core import audit
from casework.core.clock import local_today
from casework.core.inputs import db_int
from casework.core.pdf import MissingCJKFont, pdf_download
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.reporting import (
    can_view_statistics,
    figure_unit_ids,
    is_aggregate_only,
    report_units_for,
)
from casework.reports import monthly, periods

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _report_units() -> list[Unit]:
    units = report_units_for(current_user)
    require(can_view_statistics(current_user) and bool(units))
    return units


def _chosen_unit(units: list[Unit]) -> Unit:
    """The unit in ``?unit=``, which must be one of ``units`` (404 otherwise, so a unit
    outside the user's reach is not confirmed to exist); by default the user's own unit."""
    unit_id = request.args.get("unit", type=db_int)
    if unit_id is None:
        return next((unit for unit in units if unit.id == current_user.unit_id), units[0])
    chosen = next((unit for unit in units if unit.id == unit_id), None)
    if chosen is None:
        abort(404)
    return chosen


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The figures of one unit's subtree over a date range, with charts and tables."""
    units = _report_units()
    unit = _chosen_unit(units)
    today = local_today()
    start_text = request.args.get("start", "")
    end_text = request.args.get("end", "")
    page = {
        "units": units,
        "indent": min(option.depth for option in units),
        "unit": unit,
        "quick_periods": periods.quick_periods(today),
        "start_text": start_text,
        "end_text": end_text,
    }
    try:
        period = periods.parse_period(start_text, end_text, today)
    except periods.PeriodError as error:
        return render_template("reports/index.html", error=error.message, **page), 422
    report = monthly.report_data(
        unit,
        figure_unit_ids(units, unit),
        period,
        aggregate_only=is_aggregate_only(current_user),
        today=today,
    )
    return render_template(
        "reports/index.html",
        period=period,
        report=report,
        report_month=period.end.strftime("%Y-%m"),
        **page,
    )


@bp.get("/monthly.pdf")
@login_required
def monthly_pdf() -> ResponseReturnValue:
    """The monthly report (月报) of one unit's subtree, for ``?month=2026-11``."""
    units = _report_units()
    unit = _chosen_unit(units)
    today = local_today()
    month_text = request.args.get("month", "") or today.strftime("%Y-%m")
    try:
        month = periods.parse_month(month_text)
    except periods.PeriodError as error:
        flash(error.message, "danger")
        return redirect(url_for("reports.index", unit=unit.id))
    data = monthly.monthly_report_data(
        unit,
        figure_unit_ids(units, unit),
        month,
        aggregate_only=is_aggregate_only(current_user),
        today=today,
    )
    try:
        pdf = monthly.render_monthly_report(data)
    except MissingCJKFont as error:
        flash(str(error.message), "danger")
        return redirect(url_for("reports.index", unit=unit.id))
    audit.record(
        "report.monthly_pdf",
        None,
        actor_id=current_user.id,
        unit_id=unit.id,
        details={"month": month.strftime("%Y-%m")},
    )
    db.session.commit()
    return pdf_download(pdf, f"monthly-report-{unit.id}-{month:%Y-%m}.pdf")
