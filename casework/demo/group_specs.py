"""What the demo's groups, volunteers and community activities are made of (``groups.toml``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal

from casework.activities.models import ActivityType
from casework.cases.enums import ServiceDomain
from casework.demo.tables import PersonName, UnitCode, Username, VolunteerName
from casework.groups.models import AttendanceStatus, GroupStatus, GroupType
from casework.volunteers.models import VolunteerCategory

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@dataclass(frozen=True)
class SessionSpec:
    topic: str
    content: str
    # The session record; empty for the session still to come.
    process: str = ""
    observations: str = ""
    progress: str = ""
    comment: str = ""  # the tutor's


@dataclass(frozen=True)
class Helper:
    """A volunteer's hours at one session."""

    volunteer: VolunteerName
    session: int
    hours: float
    role: str


@dataclass(frozen=True)
class LateJoiner:
    name: PersonName
    first_session: int  # the first session attended


@dataclass(frozen=True)
class Leaver:
    name: PersonName
    after_session: int
    reason: str


@dataclass(frozen=True)
class Absence:
    """A member not present at a session; everyone else was."""

    name: PersonName
    session: int
    status: AttendanceStatus


@dataclass(frozen=True)
class GroupSpec:
    station: UnitCode
    name: str
    group_type: GroupType
    domain: ServiceDomain
    status: GroupStatus
    facilitator: Username
    purpose: str
    goals: str
    target_members: str
    rationale: str
    session_plan: str
    planned_sessions: int
    measure_name: str
    lower_is_better: bool  # how the measure improves
    weekday: Weekday
    at: time
    duration_minutes: int
    place: str
    co_facilitators: tuple[Username, ...] = ()
    observer: Username | None = None
    members: tuple[PersonName, ...] = ()
    late_joiners: tuple[LateJoiner, ...] = ()
    leavers: tuple[Leaver, ...] = ()
    sessions: tuple[SessionSpec, ...] = ()  # held, with their records
    upcoming: SessionSpec | None = None
    weeks_since_last: int = 0  # the last held session was this many weeks before the latest
    absences: tuple[Absence, ...] = ()
    stage_after: tuple[int, ...] = ()  # the facilitator moves the stage on after these
    helpers: tuple[Helper, ...] = ()
    summary: str = ""
    outcomes: str = ""
    closure_returned: str = ""  # the tutor's reason for sending the closure back once
    follow_up_note: str = ""  # added to the summary after the closure came back
    measure_max: int = 10

    def people(self) -> tuple[PersonName, ...]:
        """Everyone the group names: the service users the casework registered at its station."""
        named = (joiner.name for joiner in self.late_joiners)
        return (*self.members, *named)


@dataclass(frozen=True)
class VolunteerSpec:
    station: UnitCode
    registered_by: Username  # also the account that disables a volunteer who left
    name: str
    category: VolunteerCategory
    skills: str
    availability: str
    active: bool = True


@dataclass(frozen=True)
class ActivityHelper:
    volunteer: VolunteerName
    hours: float
    role: str


@dataclass(frozen=True)
class ActivitySpec:
    station: UnitCode
    organiser: Username
    title: str
    days_from_today: int  # negative: past
    at: time
    place: str
    domain: ServiceDomain
    activity_type: ActivityType
    description: str
    participant_count: int
    helpers: tuple[ActivityHelper, ...] = ()
    participants: tuple[PersonName, ...] = ()  # registered service users among them
    photos: tuple[str, ...] = ()  # files in data/photos, stored as the activity's attachments


@dataclass(frozen=True)
class GroupWorkSpec:
    """Everything ``groups.toml`` holds, in the order it is seeded."""

    tutor: Username
    volunteers: tuple[VolunteerSpec, ...]
    groups: tuple[GroupSpec, ...]
    activities: tuple[ActivitySpec, ...]
