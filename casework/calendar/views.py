"""The shared calendar (month and week) and each worker's secret iCalendar feed.

The feed is read by calendar apps that cannot log in, so its address carries a secret
token instead; the token is the view argument ``token``, which the request log redacts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from babel.dates import format_skeleton
from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids
from casework.calendar import services
from casework.calendar.agenda import KIND_LABELS, CalendarItem, items_between, to_ical
from casework.calendar.forms import CalendarFeedForm
from casework.calendar.permissions import can_use_calendar
from casework.cases.permissions import can_open_case
from casework.core.actions import done
from casework.core.clock import local_today
from casework.core.errors import InputError
from casework.core.inputs import external_url
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs.models import Unit

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

# What the feed holds, relative to the day it is fetched.
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 180

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Period:
    """The days a page shows, as rows of seven (Monday first), and its neighbours."""

    view: str  # month or week
    weeks: list[list[date]]
    label: str
    param: str  # the query-string value of this period
    previous: str
    following: str
    month: int | None  # in the month view, days of other months are shown muted

    @property
    def first(self) -> date:
        return self.weeks[0][0]

    @property
    def last(self) -> date:
        return self.weeks[-1][-1]

    def is_inside(self, day: date) -> bool:
        return self.month is None or day.month == self.month


def _month_param(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _week_param(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _locale() -> str:
    return str(get_locale() or "zh_CN")


FIRST_YEAR, LAST_YEAR = 2000, 2099


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            _("日历只能显示 %(first)d 年至 %(last)d 年。", first=FIRST_YEAR, last=LAST_YEAR)
        )


def month_period(value: str | None, today: date) -> Period:
    """``2026-11``, or this month; anything else is a 404 like any unknown address."""
    if value:
        match = MONTH_PATTERN.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            abort(404)
        _check_year(int(match.group(1)))
        first = date(int(match.group(1)), int(match.group(2)), 1)
    else:
        first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    last = following - timedelta(days=1)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    return Period(
        view="month",
        weeks=[days[index : index + 7] for index in range(0, len(days), 7)],
        label=format_skeleton("yMMMM", first, locale=_locale()),
        param=_month_param(first),
        previous=_month_param(first - timedelta(days=1)),
        following=_month_param(following),
        month=first.month,
    )


def week_period(value: str | None, today: date) -> Period:
    """``2026-W48`` (ISO 8601 week), or this week."""
    if value:
        match = WEEK_PATTERN.match(value)
        if not match:
            abort(404)
        _check_year(int(match.group(1)))
        try:
            monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            abort(404)
    else:
        monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=offset) for offset in range(7)]
    year, week, _weekday = monday.isocalendar()
    return Period(
        view="week",
        weeks=[days],
        label=_("%(year)d年第%(week)d周", year=year, week=week),
        param=_week_param(monday),
        previous=_week_param(monday - timedelta(days=7)),
        following=_week_param(monday + timedelta(days=7)),
        month=None,
    )


@dataclass(frozen=True)
class Scope:
    """Whose calendar: the user's own items, or everything of one unit in their scope."""

    key: str  # "" for mine, else the unit id
    label: str
    unit_id: int | None

    @property
    def mine_only(self) -> bool:
        return self.unit_id is None


def scopes_for(user: User) -> list[Scope]:
    """Front-line staff first get "我的" (tutors lead nothing), then each unit in scope."""
    scopes = [Scope("", _("我的"), None)] if can_open_case(user) else []
    units = db.session.scalars(
        select(Unit).where(Unit.id.in_(casework_unit_ids(user))).order_by(Unit.code)
    )
    scopes += [Scope(str(unit.id), unit.name, unit.id) for unit in units]
    return scopes


def item_url(item: CalendarItem, *, external: bool = False) -> str:
    """The page of the session, activity or case behind ``item``."""
    values: dict[str, Any] = dict(item.endpoint_args)
    return url_for(item.endpoint, _external=external, **values)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(can_use_calendar(current_user))
    scopes = scopes_for(current_user)
    wanted = request.args.get("unit", "")
    scope = next((s for s in scopes if s.key == wanted), None) if wanted else scopes[0]
    if scope is None:
        abort(404)
    today = local_today()
    view = request.args.get("view", "month")
    if view == "week":
        period = week_period(request.args.get("week"), today)
    elif view == "month":
        period = month_period(request.args.get("month"), today)
    else:
        abort(404)
    items = items_between(
        current_user, period.first, period.last, mine_only=scope.mine_only, unit_id=scope.unit_id
    )
    by_day: dict[date, list[CalendarItem]] = {}
    for item in items:
        by_day.setdefault(item.day, []).append(item)
    return render_template(
        "calendar/index.html",
        period=period,
        by_day=by_day,
        today=today,
        scope=scope,
        scopes=scopes,
        links=_links(period, scope, today),
        kind_labels=KIND_LABELS,
        item_url=item_url,
        day_label=lambda day: format_skeleton("MMMEd", day, locale=_locale()),
        short_day_label=lambda day: format_skeleton("MMMd", day, locale=_locale()),
        weekday_labels=[format_skeleton("EEE", day, locale=_locale()) for day in period.weeks[0]],
    )


def _links(period: Period, scope: Scope, today: date) -> dict[str, str]:
    """Previous, current and next period, and the other view of about the same days."""

    def link(view: str, value: str) -> str:
        values: dict[str, Any] = {"view": view, view: value}
        if scope.key:
            values["unit"] = scope.key
        return url_for("calendar.index", **values)

    if period.view == "month":
        # This month's week view opens on this week, any other month on its first week.
        first = period.weeks[0][6].replace(day=1)
        week_day = today if _month_param(today) == period.param else first
        other = link("week", _week_param(week_day))
        current = link("month", _month_param(today))
    else:
        # A week belongs to the month of its Thursday, as ISO 8601 weeks do to years.
        other = link("month", _month_param(period.first + timedelta(days=3)))
        current = link("week", _week_param(today))
    return {
        "previous": link(period.view, period.previous),
        "current": current,
        "following": link(period.view, period.following),
        "other_view": other,
    }


def _feed_page(form: CalendarFeedForm, *, feed_url: str | None = None) -> Response:
    response = Response(
        render_template(
            "calendar/feed.html",
            form=form,
            has_feed=services.has_calendar_feed(current_user),
            feed_url=feed_url,
            days_back=FEED_DAYS_BACK,
            days_ahead=FEED_DAYS_AHEAD,
        )
    )
    # The page may show the secret address: keep it out of every cache and history.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/feed", methods=["GET", "POST"])
@login_required
def feed() -> ResponseReturnValue:
    """Create (shown once) or revoke the user's secret feed address."""
    require(can_use_calendar(current_user))
    form = CalendarFeedForm()
    if request.method == "GET":
        return _feed_page(CalendarFeedForm(formdata=None))
    if not form.validate_on_submit():
        abort(400)
    if form.action.data == "revoke":
        services.revoke_calendar_feeds(actor=current_user)
        return done(_("订阅地址已停用，日历应用将无法再读取。"), url_for("calendar.feed"))
    token = services.create_calendar_feed(actor=current_user)
    db.session.commit()
    # Only a hash is stored: this response is the one time the address can be shown.
    return _feed_page(
        CalendarFeedForm(formdata=None),
        feed_url=external_url(url_for("calendar.feed_ics", token=token)),
    )


@bp.get("/feed/<token>.ics")
def feed_ics(token: str) -> ResponseReturnValue:
    """The user's own items as iCalendar, without login: the token is the credential."""
    user = services.user_for_feed_token(token)
    if user is None or not can_use_calendar(user):
        abort(404)
    today = local_today()
    items = items_between(
        user,
        today - timedelta(days=FEED_DAYS_BACK),
        today + timedelta(days=FEED_DAYS_AHEAD),
        mine_only=True,
    )
    body = to_ical(
        items,
        name=_("社工日历"),
        url_for_item=lambda item: item_url(item, external=True),
    )
    return Response(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )
