"""Demo help requests: what residents of two Changchun stations ask, in every state.

Everything goes through the help-desk services. The services stamp each request and
event with the present moment, so each request's times are then set back to when it
would have happened (counted in working days from today), so the overdue ones stay
overdue whenever the demo is loaded. The requests are data (``data/requests.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal

from sqlalchemy import select

from casework.accounts.models import User
from casework.cases import services as case_services
from casework.cases.enums import ProblemCategory, RiskLevel, ServiceDomain
from casework.core.clock import local_timezone, local_today, working_days_before
from casework.core.models import utcnow
from casework.demo.tables import PersonName, UnitCode, Username
from casework.extensions import db
from casework.helpdesk import services
from casework.helpdesk.models import Channel, ContactPreference, HelpRequest, RequestCategory
from casework.hotline import services as hotline
from casework.hotline.models import ConnectedSystem
from casework.orgs.models import Unit
from casework.people.models import ServiceUser

ActionKind = Literal[
    "acknowledge",
    "assign",
    "start",
    "reply",
    "note",
    "refer_unit",
    "refer_agency",
    "decline",
    "convert",
    "close",
]


@dataclass(frozen=True)
class ConversionSpec:
    """The case a request becomes, for a person the station has already registered."""

    person: PersonName
    domain: ServiceDomain
    problems: tuple[ProblemCategory, ...]
    risk: RiskLevel
    summary: str


# The city's 12345 platform that dispatches the demo's work orders (no callback address:
# connect a real one with `flask casework connect-system`).
HOTLINE_NAME = "长春市 12345 政务服务便民热线"


@dataclass(frozen=True)
class Action:
    """One triage step, ``hours`` after the request came in (never later than now)."""

    kind: ActionKind
    by: Username
    hours: float
    text: str = ""
    worker: Username | None = None  # assign
    unit: UnitCode | None = None  # refer_unit
    agency: str = ""  # refer_agency
    case: ConversionSpec | None = None  # convert


@dataclass(frozen=True)
class RequestSpec:
    station: UnitCode
    channel: Channel
    category: RequestCategory
    description: str
    contact: ContactPreference
    working_days_ago: int
    at: time
    name: str | None = None  # None: anonymous
    phone: str | None = None
    logged_by: Username | None = None  # None: the resident submitted it on the web
    # A 12345 work order (channel hotline_12345): its number, dispatched by the demo's
    # connected hotline system.
    order_number: str | None = None
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class NoticeBoard:
    station: UnitCode
    head: Username  # who keeps the board
    opening_hours: str
    hotline: str
    address: str
    services: tuple[str, ...]  # one line each
    acknowledge_within_days: int
    answer_within_days: int


@dataclass(frozen=True)
class HelpDeskSpec:
    """Everything ``requests.toml`` holds."""

    tutor: Username  # the tutor of the cases requests become
    notice_boards: tuple[NoticeBoard, ...]
    requests: tuple[RequestSpec, ...]


def seed_requests(
    help_desk: HelpDeskSpec, units: Mapping[str, Unit], users: Mapping[str, User]
) -> None:
    """The notice boards and residents' requests of the data file; no commit."""
    for board in help_desk.notice_boards:
        services.save_profile(
            actor=users[board.head],
            unit=units[board.station],
            details=services.ProfileDetails(
                opening_hours=board.opening_hours,
                hotline=board.hotline,
                address=board.address,
                services="\n".join(board.services),
                acknowledge_within_days=board.acknowledge_within_days,
                answer_within_days=board.answer_within_days,
            ),
        )
    now = utcnow()
    for spec in help_desk.requests:
        _Request(spec, units, users, users[help_desk.tutor], now).run()
    db.session.flush()


class _Request:
    """One request's way through the services, with its moments set back in time."""

    def __init__(
        self,
        spec: RequestSpec,
        units: Mapping[str, Unit],
        users: Mapping[str, User],
        tutor: User,
        now: datetime,
    ) -> None:
        self.spec = spec
        self.units = units
        self.users = users
        self.tutor = tutor
        self.latest = now - timedelta(minutes=len(spec.actions) + 1)
        day = working_days_before(local_today(), spec.working_days_ago)
        local = datetime.combine(day, spec.at, tzinfo=local_timezone()).astimezone(UTC)
        self.submitted = min(local, self.latest)

    def run(self) -> HelpRequest:
        spec = self.spec
        details = services.RequestDetails(
            category=spec.category,
            description=spec.description,
            name=spec.name,
            phone=spec.phone,
            contact_preference=spec.contact,
        )
        if spec.order_number:
            request = self._work_order(spec, details)
        elif spec.logged_by:
            request = services.log_request(
                actor=self.users[spec.logged_by],
                unit=self.units[spec.station],
                channel=spec.channel,
                details=details,
                consent_given=True,
            )
        else:
            request = services.submit_request(unit=self.units[spec.station], details=details)
        request.submitted_at = self.submitted
        request.consent_at = self.submitted
        for event in request.events:
            event.at = self.submitted
        moment = self.submitted
        for step, action in enumerate(spec.actions):
            ceiling = self.latest + timedelta(minutes=step + 1)
            moment = max(moment, min(self.submitted + timedelta(hours=action.hours), ceiling))
            self._take(request, action, moment)
        return request

    def _work_order(self, spec: RequestSpec, details: services.RequestDetails) -> HelpRequest:
        """Received from the city's 12345 system, as the hotline would send it."""
        system = db.session.scalar(
            select(ConnectedSystem).where(ConnectedSystem.name == HOTLINE_NAME)
        )
        if system is None:
            city = self.units[spec.station].parent
            while city is not None and city.parent is not None:
                city = city.parent
            system = hotline.connect_system(
                name=HOTLINE_NAME, unit=city or self.units[spec.station], callback_url=None
            ).system
        order, _created = hotline.receive(
            system=system,
            details=hotline.OrderDetails(
                order_number=spec.order_number or "",
                community=spec.station,
                category=details.category,
                content=details.description,
                caller_name=details.name,
                caller_phone=details.phone,
                deadline=self.submitted + timedelta(days=3),
            ),
        )
        return order.help_request

    def _take(self, request: HelpRequest, action: Action, moment: datetime) -> None:
        seen = len(request.events)
        acknowledged, answered = request.acknowledged_at, request.answered_at
        actor = self.users[action.by]
        if action.kind == "acknowledge":
            services.acknowledge(actor=actor, request=request)
        elif action.kind == "assign":
            services.assign(actor=actor, request=request, worker=self._user(action.worker))
        elif action.kind == "start":
            services.start(actor=actor, request=request)
        elif action.kind == "reply":
            services.reply(actor=actor, request=request, body=action.text)
        elif action.kind == "note":
            services.add_note(actor=actor, request=request, body=action.text)
        elif action.kind == "refer_unit":
            services.refer_to_unit(
                actor=actor, request=request, unit=self._unit(action.unit), note=action.text
            )
        elif action.kind == "refer_agency":
            services.refer_to_agency(
                actor=actor, request=request, agency=action.agency, note=action.text
            )
        elif action.kind == "decline":
            services.decline(actor=actor, request=request, reason=action.text)
        elif action.kind == "convert":
            self._convert(request, action, actor)
        elif action.kind == "close":
            services.close(actor=actor, request=request, note=action.text)
        else:
            raise ValueError(f"unknown demo action {action.kind}")
        for event in request.events[seen:]:
            event.at = moment
        if acknowledged is None and request.acknowledged_at is not None:
            request.acknowledged_at = moment
        if answered is None and request.answered_at is not None:
            request.answered_at = moment

    def _convert(self, request: HelpRequest, action: Action, actor: User) -> None:
        spec = action.case
        if spec is None:
            raise ValueError("a demo conversion needs its case")
        person = db.session.scalars(
            select(ServiceUser).where(
                ServiceUser.unit_id == request.unit_id, ServiceUser.name == spec.person
            )
        ).one()
        services.convert_to_case(
            actor=actor,
            request=request,
            person=person,
            details=case_services.CaseDetails(
                domain=spec.domain,
                source=services.case_source_for(request),
                risk_level=spec.risk,
                summary=spec.summary,
                problems=list(spec.problems),
            ),
            worker=actor,
            tutor=self.tutor,
        )

    def _user(self, username: str | None) -> User:
        if username is None:
            raise ValueError(f"demo request action needs its account: {self.spec.description}")
        return self.users[username]

    def _unit(self, code: str | None) -> Unit:
        if code is None:
            raise ValueError(f"demo request action needs its unit: {self.spec.description}")
        return self.units[code]
