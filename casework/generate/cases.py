"""A case and its records: the lifecycle's steps with dates that follow one another.

Each case's status implies its transitions and the records written on the way (intake,
assessment, plan, service records, evaluation, closure report, follow-ups), with dates that
never pass ``as_of``.
"""

from __future__ import annotations

from casework.cases.enums import AssessmentArea, NeedLevel
from casework.generate import texts
from casework.generate.base import (
    AGENCIES,
    GeneratorBase,
    Person,
    Site,
    _minute,
    _weighted,
)

# Generated assessments rate every area; most areas of most people need little.
NEED_LEVELS = (
    *(NeedLevel.NONE.value,) * 4,
    *(NeedLevel.MILD.value,) * 3,
    *(NeedLevel.MODERATE.value,) * 2,
    NeedLevel.SEVERE.value,
)

# The lifecycle's main path: (action, status reached).
MAIN_PATH = (
    ("open", "intake"),
    ("accept", "assessment"),
    ("finish_assessment", "planning"),
    ("submit_plan", "plan_pending_approval"),
    ("approve_plan", "intervention"),
    ("start_evaluation", "evaluation"),
    ("request_closure", "closure_pending_approval"),
    ("approve_closure", "closed"),
)
# How many steps of MAIN_PATH a status has taken.
PATH_LENGTH = {status: index + 1 for index, (_action, status) in enumerate(MAIN_PATH)}
# Days before each step of MAIN_PATH (low, high), before squeezing into the case's age.
GAPS = ((0, 0), (0, 3), (5, 20), (2, 10), (1, 7), (45, 240), (5, 20), (1, 7))
TUTOR_ACTIONS = frozenset({"approve_plan", "approve_closure"})
RECORD_STATUSES = frozenset(
    {
        "assessment",
        "planning",
        "plan_pending_approval",
        "intervention",
        "evaluation",
        "closure_pending_approval",
        "closed",
        "follow_up",
        "reopened",
    }
)


# Status by age of the case in days: young cases are being worked on, old ones are closed.
STATUS_BY_AGE = (
    (7, _weighted((("intake", 45), ("declined", 5), ("assessment", 50)))),
    (
        30,
        _weighted(
            (
                ("intake", 5),
                ("declined", 8),
                ("assessment", 35),
                ("planning", 25),
                ("plan_pending_approval", 15),
                ("intervention", 12),
            )
        ),
    ),
    (
        120,
        _weighted(
            (
                ("declined", 5),
                ("assessment", 5),
                ("planning", 6),
                ("plan_pending_approval", 6),
                ("intervention", 60),
                ("evaluation", 8),
                ("closure_pending_approval", 5),
                ("closed", 5),
            )
        ),
    ),
    (
        365,
        _weighted(
            (
                ("declined", 5),
                ("intervention", 35),
                ("evaluation", 8),
                ("closure_pending_approval", 5),
                ("closed", 37),
                ("follow_up", 8),
                ("reopened", 2),
            )
        ),
    ),
    (
        10**9,
        _weighted(
            (
                ("declined", 6),
                ("intervention", 4),
                ("evaluation", 1),
                ("closure_pending_approval", 1),
                ("closed", 82),
                ("follow_up", 4),
                ("reopened", 2),
            )
        ),
    ),
)
# Service records per case by status, before scaling to the dataset's target.
RECORDS_BY_STATUS = {
    "assessment": 1.0,
    "planning": 1.5,
    "plan_pending_approval": 2.0,
    "intervention": 3.5,
    "evaluation": 4.5,
    "closure_pending_approval": 4.5,
    "closed": 3.6,
    "follow_up": 3.6,
    "reopened": 5.0,
}

COMMUNITY_DOMAINS = _weighted(
    (
        ("social_aid", 40),
        ("community_health", 20),
        ("community_correction", 15),
        ("community_education", 10),
        ("community_service", 15),
    )
)
INSTITUTION_DOMAINS = _weighted(
    (
        ("daily_life", 30),
        ("counselling", 20),
        ("rehabilitation", 20),
        ("behaviour", 8),
        ("mediation", 8),
        ("rights", 5),
        ("hygiene", 4),
        ("recreation", 5),
    )
)
PROBLEMS = {
    "social_aid": ("livelihood", "employment", "emotional", "health_care"),
    "community_health": ("health_care", "disability", "emotional"),
    "community_correction": (
        "domestic_violence",
        "reintegration",
        "internet_addiction",
        "neighbour_dispute",
        "behaviour",
    ),
    "community_education": ("education", "family", "behaviour"),
    "community_service": ("family", "emotional", "other"),
}
INSTITUTION_PROBLEMS = ("health_care", "disability", "emotional", "behaviour", "rights", "other")
SOURCES = _weighted(
    (
        ("walk_in", 35),
        ("outreach", 20),
        ("referral", 20),
        ("hotline", 10),
        ("web", 10),
        ("other", 5),
    )
)
RISKS = _weighted((("low", 50), ("medium", 38), ("high", 12)))
FORMS = _weighted(
    (
        ("home_visit", 35),
        ("interview", 25),
        ("phone", 25),
        ("escort", 8),
        ("referral", 2),
        ("other", 5),
    )
)
DURATIONS = {
    "home_visit": (30, 90),
    "interview": (30, 60),
    "phone": (5, 20),
    "escort": (60, 180),
    "referral": (20, 60),
    "other": (20, 60),
}
CLOSURE_TYPES = _weighted(
    (("goals_met", 70), ("withdrew", 10), ("referred", 10), ("circumstances_changed", 10))
)
ATTAINMENTS = _weighted((("fully_met", 45), ("mostly_met", 30), ("partly_met", 18), ("not_met", 7)))


class CaseworkParts(GeneratorBase):
    # --- a case and its records ---------------------------------------------------------

    def _status_for(self, age: int) -> str:
        for limit, bank in STATUS_BY_AGE:
            if age < limit:
                return bank.pick(self.rng)
        raise AssertionError("unreachable")

    def _case(
        self,
        site: Site,
        person: Person,
        worker: tuple[int, str],
        opened: int,
        year: int,
        sequence: int,
        long_case: bool,
    ) -> tuple[int, str]:
        rng = self.rng
        clock = self.clock
        add = self.w.add
        today = self.today
        worker_id, worker_name = worker
        tutor_id = site.tutor_id
        case_id = self.w.next_id("cases")
        status = "intervention" if long_case else self._status_for(today - opened)
        problems: tuple[str, ...]
        if site.kind == "institution":
            domain = INSTITUTION_DOMAINS.pick(rng)
            problems = INSTITUTION_PROBLEMS
            summary = texts.SUMMARIES["institutional"].pick(rng)
        else:
            domain = COMMUNITY_DOMAINS.pick(rng)
            problems = PROBLEMS[domain]
            summary = texts.SUMMARIES[domain].pick(rng)
        source = SOURCES.pick(rng)

        # The steps the status implies, with their days.
        if status == "declined":
            actions = [("open", None, "intake"), ("decline", "intake", "declined")]
            gaps = [0, rng.randint(1, 5)]
        else:
            steps = PATH_LENGTH.get(status, len(MAIN_PATH))
            actions = []
            previous: str | None = None
            for action, reached in MAIN_PATH[:steps]:
                actions.append((action, previous, reached))
                previous = reached
            gaps = [rng.randint(*GAPS[index]) for index in range(steps)]
            if long_case:
                gaps = [0, 1, 10, 3, 2]
            followed = status == "follow_up" or (status == "closed" and rng.random() < 0.2)
            if followed:
                actions.append(("start_follow_up", "closed", "follow_up"))
                gaps.append(rng.randint(20, 60))
                if status == "closed":
                    actions.append(("end_follow_up", "follow_up", "closed"))
                    gaps.append(rng.randint(20, 60))
            if status == "reopened":
                actions.append(("reopen", previous if not followed else "follow_up", "reopened"))
                gaps.append(rng.randint(30, 200))
        available = today - opened
        needed = sum(gaps)
        if needed > available:
            factor = available / needed
            gaps = [int(gap * factor) for gap in gaps]
        days: dict[str, int] = {}
        day = opened
        for (action, _from, _to), gap in zip(actions, gaps, strict=True):
            day += gap
            days[action] = day
        path = {action for action, _f, _t in actions}

        for action, from_status, to_status in actions:
            actor = tutor_id if action in TUTOR_ACTIONS else worker_id
            reason = None
            if action == "decline":
                reason = "经评估不属于本站服务范围，已告知服务对象可向相关部门求助。"
            elif action == "reopen":
                reason = "服务对象情况出现反复，需要重新介入。"
            add(
                "case_transitions",
                (
                    self.w.next_id("case_transitions"),
                    case_id,
                    action,
                    from_status,
                    to_status,
                    actor,
                    clock.at(days[action], _minute(rng)),
                    reason,
                ),
            )

        # Intake record: every accepted or declined case has one, half of new ones do.
        if "accept" in path or status == "declined" or rng.random() < 0.5:
            signed = days.get("accept")
            at = clock.at(opened, _minute(rng))
            add(
                "intake_records",
                (
                    self.w.next_id("intake_records"),
                    worker_id,
                    at,
                    at,
                    case_id,
                    texts.PRESENTING.pick(rng),
                    texts.ARRIVALS.pick(rng),
                    texts.JUDGEMENTS.pick(rng),
                    signed is not None,
                    clock.day(signed) if signed is not None else None,
                ),
            )
        if "finish_assessment" in path or (status == "assessment" and rng.random() < 0.5):
            at = clock.at(days.get("finish_assessment", days["accept"]), _minute(rng))
            add(
                "assessments",
                (
                    self.w.next_id("assessments"),
                    worker_id,
                    at,
                    at,
                    case_id,
                    texts.NEEDS.pick(rng),
                    texts.STRENGTHS.pick(rng),
                    texts.RISKS.pick(rng),
                    texts.PRESENTING.pick(rng),
                    *(rng.choice(NEED_LEVELS) for _area in AssessmentArea),
                    *(self._area_note(area) for area in AssessmentArea),
                ),
            )

        plan_review_due: int | None = None
        goal_ids: list[int] = []
        if "finish_assessment" in path:
            plan_id = self.w.next_id("service_plans")
            written = days["finish_assessment"]
            submitted = days.get("submit_plan")
            approved = days.get("approve_plan")
            plan_status = "approved" if approved else "submitted" if submitted else "draft"
            review = (approved or written) + 90
            at = clock.at(written, _minute(rng))
            add(
                "service_plans",
                (
                    plan_id,
                    worker_id,
                    at,
                    at,
                    case_id,
                    1,
                    plan_status,
                    texts.GOALS.pick(rng),
                    clock.day(review),
                    clock.at(submitted, _minute(rng)) if submitted else None,
                    clock.at(approved, _minute(rng)) if approved else None,
                    tutor_id if approved else None,
                ),
            )
            for position in range(1, rng.randint(1, 3) + 1):
                goal_id = self.w.next_id("plan_goals")
                goal_ids.append(goal_id)
                add(
                    "plan_goals",
                    (
                        goal_id,
                        plan_id,
                        position,
                        texts.GOALS.pick(rng),
                        texts.INDICATORS.pick(rng),
                        texts.ACTIONS.pick(rng).rstrip("，"),
                        worker_name,
                        clock.day((approved or written) + rng.randint(30, 120)),
                    ),
                )
            if status in ("intervention", "evaluation", "closure_pending_approval"):
                plan_review_due = review

        # Service records, spread over the working period of the case.
        last_service: int | None = None
        if status in RECORD_STATUSES:
            start = days["accept"]
            end = days.get("request_closure", today)
            if long_case:
                count = rng.randint(50, 60)
            else:
                mean = RECORDS_BY_STATUS[status] * self._records_factor
                count = int(mean * rng.uniform(0.2, 1.8) + 0.5)
            served = [rng.randint(start, max(start, end)) for _ in range(count)]
            if status == "reopened":
                # Records are written again once the case is reopened, not while closed.
                served += [rng.randint(days["reopen"], today) for _ in range(rng.randint(1, 3))]
            served.sort()
            for served_on in served:
                self._service_record(case_id, worker_id, served_on)
            if served:
                last_service = served[-1]

        if rng.random() < 0.04 and "accept" in path:
            referred = rng.randint(
                days["accept"], max(days["accept"], days.get("request_closure", today))
            )
            outcome_day = referred + rng.randint(3, 20)
            done = outcome_day <= today
            at = clock.at(referred, _minute(rng))
            add(
                "referrals",
                (
                    self.w.next_id("referrals"),
                    worker_id,
                    at,
                    at,
                    case_id,
                    clock.day(referred),
                    AGENCIES.pick(rng),
                    "服务对象需要专业机构的进一步支持。",
                    "accepted" if done else "pending",
                    "对方已接收并安排跟进。" if done else None,
                    clock.day(outcome_day) if done else None,
                ),
            )

        superseded = status == "reopened"
        if "start_evaluation" in path and (status != "evaluation" or rng.random() < 0.5):
            evaluated = min(today, days["start_evaluation"] + rng.randint(0, 5))
            if "request_closure" in path:
                evaluated = min(evaluated, days["request_closure"])
            evaluation_id = self.w.next_id("evaluations")
            at = clock.at(evaluated, _minute(rng))
            add(
                "evaluations",
                (
                    evaluation_id,
                    worker_id,
                    at,
                    at,
                    case_id,
                    superseded,
                    texts.CLIENT_VIEWS.pick(rng),
                    rng.choice((3, 4, 4, 5, 5, 5)),
                    texts.CLOSURE_SUMMARIES.pick(rng),
                ),
            )
            for goal_id in goal_ids:
                add(
                    "goal_results",
                    (
                        self.w.next_id("goal_results"),
                        evaluation_id,
                        goal_id,
                        ATTAINMENTS.pick(rng),
                        "",
                    ),
                )

        closed_on: int | None = None
        follow_up_due: int | None = None
        if "request_closure" in path:
            closure_due = days.get("approve_closure", days["request_closure"]) + rng.randint(30, 90)
            has_due = rng.random() < 0.7 or status == "follow_up"
            at = clock.at(days["request_closure"], _minute(rng))
            add(
                "closure_reports",
                (
                    self.w.next_id("closure_reports"),
                    worker_id,
                    at,
                    at,
                    case_id,
                    superseded,
                    CLOSURE_TYPES.pick(rng),
                    texts.CLOSURE_SUMMARIES.pick(rng),
                    "结案后一至三个月内电话或入户回访。" if has_due else "",
                    clock.day(closure_due) if has_due else None,
                ),
            )
            if status in ("closed", "follow_up"):
                closed_on = days["approve_closure"]
                if status == "follow_up" or "end_follow_up" not in path:
                    follow_up_due = closure_due if has_due else None
        if status == "declined":
            closed_on = days["decline"]
        if "start_follow_up" in path:
            begun = days["start_follow_up"]
            finished = days.get("end_follow_up", today)
            for _ in range(1 if status == "follow_up" else rng.randint(1, 2)):
                followed_on = rng.randint(begun, max(begun, finished))
                next_due = followed_on + 30 if status == "follow_up" else None
                at = clock.at(followed_on, _minute(rng))
                add(
                    "follow_ups",
                    (
                        self.w.next_id("follow_ups"),
                        worker_id,
                        at,
                        at,
                        case_id,
                        clock.day(followed_on),
                        rng.choice(("phone", "home_visit")),
                        texts.FOLLOW_UPS.pick(rng),
                        clock.day(next_due) if next_due else None,
                    ),
                )
                if next_due:
                    follow_up_due = next_due

        created = clock.at(opened, _minute(rng))
        last_change = max(days.values())
        add(
            "cases",
            (
                case_id,
                f"{site.code}-{year}-{sequence:04d}",
                site.id,
                year,
                sequence,
                person.id,
                domain,
                source,
                "high" if long_case else RISKS.pick(rng),
                status,
                summary,
                worker_id,
                tutor_id if (status != "intake" or rng.random() < 0.5) else None,
                clock.day(opened),
                clock.day(closed_on) if closed_on is not None else None,
                clock.day(plan_review_due) if plan_review_due is not None else None,
                clock.day(follow_up_due) if follow_up_due is not None else None,
                clock.day(last_service) if last_service is not None else None,
                created,
                clock.at(max(last_change, last_service or 0), _minute(rng)),
            ),
        )
        for category in sorted(set(rng.sample(problems, rng.choice((1, 1, 2))))):
            add("case_problems", (case_id, category))
        self._audit(
            opened,
            worker_id,
            "case.create",
            "cases",
            case_id,
            site.id,
            {"number": f"{site.code}-{year}-{sequence:04d}"},
        )
        if rng.random() < 0.2:
            viewed = rng.randint(opened, today)
            self._audit(viewed, worker_id, "case.view", "cases", case_id, site.id, None)
        if long_case:
            self.long_cases.append(case_id)
        return case_id, source

    def _service_record(self, case_id: int, worker_id: int, served_on: int) -> None:
        rng = self.rng
        form = FORMS.pick(rng)
        content = texts.OPENINGS[form].pick(rng) + texts.SITUATIONS.pick(rng)
        if rng.random() < 0.35:
            content += texts.SITUATIONS.pick(rng)
        content += texts.ACTIONS.pick(rng)
        if rng.random() < 0.5:
            content += texts.ACTIONS.pick(rng)
        content = content.rstrip("，") + "。"
        low, high = DURATIONS[form]
        at = self.clock.at(served_on, _minute(rng))
        self.w.add(
            "service_records",
            (
                self.w.next_id("service_records"),
                worker_id,
                at,
                at,
                case_id,
                self.clock.day(served_on),
                form,
                rng.randint(low, high),
                content,
                texts.RESPONSES.pick(rng),
                texts.NEXT_STEPS.pick(rng),
            ),
        )

    def _area_note(self, area: AssessmentArea) -> str:
        """Family and support are described; the other areas carry their rating only."""
        if area is AssessmentArea.FAMILY:
            return texts.FAMILY.pick(self.rng)
        if area is AssessmentArea.SOCIAL_SUPPORT:
            return texts.SUPPORT.pick(self.rng)
        return ""
