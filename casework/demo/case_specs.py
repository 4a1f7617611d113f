"""What a demo case is made of, as ``cases.toml`` describes it.

Days are counted back from the day the demo is loaded, or along the case's own timeline
(goals from the plan's approval, follow-ups from the closure), so the reminders fire
whenever the demo is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from casework.cases import records as case_records
from casework.cases.enums import (
    AssessmentArea,
    Attainment,
    CaseSource,
    CaseStatus,
    ClosureType,
    NeedLevel,
    ProblemCategory,
    ReferralOutcome,
    RiskLevel,
    ServiceDomain,
    ServiceForm,
)
from casework.demo.tables import PersonName, TagName, UnitCode, Username
from casework.people.models import ConsentBasis, FileRequestKind, Gender

# Which assessment areas each problem category weighs on, and how heavily.
ProblemAreas = Mapping[ProblemCategory, Mapping[AssessmentArea, NeedLevel]]


@dataclass(frozen=True)
class Member:
    name: str
    relationship: str
    birth_year: int | None = None
    lives_together: bool = True
    notes: str = ""


@dataclass(frozen=True)
class PersonSpec:
    name: str
    gender: Gender
    born: date
    address: str
    tags: tuple[TagName, ...] = ()
    notes: str = ""
    consent: ConsentBasis = ConsentBasis.WRITTEN
    household: tuple[Member, ...] = ()
    region: str | None = None  # None: drawn from the Changchun districts


@dataclass(frozen=True)
class ResidentSpec:
    """Someone registered without a case yet: found in outreach or notified by an agency."""

    station: UnitCode
    registered_by: Username
    registered_days_ago: int
    person: PersonSpec


@dataclass(frozen=True)
class Visit:
    """A service record; its date is placed on the case's timeline."""

    form: ServiceForm
    minutes: int
    content: str
    response: str
    next_step: str
    # Written this many days after the service (补录); 0: written the same evening.
    written_days_late: int = 0


@dataclass(frozen=True)
class Goal:
    description: str
    indicator: str
    actions: str
    due_days: int  # after the plan is approved
    attainment: Attainment = Attainment.FULLY_MET
    note: str = ""
    responsible: str = ""  # empty: the responsible worker


@dataclass(frozen=True)
class Assessment:
    """A 预估表 as the demo story tells it; the areas are rated from the case's problems."""

    needs: str
    strengths: str
    risks: str
    family_system: str
    social_support: str
    summary: str


@dataclass(frozen=True)
class Plan:
    overall_goal: str
    goals: tuple[Goal, ...]


@dataclass(frozen=True)
class Referral:
    reason: str
    to_agency: str = ""
    agency_contact: str = ""
    to_unit: UnitCode | None = None
    # To a unit of the organisation: what it is told, on what basis; it answers itself.
    shared_information: str = ""
    consent_basis: ConsentBasis | None = None
    at_visit: int = -1  # the visit it was made on; -1: at intake, on the day the case opened
    outcome: ReferralOutcome = ReferralOutcome.PENDING
    outcome_note: str = ""
    outcome_after_days: int = 10


@dataclass(frozen=True)
class EvaluationSpec:
    client_view: str
    satisfaction: int
    summary: str


@dataclass(frozen=True)
class Closure:
    closure_type: ClosureType
    summary: str
    follow_up_plan: str
    days_ago: int  # when the worker asked for closure
    follow_up_after_days: int | None = None  # None: no follow-up date


@dataclass(frozen=True)
class FollowUpSpec:
    after_days: int  # after closure
    form: ServiceForm
    content: str
    next_after_days: int | None = None  # after closure


CommentSubject = Literal[
    "case",
    "intake",
    "assessment",
    "plan",
    "evaluation",
    "closure",
    "service_record",
    "referral",
    "follow_up",
]


@dataclass(frozen=True)
class Comment:
    """督导意见 on the case or a record; ``index`` picks the visit, referral or follow-up."""

    subject: CommentSubject
    body: str
    index: int = 0


@dataclass(frozen=True)
class Revision:
    reason: str
    after_visit: int
    plan: Plan


@dataclass(frozen=True)
class CaseSpec:
    person: PersonSpec
    station: UnitCode
    worker: Username
    status: CaseStatus
    opened_days_ago: int
    domain: ServiceDomain
    source: CaseSource
    risk: RiskLevel
    summary: str
    problems: tuple[ProblemCategory, ...]
    presenting: str
    arrival: str
    judgement: str
    opened_by: Username | None = None  # None: the worker
    agreement: bool = True
    decline_reason: str = ""
    decline_referral_to: str = ""
    assessment: Assessment | None = None
    plan: Plan | None = None
    plan_returned: str = ""
    revision: Revision | None = None
    visits: tuple[Visit, ...] = ()
    quiet_days: int = 0  # days since the last visit; 0: a few, drawn
    review_overdue_days: int = 0  # > 0: the plan's review date passed that many days ago
    referrals: tuple[Referral, ...] = ()
    evaluation: EvaluationSpec | None = None
    closure_returned: str = ""
    closure: Closure | None = None
    follow_ups: tuple[FollowUpSpec, ...] = ()
    end_follow_up: bool = False
    reopen_reason: str = ""
    reopened_visits: tuple[Visit, ...] = ()
    comments: tuple[Comment, ...] = ()


@dataclass(frozen=True)
class HouseholdPlaceSpec:
    name: PersonName
    relationship: str  # to the head of the household: people.households.RELATIONSHIPS


@dataclass(frozen=True)
class HouseholdSpec:
    """A household file (户档) of registered people of one station."""

    station: UnitCode
    name: str
    address: str
    created_by: Username
    members: tuple[HouseholdPlaceSpec, ...]


@dataclass(frozen=True)
class TransferSpec:
    """A transfer its worker proposed of the open case of ``person``, waiting for the
    receiving station's head."""

    person: PersonName
    to_unit: UnitCode
    reason: str
    handover_note: str


@dataclass(frozen=True)
class FileRequestSpec:
    """A unit asking the unit that holds ``person``'s file for access or for the file,
    waiting for that unit's head."""

    person: PersonName
    requested_by: Username
    kind: FileRequestKind
    reason: str


@dataclass(frozen=True)
class CaseworkSpec:
    """Everything ``cases.toml`` holds."""

    tutor: Username  # supervises every demo case
    problem_areas: dict[ProblemCategory, dict[AssessmentArea, NeedLevel]]
    cases: tuple[CaseSpec, ...]
    residents: tuple[ResidentSpec, ...]
    # Read once every person above is known (they refer to people by name).
    households: tuple[HouseholdSpec, ...] = ()
    transfers: tuple[TransferSpec, ...] = ()
    file_requests: tuple[FileRequestSpec, ...] = ()


_LEVEL_ORDER = list(NeedLevel)


def assessment_details(
    story: Assessment, problems: tuple[ProblemCategory, ...], problem_areas: ProblemAreas
) -> case_records.AssessmentDetails:
    """The areas rated from the problems (the heaviest rating wins), the story's words kept."""
    levels = dict.fromkeys(AssessmentArea, NeedLevel.NONE)
    for problem in problems:
        for area, level in problem_areas.get(problem, {}).items():
            levels[area] = max(levels[area], level, key=_LEVEL_ORDER.index)
    notes = {
        AssessmentArea.FAMILY: story.family_system,
        AssessmentArea.SOCIAL_SUPPORT: story.social_support,
    }
    return case_records.AssessmentDetails(
        areas={
            area: case_records.AreaFinding(levels[area], notes.get(area, ""))
            for area in AssessmentArea
        },
        needs=story.needs,
        strengths=story.strengths,
        risks=story.risks,
        summary=story.summary,
    )


def people_of(casework: CaseworkSpec) -> list[tuple[UnitCode, PersonSpec]]:
    """Every person the casework registers, with the station that registers them."""
    registered = [(case.station, case.person) for case in casework.cases]
    return registered + [(resident.station, resident.person) for resident in casework.residents]
