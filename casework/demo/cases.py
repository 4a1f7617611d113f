"""Demo casework: service users and cases in every state, walked through the services.

Everything goes through the people and cases services, so the demo obeys the rules the
application enforces. The cases themselves are data (``data/cases.toml``); this module
places each step on the case's own timeline, counted back from today, so the reminders
(plan review passed, follow-up due, no service for a month) fire whenever the demo is
loaded. The numbers that need not be written out (ID serials, phones, visit spacing) come
from a seeded generator, so every load gives the same data.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from casework.accounts.models import User
from casework.accounts.queries import front_line_staff
from casework.cases import records as case_records
from casework.cases import referrals, transfers
from casework.cases import services as cases
from casework.cases.enums import CaseStatus, ReferralOutcome
from casework.cases.models import Case, ServiceRecord
from casework.cases.models import Referral as ReferralRecord
from casework.core.clock import local_timezone, local_today
from casework.core.models import utcnow
from casework.demo.case_specs import (
    CaseSpec,
    CaseworkSpec,
    Comment,
    EvaluationSpec,
    FileRequestSpec,
    HouseholdSpec,
    PersonSpec,
    Plan,
    Referral,
    TransferSpec,
    Visit,
    assessment_details,
)
from casework.extensions import db
from casework.orgs.models import Unit
from casework.people import file_requests, households
from casework.people import services as people
from casework.people.idcard import check_character
from casework.people.models import Gender, ServiceUser, VulnerabilityTag

SEED = 20261129
_CLOSED_STATES = (CaseStatus.CLOSED, CaseStatus.FOLLOW_UP, CaseStatus.REOPENED)

# Changchun's county-level codes (GB/T 2260), the districts most residents were born in first.
REGION_CODES = ("220104", "220102", "220103", "220105", "220106", "220112", "220122", "220183")
REGION_WEIGHTS = (30, 15, 10, 10, 8, 4, 4, 4)
PHONE_PREFIXES = ("130", "131", "132", "135", "138", "139", "150", "155", "158", "186", "188")


def seed_casework(
    casework: CaseworkSpec, units: Mapping[str, Unit], users: Mapping[str, User]
) -> None:
    """Register the demo service users and walk their cases through the services."""
    people.load_default_tags()
    seeder = _Seeder(casework, units, users)
    # Oldest first, so case numbers count up with the opening date as they would in life.
    for spec in sorted(casework.cases, key=lambda spec: -spec.opened_days_ago):
        seeder.seed_case(spec)
    for resident in casework.residents:
        seeder.register(
            resident.person,
            units[resident.station],
            users[resident.registered_by],
            seeder.day(resident.registered_days_ago),
        )
    for household in casework.households:
        seed_household(household, units, users)
    for transfer in casework.transfers:
        seed_transfer(transfer, units)
    for request in casework.file_requests:
        seed_file_request(request, users)


def _person_at(unit: Unit, name: str) -> ServiceUser:
    return db.session.scalars(
        select(ServiceUser).where(ServiceUser.unit_id == unit.id, ServiceUser.name == name)
    ).one()


def seed_household(
    spec: HouseholdSpec, units: Mapping[str, Unit], users: Mapping[str, User]
) -> None:
    unit, actor = units[spec.station], users[spec.created_by]
    household = households.create_household(
        actor=actor, name=spec.name, address=spec.address, notes=None
    )
    for place in spec.members:
        households.add_member(
            actor=actor,
            household=household,
            person=_person_at(unit, place.name),
            relationship=place.relationship,
        )


def seed_transfer(spec: TransferSpec, units: Mapping[str, Unit]) -> None:
    case = db.session.scalars(
        select(Case)
        .join(ServiceUser, ServiceUser.id == Case.service_user_id)
        .where(ServiceUser.name == spec.person, Case.closed_on.is_(None))
        .order_by(Case.id.desc())
    ).first()
    if case is None:
        raise ValueError(f"no open case of {spec.person!r} to transfer")
    transfers.propose(
        actor=case.worker,
        case=case,
        to_unit=units[spec.to_unit],
        reason=spec.reason,
        handover_note=spec.handover_note,
    )


def seed_file_request(spec: FileRequestSpec, users: Mapping[str, User]) -> None:
    """Asked as the worker would: by the ID number, of the unit that holds it."""
    person = db.session.scalars(select(ServiceUser).where(ServiceUser.name == spec.person)).one()
    file_requests.request_file(
        actor=users[spec.requested_by],
        id_number=person.id_number or "",
        kind=spec.kind,
        reason=spec.reason,
    )


class _Seeder:
    def __init__(
        self, casework: CaseworkSpec, units: Mapping[str, Unit], users: Mapping[str, User]
    ) -> None:
        self.casework = casework
        self.units = units
        self.users = users
        self.tutor = users[casework.tutor]
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
                consent_given_on=on,
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
        case_records.save_intake(
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
            case_records.save_assessment(
                actor=self.worker,
                case=self.case,
                details=assessment_details(
                    spec.assessment, spec.problems, self.seeder.casework.problem_areas
                ),
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
        case_records.save_plan(
            actor=self.worker,
            case=self.case,
            overall_goal=plan.overall_goal,
            review_due=review_due,
            goals=[
                case_records.GoalDetails(
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
        record = case_records.add_service_record(
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
        # Dated when the worker wrote it (that evening, or days later), not when seeded,
        # so that only the visits the data marks show as written late.
        written = datetime.combine(
            served_on + timedelta(days=visit.written_days_late), time(18, 0), local_timezone()
        ).astimezone(UTC)
        record.created_at = record.updated_at = min(written, utcnow())
        return record

    def refer(self, referral: Referral, on: date) -> None:
        to_unit = self.seeder.units[referral.to_unit] if referral.to_unit is not None else None
        record = cases.add_referral(
            actor=self.worker,
            case=self.case,
            referred_on=on,
            to_unit=to_unit,
            to_agency=referral.to_agency,
            agency_contact=referral.agency_contact,
            reason=referral.reason,
            shared_information=referral.shared_information,
            consent_basis=referral.consent_basis,
        )
        self.referrals.append(record)
        if referral.outcome is ReferralOutcome.PENDING:
            return
        answered_on = self.seeder.not_future(on + timedelta(days=referral.outcome_after_days))
        if to_unit is None:
            case_records.record_referral_outcome(
                actor=self.worker,
                referral=record,
                outcome=referral.outcome,
                note=referral.outcome_note,
                on=answered_on,
            )
            return
        # A unit of the organisation answers in its own queue, by one of its staff.
        (receiver, *_) = front_line_staff([to_unit.id])
        referrals.answer(
            actor=receiver,
            referral=record,
            outcome=referral.outcome,
            note=referral.outcome_note,
            on=answered_on,
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
        case_records.save_evaluation(
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
        case_records.save_closure_report(
            actor=self.worker,
            case=self.case,
            closure_type=closure.closure_type,
            summary=closure.summary,
            follow_up_plan=closure.follow_up_plan,
            follow_up_due=self.closed + timedelta(days=after) if after is not None else None,
        )

    def follow_up(self) -> None:
        for follow_up in self.spec.follow_ups:
            record = case_records.add_follow_up(
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
