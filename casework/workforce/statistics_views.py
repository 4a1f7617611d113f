"""Workforce statistics for every level, their export, and the bureau's target.

Figures are counts only: no names. Bureau viewers and the administrator see counts of 1
to 4 as "<5" and shares worked out from them as "—", as on the statistics page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from casework.core import audit
from casework.core.actions import done
from casework.core.charts import Series, bar_chart
from casework.core.clock import local_today
from casework.core.exports import send_export, table
from casework.core.inputs import db_int
from casework.core.numbers import format_number
from casework.core.permissions import require
from casework.core.suppression import SMALL_COUNT, hidden_cells, suppressed
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.reporting import (
    can_view_statistics,
    figure_unit_ids,
    is_aggregate_only,
    report_units_for,
)
from casework.workforce import services
from casework.workforce.forms import TargetForm
from casework.workforce.models import CertificateLevel
from casework.workforce.permissions import can_set_any_target, can_set_target
from casework.workforce.statistics import WorkforceCounts, counts_by_unit, share, total
from casework.workforce.views import bp

NOT_SHOWN = "—"
FIRST_YEAR = 2008


# The counts of a row that add up across units; the certificate levels also add up to
# ``certified`` within a row. Suppression (suppression.hidden_cells) protects both.
ADDITIVE = (
    "certified",
    "posts",
    "posts_certified",
    "registration_due",
    "registration_overdue",
    "education_compliant",
    "volunteers",
)


@dataclass(frozen=True)
class Shown:
    """How a number reads for this viewer.

    ``hidden`` names the cells (``workforce.<count>`` for the whole scope, ``branch.<n>.
    <count>`` for a row of the table by unit) hidden so that no count of 1 to 4 can be worked
    out by subtraction; a hidden cell that is not itself small reads "—".
    """

    aggregate_only: bool
    hidden: frozenset[str] = frozenset()

    def count(self, value: int, key: str | None = None) -> str:
        if key in self.hidden and not self.is_hidden(value):
            return NOT_SHOWN
        return suppressed(value) if self.aggregate_only else str(value)

    def is_hidden(self, value: int, key: str | None = None) -> bool:
        return (self.aggregate_only and 0 < value < SMALL_COUNT) or key in self.hidden

    def rate(
        self, part: int, whole: int, part_key: str | None = None, whole_key: str | None = None
    ) -> str:
        value = share(part, whole)
        if value is None or self.is_hidden(part, part_key) or self.is_hidden(whole, whole_key):
            return NOT_SHOWN
        return format_number(value) + "%"

    def hours(self, value: float) -> str:
        return format_number(value)


@dataclass(frozen=True)
class Branch:
    """One row of the by-unit table: a unit with its subtree (or only its own staff)."""

    label: str
    counts: WorkforceCounts
    key: str = "workforce"


def _cells(key: str, counts: WorkforceCounts) -> dict[str, int]:
    cells = {f"{key}.level.{level.value}": counts.by_level(level) for level in CertificateLevel}
    cells.update({f"{key}.{name}": int(getattr(counts, name)) for name in ADDITIVE})
    return cells


def _shown(aggregate_only: bool, overall: WorkforceCounts, branches: list[Branch]) -> Shown:
    """The cells to hide: levels within each row, every additive count down the units."""
    if not aggregate_only:
        return Shown(False)
    values = _cells("workforce", overall)
    for branch in branches:
        values.update(_cells(branch.key, branch.counts))
    rows = ["workforce", *(branch.key for branch in branches)]
    lines = [
        ([f"{row}.level.{level.value}" for level in CertificateLevel], f"{row}.certified")
        for row in rows
    ]
    columns = [f"level.{level.value}" for level in CertificateLevel] + list(ADDITIVE)
    lines += [
        ([f"{branch.key}.{column}" for branch in branches], f"workforce.{column}")
        for column in columns
    ]
    return Shown(True, frozenset(hidden_cells(lines, values)))


def _report_units() -> list[Unit]:
    units = report_units_for(current_user)
    require(can_view_statistics(current_user) and bool(units))
    return units


def _chosen(units: list[Unit]) -> Unit:
    unit_id = request.args.get("unit", type=db_int)
    if unit_id is None:
        return next((unit for unit in units if unit.id == current_user.unit_id), units[0])
    chosen = next((unit for unit in units if unit.id == unit_id), None)
    if chosen is None:
        abort(404)
    return chosen


def _year() -> int:
    today = local_today()
    year = request.args.get("year", type=db_int) or today.year
    if not FIRST_YEAR <= year <= today.year:
        abort(404)
    return year


def _branches(unit: Unit, scope: list[Unit], counts: dict[int, WorkforceCounts]) -> list[Branch]:
    """The chosen unit's own staff, then each child unit with everything under it."""
    in_scope = {u.id for u in scope}
    branches: list[Branch] = []
    if unit.id in in_scope:
        own = counts.get(unit.id, WorkforceCounts())
        label = unit.name if len(scope) == 1 else _("%(unit)s（本级）", unit=unit.name)
        branches.append(Branch(label, own))
    for child in scope:
        if child.parent_id == unit.id:
            branches.append(
                Branch(
                    child.name,
                    total(counts[u.id] for u in scope if u.path.startswith(child.path)),
                )
            )
    return [
        Branch(branch.label, branch.counts, f"branch.{index}")
        for index, branch in enumerate(branches)
    ]


@dataclass(frozen=True)
class StatisticsPage:
    units: list[Unit]
    indent: int
    unit: Unit
    year: int
    years: list[int]
    overall: WorkforceCounts
    branches: list[Branch]
    shown: Shown
    target: services.Target | None
    levels: list[CertificateLevel]


def _figures(year: int) -> StatisticsPage:
    units = _report_units()
    unit = _chosen(units)
    ids = figure_unit_ids(units, unit)
    scope = [u for u in units if u.id in set(ids)]
    today = local_today()
    counts = counts_by_unit(ids, start=date(year, 1, 1), end=date(year, 12, 31), today=today)
    overall = total(counts[i] for i in ids)
    branches = _branches(unit, scope, counts)
    return StatisticsPage(
        units=units,
        indent=min(option.depth for option in units),
        unit=unit,
        year=year,
        years=list(range(today.year, FIRST_YEAR - 1, -1)),
        overall=overall,
        branches=branches,
        shown=_shown(is_aggregate_only(current_user), overall, branches),
        target=services.target_for(unit) if unit.kind.is_bureau else None,
        levels=list(CertificateLevel),
    )


def _chart(overall: WorkforceCounts, target: int | None, shown: Shown) -> Markup:
    levels = list(CertificateLevel)
    categories = [level.label for level in levels] + [str(_l("合计"))]
    values = [overall.by_level(level) for level in levels] + [overall.certified]
    keys = [f"workforce.level.{level.value}" for level in levels] + ["workforce.certified"]
    series = [
        Series(
            str(_l("持证社工")),
            [
                None if shown.is_hidden(v, k) else float(v)
                for v, k in zip(values, keys, strict=True)
            ],
            [shown.count(v, k) for v, k in zip(values, keys, strict=True)],
        )
    ]
    if target is not None:
        series.append(
            Series(
                str(_l("目标")),
                [None] * len(levels) + [float(target)],
                [""] * len(levels) + [str(target)],
            )
        )
    return bar_chart(
        categories,
        series,
        chart_id="chart-certified",
        title=str(_l("持证社工（按证书等级）")),
        description=str(
            _l("助理社会工作师、社会工作师、高级社会工作师人数及合计，与目标人数对照。")
        ),
        horizontal=True,
        whole_numbers=True,
    )


@bp.get("/statistics")
@login_required
def statistics() -> ResponseReturnValue:
    page = _figures(_year())
    return render_template(
        "workforce/statistics.html",
        page=page,
        chart=_chart(page.overall, page.target.target if page.target else None, page.shown),
        can_set_target=can_set_any_target(current_user),
    )


def _row(branch: Branch, shown: Shown) -> list[str | int | float | None]:
    counts, key = branch.counts, branch.key
    return [
        branch.label,
        *(
            shown.count(counts.by_level(level), f"{key}.level.{level.value}")
            for level in CertificateLevel
        ),
        shown.count(counts.certified, f"{key}.certified"),
        shown.count(counts.posts, f"{key}.posts"),
        shown.count(counts.posts_certified, f"{key}.posts_certified"),
        shown.rate(counts.posts_certified, counts.posts, f"{key}.posts_certified", f"{key}.posts"),
        shown.count(counts.registration_due, f"{key}.registration_due"),
        shown.count(counts.registration_overdue, f"{key}.registration_overdue"),
        shown.count(counts.education_compliant, f"{key}.education_compliant"),
        shown.rate(counts.education_compliant, counts.registered),
        shown.hours(counts.training_hours),
        shown.hours(counts.trainee_hours),
        shown.count(counts.volunteers, f"{key}.volunteers"),
        shown.hours(counts.volunteer_hours),
    ]


EXPORT_HEADERS = (
    _l("单位"),
    *(level.lazy_label for level in CertificateLevel),
    _l("持证社工合计"),
    _l("社会工作岗位"),
    _l("持证上岗"),
    _l("持证上岗率"),
    _l("90 天内到期的登记"),
    _l("已逾期的登记"),
    _l("继续教育达标"),
    _l("继续教育达标率"),
    _l("培训学时"),
    _l("参训人学时"),
    _l("志愿者"),
    _l("志愿服务时长（小时）"),
)


@bp.get("/statistics/export")
@login_required
def statistics_export() -> ResponseReturnValue:
    fmt = request.args.get("format", "")
    if fmt not in ("csv", "xlsx"):
        abort(400)
    year = _year()
    page = _figures(year)
    data = table(EXPORT_HEADERS, title=_l("人才队伍统计"))
    for branch in page.branches:
        data.add(_row(branch, page.shown))
    data.add(_row(Branch(_("合计：%(unit)s", unit=page.unit.name), page.overall), page.shown))
    audit.record(
        "export.workforce_statistics",
        None,
        actor_id=current_user.id,
        unit_id=page.unit.id,
        details={"rows": len(data.rows), "format": fmt, "year": year},
    )
    db.session.commit()
    return send_export(data, "workforce-statistics", fmt)


# --- targets -------------------------------------------------------------------------------


def _target_units() -> list[Unit]:
    units = report_units_for(current_user)
    return [unit for unit in units if can_set_target(current_user, unit)]


@bp.route("/targets", methods=["GET", "POST"])
@login_required
def targets() -> ResponseReturnValue:
    require(can_set_any_target(current_user))
    units = _target_units()
    require(bool(units))
    form = TargetForm()
    unit_id = request.args.get("unit", type=db_int) or units[0].id
    unit = next((u for u in units if u.id == unit_id), None)
    if unit is None:
        abort(404)
    if request.method == "GET":
        current_target = services.target_for(unit)
        form.target.data = current_target.target
        form.due_on.data = current_target.due_on
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            services.set_target(
                unit,
                target=int(form.target.data or 0),
                due_on=form.due_on.data,
                actor=current_user,
            )
            return done(_("目标人数已保存。"), url_for("workforce.statistics", unit=unit.id))
        status = 422
    current = {
        u.id: services.target_for(u).target
        for u in db.session.scalars(select(Unit).where(Unit.id.in_([u.id for u in units])))
    }
    return (
        render_template(
            "workforce/targets.html", units=units, unit=unit, form=form, current=current
        ),
        status,
    )
