"""Read-side queries for help requests: the triage queue, deadlines per row, overdue lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import selectinload

from casework.core.clock import local_date, local_timezone, local_today, working_days_between
from casework.core.enums import LabelledEnum
from casework.core.models import as_utc
from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    Channel,
    HelpRequest,
    HelpRequestEvent,
    RequestCategory,
    RequestStatus,
    StationProfile,
)
from casework.orgs.models import Unit, UnitKind

E = TypeVar("E", bound=LabelledEnum)

EXCERPT_LENGTH = 40

# Where a request may be passed on inside the system: the units that receive residents.
REFERRAL_KINDS = (UnitKind.STATION, UnitKind.INSTITUTION)


@dataclass
class RequestFilters:
    """The queue's filters; no status means those not yet ended (未办结), ``show_all`` every
    status."""

    status: RequestStatus | None = None
    show_all: bool = False
    category: RequestCategory | None = None
    channel: Channel | None = None
    unassigned: bool = False

    @property
    def status_arg(self) -> str:
        if self.show_all:
            return "all"
        return self.status.value if self.status else ""


def _enum_value(enum_class: type[E], value: str | None) -> E | None:
    """A filter's value; an unknown value means no filter."""
    try:
        return enum_class.of(value) if value else None
    except ValueError:
        return None


def request_filters_from(args: Mapping[str, str]) -> RequestFilters:
    """The queue's filters from the query string, shared by the queue and its export."""
    show_all = args.get("status") == "all"
    return RequestFilters(
        status=None if show_all else _enum_value(RequestStatus, args.get("status")),
        show_all=show_all,
        category=_enum_value(RequestCategory, args.get("category")),
        channel=_enum_value(Channel, args.get("channel")),
        unassigned=args.get("unassigned") == "1",
    )


def is_unassigned() -> Any:
    """待分派: not yet ended (未办结) and nobody is responsible for it."""
    return HelpRequest.status.in_(ACTIVE_STATUSES) & HelpRequest.assigned_to_id.is_(None)


def unassigned_count(scope: Select[HelpRequest]) -> int:
    """``requests.unassigned``: the requests of ``scope`` waiting to be assigned."""
    query = scope.where(is_unassigned()).with_only_columns(func.count(HelpRequest.id))
    return int(db.session.scalar(query.order_by(None)) or 0)


def filtered_requests(scope: Select[HelpRequest], filters: RequestFilters) -> Select[HelpRequest]:
    """The queue: the filters applied to a visibility-scoped query, oldest first."""
    query = scope
    if filters.unassigned:
        query = query.where(is_unassigned())
    if filters.status is not None:
        query = query.where(HelpRequest.status == filters.status)
    elif not filters.show_all:
        query = query.where(HelpRequest.status.in_(ACTIVE_STATUSES))
    if filters.category is not None:
        query = query.where(HelpRequest.category == filters.category)
    if filters.channel is not None:
        query = query.where(HelpRequest.channel == filters.channel)
    return query.options(
        selectinload(HelpRequest.assigned_to), selectinload(HelpRequest.unit)
    ).order_by(*(column.asc() for column, _descending in QUEUE_ORDER))


# The queue's order as (column, descending) pairs, for keyset pagination.
QUEUE_ORDER: tuple[tuple[Any, bool], ...] = (
    (HelpRequest.submitted_at, False),
    (HelpRequest.id, False),
)


def requests_by_status(scope: Select[HelpRequest]) -> dict[RequestStatus, int]:
    """How many requests of ``scope`` are in each status now (``requests.status.*``)."""
    rows = db.session.execute(
        scope.with_only_columns(HelpRequest.status, func.count(HelpRequest.id))
        .group_by(HelpRequest.status)
        .order_by(None)
    ).all()
    return {status: int(count) for status, count in rows}


def profiles_for(unit_ids: Iterable[int]) -> dict[int, StationProfile]:
    """Each unit's limits, read once per unit (the defaults where none is saved)."""
    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    existing = db.session.scalars(select(Unit.id).where(Unit.id.in_(ids))).all()
    saved = {
        profile.unit_id: profile
        for profile in db.session.scalars(
            select(StationProfile).where(StationProfile.unit_id.in_(ids))
        )
    }
    return {
        unit_id: saved.get(unit_id) or services.default_profile(unit_id) for unit_id in existing
    }


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The beginning of a description, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[:length] + "…"


@dataclass
class QueueRow:
    request: HelpRequest
    deadlines: services.Deadlines
    days_waiting: int
    working_days_waiting: int

    @property
    def excerpt(self) -> str:
        return excerpt(self.request.description)


def queue_rows(requests: Sequence[HelpRequest]) -> list[QueueRow]:
    """Each request with its deadlines against its unit's limits and how long it has waited."""
    profiles = profiles_for(request.unit_id for request in requests)
    today = local_today()
    rows = []
    for request in requests:
        submitted = local_date(request.submitted_at)
        rows.append(
            QueueRow(
                request=request,
                deadlines=services.deadlines(request, profiles[request.unit_id]),
                days_waiting=max((today - submitted).days, 0),
                working_days_waiting=working_days_between(submitted, today),
            )
        )
    return rows


def _start_of_local_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=local_timezone()).astimezone(UTC)


def _overdue_candidates(profiles: Mapping[int, StationProfile]) -> tuple[ColumnElement[bool], ...]:
    """Open requests of the profiles' units old enough to be late: N working days are at
    least N calendar days, so anything newer cannot be late yet. One condition for all
    units, with the most recent cutoff; each row is then checked against its own unit's
    limits (``services.deadlines``)."""
    shortest = min(
        min(profile.acknowledge_within_days, profile.answer_within_days)
        for profile in profiles.values()
    )
    cutoff = _start_of_local_day(local_today() - timedelta(days=shortest))
    return (
        HelpRequest.unit_id.in_(list(profiles)),
        HelpRequest.status.in_(OPEN_STATUSES),
        HelpRequest.submitted_at < cutoff,
    )


def overdue_counts(unit_ids: Sequence[int]) -> dict[int, int]:
    """How many of ``overdue_requests`` each unit has, without loading the requests."""
    profiles = profiles_for(unit_ids)
    if not profiles:
        return {}
    counts: dict[int, int] = {}
    # Requests share their submission days and their units' limits: each combination is
    # worked out once (working days read the holiday calendar).
    checked: dict[tuple[int, int, RequestStatus, date], bool] = {}
    rows = db.session.execute(
        select(HelpRequest.unit_id, HelpRequest.status, HelpRequest.submitted_at).where(
            *_overdue_candidates(profiles)
        )
    )
    for unit_id, status, submitted_at in rows:
        profile = profiles[unit_id]
        submitted = local_date(submitted_at)
        key = (profile.acknowledge_within_days, profile.answer_within_days, status, submitted)
        if key not in checked:
            checked[key] = services.deadlines_of(status, submitted, profile).is_overdue
        if checked[key]:
            counts[unit_id] = counts.get(unit_id, 0) + 1
    return counts


def overdue_requests(unit_ids: Sequence[int]) -> list[QueueRow]:
    """Open requests of these units past the acknowledge or answer limit, oldest first."""
    profiles = profiles_for(unit_ids)
    if not profiles:
        return []
    candidates = db.session.scalars(
        select(HelpRequest)
        .where(*_overdue_candidates(profiles))
        .options(selectinload(HelpRequest.assigned_to))
        .order_by(HelpRequest.submitted_at, HelpRequest.id)
    )
    rows = [row for row in queue_rows(list(candidates)) if row.deadlines.is_overdue]
    return sorted(rows, key=lambda row: (as_utc(row.request.submitted_at), row.request.id))


def history(request: HelpRequest) -> list[HelpRequestEvent]:
    """Everything that happened to the request, oldest first, with actors and units loaded."""
    return list(
        db.session.scalars(
            select(HelpRequestEvent)
            .where(HelpRequestEvent.request_id == request.id)
            .options(
                selectinload(HelpRequestEvent.actor),
                selectinload(HelpRequestEvent.from_unit),
                selectinload(HelpRequestEvent.to_unit),
            )
            .order_by(HelpRequestEvent.id)
        )
    )


def referral_units(exclude_unit_id: int) -> list[Unit]:
    """Other active stations and institutions a request can be passed on to."""
    return list(
        db.session.scalars(
            select(Unit)
            .where(
                Unit.kind.in_(REFERRAL_KINDS),
                Unit.is_active.is_(True),
                Unit.id != exclude_unit_id,
            )
            .order_by(Unit.path)
        )
    )


def request_of_case(scope: Select[HelpRequest], case_id: int) -> HelpRequest | None:
    """The request a case was opened from, if the viewer may see it."""
    return db.session.scalar(scope.where(HelpRequest.case_id == case_id).limit(1))
