"""Exports of the audit log and of the statistics, on the exports blueprint."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from flask import (
    Response,
    abort,
    request,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from casework.audit.views import (
    ACTION_LABELS,
    AuditFilters,
    audit_entries_visible_to,
    audit_subjects,
    step_label,
)
from casework.cases.enums import ServiceDomain
from casework.cases.permissions import can_read_audit_log
from casework.core import suppression
from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.core.exports import Cell, export_format, table
from casework.core.i18n import short_datetime
from casework.core.inputs import db_int
from casework.core.permissions import require
from casework.exports.views import bp, finish
from casework.extensions import db
from casework.orgs.reporting import (
    can_view_statistics,
    figure_unit_ids,
    is_aggregate_only,
    report_units_for,
)
from casework.reports import periods, statistics


@bp.get("/audit")
@login_required
def audit_log() -> Response:
    """The audit log as the audit page shows it to this user, with the same filters."""
    require(can_read_audit_log(current_user))
    fmt = export_format(request.args.get("format"))
    query = AuditFilters.from_args(request.args).apply(audit_entries_visible_to(current_user))
    data = table(
        (_l("时间"), _l("操作人"), _l("操作"), _l("记录"), _l("地址")),
        title=_l("审计日志"),
    )
    entries = list(
        db.session.scalars(
            query.options(selectinload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
        )
    )
    subjects = audit_subjects(entries, current_user)
    for entry in entries:
        action = str(ACTION_LABELS.get(entry.action, entry.action))
        if entry.details.get("full_identifiers"):
            action += _("（含完整号码，用途：%(reason)s）", reason=entry.details.get("reason", ""))
        step = step_label(entry)
        subject = subjects.get((entry.object_type or "", entry.object_id or 0))
        data.add(
            (
                short_datetime(entry.at),
                entry.actor.display_name if entry.actor else _("系统"),
                action + _("：%(detail)s", detail=step) if step else action,
                subject.label if subject else "",
                entry.ip_address or "",
            )
        )
    return finish(data, "audit", fmt)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@bp.get("/statistics")
@login_required
def case_statistics() -> Response:
    """Cases opened per month by service domain, and cases closed, for a unit subtree.

    Unit and period as on the statistics page: ``unit`` (one of the units the user reports
    on; their own by default), ``start`` and ``end`` (inclusive; this month by default).
    Aggregate-only users (bureau viewers) get counts of 1 to 4 as "<5" and no totals, from
    which a hidden count could be worked out by subtraction.
    """
    units = report_units_for(current_user)
    require(can_view_statistics(current_user) and bool(units))
    fmt = export_format(request.args.get("format"))
    chosen_id = request.args.get("unit", type=db_int, default=current_user.unit_id)
    chosen = next((unit for unit in units if unit.id == chosen_id), None)
    if chosen is None:
        if "unit" in request.args:
            abort(404)  # outside the user's reach: its existence is not confirmed
        chosen = units[0]
    unit_ids = figure_unit_ids(units, chosen)
    try:
        period = periods.parse_period(
            request.args.get("start", ""), request.args.get("end", ""), local_today()
        )
    except periods.PeriodError:
        abort(400)
    start, end = period.start, period.end
    suppress = is_aggregate_only(current_user)
    domains = list(ServiceDomain)

    def count(value: int) -> Cell:
        """The number, or "<5" in its place; the other counts stay numbers in a spreadsheet."""
        shown = suppression.suppressed(value) if suppress else str(value)
        return value if shown == str(value) else shown

    headers: list[object] = [_l("月份"), *(domain.lazy_label for domain in domains)]
    if not suppress:
        headers.append(_l("新开个案合计"))
    headers.append(_l("结案个案"))
    data = table(headers, title=_l("个案统计"))

    def add_row(label: str, low: date, high: date) -> None:
        figures = statistics.case_figures(unit_ids, low, high)
        row: list[Cell] = [label]
        row += [count(figures.opened_by_domain.get(domain, 0)) for domain in domains]
        if not suppress:
            row.append(figures.opened)
        row.append(count(figures.closed))
        data.add(row)

    for index in range(_month_index(start), _month_index(end) + 1):
        month = _month_start(index)
        month_end = month.replace(day=monthrange(month.year, month.month)[1])
        add_row(f"{month:%Y-%m}", max(month, start), min(month_end, end))
    if not suppress:
        add_row(_("合计"), start, end)
    return finish(
        data,
        "case-statistics",
        fmt,
        unit=chosen.id,
        start=start.isoformat(),
        end=end.isoformat(),
        suppressed=suppress,
    )
