"""Demo casework: service users and cases in every state, as a Changchun station would have.

Everything goes through the people and cases services, so the demo obeys the rules the
application enforces. Dates are counted back from today, so the reminders (plan review
passed, follow-up due, no service for a month) fire whenever the demo is loaded; the
numbers that need not be written out (ID serials, phones, visit spacing) come from a
seeded generator, so every load gives the same data.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from casework.accounts.models import User
from casework.cases import services as cases
from casework.cases.models import (
    AssessmentArea,
    Attainment,
    Case,
    CaseSource,
    CaseStatus,
    ClosureType,
    NeedLevel,
    ProblemCategory,
    ReferralOutcome,
    RiskLevel,
    ServiceDomain,
    ServiceForm,
    ServiceRecord,
)
from casework.cases.models import Referral as ReferralRecord
from casework.core.clock import local_timezone, local_today
from casework.orgs.models import Unit
from casework.people import services as people
from casework.people.idcard import check_character
from casework.people.models import ConsentBasis, Gender, ServiceUser, VulnerabilityTag

SEED = 20261129
_CLOSED_STATES = (CaseStatus.CLOSED, CaseStatus.FOLLOW_UP, CaseStatus.REOPENED)
TUTOR = "tutor"

# Changchun's county-level codes (GB/T 2260), the districts most residents were born in first.
REGION_CODES = ("220104", "220102", "220103", "220105", "220106", "220112", "220122", "220183")
REGION_WEIGHTS = (30, 15, 10, 10, 8, 4, 4, 4)
PHONE_PREFIXES = ("130", "131", "132", "135", "138", "139", "150", "155", "158", "186", "188")


# --- what a case is made of ----------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str
    relationship: str
    birth_year: int | None
    lives_together: bool = True
    notes: str = ""


@dataclass(frozen=True)
class PersonSpec:
    name: str
    gender: Gender
    born: date
    address: str
    tags: tuple[str, ...] = ()
    notes: str = ""
    consent: ConsentBasis | None = ConsentBasis.WRITTEN
    household: tuple[Member, ...] = ()
    region: str | None = None  # None: drawn from REGION_CODES


@dataclass(frozen=True)
class Visit:
    """A service record; its date is placed on the case's timeline."""

    form: ServiceForm
    minutes: int
    content: str
    response: str
    next_step: str


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


# Which assessment areas each problem category weighs on, and how heavily.
AREAS_OF_PROBLEM: dict[ProblemCategory, tuple[tuple[AssessmentArea, NeedLevel], ...]] = {
    ProblemCategory.LIVELIHOOD: ((AssessmentArea.ECONOMIC, NeedLevel.MODERATE),),
    ProblemCategory.EMOTIONAL: ((AssessmentArea.PSYCHOLOGICAL, NeedLevel.MODERATE),),
    ProblemCategory.FAMILY: ((AssessmentArea.FAMILY, NeedLevel.MODERATE),),
    ProblemCategory.DOMESTIC_VIOLENCE: (
        (AssessmentArea.FAMILY, NeedLevel.SEVERE),
        (AssessmentArea.LEGAL, NeedLevel.MODERATE),
    ),
    ProblemCategory.HEALTH_CARE: ((AssessmentArea.PHYSICAL, NeedLevel.MODERATE),),
    ProblemCategory.DISABILITY: (
        (AssessmentArea.PHYSICAL, NeedLevel.SEVERE),
        (AssessmentArea.DAILY_LIVING, NeedLevel.MODERATE),
    ),
    ProblemCategory.EMPLOYMENT: ((AssessmentArea.ECONOMIC, NeedLevel.MODERATE),),
    ProblemCategory.EDUCATION: ((AssessmentArea.SOCIAL_SUPPORT, NeedLevel.MILD),),
    ProblemCategory.BEHAVIOUR: ((AssessmentArea.PSYCHOLOGICAL, NeedLevel.MODERATE),),
    ProblemCategory.INTERNET_ADDICTION: ((AssessmentArea.PSYCHOLOGICAL, NeedLevel.MODERATE),),
    ProblemCategory.NEIGHBOUR_DISPUTE: ((AssessmentArea.HOUSING, NeedLevel.MILD),),
    ProblemCategory.REINTEGRATION: (
        (AssessmentArea.SOCIAL_SUPPORT, NeedLevel.MODERATE),
        (AssessmentArea.LEGAL, NeedLevel.MILD),
    ),
    ProblemCategory.RIGHTS: ((AssessmentArea.LEGAL, NeedLevel.MODERATE),),
}
_LEVEL_ORDER = list(NeedLevel)


def assessment_details(
    story: Assessment, problems: tuple[ProblemCategory, ...]
) -> cases.AssessmentDetails:
    """The areas rated from the problems (the heaviest rating wins), the story's words kept."""
    levels = dict.fromkeys(AssessmentArea, NeedLevel.NONE)
    for problem in problems:
        for area, level in AREAS_OF_PROBLEM.get(problem, ()):
            levels[area] = max(levels[area], level, key=_LEVEL_ORDER.index)
    notes = {
        AssessmentArea.FAMILY: story.family_system,
        AssessmentArea.SOCIAL_SUPPORT: story.social_support,
    }
    return cases.AssessmentDetails(
        areas={
            area: cases.AreaFinding(levels[area], notes.get(area, "")) for area in AssessmentArea
        },
        needs=story.needs,
        strengths=story.strengths,
        risks=story.risks,
        summary=story.summary,
    )


@dataclass(frozen=True)
class Plan:
    overall_goal: str
    goals: tuple[Goal, ...]


@dataclass(frozen=True)
class Referral:
    reason: str
    to_agency: str = ""
    to_unit: str = ""  # a key of the demo units
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
    follow_up_after_days: int | None = 30


@dataclass(frozen=True)
class FollowUpSpec:
    after_days: int  # after closure
    form: ServiceForm
    content: str
    next_after_days: int | None = None  # after closure


@dataclass(frozen=True)
class Comment:
    """督导意见 on the case or a record; ``index`` picks the visit, referral or follow-up."""

    subject: str
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
    station: str
    worker: str
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
    opened_by: str = ""  # empty: the worker
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


# --- seeding -------------------------------------------------------------------------------


def seed_casework(units: Mapping[str, Unit], users: Mapping[str, User]) -> None:
    """Register the demo service users and walk their cases through the services."""
    people.load_default_tags()
    seeder = _Seeder(units, users)
    # Oldest first, so case numbers count up with the opening date as they would in life.
    for spec in sorted(CASES, key=lambda spec: -spec.opened_days_ago):
        seeder.seed_case(spec)
    for station, username, days_ago, person in UNOPENED:
        seeder.register(
            person, units[station], users[username], seeder.today - timedelta(days=days_ago)
        )


class _Seeder:
    def __init__(self, units: Mapping[str, Unit], users: Mapping[str, User]) -> None:
        self.units = units
        self.users = users
        self.tutor = users[TUTOR]
        self.today = local_today()
        self.rng = random.Random(SEED)  # noqa: S311 (repeatable demo data, not secrets)
        self.tags: dict[str, VulnerabilityTag] = {tag.name: tag for tag in people.all_tags()}
        self.used_ids: set[str] = set()

    # people

    def register(self, spec: PersonSpec, unit: Unit, actor: User, on: date) -> ServiceUser:
        person = people.register_person(
            actor=actor,
            unit=unit,
            details=people.PersonDetails(
                name=spec.name,
                gender=spec.gender,
                birth_date=spec.born,
                id_number=self._id_number(spec),
                phone=f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(10**8):08d}",
                address=spec.address,
                notes=spec.notes,
                consent_given_on=on if spec.consent else None,
                consent_basis=spec.consent,
                tags=[self.tags[name] for name in spec.tags],
            ),
        )
        for member in spec.household:
            people.add_household_member(
                actor=actor,
                person=person,
                name=member.name,
                relationship=member.relationship,
                birth_year=member.birth_year,
                lives_together=member.lives_together,
                notes=member.notes,
            )
        return person

    def _id_number(self, spec: PersonSpec) -> str:
        """A valid GB 11643 number: region, birth date, serial (odd for men), check."""
        region = spec.region or self.rng.choices(REGION_CODES, REGION_WEIGHTS)[0]
        while True:
            serial = self.rng.randrange(500) * 2 + (1 if spec.gender is Gender.MALE else 0)
            first_17 = f"{region}{spec.born:%Y%m%d}{serial:03d}"
            number = first_17 + check_character(first_17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    # dates

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def not_future(self, day: date) -> date:
        return min(day, self.today)

    def spread(self, start: date, end: date, count: int) -> list[date]:
        """``count`` dates from ``start`` to ``end`` in order, the last one on ``end``."""
        end = self.not_future(max(start, end))
        span = (end - start).days
        step = span / count if count else 0
        days = [
            start + timedelta(days=int(step * i + self.rng.uniform(0, step))) for i in range(count)
        ]
        return [min(day, end) for day in days[:-1]] + [end] if days else []

    # cases

    def seed_case(self, spec: CaseSpec) -> Case:
        worker = self.users[spec.worker]
        opened = self.day(spec.opened_days_ago)
        person = self.register(spec.person, self.units[spec.station], worker, opened)
        case = cases.open_case(
            actor=self.users[spec.opened_by or spec.worker],
            person=person,
            details=cases.CaseDetails(
                domain=spec.domain,
                source=spec.source,
                risk_level=spec.risk,
                summary=spec.summary,
                problems=list(spec.problems),
            ),
            worker=worker,
            tutor=self.tutor,
            opened_on=opened,
        )
        cases.save_intake(
            actor=worker,
            case=case,
            presenting_problem=spec.presenting,
            arrival=spec.arrival,
            first_judgement=spec.judgement,
            agreement_signed=spec.agreement,
            agreement_signed_on=opened if spec.agreement else None,
        )
        walk = _Walk(self, spec, case, worker, opened)
        walk.run()
        if case.status is not spec.status:
            raise RuntimeError(f"demo case {case.number} ended in {case.status}, not {spec.status}")
        walk.comment()
        return case


class _Walk:
    """One case's way along the lifecycle to its demo status, writing each stage's records."""

    def __init__(
        self, seeder: _Seeder, spec: CaseSpec, case: Case, worker: User, opened: date
    ) -> None:
        self.seeder = seeder
        self.spec = spec
        self.case = case
        self.worker = worker
        self.opened = opened
        closure = spec.closure
        if closure is not None:
            self.closed = seeder.day(closure.days_ago)
            end = self.closed - timedelta(days=2)
        else:
            self.closed = seeder.today
            quiet = spec.quiet_days or seeder.rng.randint(1, 6)
            end = seeder.day(quiet)
        self.visit_dates = seeder.spread(opened + timedelta(days=1), end, len(spec.visits))
        span = (end - opened).days
        self.approved_on = seeder.not_future(opened + timedelta(days=max(3, min(21, span // 5))))
        self.records: list[ServiceRecord] = []
        self.referrals: list[ReferralRecord] = []
        self.follow_up_ids: list[int] = []

    def step(
        self,
        action: str,
        *,
        by_tutor: bool = False,
        reason: str | None = None,
        on: date | None = None,
    ) -> None:
        """Take ``action`` as the story has it: dated on the case's own timeline."""
        actor = self.seeder.tutor if by_tutor else self.worker
        transition = cases.take_step(self.case, action, actor=actor, reason=reason)
        day = self.seeder.not_future(max(on or self.day_of(action), self.opened))
        transition.at = datetime.combine(day, time(10, 0), tzinfo=local_timezone()).astimezone(UTC)
        if action == "approve_closure":
            self.case.closed_on = day

    def day_of(self, action: str) -> date:
        """The day the story takes a step; the service itself would date everything today."""
        approved, closed = self.approved_on, self.closed
        days = {
            "accept": self.opened,
            "finish_assessment": approved - timedelta(days=2),
            "submit_plan": approved - timedelta(days=1),
            "return_plan": approved - timedelta(days=1),
            "approve_plan": approved,
            "start_evaluation": closed - timedelta(days=3),
            "request_closure": closed - timedelta(days=2),
            "return_closure": closed - timedelta(days=1),
            "approve_closure": closed,
            "reopen": self.seeder.day(11),
        }
        return days.get(action, self.seeder.today)

    def run(self) -> None:
        spec, target = self.spec, self.spec.status
        for referral in spec.referrals:
            if referral.at_visit < 0:
                self.refer(referral, self.opened)
        if target is CaseStatus.INTAKE:
            return
        if target is CaseStatus.DECLINED:
            transition = cases.take_step(
                self.case,
                "decline",
                actor=self.worker,
                reason=spec.decline_reason,
                referral_to=spec.decline_referral_to or None,
            )
            transition.at = datetime.combine(
                self.opened, time(16, 0), tzinfo=local_timezone()
            ).astimezone(UTC)
            self.case.closed_on = self.opened
            return
        self.step("accept")
        if spec.assessment is not None:
            cases.save_assessment(
                actor=self.worker,
                case=self.case,
                details=assessment_details(spec.assessment, spec.problems),
            )
        if target in (CaseStatus.ASSESSMENT, CaseStatus.PLANNING, CaseStatus.PLAN_PENDING_APPROVAL):
            self.visit(range(len(spec.visits)))
        if target is CaseStatus.ASSESSMENT:
            return
        self.step("finish_assessment")
        self.plan_and_approve(target)
        if target in (CaseStatus.PLANNING, CaseStatus.PLAN_PENDING_APPROVAL):
            return
        self.intervene()
        if target is CaseStatus.INTERVENTION:
            return
        self.evaluate_and_close(target)
        if target in (CaseStatus.EVALUATION, CaseStatus.CLOSURE_PENDING_APPROVAL):
            return
        self.step("approve_closure", by_tutor=True)
        self.follow_up()
        if target is CaseStatus.REOPENED:
            self.reopen()

    def save_plan(self, plan: Plan, approved_on: date) -> None:
        today = self.seeder.today
        if self.spec.review_overdue_days:
            review_due = self.seeder.day(self.spec.review_overdue_days)
        elif self.spec.status in _CLOSED_STATES:
            # Approving the closure clears the case's review date; the plan keeps its own.
            review_due = approved_on + timedelta(days=90)
        else:
            # A plan under way is reviewed every three months; the last review is recent.
            soon = today + timedelta(days=self.seeder.rng.randint(10, 45))
            review_due = max(approved_on + timedelta(days=90), soon)
        cases.save_plan(
            actor=self.worker,
            case=self.case,
            overall_goal=plan.overall_goal,
            review_due=review_due,
            goals=[
                cases.GoalDetails(
                    description=goal.description,
                    indicator=goal.indicator,
                    actions=goal.actions,
                    responsible=goal.responsible or self.worker.display_name,
                    due_on=approved_on + timedelta(days=goal.due_days),
                )
                for goal in plan.goals
            ],
        )

    def plan_and_approve(self, target: CaseStatus) -> None:
        plan = self.spec.plan
        if plan is None:
            raise RuntimeError(f"demo case {self.case.number} needs a plan")
        self.save_plan(plan, self.approved_on)
        if self.spec.plan_returned:
            self.step("submit_plan")
            self.step("return_plan", by_tutor=True, reason=self.spec.plan_returned)
        if target is CaseStatus.PLANNING:
            return
        self.step("submit_plan")
        if target is not CaseStatus.PLAN_PENDING_APPROVAL:
            self.step("approve_plan", by_tutor=True)

    def intervene(self) -> None:
        count = len(self.spec.visits)
        revision = self.spec.revision
        if revision is None:
            self.visit(range(count))
            return
        self.visit(range(revision.after_visit + 1))
        revised_on = self.seeder.not_future(
            self.visit_dates[revision.after_visit] + timedelta(days=3)
        )
        self.step("revise_plan", reason=revision.reason, on=revised_on)
        self.save_plan(revision.plan, revised_on)
        self.step("submit_plan", on=revised_on)
        self.step("approve_plan", by_tutor=True, on=revised_on + timedelta(days=1))
        self.visit(range(revision.after_visit + 1, count))

    def visit(self, indexes: range) -> None:
        for index in indexes:
            visit, served_on = self.spec.visits[index], self.visit_dates[index]
            self.records.append(self.add_visit(visit, served_on, index))
            for referral in self.spec.referrals:
                if referral.at_visit == index:
                    self.refer(referral, served_on)

    def add_visit(self, visit: Visit, served_on: date, index: int = 0) -> ServiceRecord:
        # Once the plan is approved, each visit works towards one of its goals in turn.
        plan = self.case.approved_plan
        goals = [plan.goals[index % len(plan.goals)]] if plan and plan.goals else []
        return cases.add_service_record(
            actor=self.worker,
            case=self.case,
            served_on=served_on,
            form=visit.form,
            duration_minutes=visit.minutes,
            content=visit.content,
            response=visit.response,
            next_step=visit.next_step,
            goals=goals,
        )

    def refer(self, referral: Referral, on: date) -> None:
        record = cases.add_referral(
            actor=self.worker,
            case=self.case,
            referred_on=on,
            to_unit=self.seeder.units[referral.to_unit] if referral.to_unit else None,
            to_agency=referral.to_agency,
            reason=referral.reason,
        )
        self.referrals.append(record)
        if referral.outcome is not ReferralOutcome.PENDING:
            cases.record_referral_outcome(
                actor=self.worker,
                referral=record,
                outcome=referral.outcome,
                note=referral.outcome_note,
                on=self.seeder.not_future(on + timedelta(days=referral.outcome_after_days)),
            )

    def evaluate_and_close(self, target: CaseStatus) -> None:
        spec = self.spec
        if spec.evaluation is not None:
            self.step("start_evaluation")
            self.save_evaluation(spec.evaluation)
        if spec.closure_returned:
            self.save_closure()
            self.step("request_closure")
            self.step("return_closure", by_tutor=True, reason=spec.closure_returned)
        if target is CaseStatus.EVALUATION:
            return
        self.save_closure()
        self.step("request_closure")

    def save_evaluation(self, evaluation: EvaluationSpec) -> None:
        plan = self.case.approved_plan
        plan_spec = self.spec.revision.plan if self.spec.revision else self.spec.plan
        if plan is None or plan_spec is None:
            raise RuntimeError(f"demo case {self.case.number} has no approved plan to evaluate")
        cases.save_evaluation(
            actor=self.worker,
            case=self.case,
            client_view=evaluation.client_view,
            satisfaction=evaluation.satisfaction,
            summary=evaluation.summary,
            results={
                goal.id: (goal_spec.attainment, goal_spec.note)
                for goal, goal_spec in zip(plan.goals, plan_spec.goals, strict=True)
            },
        )

    def save_closure(self) -> None:
        closure = self.spec.closure
        if closure is None:
            raise RuntimeError(f"demo case {self.case.number} needs a closure report")
        after = closure.follow_up_after_days
        cases.save_closure_report(
            actor=self.worker,
            case=self.case,
            closure_type=closure.closure_type,
            summary=closure.summary,
            follow_up_plan=closure.follow_up_plan,
            follow_up_due=self.closed + timedelta(days=after) if after is not None else None,
        )

    def follow_up(self) -> None:
        for follow_up in self.spec.follow_ups:
            record = cases.add_follow_up(
                actor=self.worker,
                case=self.case,
                followed_on=self.seeder.not_future(
                    self.closed + timedelta(days=follow_up.after_days)
                ),
                form=follow_up.form,
                content=follow_up.content,
                next_due=(
                    self.closed + timedelta(days=follow_up.next_after_days)
                    if follow_up.next_after_days is not None
                    else None
                ),
            )
            self.follow_up_ids.append(record.id)
        if self.spec.end_follow_up:
            last = max((f.after_days for f in self.spec.follow_ups), default=0)
            self.step("end_follow_up", on=self.closed + timedelta(days=last))

    def reopen(self) -> None:
        self.step("reopen", reason=self.spec.reopen_reason)
        visits = self.spec.reopened_visits
        dates = self.seeder.spread(self.seeder.day(10), self.seeder.day(1), len(visits))
        for visit, served_on in zip(visits, dates, strict=True):
            self.records.append(self.add_visit(visit, served_on))

    def comment(self) -> None:
        for comment in self.spec.comments:
            cases.add_comment(
                actor=self.seeder.tutor,
                case=self.case,
                subject_type=comment.subject,
                subject_id=self.subject_id(comment),
                body=comment.body,
            )

    def subject_id(self, comment: Comment) -> int | None:
        case = self.case
        records: dict[str, object | None] = {
            "case": None,
            "intake": case.intake,
            "assessment": case.assessment,
            "plan": case.current_plan,
            "evaluation": case.evaluation,
            "closure": case.closure,
        }
        if comment.subject == "service_record":
            return self.records[comment.index].id
        if comment.subject == "referral":
            return self.referrals[comment.index].id
        if comment.subject == "follow_up":
            return self.follow_up_ids[comment.index]
        record = records[comment.subject]
        return getattr(record, "id", None)


# --- the cases -----------------------------------------------------------------------------

_S = CaseStatus
_D = ServiceDomain
_P = ProblemCategory
_F = ServiceForm
_A = Attainment
_M = Gender.MALE
_W = Gender.FEMALE

CASES: tuple[CaseSpec, ...] = (
    # 独居高龄老人：介入服务中，计划复核日期已过。
    CaseSpec(
        person=PersonSpec(
            name="刘淑珍",
            gender=_W,
            born=date(1941, 3, 12),
            address="朝阳区湖西路1288号湖西小区5栋3单元402室",
            tags=("独居/孤寡老人", "低收入"),
            notes="儿子在深圳工作，每年春节回长春一次；紧急联系人为楼下邻居孙阿姨。",
            household=(Member("王建国", "儿子", 1965, False, "在深圳工作"),),
        ),
        station="station1",
        worker="worker1",
        opened_by="head1",
        status=_S.INTERVENTION,
        opened_days_ago=150,
        review_overdue_days=12,
        domain=_D.SOCIAL_AID,
        source=CaseSource.OUTREACH,
        risk=RiskLevel.MEDIUM,
        summary="高龄独居老人，子女在外地，膝关节病变行动不便，有助餐、就医陪护和居家安全需求",
        problems=(_P.LIVELIHOOD, _P.HEALTH_CARE, _P.EMOTIONAL),
        presenting="网格员入户排查时发现刘奶奶独居，今年春天在家中摔倒过一次，膝关节退行性病变，上下楼困难，平时靠邻居帮忙买菜，经常吃剩饭剩菜。",
        arrival="社区网格员排查后报告社工站，社工与网格员一同入户。",
        judgement="高龄独居，存在跌倒风险和营养问题，符合接案条件，优先处理。",
        assessment=Assessment(
            needs="1.饮食：每天至少一顿热饭；2.就医：高血压需每月取药，行动不便；3.安全：卫生间无扶手，夜间起夜有跌倒风险；4.情感：丈夫去世后很少与人交流。",
            strengths="头脑清楚，生活基本能自理；愿意接受帮助；与楼下邻居关系好；每月养老金约2100元。",
            risks="跌倒风险高；独处时突发疾病无人知晓；情绪低落。",
            family_system="丧偶十年，独子在深圳，每周通一次电话，经济上偶尔支持。",
            social_support="楼下邻居孙阿姨常来看望；网格员每月入户一次；在长春无其他亲属。",
            summary="老人居家养老意愿强，主要需求为助餐、就医陪护和居家安全改造，并需建立日常探视与紧急联络机制。",
        ),
        plan=Plan(
            "保障刘奶奶安全地居家生活：吃上热饭、按时就医、居家安全、有人常来往。",
            (
                Goal(
                    "链接居家养老助餐服务",
                    "每周至少5天由助餐点送餐上门",
                    "联系重庆街道居家养老服务中心办理助餐，与老人商定菜品和送餐时间",
                    30,
                ),
                Goal(
                    "完成居家适老化改造",
                    "卫生间及床边加装扶手，安装紧急呼叫器",
                    "申请适老化改造补贴，陪同施工并验收",
                    60,
                ),
                Goal(
                    "建立邻里探视机制",
                    "邻居和志愿者每周至少探视2次，有探视登记",
                    "召开邻里协调会，排定探视表",
                    45,
                    responsible="王芳、楼长",
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "首次家访，与刘奶奶面谈，了解饮食、用药和居住情况，查看卫生间和卧室的安全隐患。",
                "老人愿意接受助餐，担心费用负担。",
                "了解助餐补贴政策，下次家访时向老人说明。",
            ),
            Visit(
                _F.REFERRAL,
                30,
                "将助餐需求转介至重庆街道居家养老服务中心，提交老人基本信息和高龄补贴申请。",
                "中心同意送餐上门，享受补贴后每餐8元。",
                "确认首次送餐日期。",
            ),
            Visit(
                _F.ESCORT,
                180,
                "陪同刘奶奶到湖西社区卫生服务站复查血压、取降压药，并签约家庭医生。",
                "血压控制尚可，医生建议每月复查一次。",
                "与家庭医生约定上门随访时间。",
            ),
            Visit(
                _F.PHONE,
                15,
                "电话了解送餐情况。",
                "老人说饭菜偏咸，已反馈助餐点调整口味。",
                "跟进适老化改造补贴申请。",
            ),
            Visit(
                _F.OTHER,
                90,
                "召集孙阿姨、楼长和两名党员志愿者召开邻里探视协调会，排定每周探视表。",
                "邻居们愿意轮流探视，探视情况记在老人门口的登记本上。",
                "两周后检查探视记录。",
            ),
            Visit(
                _F.HOME_VISIT,
                45,
                "家访查看扶手和紧急呼叫器安装效果，检查探视登记本。",
                "扶手已装好，老人说夜里起来踏实多了；探视记录齐全。",
                "组织计划复核，商量是否进入评估。",
            ),
        ),
        referrals=(
            Referral(
                "老人独居、行动不便，需助餐上门服务",
                to_agency="重庆街道居家养老服务中心",
                at_visit=1,
                outcome=ReferralOutcome.ACCEPTED,
                outcome_note="已接收，每周送餐6天。",
                outcome_after_days=5,
            ),
        ),
        comments=(
            Comment(
                "plan",
                "服务计划复核日期已过，请尽快与老人及其儿子一起复核目标；适老化改造已完成的，可考虑进入评估。",
            ),
            Comment(
                "service_record",
                "邻里探视协调会的做法很好。请与老人确认她同意向志愿者提供哪些个人信息，并记录在案。",
                index=4,
            ),
        ),
    ),
    # 低保家庭因病致困：已结案，回访已到期未做。
    CaseSpec(
        person=PersonSpec(
            name="孙建军",
            gender=_M,
            born=date(1972, 8, 21),
            address="朝阳区开运街566号开运小区12栋1单元301室",
            tags=("低保",),
            household=(
                Member("周玉梅", "妻子", 1974, True, "尿毒症，每周透析三次"),
                Member("孙佳琪", "女儿", 2009, True, "高二在读"),
            ),
        ),
        station="station1",
        worker="worker2",
        status=_S.CLOSED,
        opened_days_ago=280,
        domain=_D.SOCIAL_AID,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.MEDIUM,
        summary="低保家庭，妻子尿毒症长期透析，女儿读高中，医疗支出大，入不敷出",
        problems=(_P.LIVELIHOOD, _P.HEALTH_CARE, _P.EDUCATION),
        presenting="孙先生来站求助：妻子尿毒症每周透析三次，自付部分每月约1800元；本人在小区打零工，月收入约2000元；女儿读高中。家庭入不敷出，低保年审材料也不会准备。",
        arrival="本人主动到社工站求助。",
        judgement="低保家庭因病致困，需协助申请医疗救助、助学资源并完成低保年审，符合接案条件。",
        assessment=Assessment(
            needs="低保年审和大病医疗救助申请；女儿学费和生活费支持；孙先生稳定就业；照护压力缓解。",
            strengths="夫妻感情好；女儿成绩中上、懂事；孙先生有电工经验，愿意工作。",
            risks="医疗支出持续，若中断透析有生命危险；孙先生长期焦虑、失眠。",
            family_system="三口之家，孙先生是唯一劳动力，妻子病后在家，女儿住校。",
            social_support="社区低保专干熟悉其家庭；亲戚偶尔接济；妻子所在透析中心有病友群。",
            summary="家庭因病致困，重点是把能享受的救助政策用足，同时帮助孙先生稳定收入、缓解照护压力。",
        ),
        plan=Plan(
            "减轻家庭医疗和教育负担，稳定收入，使家庭基本生活有保障。",
            (
                Goal(
                    "完成低保年审并申请大病医疗救助",
                    "低保年审通过；大病医疗救助获批",
                    "协助整理收入证明、病历和费用票据，陪同到街道和区医保局办理",
                    45,
                    note="低保年审通过，医疗救助按季度拨付。",
                ),
                Goal(
                    "为女儿链接助学资源",
                    "女儿获得至少一项助学金",
                    "向长春市慈善总会申报助学项目，联系学校资助中心",
                    60,
                    note="获慈善总会助学金每年4000元。",
                ),
                Goal(
                    "孙先生实现稳定就业",
                    "稳定工作满2个月",
                    "到就业服务中心登记，推荐物业维修电工岗位",
                    90,
                    _A.MOSTLY_MET,
                    "已在物业公司做维修电工，尚未签订正式劳动合同。",
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "预估面谈，了解家庭收入、支出和医疗费用，梳理可申请的救助政策。",
                "孙先生情绪焦虑，谈到妻子病情时落泪，最担心女儿上学。",
                "列出材料清单，下周协助办理。",
            ),
            Visit(
                _F.ESCORT,
                150,
                "陪同孙先生到街道社会救助窗口提交低保年审材料，并到区医疗保障局咨询大病医疗救助。",
                "材料齐全，已受理。",
                "等待医保局审核结果。",
            ),
            Visit(
                _F.REFERRAL,
                40,
                "为女儿孙佳琪向长春市慈善总会助学项目提交申请，附学校在读证明和低保证复印件。",
                "申请已提交。",
                "跟进审核结果。",
            ),
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，看望周女士，了解透析和家庭照护情况，与孙先生谈就业意向。",
                "周女士精神较好；孙先生希望找离家近、时间灵活的工作。",
                "推荐至就业服务中心。",
            ),
            Visit(
                _F.PHONE,
                20,
                "电话告知大病医疗救助审批通过，说明报销流程。",
                "孙先生说压力减轻了很多。",
                "跟进就业。",
            ),
            Visit(
                _F.INTERVIEW,
                45,
                "面谈回顾服务进展，准备评估。",
                "孙先生已在物业做维修电工一个多月。",
                "开展评估。",
            ),
        ),
        referrals=(
            Referral(
                "低保家庭子女助学",
                to_agency="长春市慈善总会",
                at_visit=2,
                outcome=ReferralOutcome.COMPLETED,
                outcome_note="获助学金每年4000元，资助至高中毕业。",
                outcome_after_days=25,
            ),
            Referral(
                "家庭唯一劳动力求职",
                to_agency="朝阳区就业服务中心",
                at_visit=3,
                outcome=ReferralOutcome.COMPLETED,
                outcome_note="推荐物业维修电工岗位，已上岗。",
                outcome_after_days=14,
            ),
        ),
        evaluation=EvaluationSpec(
            "社工帮我把该办的都办了，心里有底了。现在有活干，孩子上学也不愁了。",
            5,
            "三项目标两项完全达成、一项基本达成，家庭基本生活得到保障，服务对象已能自行办理年审等事务。",
        ),
        closure=Closure(
            ClosureType.GOALS_MET,
            "经九个月服务，低保年审通过，获大病医疗救助和助学金，孙先生实现就业，家庭经济压力明显缓解，经与服务对象协商同意结案。",
            "结案一个月后电话回访，了解就业稳定情况及医疗救助发放情况。",
            days_ago=45,
        ),
        comments=(
            Comment(
                "evaluation", "评估扎实。回访时请关注孙先生的睡眠和情绪，照护者的压力容易被忽略。"
            ),
        ),
    ),
    # 残疾人康复：评估阶段。
    CaseSpec(
        person=PersonSpec(
            name="赵志刚",
            gender=_M,
            born=date(1985, 5, 7),
            address="朝阳区湖西路1302号湖西小区9栋2单元501室",
            tags=("残疾", "失业"),
            notes="肢体二级残疾，使用轮椅；家住五楼无电梯。",
            household=(Member("王凤兰", "母亲", 1958, True, "退休，主要照顾者"),),
        ),
        station="station1",
        worker="worker1",
        status=_S.EVALUATION,
        opened_days_ago=200,
        domain=_D.COMMUNITY_HEALTH,
        source=CaseSource.REFERRAL,
        risk=RiskLevel.MEDIUM,
        summary="车祸致双下肢残疾（肢体二级），居家康复、情绪支持和重返工作需求",
        problems=(_P.DISABILITY, _P.EMPLOYMENT, _P.EMOTIONAL),
        presenting="赵先生去年车祸致双下肢功能障碍，持肢体二级残疾证，出院后一直在家，情绪低落，母亲照顾很吃力。残联康复专干建议由社工跟进。",
        arrival="朝阳区残疾人联合会转介，社工与残联专干一同家访。",
        judgement="需要社区康复、辅具适配、心理支持和就业支持，符合接案条件。",
        assessment=Assessment(
            needs="康复训练指导；轮椅等辅具适配；无障碍出行；情绪支持；恢复工作收入。",
            strengths="年轻，受伤前为软件测试员，会用电脑；母亲支持；本人有重新工作的愿望。",
            risks="长期卧床易致压疮和肌肉萎缩；抑郁情绪，曾说“活着拖累家人”，经评估无具体自杀计划，需持续关注。",
            family_system="与母亲同住，父亲已故，母亲退休；住五楼无电梯。",
            social_support="残联专干、社区康复站；原公司同事偶有联系；网上病友群。",
            summary="以康复和辅具为起点，同步做情绪支持，逐步推动居家就业。",
        ),
        plan=Plan(
            "帮助赵先生恢复生活自理、走出家门，并重新获得收入。",
            (
                Goal(
                    "完成辅具适配与居家康复训练",
                    "获得适配轮椅和坐便椅；每周康复训练不少于3次",
                    "转介残联辅具适配；链接社区康复站上门指导",
                    45,
                    note="轮椅、坐便椅已适配，康复训练坚持四个月。",
                ),
                Goal(
                    "改善情绪状态",
                    "PHQ-9得分由16分降至9分以下",
                    "每两周面谈一次，运用认知行为技术；链接病友支持小组",
                    90,
                    _A.MOSTLY_MET,
                    "PHQ-9由16分降至8分，偶有反复。",
                ),
                Goal(
                    "实现居家就业",
                    "获得一份居家线上工作，月收入不低于2000元",
                    "推荐残联就业服务，参加电商客服培训",
                    120,
                    _A.PARTLY_MET,
                    "已完成培训，正在试岗，收入还不稳定。",
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                90,
                "与残联专干联合家访，了解伤情、康复和居住环境；使用PHQ-9量表，得分16分。",
                "赵先生话少，表示不想出门见人。",
                "申请辅具适配，两周后面谈。",
            ),
            Visit(
                _F.REFERRAL,
                30,
                "转介朝阳区残疾人联合会辅具适配服务，提交残疾证和康复评估。",
                "残联受理，安排上门测量。",
                "跟进适配进度。",
            ),
            Visit(
                _F.INTERVIEW,
                60,
                "面谈，讨论受伤后的丧失感，帮助识别“我是家人的负担”的想法，布置每天完成一件小事并记录的作业。",
                "赵先生愿意尝试。",
                "两周后继续面谈。",
            ),
            Visit(
                _F.ESCORT,
                120,
                "陪同赵先生乘无障碍出租车到区残联报名电商客服技能培训。",
                "这是受伤后第一次出门办事，赵先生说比想象中顺利。",
                "跟进培训。",
            ),
            Visit(
                _F.PHONE,
                20,
                "电话跟进培训和康复训练情况。",
                "已完成第一阶段培训；康复训练每周3次。",
                "准备评估。",
            ),
        ),
        referrals=(
            Referral(
                "肢体残疾人辅具适配",
                to_agency="朝阳区残疾人联合会",
                at_visit=1,
                outcome=ReferralOutcome.COMPLETED,
                outcome_note="轮椅及坐便椅已适配发放。",
                outcome_after_days=20,
            ),
        ),
        evaluation=EvaluationSpec(
            "现在能自己坐轮椅下楼晒太阳了，也在学着做客服，心里没那么堵了。工作还没稳定，希望社工再帮帮忙。",
            4,
            "康复与辅具目标完全达成，情绪明显改善，就业目标部分达成。建议结案时与残联就业专干做好交接，继续跟进就业。",
        ),
        comments=(
            Comment(
                "assessment",
                "服务对象曾有消极言语，请在每次面谈中做自杀风险筛查并记录，必要时按危机干预流程处理。",
            ),
        ),
    ),
    # 留守儿童：介入服务中。
    CaseSpec(
        person=PersonSpec(
            name="李梓涵",
            gender=_W,
            born=date(2015, 6, 18),
            address="朝阳区红旗街1055号红旗小区3栋4单元202室",
            tags=("留守儿童",),
            consent=ConsentBasis.GUARDIAN,
            household=(
                Member("李桂兰", "祖母", 1952, True, "实际监护人"),
                Member("李强", "父亲", 1986, False, "在大连务工"),
                Member("刘敏", "母亲", 1988, False, "在天津务工"),
            ),
        ),
        station="station1",
        worker="worker2",
        status=_S.INTERVENTION,
        opened_days_ago=120,
        domain=_D.COMMUNITY_EDUCATION,
        source=CaseSource.OUTREACH,
        risk=RiskLevel.LOW,
        summary="留守儿童，父母在外务工，随祖母生活，学业下滑、性格内向",
        problems=(_P.EDUCATION, _P.EMOTIONAL, _P.FAMILY),
        presenting="暑期关爱留守儿童排查中发现梓涵父母常年在外务工，由74岁的奶奶照顾。班主任反映她本学期数学成绩下滑明显，课堂上很少说话。",
        arrival="社区儿童主任排查发现，征得奶奶同意后由社工跟进。",
        judgement="留守儿童，学业和情绪需要支持，监护人同意，符合接案条件。",
        assessment=Assessment(
            needs="课后学业辅导；情绪表达和同伴交往；与父母保持规律联系。",
            strengths="乖巧懂事，喜欢画画；奶奶照顾细心；父母关心孩子，愿意配合。",
            risks="奶奶年事已高，辅导作业困难；长期缺少父母陪伴，可能出现自卑、孤独。",
            family_system="父亲在大连工地务工，母亲在天津做家政，春节回家；奶奶为实际监护人，爷爷已故。",
            social_support="班主任、社区儿童主任；社区“四点半课堂”。",
            summary="孩子本身适应良好，主要缺少学业辅导和情感陪伴，可通过志愿者辅导、儿童小组和亲子联系改善。",
        ),
        plan=Plan(
            "让梓涵学业跟得上、心里有人说话、和父母常联系。",
            (
                Goal(
                    "提高数学成绩",
                    "期末数学成绩由62分提升到75分以上",
                    "安排大学生志愿者每周两次在“四点半课堂”辅导",
                    120,
                ),
                Goal(
                    "增强情绪表达与同伴交往",
                    "儿童成长小组8节中至少出席6节；能主动与2名以上同学交往",
                    "邀请参加“快乐成长”儿童小组，个别面谈",
                    90,
                ),
                Goal(
                    "建立与父母的规律联系",
                    "每周至少两次与父母视频通话",
                    "与父母电话沟通，约定固定的视频时间",
                    30,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，与奶奶和梓涵见面，了解学习和生活情况，奶奶签署监护人知情同意书。",
                "梓涵起初拘谨，看到社工带的画册后愿意聊天。",
                "联系学校了解学业情况。",
            ),
            Visit(
                _F.PHONE,
                30,
                "电话联系父亲李强，说明孩子近况，约定每周三、周日晚上视频通话。",
                "父亲表示会尽量按时通话，感谢社区关心。",
                "下周确认执行情况。",
            ),
            Visit(
                _F.INTERVIEW,
                45,
                "在社工站与梓涵面谈，用绘画了解她的情绪，她画了“一家人在海边”。",
                "谈到父母时流泪，说想妈妈。",
                "邀请参加儿童成长小组。",
            ),
            Visit(
                _F.OTHER,
                90,
                "梓涵参加“快乐成长”儿童小组第3节，主题为“认识我的情绪”。",
                "能在小组中分享，和同组两名女孩成了朋友。",
                "继续跟进出勤。",
            ),
            Visit(
                _F.HOME_VISIT,
                45,
                "家访，查看作业和志愿者辅导记录，与奶奶交流。",
                "期中数学71分；奶奶说孩子回家话多了。",
                "继续辅导，期末后评估。",
            ),
        ),
        comments=(
            Comment(
                "service_record",
                "用绘画了解儿童情绪的方法很好。小组活动的照片使用须经监护人同意，注意儿童个人信息保护。",
                index=2,
            ),
        ),
    ),
    # 刑满释放人员安置帮教：介入服务中，计划已修订。
    CaseSpec(
        person=PersonSpec(
            name="周海军",
            gender=_M,
            born=date(1979, 11, 2),
            address="朝阳区开运街588号开运小区6栋3单元602室",
            tags=("刑满释放", "失业"),
            household=(
                Member("赵淑琴", "母亲", 1950, True),
                Member("周晓雨", "女儿", 2006, False, "随前妻生活，在长春读大学"),
            ),
        ),
        station="station1",
        worker="worker2",
        status=_S.INTERVENTION,
        opened_days_ago=230,
        domain=_D.COMMUNITY_CORRECTION,
        source=CaseSource.REFERRAL,
        risk=RiskLevel.MEDIUM,
        summary="刑满释放人员，安置帮教期内，就业和家庭关系修复需求",
        problems=(_P.REINTEGRATION, _P.EMPLOYMENT, _P.FAMILY),
        presenting="周先生因盗窃罪服刑四年，今年初刑满释放回到湖西社区，与母亲同住。重庆司法所将其纳入安置帮教并转介社工站。本人自述出狱后找工作屡屡碰壁，和女儿多年没有联系。",
        arrival="重庆司法所书面转介，司法所工作人员陪同来站。",
        judgement="安置帮教对象，有就业和家庭关系需求，本人愿意接受服务，符合接案条件。",
        assessment=Assessment(
            needs="稳定就业和收入；补办身份证、社保参保；修复与女儿的关系；适应出狱后的生活。",
            strengths="有驾驶证和多年货车驾驶经验；母亲支持；服刑期间表现良好，获减刑。",
            risks="求职受挫后情绪波动；与以前的朋友来往可能重新违法；经济困难。",
            family_system="离异，女儿随前妻生活；与76岁的母亲同住，靠母亲退休金生活。",
            social_support="司法所帮教小组、社区民警；一位原同事愿意帮忙介绍工作。",
            summary="就业是回归社区的关键，同时以家庭为支点，逐步恢复与女儿的联系。",
        ),
        plan=Plan(
            "帮助周先生顺利回归社区：有工作、生活有规律、与家人关系改善。",
            (
                Goal(
                    "实现就业",
                    "找到工作并连续工作满3个月",
                    "到就业服务中心登记，参加技能培训，推荐驾驶类岗位",
                    90,
                ),
                Goal(
                    "恢复与女儿的联系",
                    "与女儿至少见面或通话1次",
                    "周先生给女儿写信，社工与其前妻沟通",
                    120,
                ),
            ),
        ),
        revision=Revision(
            "周先生已取得叉车证并在物流公司试岗，就业目标调整为稳定就业，并增加参加社区活动的目标。",
            after_visit=3,
            plan=Plan(
                "帮助周先生稳定就业、融入社区，与家人关系改善。",
                (
                    Goal(
                        "稳定就业",
                        "在物流公司连续工作满6个月并签订劳动合同",
                        "每月电话跟进，必要时协调与用人单位的沟通",
                        150,
                    ),
                    Goal(
                        "恢复与女儿的联系",
                        "每月与女儿至少联系1次",
                        "周先生给女儿写信，社工与其前妻沟通",
                        120,
                    ),
                    Goal(
                        "参加社区帮教和志愿服务",
                        "每月参加帮教活动或社区志愿服务1次以上",
                        "邀请参加社区环境整治志愿服务",
                        90,
                    ),
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "首次面谈，了解服刑经历、出狱后生活和就业意向，说明保密原则及帮教安排。",
                "周先生比较拘谨，多次说“没人愿意用我们这种人”。",
                "整理就业信息。",
            ),
            Visit(
                _F.REFERRAL,
                30,
                "转介朝阳区就业服务中心登记求职，推荐参加免费叉车操作培训。",
                "就业中心受理登记。",
                "跟进培训报名。",
            ),
            Visit(
                _F.ESCORT,
                120,
                "陪同到派出所补办身份证，到社保窗口办理灵活就业参保。",
                "证件已办妥。",
                "跟进培训。",
            ),
            Visit(
                _F.PHONE,
                15,
                "电话了解培训进展。",
                "已取得叉车证，经介绍到一家物流公司试岗。",
                "修订服务计划。",
            ),
            Visit(
                _F.HOME_VISIT,
                50,
                "家访，与周先生和母亲交流试岗后的生活变化。",
                "周母说儿子每天按时上下班，脾气也好了。",
                "商量给女儿写信。",
            ),
            Visit(
                _F.OTHER,
                120,
                "周先生参加社区环境整治志愿服务，清理楼道杂物。",
                "和楼里居民有了交流，一位老邻居请他帮忙搬东西。",
                "继续跟进。",
            ),
            Visit(
                _F.PHONE,
                20,
                "经周先生同意，电话联系用人单位人事，了解工作表现。",
                "单位评价踏实肯干，下月拟签订劳动合同。",
                "下月跟进合同签订。",
            ),
        ),
        referrals=(
            Referral(
                "刑满释放人员就业登记和技能培训",
                to_agency="朝阳区就业服务中心",
                at_visit=1,
                outcome=ReferralOutcome.COMPLETED,
                outcome_note="已登记求职，完成叉车培训并取得证书。",
                outcome_after_days=30,
            ),
        ),
        comments=(
            Comment(
                "plan",
                "修订后的目标更具体。与用人单位沟通前须征得服务对象同意，避免透露其服刑经历。",
            ),
            Comment("case", "请与司法所保持每月信息互通，帮教记录按司法所要求报送。"),
        ),
    ),
    # 社区矫正对象：计划待审核。
    CaseSpec(
        person=PersonSpec(
            name="吴磊",
            gender=_M,
            born=date(1996, 4, 15),
            address="朝阳区西安大路2155号邮电小区2栋1单元702室",
            tags=("社区矫正对象",),
            consent=ConsentBasis.LEGAL_DUTY,
            household=(Member("吴建平", "父亲", 1968), Member("高丽", "母亲", 1970)),
        ),
        station="station1",
        worker="worker1",
        status=_S.PLAN_PENDING_APPROVAL,
        opened_days_ago=25,
        domain=_D.COMMUNITY_CORRECTION,
        source=CaseSource.REFERRAL,
        risk=RiskLevel.MEDIUM,
        summary="社区矫正对象（缓刑），自卑回避社交、昼夜颠倒，心理调适与就业支持需求",
        problems=(_P.REINTEGRATION, _P.EMOTIONAL, _P.EMPLOYMENT),
        presenting="吴先生因帮助信息网络犯罪活动罪被判处有期徒刑一年、缓刑两年，在重庆司法所接受社区矫正。司法所反映其自卑、回避社交，辞职后一直在家，委托社工提供心理疏导和就业支持。",
        arrival="重庆司法所委托，矫正工作人员与吴先生一同来站。",
        judgement="社区矫正对象，有心理调适和就业需求，符合接案条件。",
        assessment=Assessment(
            needs="规律作息；情绪疏导；重新就业；遵守矫正规定。",
            strengths="大专学历，会电脑；父母支持；按时到司法所报到。",
            risks="昼夜颠倒、长时间上网；与外界隔绝；再次因缺钱被诱导出租出借银行卡。",
            family_system="与父母同住，父亲对其犯罪很失望，父子很少说话。",
            social_support="司法所矫正工作人员；一位高中同学偶尔约他出门。",
            summary="以规律生活为起点，逐步恢复社会功能，再推进就业。",
        ),
        plan=Plan(
            "帮助吴先生顺利度过矫正期，恢复规律生活并重新就业。",
            (
                Goal(
                    "建立规律作息",
                    "连续4周每天8点前起床并完成作息记录",
                    "签订作息约定，每周检查记录",
                    30,
                ),
                Goal(
                    "重新就业",
                    "矫正期内找到工作并稳定1个月以上",
                    "就业指导、简历修改，陪同参加招聘会",
                    90,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "首次面谈，说明社工服务与矫正监管的区别及保密原则，了解犯罪经过和目前生活。",
                "吴先生说最怕别人知道自己“有案底”。",
                "家访了解家庭情况。",
            ),
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，与吴先生和父母交流，父亲表示对儿子失望但愿意支持。",
                "父子当着社工的面谈了近半小时，是几个月来第一次。",
                "制定服务计划，提交督导审核。",
            ),
        ),
    ),
    # 网瘾青少年：服务计划被督导退回，待修改。
    CaseSpec(
        person=PersonSpec(
            name="陈浩然",
            gender=_M,
            born=date(2009, 9, 23),
            address="朝阳区湖西路1320号湖西花园7栋2单元1101室",
            tags=("网瘾青少年",),
            consent=ConsentBasis.GUARDIAN,
            household=(
                Member("陈立新", "父亲", 1980, True, "货车司机，经常出车"),
                Member("周晓红", "母亲", 1982, True),
            ),
        ),
        station="station1",
        worker="worker2",
        status=_S.PLANNING,
        opened_days_ago=30,
        domain=_D.COMMUNITY_CORRECTION,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.MEDIUM,
        summary="高一学生沉迷网络游戏，昼夜颠倒，拒绝上学两周，亲子冲突激烈",
        problems=(_P.INTERNET_ADDICTION, _P.EDUCATION, _P.FAMILY),
        presenting="母亲周女士来站求助：儿子浩然近半年沉迷手机游戏，每天玩到凌晨三四点，最近两周拒绝上学，父亲收手机时两人发生了肢体冲突。",
        arrival="母亲主动来站求助；第二次面谈时浩然本人同意参与。",
        judgement="青少年网络成瘾伴厌学和亲子冲突，监护人和本人均同意服务，符合接案条件。",
        assessment=Assessment(
            needs="减少游戏时间、恢复作息；返校上学；改善亲子沟通方式。",
            strengths="聪明，初中成绩优秀；喜欢篮球；和母亲关系尚可。",
            risks="父子冲突可能升级；长期休学；熬夜影响健康。",
            family_system="父亲常年跑长途，回家后多用打骂管教；母亲焦虑，常在父子间调停。",
            social_support="班主任关心；两个初中同学常约他打篮球。",
            summary="游戏是逃避学业压力和家庭冲突的方式，需同时处理作息、学业和家庭沟通。",
        ),
        plan=Plan(
            "帮助浩然减少游戏时间、恢复上学，改善亲子关系。",
            (
                Goal("减少上网时间", "上网时间明显减少", "与家长沟通，签订上网协议", 30),
                Goal("恢复上学", "返校上课", "与班主任沟通返校安排", 30),
            ),
        ),
        plan_returned="目标一的指标“上网时间明显减少”无法测量，请与浩然和家长共同商定具体标准（如工作日每天不超过1小时），并补充改善亲子沟通的目标。",
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "与母亲面谈，了解浩然上网和休学情况、家庭管教方式。",
                "母亲多次落泪，说“我实在管不了了”。",
                "约浩然本人面谈。",
            ),
            Visit(
                _F.INTERVIEW,
                50,
                "在社工站与浩然面谈，聊篮球和游戏，了解他不想上学的原因。",
                "浩然说上高中后成绩跟不上，“在游戏里我是最强的”。",
                "安排家庭会谈。",
            ),
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，组织家庭会谈，父亲出车回来参加。",
                "父亲承认动手不对，同意先不收手机，一起商量规则。",
                "与全家共同制定服务计划。",
            ),
        ),
    ),
    # 家庭暴力：高风险，介入服务中。
    CaseSpec(
        person=PersonSpec(
            name="马丽娟",
            gender=_W,
            born=date(1988, 12, 3),
            address="朝阳区开运街612号开运小区15栋2单元401室",
            tags=("家庭暴力受害者",),
            notes="现带儿子暂住姐姐家，住址严格保密，任何人询问一律不予透露。",
            household=(
                Member("黄志强", "丈夫", 1985, False, "施暴方，已分居"),
                Member("黄子轩", "儿子", 2017, True),
            ),
        ),
        station="station1",
        worker="worker1",
        status=_S.INTERVENTION,
        opened_days_ago=70,
        domain=_D.COMMUNITY_CORRECTION,
        source=CaseSource.HOTLINE,
        risk=RiskLevel.HIGH,
        summary="长期遭受丈夫家庭暴力，已带儿子分居，安全计划与人身安全保护令申请",
        problems=(_P.DOMESTIC_VIOLENCE, _P.EMOTIONAL, _P.FAMILY),
        presenting="马女士夜间拨打社工热线，称丈夫酒后多次殴打她，最近一次致面部和手臂多处淤伤，已报警并做伤情鉴定。她带着9岁的儿子暂住姐姐家，担心丈夫找上门。",
        arrival="社工热线来电，次日在社工站面谈。",
        judgement="家庭暴力受害者，人身安全风险高，立即接案，按高风险个案流程处理并报告督导。",
        assessment=Assessment(
            needs="人身安全；申请人身安全保护令；离婚和抚养权法律咨询；儿子的心理安抚；经济独立。",
            strengths="在超市做收银，有收入；姐姐支持；已报警并保存证据；决心改变现状。",
            risks="丈夫多次威胁“找到你们就……”；分居期是暴力升级的高风险期；儿子目睹暴力后常做噩梦。",
            family_system="结婚十一年，丈夫酗酒，婚后第三年起多次施暴；儿子9岁，读三年级。",
            social_support="姐姐一家、辖区派出所、区妇联。",
            summary="高风险家暴个案，以安全为首要目标，协调公安、法院、妇联、法律援助多方联动。",
        ),
        plan=Plan(
            "保障马女士母子人身安全，协助其依法维权并逐步恢复正常生活。",
            (
                Goal(
                    "制定并落实安全计划",
                    "签订安全计划；确定3名紧急联系人；手机一键报警设置完成",
                    "面谈制定安全计划，与社区民警建立联络",
                    14,
                ),
                Goal(
                    "申请人身安全保护令",
                    "法院作出人身安全保护令",
                    "陪同到法院申请，转介妇联链接法律援助",
                    30,
                ),
                Goal(
                    "儿子心理安抚",
                    "儿子做噩梦每周少于1次，正常上学",
                    "转介心理咨询，开展亲子游戏辅导",
                    60,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                90,
                "面谈，用家暴危险性评估表评估（结果为高危），与马女士共同制定安全计划：紧急联系人、证件和备用钥匙、逃生路线、手机一键报警。",
                "马女士情绪紧张但配合。",
                "次日陪同到法院。",
            ),
            Visit(
                _F.ESCORT,
                240,
                "陪同马女士到朝阳区人民法院申请人身安全保护令，提交报警回执、伤情照片和鉴定意见。",
                "法院当日受理。",
                "跟进裁定。",
            ),
            Visit(
                _F.REFERRAL,
                30,
                "转介朝阳区妇女联合会，链接法律援助律师和儿童心理咨询。",
                "妇联当日接收。",
                "跟进律师对接。",
            ),
            Visit(
                _F.PHONE,
                20,
                "电话确认：法院已作出人身安全保护令，禁止黄某骚扰、跟踪、接触马女士母子。",
                "马女士说终于能睡个好觉了。",
                "通知社区民警。",
            ),
            Visit(
                _F.HOME_VISIT,
                60,
                "到暂住处家访，与儿子子轩做亲子游戏，了解睡眠和上学情况。",
                "子轩噩梦减少，已正常上学。",
                "两周后再访。",
            ),
            Visit(
                _F.PHONE,
                15,
                "例行电话安全确认。",
                "黄某未再出现，马女士已回超市上班。",
                "每周安全确认。",
            ),
        ),
        referrals=(
            Referral(
                "家暴受害者法律援助及儿童心理咨询",
                to_agency="朝阳区妇女联合会",
                at_visit=2,
                outcome=ReferralOutcome.ACCEPTED,
                outcome_note="已安排法律援助律师和心理咨询师。",
                outcome_after_days=3,
            ),
        ),
        comments=(
            Comment(
                "case",
                "高风险个案：请每周至少一次安全确认并记录；如有威胁升级，立即报警并告知我。",
            ),
            Comment(
                "service_record",
                "安全计划完整。请将保护令复印件存档，任何记录中都不要写明现住址。",
                index=0,
            ),
        ),
    ),
    # 邻里纠纷：回访中，下次回访已到期。
    CaseSpec(
        person=PersonSpec(
            name="高玉珍",
            gender=_W,
            born=date(1958, 1, 26),
            address="朝阳区红旗街1077号红旗小区8栋1单元302室",
            tags=("空巢老人",),
            household=(Member("杨振东", "丈夫", 1956),),
        ),
        station="station1",
        worker="worker2",
        status=_S.FOLLOW_UP,
        opened_days_ago=210,
        domain=_D.COMMUNITY_CORRECTION,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.LOW,
        summary="楼上装修后反复漏水、夜间噪音，与楼上住户多次争吵",
        problems=(_P.NEIGHBOUR_DISPUTE, _P.EMOTIONAL),
        presenting="高阿姨反映楼上住户装修后卫生间反复漏水，自家天花板发霉，协商多次未果，双方在楼道争吵；楼上晚上噪音也大。她说再不解决就要报警、找人“理论”。",
        arrival="本人主动来站求助。",
        judgement="邻里纠纷尚未激化，适合社工介入调解，符合接案条件。",
        assessment=Assessment(
            needs="楼上做好防水维修；天花板修复费用；恢复正常的邻里关系。",
            strengths="高阿姨讲道理，愿意协商；物业愿意配合查看。",
            risks="双方情绪激动，可能发生肢体冲突；高阿姨有高血压，生气后头晕。",
            family_system="与老伴同住，女儿在外地。",
            social_support="楼长、物业、社区人民调解员。",
            summary="纠纷焦点明确，先分别沟通、再联合调解，可望协商解决。",
        ),
        plan=Plan(
            "促成双方协商解决漏水问题，恢复邻里和睦。",
            (
                Goal(
                    "促成双方协商解决漏水",
                    "签订调解协议，楼上完成防水维修",
                    "分别约谈双方，联合物业、人民调解员组织调解会",
                    45,
                ),
                Goal(
                    "改善邻里关系",
                    "三个月内无新的争吵和投诉",
                    "调解后跟进双方沟通情况",
                    90,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                45,
                "面谈，听高阿姨讲述纠纷经过，了解诉求：楼上做防水，赔偿天花板修复费用。",
                "高阿姨情绪激动，谈完后平静了许多。",
                "约物业一起查看。",
            ),
            Visit(
                _F.HOME_VISIT,
                40,
                "与物业维修员一同上门查看漏水点，拍照留存。",
                "确认漏水来自楼上卫生间地面防水层。",
                "拜访楼上住户。",
            ),
            Visit(
                _F.HOME_VISIT,
                40,
                "拜访楼上住户李先生，听取他的想法。",
                "李先生愿意维修，但认为赔偿要求过高。",
                "组织调解会。",
            ),
            Visit(
                _F.OTHER,
                90,
                "在社区调解室召开调解会，人民调解员、物业和双方参加，达成协议：楼上一周内做防水，承担天花板修复费用1500元，晚上十点后不再施工。",
                "双方签字，握手言和。",
                "一周后确认履行情况。",
            ),
            Visit(
                _F.PHONE,
                15,
                "电话确认防水已完成、修复费用已支付。",
                "高阿姨表示满意。",
                "开展评估。",
            ),
        ),
        evaluation=EvaluationSpec(
            "楼上的小伙子后来还送了水果过来，现在见面都打招呼。",
            5,
            "调解协议全部履行，两个目标均完全达成，双方关系恢复正常。",
        ),
        closure=Closure(
            ClosureType.GOALS_MET,
            "经调解，楼上完成防水维修并支付修复费用，双方关系恢复，目标达成，结案。",
            "结案后一个月、两个月各回访一次，了解有无新矛盾。",
            days_ago=100,
        ),
        follow_ups=(
            FollowUpSpec(
                30, _F.PHONE, "电话回访高阿姨，天花板已修好，双方关系平稳，无新矛盾。", 60
            ),
            FollowUpSpec(
                62, _F.HOME_VISIT, "上门回访，高阿姨说楼上住户还帮她搬过米，关系很好。", 90
            ),
        ),
        comments=(Comment("follow_up", "情况稳定，下次回访到期后可结束回访。", index=1),),
    ),
    # 精神障碍患者家庭：高风险，介入服务中，有一项转介待回复。
    CaseSpec(
        person=PersonSpec(
            name="宋国庆",
            gender=_M,
            born=date(1983, 7, 30),
            address="朝阳区湖西路1266号湖西小区2栋3单元101室",
            tags=("精神障碍", "残疾", "低保"),
            notes="精神分裂症，持精神残疾二级证；纳入社区严重精神障碍患者管理。",
            household=(Member("刘桂芝", "母亲", 1948, True, "主要照顾者，患高血压"),),
        ),
        station="station1",
        worker="worker1",
        status=_S.INTERVENTION,
        opened_days_ago=160,
        domain=_D.COMMUNITY_HEALTH,
        source=CaseSource.REFERRAL,
        risk=RiskLevel.HIGH,
        summary="精神分裂症患者近期擅自停药、情绪不稳，年迈母亲无力照护",
        problems=(_P.HEALTH_CARE, _P.FAMILY, _P.LIVELIHOOD),
        presenting="社区卫生服务站精防医生反映：宋先生患精神分裂症十余年，近两个月擅自停药，夜间自言自语、摔东西，78岁的母亲无力照顾，担心出事。",
        arrival="精防医生转介，社工、精防医生和社区民警联合家访。",
        judgement="严重精神障碍患者病情不稳，照护者负担重，存在冲动风险，列为高风险个案。",
        assessment=Assessment(
            needs="恢复规律服药和复诊；减轻母亲照护负担；参与社区康复。",
            strengths="服药时病情可稳定；与母亲感情深；喜欢做手工。",
            risks="停药后病情复发，可能出现冲动伤人或自伤；母亲年迈多病，照护随时可能中断。",
            family_system="父亲去世多年，与母亲相依为命；有一个姐姐在吉林市，很少来往。",
            social_support="精防医生、社区民警；低保和精神残疾补贴。",
            summary="以恢复服药为首要目标，同时为母亲建立喘息和支持，长远推动日间康复。",
        ),
        plan=Plan(
            "稳定宋先生病情，减轻母亲照护负担，逐步参与社区康复。",
            (
                Goal(
                    "恢复规律服药",
                    "连续8周按医嘱服药，由母亲和精防医生核对",
                    "陪同复诊，使用分格药盒，精防医生每两周随访",
                    60,
                    responsible="王芳、精防医生",
                ),
                Goal(
                    "减轻母亲照护负担",
                    "母亲每月获得至少1次喘息服务；照护负担量表得分下降",
                    "链接家属支持小组，申请喘息服务",
                    90,
                ),
                Goal(
                    "参与社区康复",
                    "每周到社区康复站参加活动2次",
                    "转介“阳光家园”社区精神康复站",
                    120,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                90,
                "与精防医生、社区民警联合家访。宋先生情绪激动，拒绝服药；社工与母亲单独交谈，评估照护压力。",
                "母亲说已经一个月没睡过整觉。",
                "协调医院复诊。",
            ),
            Visit(
                _F.ESCORT,
                240,
                "陪同宋先生和母亲到长春市第六医院门诊复诊，医生调整为每月一次长效针剂。",
                "宋先生同意每月打针。",
                "申请日间康复。",
            ),
            Visit(
                _F.REFERRAL,
                30,
                "转介“阳光家园”社区精神康复站，申请日间康复服务。",
                "康复站同意接收，安排试适应。",
                "跟进出勤。",
            ),
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，核对打针记录，与母亲交流照护情况，提出申请喘息服务。",
                "病情平稳，母亲睡眠好转。",
                "提交喘息服务申请。",
            ),
            Visit(
                _F.OTHER,
                120,
                "宋母参加精神障碍患者家属支持小组活动。",
                "宋母说“原来不止我一家这么难”，认识了两位家属。",
                "鼓励持续参加。",
            ),
            Visit(
                _F.PHONE,
                15,
                "电话联系康复站，了解宋先生出勤情况。",
                "每周去两次，参加手工活动，表现稳定。",
                "跟进喘息服务审批。",
            ),
        ),
        referrals=(
            Referral(
                "精神障碍患者日间康复",
                to_agency="朝阳区“阳光家园”社区精神康复站",
                at_visit=2,
                outcome=ReferralOutcome.ACCEPTED,
                outcome_note="已接收，每周二、周四日间康复。",
                outcome_after_days=7,
            ),
            Referral(
                "照护者喘息服务",
                to_agency="重庆街道残疾人专职委员（喘息服务）",
                at_visit=3,
            ),
        ),
        comments=(
            Comment(
                "case",
                "高风险个案请制定危机处置预案（精防医生、民警、120的联系顺序），并告知宋母。",
            ),
            Comment("referral", "喘息服务申请已提交多日未回复，请电话催办。", index=1),
        ),
    ),
    # 失业人员：介入服务中，已超过一个月没有服务记录。
    CaseSpec(
        person=PersonSpec(
            name="韩冬梅",
            gender=_W,
            born=date(1976, 2, 14),
            address="朝阳区开运街540号开运小区3栋2单元502室",
            tags=("失业", "低收入"),
            household=(Member("刘宇", "儿子", 2011, True, "初中在读"),),
        ),
        station="station1",
        worker="worker2",
        status=_S.INTERVENTION,
        opened_days_ago=180,
        quiet_days=45,
        domain=_D.SOCIAL_AID,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.LOW,
        summary="商场关闭后失业，离异独自抚养儿子，生活困难，求职屡屡受挫",
        problems=(_P.EMPLOYMENT, _P.LIVELIHOOD, _P.EMOTIONAL),
        presenting="韩女士原在商场做导购，商场关闭后失业半年；离异后独自抚养读初中的儿子，靠积蓄和前夫每月800元抚养费生活，多次应聘未成功，情绪低落。",
        arrival="本人主动来站求助。",
        judgement="失业致生活困难，有就业能力和意愿，符合接案条件。",
        assessment=Assessment(
            needs="失业保险金和临时救助；再就业；情绪支持。",
            strengths="有多年销售经验，沟通能力强；儿子懂事。",
            risks="积蓄快用完；长期求职失败导致自我否定。",
            family_system="离异三年，与儿子同住；父母在农安县。",
            social_support="妹妹在长春开小店；原商场同事群。",
            summary="短期用足保障政策，中期通过技能培训实现再就业。",
        ),
        plan=Plan(
            "保障韩女士母子基本生活，实现再就业。",
            (
                Goal(
                    "申领失业保险金和临时救助",
                    "失业保险金按月领取；临时救助获批",
                    "协助准备材料，陪同到社保窗口和街道申请",
                    30,
                ),
                Goal(
                    "实现再就业",
                    "找到工作并稳定3个月",
                    "报名育婴员培训，推荐家政和销售岗位",
                    120,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "预估面谈，了解失业经过、家庭收支和求职经历。",
                "韩女士说“四十多岁了，人家都嫌我年纪大”。",
                "协助申领失业保险金。",
            ),
            Visit(
                _F.ESCORT,
                120,
                "陪同到社保窗口申领失业保险金，到街道提交临时救助申请。",
                "失业保险金已办理，临时救助受理。",
                "了解培训信息。",
            ),
            Visit(
                _F.OTHER,
                180,
                "陪同参加街道春风行动招聘会，投递简历三份。",
                "一家家政公司有意向，邀请参加育婴员培训。",
                "跟进培训报名。",
            ),
            Visit(
                _F.PHONE,
                15,
                "电话了解育婴员培训报名情况。",
                "韩女士说最近在妹妹店里帮忙，比较忙，过段时间再约。",
                "两周后再联系。",
            ),
        ),
        comments=(
            Comment(
                "case",
                "已超过一个月没有服务记录。请尽快联系韩女士了解近况；如已稳定就业，可考虑进入评估。",
            ),
        ),
    ),
    # 空巢老人融入社区：结案待审核。
    CaseSpec(
        person=PersonSpec(
            name="张桂英",
            gender=_W,
            born=date(1946, 10, 9),
            address="朝阳区西安大路2177号邮电小区6栋1单元301室",
            tags=("空巢老人",),
            household=(
                Member("刘振华", "丈夫", 1944, True, "患糖尿病"),
                Member("刘洋", "女儿", 1975, False, "定居加拿大"),
            ),
        ),
        station="station1",
        worker="worker1",
        status=_S.CLOSURE_PENDING_APPROVAL,
        opened_days_ago=190,
        domain=_D.COMMUNITY_SERVICE,
        source=CaseSource.OUTREACH,
        risk=RiskLevel.LOW,
        summary="空巢老人夫妇，女儿定居国外，社会交往少，希望参与社区活动",
        problems=(_P.EMOTIONAL, _P.HEALTH_CARE),
        presenting="重阳节走访中了解到张阿姨和老伴独自生活，女儿在加拿大，几年没回来。老两口很少下楼，张阿姨说“整天就我们俩大眼瞪小眼”，想参加社区活动但不知道怎么加入。",
        arrival="重阳节入户走访中发现，本人同意接受服务。",
        judgement="空巢老人社会交往需求，符合接案条件。",
        assessment=Assessment(
            needs="参加社区文体活动；学会用智能手机与女儿视频；建立邻里互助。",
            strengths="张阿姨退休前是小学音乐教师，爱唱歌；身体较好。",
            risks="老伴糖尿病，照护任务逐渐加重；孤独感。",
            family_system="老两口同住，女儿在加拿大，每月打一次电话。",
            social_support="几位老同事偶尔联系；楼长热心。",
            summary="老人有能力也有意愿，需要的是“搭桥”：把她带进社区的活动和互助网络。",
        ),
        plan=Plan(
            "帮助张阿姨夫妇走出家门，融入社区，建立互助关系。",
            (
                Goal(
                    "融入社区活动",
                    "每周参加社区活动不少于2次",
                    "介绍加入社区合唱队和老年大学智能手机班",
                    60,
                ),
                Goal(
                    "建立邻里互助",
                    "与2户以上邻居结成“邻里守望”互助对子",
                    "组织楼院邻里结对",
                    90,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，了解老两口的生活、健康和兴趣，介绍社区活动。",
                "听说有合唱队，张阿姨眼睛一亮。",
                "陪同报名。",
            ),
            Visit(
                _F.ESCORT,
                90,
                "陪同张阿姨到社区老年大学报名智能手机班，参观合唱队排练。",
                "当场报名，合唱队长邀请她担任声部长。",
                "跟进参加情况。",
            ),
            Visit(
                _F.OTHER,
                120,
                "组织本楼院“邻里守望”结对活动，张阿姨与两户邻居结对。",
                "三家约定每天在楼院群里报平安。",
                "一个月后了解互助情况。",
            ),
            Visit(
                _F.PHONE,
                15,
                "电话了解近况。",
                "张阿姨已学会视频通话，每周和女儿视频。",
                "准备评估。",
            ),
            Visit(
                _F.HOME_VISIT,
                45,
                "家访，开展评估面谈。",
                "老两口对服务很满意。",
                "撰写结案报告。",
            ),
        ),
        evaluation=EvaluationSpec(
            "现在比上班时还忙，合唱队、手机班都去，还能跟女儿视频唱歌给她听。",
            5,
            "两个目标均完全达成，老人已建立稳定的社区参与和互助关系。",
        ),
        closure=Closure(
            ClosureType.GOALS_MET,
            "张阿姨夫妇已融入社区合唱队和老年大学，与邻居结成互助对子，服务目标达成，申请结案。",
            "结案后一个月电话回访；刘大爷糖尿病照护如有需要可再求助。",
            days_ago=3,
        ),
    ),
    # 产后抑郁风险：预估中。
    CaseSpec(
        person=PersonSpec(
            name="林晓燕",
            gender=_W,
            born=date(1993, 4, 11),
            address="朝阳区湖西路1350号湖西花园11栋1单元802室",
            household=(
                Member("王磊", "丈夫", 1991, True, "工程师，经常出差"),
                Member("王一诺", "女儿", 2026, True, "出生三个月"),
                Member("杨淑华", "婆婆", 1964, True, "帮忙带孩子"),
            ),
        ),
        station="station1",
        worker="worker2",
        status=_S.ASSESSMENT,
        opened_days_ago=9,
        domain=_D.COMMUNITY_HEALTH,
        source=CaseSource.REFERRAL,
        risk=RiskLevel.MEDIUM,
        summary="产后三个月情绪低落、失眠，家庭医生筛查提示产后抑郁风险",
        problems=(_P.EMOTIONAL, _P.HEALTH_CARE, _P.FAMILY),
        presenting="家庭医生产后访视时用爱丁堡产后抑郁量表筛查，林女士得分14分。自述常常哭、睡不着，觉得自己“当不好妈妈”；丈夫工作忙，婆婆带孩子的方式与她分歧大。",
        arrival="湖西社区卫生服务站家庭医生转介，经本人同意。",
        judgement="产后抑郁筛查阳性，需尽快预估，符合接案条件。",
        assessment=Assessment(
            needs="情绪支持；睡眠；家庭分工；必要时精神科诊疗。",
            strengths="本科学历，愿意求助；丈夫关心她，只是时间少。",
            risks="待评估：自伤念头和照顾婴儿的能力（第二次面谈完成）。",
            family_system="婆婆同住帮忙带孩子，婆媳在喂养方式上常有争执。",
            social_support="家庭医生；大学同学群。",
            summary="预估进行中。",
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "与家庭医生一同家访，了解产后情绪、睡眠和家庭分工。",
                "林女士说能有人听她说说，心里舒服多了。",
                "约丈夫一起面谈。",
            ),
            Visit(
                _F.PHONE,
                20,
                "电话联系丈夫王先生，约定周末家庭面谈。",
                "王先生说之前没意识到妻子这么难受。",
                "周末家庭面谈，完成预估。",
            ),
        ),
        comments=(
            Comment(
                "intake",
                "产后抑郁筛查阳性，请在预估中评估自伤和伤害婴儿的风险，并与家庭医生约定转诊精神科的标准。",
            ),
        ),
    ),
    # 独居糖尿病老人：服务对象主动退出，已结案。
    CaseSpec(
        person=PersonSpec(
            name="徐国栋",
            gender=_M,
            born=date(1950, 12, 19),
            address="朝阳区开运街520号开运小区1栋1单元201室",
            tags=("独居/孤寡老人",),
            household=(Member("徐丽", "女儿", 1978, False, "住绿园区"),),
        ),
        station="station1",
        worker="worker2",
        status=_S.CLOSED,
        opened_days_ago=250,
        domain=_D.COMMUNITY_HEALTH,
        source=CaseSource.OUTREACH,
        risk=RiskLevel.MEDIUM,
        summary="独居糖尿病老人血糖控制差、胰岛素用量随意、爱喝酒",
        problems=(_P.HEALTH_CARE, _P.LIVELIHOOD),
        presenting="家庭医生反映徐大爷空腹血糖常在12以上，自己打胰岛素剂量随意，爱喝酒，独居，女儿工作忙很少来。",
        arrival="社区健康义诊时家庭医生介绍，社工随后上门。",
        judgement="慢病管理差，有低血糖和并发症风险，本人勉强同意，符合接案条件。",
        assessment=Assessment(
            needs="规范用药和血糖监测；控制饮酒；饮食调整。",
            strengths="生活能自理；女儿关心；会用血糖仪。",
            risks="低血糖晕倒无人发现；酒后忘记打针或重复打针。",
            family_system="丧偶，女儿住绿园区，每月来一次。",
            social_support="家庭医生；楼下棋友。",
            summary="健康管理依从性差，需在尊重老人意愿的前提下逐步改变。",
        ),
        plan=Plan(
            "帮助徐大爷控制血糖、减少饮酒，安全地独居生活。",
            (
                Goal(
                    "控制血糖",
                    "空腹血糖稳定在7.0以下",
                    "家庭医生调整方案，社工每两周核对血糖记录",
                    90,
                    responsible="张伟、家庭医生",
                ),
                Goal(
                    "减少饮酒",
                    "每周饮酒不超过2次",
                    "动机式访谈，请女儿配合",
                    60,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，查看胰岛素和血糖仪使用，了解饮食和饮酒情况。",
                "徐大爷说“喝了一辈子了，改不了”。",
                "陪同体检。",
            ),
            Visit(
                _F.ESCORT,
                150,
                "陪同到社区卫生服务站体检，家庭医生调整胰岛素方案。",
                "空腹血糖11.6。",
                "每两周核对记录。",
            ),
            Visit(
                _F.PHONE,
                15,
                "电话提醒测血糖。",
                "徐大爷不耐烦，说自己心里有数。",
                "上门沟通。",
            ),
            Visit(
                _F.HOME_VISIT,
                40,
                "家访，与徐大爷谈服务安排。",
                "徐大爷明确表示不希望社工再上门，“有事我自己找医生”。",
                "尊重其意愿，办理结案。",
            ),
        ),
        closure=Closure(
            ClosureType.WITHDREW,
            "徐大爷认为自己身体没问题，明确表示不再需要社工上门，经两次沟通仍坚持退出。已告知其随时可再求助，健康管理由家庭医生继续跟进。",
            "三个月后电话问候一次，并向家庭医生了解血糖情况。",
            days_ago=20,
            follow_up_after_days=90,
        ),
        comments=(
            Comment(
                "closure",
                "尊重服务对象自决。请与家庭医生做好交接，回访时再次评估独居风险。",
            ),
        ),
    ),
    # 初中生厌学：接案登记，尚未签署服务协议。
    CaseSpec(
        person=PersonSpec(
            name="王子豪",
            gender=_M,
            born=date(2011, 3, 5),
            address="朝阳区红旗街1033号红旗小区1栋2单元601室",
            consent=ConsentBasis.GUARDIAN,
            household=(Member("王建军", "父亲", 1983, True, "出租车司机"),),
        ),
        station="station1",
        worker="worker1",
        status=_S.INTAKE,
        opened_days_ago=3,
        agreement=False,
        domain=_D.COMMUNITY_EDUCATION,
        source=CaseSource.REFERRAL,
        risk=RiskLevel.MEDIUM,
        summary="初三学生厌学、逃课，单亲父亲管教方式简单粗暴",
        problems=(_P.EDUCATION, _P.BEHAVIOUR, _P.FAMILY),
        presenting="辖区中学德育处来电：子豪本学期逃课9次，上课睡觉，和同学打过一次架。父亲开出租车早出晚归，发现逃课后打骂孩子。",
        arrival="学校德育处电话转介，父亲同意后带子豪来站登记。",
        judgement="初步判断符合接案条件，需与子豪本人面谈后确定服务方向。",
    ),
    # 随迁老人融入社区：情况变化（迁出），已结案。
    CaseSpec(
        person=PersonSpec(
            name="黄秀英",
            gender=_W,
            born=date(1954, 7, 7),
            address="朝阳区湖西路1310号湖西花园4栋1单元1502室",
            region="220181",
            household=(
                Member("李娜", "女儿", 1980, True),
                Member("李浩宇", "外孙", 2021, True),
            ),
        ),
        station="station1",
        worker="worker1",
        status=_S.CLOSED,
        opened_days_ago=140,
        domain=_D.COMMUNITY_SERVICE,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.LOW,
        summary="从九台农村随女儿迁入帮带外孙，人生地不熟、孤独，希望融入社区",
        problems=(_P.EMOTIONAL, _P.OTHER),
        presenting="黄阿姨从九台农村来长春帮女儿带外孙，白天一个人在家，不认识人，说“像坐牢一样”，常想回老家。",
        arrival="送外孙上幼儿园时看到社工站公示栏，本人来站咨询。",
        judgement="随迁老人社区融入需求，符合接案条件。",
        assessment=Assessment(
            needs="认识社区、结交朋友、有自己的活动。",
            strengths="性格开朗，会扭秧歌、包粘豆包。",
            risks="孤独、思乡，与女儿因带孩子方式有小摩擦。",
            family_system="老伴在九台老家种地；女儿女婿上班。",
            social_support="暂时没有。",
            summary="帮助老人在社区找到“自己的圈子”。",
        ),
        plan=Plan(
            "帮助黄阿姨认识社区、结交朋友，安心在长春生活。",
            (
                Goal("熟悉社区资源", "能说出3处常去的社区活动场所", "带领熟悉社区", 30),
                Goal(
                    "结交朋友",
                    "加入秧歌队，每周参加2次",
                    "介绍认识秧歌队队长",
                    60,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                45,
                "面谈，了解黄阿姨的生活和兴趣。",
                "说起扭秧歌，黄阿姨一下来了精神。",
                "带她认识秧歌队。",
            ),
            Visit(
                _F.OTHER,
                90,
                "带黄阿姨到社区广场参加秧歌队活动，介绍给队长。",
                "当天就跟着扭了一场，队员们夸她扭得好。",
                "跟进参加情况。",
            ),
            Visit(
                _F.PHONE,
                15,
                "电话了解近况。",
                "黄阿姨说女儿一家下月搬到绿园区，她也跟着去。",
                "经本人同意，联系新住地社工站。",
            ),
        ),
        referrals=(
            Referral(
                "服务对象随女儿迁居，社区融入服务属地衔接",
                to_agency="绿园区青年路社区社会工作服务站",
                at_visit=2,
                outcome=ReferralOutcome.ACCEPTED,
                outcome_note="对方社工已电话联系黄阿姨，介绍了当地老年活动站。",
                outcome_after_days=6,
            ),
        ),
        closure=Closure(
            ClosureType.CIRCUMSTANCES_CHANGED,
            "女儿一家搬到绿园区，黄阿姨随同迁出本社区。经本人同意已与新住地社工站衔接。",
            "迁出本辖区，不再回访。",
            days_ago=15,
            follow_up_after_days=None,
        ),
    ),
    # 特困孤寡老人：居家养老目标无法达成，转介福利院，已结案。
    CaseSpec(
        person=PersonSpec(
            name="杨德福",
            gender=_M,
            born=date(1949, 2, 28),
            address="朝阳区开运街500号开运小区20栋1单元102室",
            tags=("特困", "独居/孤寡老人", "残疾"),
            household=(Member("杨树林", "侄子", 1972, False, "住德惠市，偶尔探望"),),
        ),
        station="station1",
        worker="worker2",
        status=_S.CLOSED,
        opened_days_ago=130,
        domain=_D.SOCIAL_AID,
        source=CaseSource.OUTREACH,
        risk=RiskLevel.HIGH,
        summary="特困供养孤寡老人，肺气肿加重，无人照料，居家养老难以为继",
        problems=(_P.HEALTH_CARE, _P.LIVELIHOOD, _P.DISABILITY),
        presenting="网格员反映杨大爷肺气肿加重，走几步就喘，冬天靠电暖器取暖，曾忘关电器险些着火。终身未婚，无子女。",
        arrival="网格员报告，社工当天入户。",
        judgement="特困孤寡老人，健康和居住安全风险高，立即接案。",
        assessment=Assessment(
            needs="居家用电用火安全；日常照料和就医；长远的养老安置。",
            strengths="头脑清楚，愿意配合；享受特困供养待遇。",
            risks="用电火灾；病情急性加重无人发现；冬季取暖。",
            family_system="无配偶子女，侄子在德惠市，偶尔探望。",
            social_support="网格员、邻居老赵。",
            summary="先保障居家安全，同时评估居家养老的可行性。",
        ),
        plan=Plan(
            "在保障安全的前提下支持杨大爷居家养老。",
            (
                Goal(
                    "保障居家安全",
                    "安装烟感报警器和定时断电插座，每日有人探视",
                    "志愿者安装设备，安排邻居和网格员每日探视",
                    20,
                ),
                Goal(
                    "改善居家照护",
                    "每周上门护理3次",
                    "申请居家养老上门护理",
                    45,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "入户了解健康和居住安全，检查电器线路。",
                "电暖器插线板烧焦，立即停用。",
                "安排安装烟感和定时插座。",
            ),
            Visit(
                _F.OTHER,
                90,
                "组织志愿者安装烟感报警器、定时断电插座，更换老化线路。",
                "杨大爷连声道谢。",
                "安排每日探视。",
            ),
            Visit(
                _F.ESCORT,
                300,
                "杨大爷夜间喘憋加重，社工接邻居电话后陪同就医，住院五天。",
                "医生建议不宜再独居，需要专人照护。",
                "与街道民政办商量集中供养。",
            ),
            Visit(
                _F.REFERRAL,
                60,
                "与街道民政办共同为杨大爷申请特困人员集中供养，转介长春市社会福利院。",
                "杨大爷同意入住。",
                "陪同入住。",
            ),
            Visit(
                _F.ESCORT,
                180,
                "陪同杨大爷入住长春市社会福利院，与院内社工交接。",
                "杨大爷说“这下踏实了”。",
                "申请结案。",
            ),
        ),
        referrals=(
            Referral(
                "特困孤寡老人病情加重，居家养老无法保障安全，申请集中供养",
                to_unit="welfare_home",
                at_visit=3,
                outcome=ReferralOutcome.COMPLETED,
                outcome_note="已入住长春市社会福利院，由院内社工继续服务。",
                outcome_after_days=12,
            ),
        ),
        closure=Closure(
            ClosureType.REFERRED,
            "杨大爷病情加重，居家养老目标无法达成；经本人同意申请集中供养，已入住长春市社会福利院，由院内社工继续服务。",
            "入住一个半月后到福利院探望一次。",
            days_ago=30,
            follow_up_after_days=45,
        ),
        comments=(
            Comment(
                "referral",
                "与福利院社工的交接很及时。请按最少必要原则提供个案摘要，不要整份转交档案。",
            ),
        ),
    ),
    # 诉求属法律服务：不予接案，转介法律援助。
    CaseSpec(
        person=PersonSpec(
            name="何建华",
            gender=_M,
            born=date(1968, 6, 10),
            address="朝阳区红旗街1099号红旗小区10栋3单元402室",
            consent=ConsentBasis.ORAL_RECORDED,
        ),
        station="station1",
        worker="worker1",
        status=_S.DECLINED,
        opened_days_ago=6,
        agreement=False,
        domain=_D.COMMUNITY_SERVICE,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.LOW,
        summary="咨询离婚诉讼和房产分割，要求社工代写起诉状并代为出庭",
        problems=(_P.RIGHTS, _P.FAMILY),
        presenting="何先生与妻子分居两年，准备起诉离婚，双方对房产分割有争议，希望社工帮他写起诉状并代为出庭。",
        arrival="本人来站咨询。",
        judgement="诉求属于法律服务，超出社工站服务范围；经了解无家庭暴力、无生活困难等需要社工介入的情况。",
        decline_reason="诉求为离婚诉讼代理和财产分割，属于法律服务，不是社工站的服务内容。已向何先生说明，并转介法律援助；今后如有生活或情绪方面的困难可再来站求助。",
        decline_referral_to="朝阳区公共法律服务中心（法律援助）",
    ),
    # 不属本站服务范围：不予接案，属地转介。
    CaseSpec(
        person=PersonSpec(
            name="崔永利",
            gender=_M,
            born=date(1990, 9, 9),
            address="南关区自强街318号自强小区4栋2单元301室",
            tags=("失业",),
            consent=ConsentBasis.ORAL_RECORDED,
        ),
        station="station1",
        worker="worker2",
        status=_S.DECLINED,
        opened_days_ago=10,
        agreement=False,
        domain=_D.SOCIAL_AID,
        source=CaseSource.WEB,
        risk=RiskLevel.LOW,
        summary="失业三个月，房租困难，申请临时救助和就业帮扶；居住地不在本站服务范围",
        problems=(_P.EMPLOYMENT, _P.LIVELIHOOD),
        presenting="崔先生网上求助，称失业三个月，房租快交不上了，希望申请临时救助并推荐工作。经电话核实，其户籍和实际居住地均在南关区自强街道。",
        arrival="网上求助，社工电话联系核实。",
        judgement="居住地不在本站服务范围，应由属地社工站受理。",
        decline_reason="服务对象居住在南关区自强街道，按属地原则由自强社区社会工作服务站受理。已电话联系对方站点并转介，已告知崔先生对方地址和电话。",
        referrals=(
            Referral(
                "属地转介：失业及临时救助需求",
                to_unit="station3",
                outcome=ReferralOutcome.ACCEPTED,
                outcome_note="自强站已受理，社工已与崔先生约好面谈。",
                outcome_after_days=2,
            ),
        ),
    ),
    # 高龄老人疑似认知障碍：站长接听热线登记，高风险，接案中。
    CaseSpec(
        person=PersonSpec(
            name="郑玉兰",
            gender=_W,
            born=date(1937, 1, 20),
            address="朝阳区西安大路2199号邮电小区9栋2单元201室",
            tags=("空巢老人",),
            consent=ConsentBasis.GUARDIAN,
            household=(
                Member("孙长林", "丈夫", 1934, True),
                Member("孙丽", "女儿", 1962, False, "住南关区，每天来照顾"),
            ),
        ),
        station="station1",
        worker="worker1",
        opened_by="head1",
        status=_S.INTAKE,
        opened_days_ago=2,
        agreement=False,
        domain=_D.COMMUNITY_HEALTH,
        source=CaseSource.HOTLINE,
        risk=RiskLevel.HIGH,
        summary="高龄老人记忆力明显下降，近期走失一次，老伴年迈，女儿照顾吃力",
        problems=(_P.HEALTH_CARE, _P.LIVELIHOOD),
        presenting="女儿孙女士拨打热线：母亲近半年记性越来越差，上周独自出门买菜后找不到家，被派出所民警送回。父亲92岁照顾不了母亲，孙女士自己也64岁，每天往返照顾很吃力。",
        arrival="女儿拨打社工热线，站长接听登记，安排社工入户。",
        judgement="疑似认知障碍，有再次走失风险，初步判断为高风险，两日内入户。",
    ),
    # 单亲母亲、孤独症儿子：预估中，康复救助转介待回复。
    CaseSpec(
        person=PersonSpec(
            name="孙丽华",
            gender=_W,
            born=date(1980, 11, 30),
            address="朝阳区开运街578号开运小区9栋1单元602室",
            tags=("低收入",),
            household=(Member("孙浩", "儿子", 2019, True, "孤独症，持精神残疾证"),),
        ),
        station="station1",
        worker="worker1",
        status=_S.ASSESSMENT,
        opened_days_ago=15,
        domain=_D.SOCIAL_AID,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.MEDIUM,
        summary="单亲母亲，儿子孤独症需长期康复，收入低，咨询低保和康复救助",
        problems=(_P.LIVELIHOOD, _P.DISABILITY, _P.EMOTIONAL),
        presenting="孙女士离异，独自带7岁的孤独症儿子，为陪孩子康复只能做钟点工，月收入约1500元，康复机构每月学费3000元，已借了不少钱。",
        arrival="本人来站咨询低保政策。",
        judgement="低收入单亲家庭，残疾儿童康复需求，符合接案条件。",
        assessment=Assessment(
            needs="低保申请；残疾儿童康复救助；照顾者喘息；孩子入学安排。",
            strengths="孙女士坚强，学了很多康复知识；孩子康复有进步。",
            risks="债务增加；照顾者长期疲劳、情绪耗竭。",
            family_system="离异，前夫很少支付抚养费；父母在榆树农村。",
            social_support="孤独症家长群；康复机构老师。",
            summary="预估进行中，待核实收入材料后确定救助申请方案。",
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "面谈，了解家庭收入、债务和孩子康复情况。",
                "孙女士说“只要孩子能好，我怎么都行”。",
                "家访并申请康复救助。",
            ),
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，观察孩子在家情况，核对收入和租房材料。",
                "孩子能简单表达需求，母子关系亲密。",
                "准备低保申请材料。",
            ),
        ),
        referrals=(
            Referral(
                "孤独症儿童康复救助申请",
                to_agency="朝阳区残疾人联合会",
                at_visit=1,
            ),
        ),
    ),
    # 多动症儿童家庭教育：服务计划草拟中。
    CaseSpec(
        person=PersonSpec(
            name="刘慧",
            gender=_W,
            born=date(1984, 5, 22),
            address="朝阳区湖西路1336号湖西花园9栋3单元501室",
            household=(
                Member("郑伟", "丈夫", 1982, True),
                Member("郑宇轩", "儿子", 2016, True, "注意缺陷多动障碍"),
            ),
        ),
        station="station1",
        worker="worker1",
        status=_S.PLANNING,
        opened_days_ago=20,
        domain=_D.COMMUNITY_EDUCATION,
        source=CaseSource.WEB,
        risk=RiskLevel.LOW,
        summary="儿子患多动症，在校冲突频繁，母亲希望学习家庭教育方法",
        problems=(_P.EDUCATION, _P.FAMILY, _P.BEHAVIOUR),
        presenting="刘女士网上求助：儿子四年级，确诊注意缺陷多动障碍，上课坐不住、常和同学冲突，老师几乎每周打电话。她打骂过孩子，事后很后悔。",
        arrival="网上求助，社工电话联系后来站面谈。",
        judgement="家庭教育和亲子关系需求，符合接案条件。",
        assessment=Assessment(
            needs="学习正向管教方法；家校沟通；母亲情绪调适。",
            strengths="孩子在医院规律就诊；父母都愿意学习。",
            risks="打骂加重孩子的对抗；母亲焦虑。",
            family_system="父亲工作忙，管教主要由母亲承担。",
            social_support="班主任、儿童医院医生。",
            summary="以家长为服务重点，建立正向管教和家校合作。",
        ),
        plan=Plan(
            "帮助刘女士掌握正向管教方法，改善亲子关系和家校合作。",
            (
                Goal(
                    "学习正向管教方法",
                    "参加家长课堂6次；打骂孩子次数降为每月0次",
                    "参加社区“父母课堂”，每两周个别辅导",
                    60,
                ),
                Goal(
                    "建立家校沟通机制",
                    "与班主任每两周固定沟通一次",
                    "社工陪同与班主任面谈，建立沟通本",
                    30,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "面谈，了解孩子的表现和家庭管教方式。",
                "刘女士说自己“一着急就控制不住”。",
                "邀请参加父母课堂。",
            ),
            Visit(
                _F.OTHER,
                90,
                "刘女士参加社区“父母课堂”第一讲《读懂孩子的行为》。",
                "课后主动留下来提问。",
                "与刘女士共同制定服务计划。",
            ),
        ),
    ),
    # 视力残疾人邻里帮扶：计划待审核。
    CaseSpec(
        person=PersonSpec(
            name="李长友",
            gender=_M,
            born=date(1962, 8, 8),
            address="朝阳区红旗街1011号红旗小区5栋1单元101室",
            tags=("残疾",),
            notes="视力一级残疾，独居；读信、看说明书需要他人帮助。",
        ),
        station="station1",
        worker="worker2",
        status=_S.PLAN_PENDING_APPROVAL,
        opened_days_ago=35,
        domain=_D.COMMUNITY_SERVICE,
        source=CaseSource.OTHER,
        risk=RiskLevel.LOW,
        summary="独居视力残疾人，购物、读信和外出需要邻里帮扶",
        problems=(_P.DISABILITY, _P.LIVELIHOOD),
        presenting="楼长在居民议事会上反映：李师傅双目失明多年，一直独居，以前靠老伴照顾，老伴去年去世后买菜、读信、交费都很困难。",
        arrival="楼长在居民议事会上反映，社工会后上门。",
        judgement="独居视力残疾人日常生活需要帮扶，符合接案条件。",
        assessment=Assessment(
            needs="买菜和日常采购；读信、缴费；安全外出。",
            strengths="按摩手艺好，性格乐观；熟悉家里布局，室内行动自如。",
            risks="外出时交通安全；丧偶后的孤独。",
            family_system="丧偶，无子女。",
            social_support="楼长和几位老邻居；盲人按摩同行群。",
            summary="以邻里互助为主，辅以辅助技术，帮助李师傅独立生活。",
        ),
        plan=Plan(
            "建立邻里帮扶网络，帮助李师傅独立、安全地生活。",
            (
                Goal(
                    "建立邻里结对帮扶",
                    "2名志愿者结对，每周上门2次",
                    "招募楼内志愿者，签订结对协议",
                    30,
                ),
                Goal(
                    "学会使用读屏软件和语音购物",
                    "能独立在手机上买菜和缴水电费",
                    "链接残联信息无障碍培训，志愿者在家中辅导",
                    60,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "入户了解李师傅的生活安排和需要帮助的事项。",
                "李师傅说最难的是看不了信和缴费单。",
                "招募志愿者。",
            ),
            Visit(
                _F.OTHER,
                60,
                "在楼院群发布志愿者招募，两位邻居报名，组织见面会。",
                "李师傅和志愿者约定每周二、周五上门。",
                "提交服务计划。",
            ),
        ),
    ),
    # 低保家庭：结案后因丈夫脑梗重新开案。
    CaseSpec(
        person=PersonSpec(
            name="曲凤霞",
            gender=_W,
            born=date(1966, 3, 3),
            address="朝阳区开运街530号开运小区2栋3单元401室",
            tags=("低保",),
            household=(
                Member("于长江", "丈夫", 1963, True, "近期脑梗住院，右侧偏瘫"),
                Member("于婷", "女儿", 2006, False, "在吉林大学读书"),
            ),
        ),
        station="station1",
        worker="worker2",
        status=_S.REOPENED,
        opened_days_ago=300,
        domain=_D.SOCIAL_AID,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.MEDIUM,
        summary="低保家庭，女儿上大学学费困难；丈夫新近脑梗住院，家庭再陷困境",
        problems=(_P.LIVELIHOOD, _P.HEALTH_CARE, _P.EDUCATION),
        presenting="曲女士在超市做保洁，丈夫打零工，女儿考上吉林大学，学费和住宿费凑不齐，来站咨询助学政策。",
        arrival="本人主动来站求助。",
        judgement="低收入家庭子女入学困难，符合接案条件。",
        assessment=Assessment(
            needs="女儿学费；家庭低保申请。",
            strengths="一家人和睦；女儿学习优秀。",
            risks="收入不稳定。",
            family_system="三口之家，女儿在外地读书。",
            social_support="亲戚可借一部分钱。",
            summary="通过低保和助学政策解决燃眉之急。",
        ),
        plan=Plan(
            "解决女儿入学费用，保障家庭基本生活。",
            (
                Goal(
                    "申请生源地助学贷款",
                    "贷款获批，按时入学",
                    "陪同到区教育局学生资助中心办理",
                    30,
                ),
                Goal(
                    "申请低保",
                    "低保获批",
                    "协助准备材料，向街道提交申请",
                    60,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                45,
                "面谈，了解家庭收入和女儿入学费用。",
                "曲女士担心女儿上不了学。",
                "办理助学贷款。",
            ),
            Visit(
                _F.ESCORT,
                120,
                "陪同到区教育局学生资助中心办理生源地助学贷款。",
                "贷款当场办理。",
                "准备低保材料。",
            ),
            Visit(
                _F.HOME_VISIT,
                45,
                "家访，核对低保申请材料，告知审批进度。",
                "低保已获批。",
                "评估结案。",
            ),
        ),
        evaluation=EvaluationSpec(
            "孩子顺利上学了，低保也批了，谢谢社工。",
            5,
            "两个目标均完全达成。",
        ),
        closure=Closure(
            ClosureType.GOALS_MET,
            "女儿获助学贷款顺利入学，家庭获批低保，目标达成，结案。",
            "结案后一个月电话回访。",
            days_ago=120,
        ),
        follow_ups=(FollowUpSpec(30, _F.PHONE, "电话回访，低保按月发放，女儿在校适应良好。", 90),),
        reopen_reason="丈夫于先生突发脑梗住院，右侧偏瘫，家庭失去主要收入，曲女士再次来站求助，重新开案。",
        reopened_visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "重新开案面谈，了解于先生病情、医疗费用和家庭照护安排。",
                "曲女士白天上班、晚上陪护，已经连续一周没睡好。",
                "陪同办理医保结算和医疗救助。",
            ),
            Visit(
                _F.ESCORT,
                180,
                "陪同曲女士到医院办理医保结算，咨询大病医疗救助和残疾评定。",
                "医院社工部答应出院前协助办理。",
                "重新预估，制定新的服务计划。",
            ),
        ),
        comments=(
            Comment("case", "重新开案后请重新预估，重点关注照护安排和曲女士本人的身心负担。"),
        ),
    ),
    # --- 西解放社区（赵丽）
    # 独居慢病老人：网上求助，接案登记。
    CaseSpec(
        person=PersonSpec(
            name="白秀芝",
            gender=_W,
            born=date(1952, 9, 14),
            address="朝阳区解放大路2388号西解放小区3栋2单元302室",
            tags=("独居/孤寡老人",),
            consent=ConsentBasis.ORAL_RECORDED,
            household=(Member("马晓东", "儿子", 1978, False, "在北京工作"),),
        ),
        station="station2",
        worker="worker3",
        status=_S.INTAKE,
        opened_days_ago=1,
        agreement=False,
        domain=_D.COMMUNITY_HEALTH,
        source=CaseSource.WEB,
        risk=RiskLevel.MEDIUM,
        summary="独居慢病老人，高血压糖尿病，常忘记吃药，儿子申请居家健康管理服务",
        problems=(_P.HEALTH_CARE, _P.LIVELIHOOD),
        presenting="儿子网上求助：母亲独居，高血压、糖尿病多年，经常忘记吃药，上个月血压高到190住院一周，希望社区定期上门看看。",
        arrival="网上求助，社工电话联系白阿姨本人，约定入户。",
        judgement="初步符合接案条件，待入户核实。",
    ),
    # 社区矫正对象：预估中。
    CaseSpec(
        person=PersonSpec(
            name="刘宇航",
            gender=_M,
            born=date(2001, 2, 17),
            address="朝阳区同志街2566号同志街小区5栋1单元403室",
            tags=("社区矫正对象",),
            consent=ConsentBasis.LEGAL_DUTY,
            household=(Member("刘军", "父亲", 1972), Member("张艳", "母亲", 1974)),
        ),
        station="station2",
        worker="worker3",
        status=_S.ASSESSMENT,
        opened_days_ago=12,
        domain=_D.COMMUNITY_CORRECTION,
        source=CaseSource.REFERRAL,
        risk=RiskLevel.MEDIUM,
        summary="社区矫正对象（缓刑），大学被劝退，背负网贷，与父母关系紧张",
        problems=(_P.REINTEGRATION, _P.EMPLOYMENT, _P.FAMILY),
        presenting="刘先生因出租出借银行卡被以帮助信息网络犯罪活动罪判处缓刑，大学被劝退。司法所反映其背负网贷3万余元，与父母关系紧张，委托社工介入。",
        arrival="重庆司法所委托，矫正工作人员陪同来站。",
        judgement="社区矫正对象，有债务、就业和家庭关系问题，符合接案条件。",
        assessment=Assessment(
            needs="债务处理；就业或复学规划；修复亲子关系。",
            strengths="年轻，学习能力强；愿意改变。",
            risks="债务催收压力大，可能再次被诱导违法；情绪低落。",
            family_system="独生子，父母为工厂职工，为其犯罪和欠债非常失望。",
            social_support="司法所；一位大学老师仍和他联系。",
            summary="预估进行中，待与父母面谈后完成。",
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "首次面谈，说明服务内容和保密原则，了解犯罪经过和网贷情况。",
                "刘先生说“每天都在接催收电话，不敢告诉爸妈欠了多少”。",
                "约父母面谈，梳理债务清单。",
            ),
        ),
    ),
    # 困境儿童：评估中，结案申请被督导退回。
    CaseSpec(
        person=PersonSpec(
            name="姜雨萱",
            gender=_W,
            born=date(2013, 8, 25),
            address="朝阳区建设街1866号建设街小区2栋3单元201室",
            tags=("困境儿童",),
            consent=ConsentBasis.GUARDIAN,
            household=(
                Member("姜长贵", "祖父", 1950, True, "监护人"),
                Member("姜伟", "父亲", 1985, False, "服刑中"),
            ),
        ),
        station="station2",
        worker="worker3",
        status=_S.EVALUATION,
        opened_days_ago=170,
        domain=_D.COMMUNITY_EDUCATION,
        source=CaseSource.OUTREACH,
        risk=RiskLevel.MEDIUM,
        summary="困境儿童，父亲服刑、母亲离家，随祖父生活，学业和心理支持需求",
        problems=(_P.EDUCATION, _P.EMOTIONAL, _P.LIVELIHOOD),
        presenting="儿童主任排查发现：雨萱父亲服刑，母亲多年前离家未归，随76岁的祖父生活，靠祖父养老金维持；雨萱成绩下滑，在学校沉默寡言。",
        arrival="社区儿童主任排查发现，祖父同意后社工介入。",
        judgement="事实无人抚养的困境儿童，符合接案条件。",
        assessment=Assessment(
            needs="困境儿童基本生活保障；学业辅导；心理支持。",
            strengths="雨萱懂事，爱读书；祖父身体尚可，照顾尽心。",
            risks="祖父年迈，一旦生病无人照顾；父亲服刑带来的自卑。",
            family_system="父亲服刑，母亲失联，祖母已故。",
            social_support="儿童主任、班主任。",
            summary="先落实生活保障，再做学业和心理支持。",
        ),
        plan=Plan(
            "保障雨萱基本生活，学业稳定、心理健康。",
            (
                Goal(
                    "申请困境儿童基本生活保障",
                    "获批每月基本生活费",
                    "协助祖父向街道申请事实无人抚养儿童保障",
                    45,
                    note="已获批，每月按时发放。",
                ),
                Goal(
                    "稳定学业",
                    "期末各科成绩及格",
                    "安排志愿者每周两次辅导",
                    120,
                    _A.PARTLY_MET,
                    "语文、英语及格，数学仍不及格。",
                ),
                Goal(
                    "改善情绪",
                    "儿童抑郁量表得分降至正常范围",
                    "每两周个别辅导，参加儿童成长小组",
                    120,
                    _A.MOSTLY_MET,
                    "得分由19降至13，接近正常范围。",
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，了解雨萱和祖父的生活，祖父签署监护人知情同意书。",
                "祖父说最怕自己走了孩子没人管。",
                "申请困境儿童保障。",
            ),
            Visit(
                _F.REFERRAL,
                40,
                "协助祖父向街道民政办提交事实无人抚养儿童认定申请。",
                "街道受理。",
                "跟进审批。",
            ),
            Visit(
                _F.INTERVIEW,
                45,
                "与雨萱个别辅导，谈爸爸的事和在学校的感受。",
                "雨萱说同学不知道爸爸的事，她怕被人知道。",
                "两周后继续。",
            ),
            Visit(
                _F.OTHER,
                90,
                "雨萱参加儿童成长小组，担任小组记录员。",
                "积极参与，笑容变多。",
                "跟进学业。",
            ),
            Visit(
                _F.PHONE,
                20,
                "电话联系班主任了解期末成绩。",
                "数学仍不及格，其他科目进步明显。",
                "开展评估。",
            ),
        ),
        referrals=(
            Referral(
                "事实无人抚养儿童基本生活保障认定",
                to_agency="重庆街道民政办（儿童督导员）",
                at_visit=1,
                outcome=ReferralOutcome.COMPLETED,
                outcome_note="认定通过，每月发放基本生活费。",
                outcome_after_days=30,
            ),
        ),
        evaluation=EvaluationSpec(
            "我现在愿意在小组里说话了，数学还是不太好。",
            4,
            "生活保障完全落实，情绪基本改善，学业部分达成。",
        ),
        closure_returned="目标二仅部分达成，结案报告没有说明雨萱学业的后续安排。请补充由谁、如何继续跟进（如四点半课堂、儿童主任每月探访），再提交结案。",
        closure=Closure(
            ClosureType.GOALS_MET,
            "生活保障落实，情绪明显改善，主要目标达成，申请结案。",
            "结案一个月后家访。",
            days_ago=6,
        ),
    ),
    # 因病致困：介入服务中。
    CaseSpec(
        person=PersonSpec(
            name="于海波",
            gender=_M,
            born=date(1970, 10, 10),
            address="朝阳区解放大路2402号西解放小区8栋1单元502室",
            tags=("低收入",),
            household=(
                Member("田秀兰", "妻子", 1972, True, "无业"),
                Member("于洋", "儿子", 1998, False, "在外地打工"),
            ),
        ),
        station="station2",
        worker="worker3",
        status=_S.INTERVENTION,
        opened_days_ago=90,
        domain=_D.SOCIAL_AID,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.MEDIUM,
        summary="肝癌术后，妻子无业，治疗费用负担重，申请医疗救助和临时救助",
        problems=(_P.LIVELIHOOD, _P.HEALTH_CARE, _P.EMOTIONAL),
        presenting="于先生肝癌术后正在化疗，原为出租车司机，病后无收入，妻子无业，自付医疗费已超过8万元，借遍亲友。",
        arrival="妻子陪同来站求助。",
        judgement="因病致贫，符合接案条件。",
        assessment=Assessment(
            needs="医疗救助和临时救助；低保申请；情绪支持。",
            strengths="夫妻互相扶持；儿子每月寄钱。",
            risks="治疗费用持续；于先生情绪消沉。",
            family_system="夫妻同住，儿子在外地打工。",
            social_support="亲友已借款；病友群。",
            summary="先解决医疗费用，再申请低保，同时关注情绪。",
        ),
        plan=Plan(
            "减轻治疗费用负担，保障家庭基本生活。",
            (
                Goal(
                    "申请医疗救助和临时救助",
                    "大病医疗救助和临时救助获批",
                    "协助准备材料，陪同办理",
                    45,
                ),
                Goal(
                    "申请低保",
                    "低保获批",
                    "核算家庭收入，向街道提交申请",
                    75,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "面谈，了解病情、治疗计划和医疗费用。",
                "于先生说“不想治了，别把家拖垮”。",
                "协助申请救助，关注情绪。",
            ),
            Visit(
                _F.REFERRAL,
                40,
                "向区医疗保障局提交大病医疗救助申请，附费用清单和诊断证明。",
                "已受理。",
                "跟进审批。",
            ),
            Visit(
                _F.ESCORT,
                120,
                "陪同于太太到街道提交临时救助和低保申请。",
                "临时救助当场受理，低保需入户核查。",
                "配合入户核查。",
            ),
            Visit(
                _F.HOME_VISIT,
                45,
                "家访，了解化疗后身体状况和情绪。",
                "于先生说“看到有希望了，想把病治好”。",
                "跟进低保审批。",
            ),
        ),
        referrals=(
            Referral(
                "因病致贫，申请大病医疗救助",
                to_agency="朝阳区医疗保障局",
                at_visit=1,
                outcome=ReferralOutcome.ACCEPTED,
                outcome_note="已受理，审核中。",
                outcome_after_days=8,
            ),
        ),
    ),
    # 老年人遭受家庭暴力：高风险，介入服务中。
    CaseSpec(
        person=PersonSpec(
            name="潘淑华",
            gender=_W,
            born=date(1948, 5, 5),
            address="朝阳区同志街2544号同志街小区1栋2单元101室",
            tags=("家庭暴力受害者",),
            household=(Member("孟庆军", "儿子", 1975, True, "无业，酗酒"),),
        ),
        station="station2",
        worker="worker3",
        status=_S.INTERVENTION,
        opened_days_ago=45,
        domain=_D.COMMUNITY_CORRECTION,
        source=CaseSource.OUTREACH,
        risk=RiskLevel.HIGH,
        summary="高龄老人遭酗酒儿子打骂，养老金被拿走，疑似家庭暴力",
        problems=(_P.DOMESTIC_VIOLENCE, _P.LIVELIHOOD, _P.EMOTIONAL),
        presenting="邻居向网格员反映，常听到潘奶奶家有打骂声，看到老人胳膊上有淤青；老人的养老金卡被儿子拿走，有时吃不上饭。",
        arrival="网格员报告，社工与网格员、社区民警一同入户。",
        judgement="疑似老年人遭受家庭暴力，人身安全风险高，立即接案。",
        assessment=Assessment(
            needs="人身安全；本人掌握养老金；日常饮食保障。",
            strengths="老人头脑清楚；与邻居王阿姨关系好。",
            risks="儿子酒后施暴；老人顾及儿子，不愿报警，容易隐瞒伤情。",
            family_system="丧偶，与无业的儿子同住，女儿在吉林市，关系疏远。",
            social_support="邻居王阿姨、网格员、社区民警。",
            summary="在尊重老人意愿的前提下保障安全，并通过告诫、亲属协调逐步改变。",
        ),
        plan=Plan(
            "保障潘奶奶人身安全和基本生活。",
            (
                Goal(
                    "保障人身安全",
                    "建立安全联络；一个月内无新的伤情",
                    "约定紧急求助方式，邻居每日看望，民警出具告诫书",
                    30,
                ),
                Goal(
                    "养老金由本人掌握",
                    "养老金卡由老人或其指定的人保管",
                    "协调银行挂失补办，联系女儿协助",
                    45,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "与网格员、社区民警入户，儿子不在家，与老人交谈，查看伤情并拍照留证（经本人同意）。",
                "老人一开始说是自己摔的，后来哭着说了实情。",
                "与老人约定紧急求助方式。",
            ),
            Visit(
                _F.INTERVIEW,
                45,
                "在社工站与老人单独面谈，讲解反家庭暴力法和告诫书、保护令。",
                "老人同意由派出所对儿子出具告诫书，但不想让儿子坐牢。",
                "联系派出所。",
            ),
            Visit(
                _F.REFERRAL,
                30,
                "转介辖区派出所，对孟某出具家庭暴力告诫书。",
                "派出所受理。",
                "跟进告诫书送达。",
            ),
            Visit(
                _F.PHONE,
                15,
                "例行电话安全确认，邻居王阿姨在旁。",
                "告诫书送达后儿子收敛了，最近没动手。",
                "协调养老金卡补办。",
            ),
        ),
        referrals=(
            Referral(
                "老年人遭受家庭暴力，申请出具告诫书",
                to_agency="辖区派出所",
                at_visit=2,
                outcome=ReferralOutcome.COMPLETED,
                outcome_note="已对孟某出具家庭暴力告诫书。",
                outcome_after_days=4,
            ),
        ),
        comments=(
            Comment(
                "case",
                "老人顾虑多，请尊重她的意愿，同时反复告知求助渠道；每周安全确认并记录。",
            ),
        ),
    ),
    # 退休丧偶老人参与志愿服务：结案待审核。
    CaseSpec(
        person=PersonSpec(
            name="冯志强",
            gender=_M,
            born=date(1958, 12, 1),
            address="朝阳区建设街1888号建设街小区7栋3单元602室",
            tags=("空巢老人",),
            household=(Member("冯磊", "儿子", 1985, False, "住宽城区"),),
        ),
        station="station2",
        worker="worker3",
        status=_S.CLOSURE_PENDING_APPROVAL,
        opened_days_ago=160,
        domain=_D.COMMUNITY_SERVICE,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.LOW,
        summary="退休丧偶后情绪低落，希望发挥特长参与社区志愿服务",
        problems=(_P.EMOTIONAL,),
        presenting="冯师傅退休前是电工，老伴去年病逝后一个人在家，整天看电视，睡不好，儿子担心他。他听说社区有志愿服务队，想来看看能做点什么。",
        arrival="本人来站咨询志愿服务。",
        judgement="丧偶后情绪低落，有社会参与意愿，符合接案条件。",
        assessment=Assessment(
            needs="哀伤疏导；社会参与；规律生活。",
            strengths="有电工手艺，热心；身体好。",
            risks="长期独处，哀伤延长。",
            family_system="丧偶，儿子住宽城区，每周来一次。",
            social_support="老同事；儿子一家。",
            summary="以志愿服务为载体，帮助冯师傅重建生活重心。",
        ),
        plan=Plan(
            "帮助冯师傅走出丧偶之痛，在志愿服务中找到价值。",
            (
                Goal(
                    "参与志愿服务",
                    "每月志愿服务不少于8小时",
                    "介绍加入社区“义务维修队”",
                    60,
                ),
                Goal(
                    "改善情绪",
                    "老年抑郁量表得分降至正常范围",
                    "每两周面谈，哀伤辅导",
                    90,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "面谈，了解丧偶经历和目前生活，做老年抑郁量表筛查，得分12分。",
                "说起老伴时哽咽。",
                "介绍义务维修队。",
            ),
            Visit(
                _F.OTHER,
                120,
                "冯师傅随义务维修队为楼内独居老人修理电路和灯具。",
                "老人们连声道谢，冯师傅很高兴。",
                "安排固定服务时间。",
            ),
            Visit(
                _F.INTERVIEW,
                50,
                "哀伤辅导面谈，回顾与老伴的生活，整理相册。",
                "冯师傅说“她要是知道我现在这样，会放心的”。",
                "准备评估。",
            ),
            Visit(
                _F.PHONE,
                15,
                "电话确认评估面谈时间。",
                "冯师傅说这周已经做了三次维修。",
                "开展评估。",
            ),
        ),
        evaluation=EvaluationSpec(
            "现在每天都有事干，睡得也香了。",
            5,
            "志愿服务每月约15小时，量表得分降至4分，两个目标均完全达成。",
        ),
        closure=Closure(
            ClosureType.GOALS_MET,
            "冯师傅已成为义务维修队骨干，情绪恢复，目标达成，申请结案。",
            "结案一个月后电话回访。",
            days_ago=5,
        ),
    ),
    # 脑卒中后偏瘫康复：回访中。
    CaseSpec(
        person=PersonSpec(
            name="钱玉林",
            gender=_M,
            born=date(1955, 3, 18),
            address="朝阳区解放大路2410号西解放小区12栋1单元201室",
            tags=("残疾",),
            household=(Member("孙桂珍", "妻子", 1957, True, "主要照顾者"),),
        ),
        station="station2",
        worker="worker3",
        status=_S.FOLLOW_UP,
        opened_days_ago=260,
        domain=_D.COMMUNITY_HEALTH,
        source=CaseSource.REFERRAL,
        risk=RiskLevel.MEDIUM,
        summary="脑卒中后左侧偏瘫，出院后居家康复和家庭照护支持",
        problems=(_P.DISABILITY, _P.HEALTH_CARE, _P.FAMILY),
        presenting="医院康复科出院转介：钱师傅脑梗后左侧偏瘫，出院回家，需要居家康复指导，妻子一人照顾压力很大。",
        arrival="吉林大学第一医院康复科出院转介。",
        judgement="残疾人居家康复和照护者支持需求，符合接案条件。",
        assessment=Assessment(
            needs="居家康复训练；辅具；照护者技能和喘息。",
            strengths="钱师傅康复意愿强；妻子细心。",
            risks="二次卒中；跌倒；妻子过度劳累。",
            family_system="夫妻同住，女儿在外地。",
            social_support="社区康复站、家庭医生。",
            summary="以居家康复为主，同时支持照护者。",
        ),
        plan=Plan(
            "帮助钱师傅恢复基本生活自理，减轻妻子照护负担。",
            (
                Goal(
                    "恢复生活自理",
                    "能独立进食、穿衣、如厕，借助助行器在室内行走",
                    "社区康复师每周上门2次指导训练",
                    90,
                ),
                Goal(
                    "减轻照护负担",
                    "妻子掌握照护技能；每月获得1次喘息服务",
                    "照护技能培训，申请喘息服务",
                    60,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.HOME_VISIT,
                60,
                "家访，评估日常生活能力（巴氏指数45分）和居家环境。",
                "钱师傅说一定要自己走路。",
                "链接康复师。",
            ),
            Visit(
                _F.REFERRAL,
                30,
                "转介社区康复站，申请上门康复指导和助行器。",
                "康复站同意每周上门两次。",
                "跟进训练。",
            ),
            Visit(
                _F.OTHER,
                90,
                "孙阿姨参加照护者技能培训（翻身、转移、防跌倒）。",
                "学会了正确的转移方法。",
                "申请喘息服务。",
            ),
            Visit(
                _F.HOME_VISIT,
                45,
                "家访复评，巴氏指数75分，能借助助行器在室内行走。",
                "钱师傅很高兴。",
                "准备评估结案。",
            ),
        ),
        referrals=(
            Referral(
                "偏瘫患者居家康复指导",
                to_agency="西解放社区康复站",
                at_visit=1,
                outcome=ReferralOutcome.COMPLETED,
                outcome_note="已完成三个月上门康复指导。",
                outcome_after_days=90,
            ),
        ),
        evaluation=EvaluationSpec(
            "能自己上厕所了，老伴也轻松多了。",
            5,
            "两个目标均完全达成。",
        ),
        closure=Closure(
            ClosureType.GOALS_MET,
            "钱师傅基本恢复生活自理，妻子掌握照护技能，目标达成，结案。",
            "结案后一个月、三个月各回访一次。",
            days_ago=70,
        ),
        follow_ups=(
            FollowUpSpec(30, _F.PHONE, "电话回访，钱师傅每天坚持在楼下走两圈，血压平稳。", 90),
        ),
    ),
    # 高三学生考试焦虑：回访结束，已结案。
    CaseSpec(
        person=PersonSpec(
            name="任思远",
            gender=_M,
            born=date(2008, 7, 12),
            address="朝阳区同志街2580号同志街小区9栋2单元702室",
            consent=ConsentBasis.GUARDIAN,
            household=(Member("任刚", "父亲", 1979), Member("李雪", "母亲", 1980)),
        ),
        station="station2",
        worker="worker3",
        status=_S.CLOSED,
        opened_days_ago=240,
        domain=_D.COMMUNITY_EDUCATION,
        source=CaseSource.WALK_IN,
        risk=RiskLevel.LOW,
        summary="高三学生考试焦虑、失眠，与父母因学业压力冲突",
        problems=(_P.EDUCATION, _P.EMOTIONAL, _P.FAMILY),
        presenting="母亲陪思远来站：一模后思远成绩下滑，每晚失眠，考试时手抖、脑子空白，父亲指责他不努力，两人大吵一架。",
        arrival="母亲陪同来站求助。",
        judgement="考试焦虑和亲子冲突，本人和监护人同意，符合接案条件。",
        assessment=Assessment(
            needs="缓解考试焦虑；改善睡眠；减少亲子冲突。",
            strengths="成绩中上，目标明确；母亲理解他。",
            risks="焦虑加重影响高考；父子冲突升级。",
            family_system="父亲要求严格，母亲在中间调和。",
            social_support="班主任、好朋友。",
            summary="以焦虑管理和家庭沟通为重点。",
        ),
        plan=Plan(
            "帮助思远平稳应对高考。",
            (
                Goal(
                    "缓解考试焦虑",
                    "焦虑自评量表得分由62降至50以下",
                    "放松训练，认知调整，每周面谈",
                    60,
                ),
                Goal(
                    "改善亲子沟通",
                    "每周家庭冲突不超过1次",
                    "家庭会谈，父母沟通指导",
                    60,
                ),
            ),
        ),
        visits=(
            Visit(
                _F.INTERVIEW,
                60,
                "面谈，焦虑自评量表得分62，教授腹式呼吸和渐进式肌肉放松。",
                "思远当场练习后说“手没那么抖了”。",
                "每天练习并记录。",
            ),
            Visit(
                _F.HOME_VISIT,
                75,
                "家访，组织家庭会谈，请父亲说出担心，请思远说出压力。",
                "父亲第一次说“我只是怕你吃我没文化的亏”，父子都哭了。",
                "约定每周一次家庭散步。",
            ),
            Visit(
                _F.PHONE,
                20,
                "高考前电话鼓励，复习放松方法。",
                "思远说睡眠好多了。",
                "高考后评估。",
            ),
        ),
        evaluation=EvaluationSpec(
            "考场上用了呼吸法，没有脑子空白。和爸爸也能好好说话了。",
            5,
            "焦虑量表降至45分，家庭冲突明显减少，两个目标均完全达成。",
        ),
        closure=Closure(
            ClosureType.GOALS_MET,
            "思远顺利完成高考，焦虑缓解，亲子关系改善，目标达成，结案。",
            "入学后一个月电话回访。",
            days_ago=110,
        ),
        follow_ups=(
            FollowUpSpec(40, _F.PHONE, "电话回访，思远已到大学报到，适应良好，与家里每周通话。"),
        ),
        end_follow_up=True,
    ),
)

# Residents registered without a case yet: found in outreach or notified by another agency.
UNOPENED: tuple[tuple[str, str, int, PersonSpec], ...] = (
    (
        "station1",
        "worker1",
        40,
        PersonSpec(
            name="王淑芬",
            gender=_W,
            born=date(1939, 4, 2),
            address="朝阳区湖西路1280号湖西小区1栋1单元101室",
            tags=("独居/孤寡老人",),
            notes="网格排查登记，本人暂不需要服务，每月电话问候。",
            consent=ConsentBasis.ORAL_RECORDED,
        ),
    ),
    (
        "station1",
        "worker2",
        5,
        PersonSpec(
            name="刘长海",
            gender=_M,
            born=date(1970, 1, 16),
            address="朝阳区开运街550号开运小区4栋1单元302室",
            tags=("刑满释放",),
            notes="重庆司法所通报的安置帮教对象，尚未见面。",
            consent=ConsentBasis.LEGAL_DUTY,
        ),
    ),
    (
        "station1",
        "head1",
        60,
        PersonSpec(
            name="吴秀云",
            gender=_W,
            born=date(1962, 10, 28),
            address="朝阳区红旗街1066号红旗小区6栋2单元401室",
            tags=("低保", "残疾"),
            notes="低保年审时登记，肢体残疾三级。",
            household=(Member("吴海", "儿子", 1990, False, "在外地工作"),),
        ),
    ),
    (
        "station2",
        "worker3",
        25,
        PersonSpec(
            name="马桂芝",
            gender=_W,
            born=date(1940, 12, 8),
            address="朝阳区解放大路2396号西解放小区6栋3单元101室",
            tags=("独居/孤寡老人",),
            notes="重阳节走访登记，有需要时联系社工站。",
            consent=ConsentBasis.ORAL_RECORDED,
        ),
    ),
)
