"""The generator itself: the organisation tree, staff, people, casework, requests, groups.

Everything is drawn from one ``random.Random(seed)`` in a fixed order and every date is
counted from ``as_of``, so the same seed and day give the same rows. Cases move through the
lifecycle of ``casework.cases.lifecycle``: each case's status implies its transitions and
the records written on the way (intake, assessment, plan, service records, evaluation,
closure report, follow-ups), with dates that follow one another and never pass ``as_of``.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from casework.cases.enums import AssessmentArea, NeedLevel
from casework.generate import banks, identity
from casework.generate.banks import Bank
from casework.generate.marker import marker_code
from casework.generate.scales import Scale
from casework.generate.writer import BulkWriter, Clock

# Jilin's code for residents born elsewhere in the province and beyond (GB/T 2260 prefixes).
_OTHER_REGIONS = ("220100", "220200", "230100", "210100", "150100", "370100")

# Generated assessments rate every area; most areas of most people need little.
NEED_LEVELS = (
    *(NeedLevel.NONE.value,) * 4,
    *(NeedLevel.MILD.value,) * 3,
    *(NeedLevel.MODERATE.value,) * 2,
    NeedLevel.SEVERE.value,
)

SPAN_DAYS = 6 * 365  # cases were opened over the last six years
HELP_SPAN_DAYS = 3 * 365

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


def _weighted(pairs: tuple[tuple[str, float], ...]) -> Bank:
    return Bank([item for item, _ in pairs], [weight for _, weight in pairs])


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
# The mean of RECORDS_BY_STATUS over the status mix STATUS_BY_AGE gives (measured).
_BASE_RECORDS_PER_CASE = 3.3

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
TAGS = _weighted(
    (
        ("低保", 30),
        ("独居/孤寡老人", 18),
        ("残疾", 16),
        ("空巢老人", 12),
        ("低收入", 10),
        ("特困", 6),
        ("留守儿童", 5),
        ("困境儿童", 4),
        ("刑满释放", 3),
        ("社区矫正对象", 2),
        ("家庭暴力受害者", 3),
        ("网瘾青少年", 2),
    )
)
NOTES = Bank(
    [
        "独居，患有高血压，行动较慢。",
        "低保户，儿子在外地打工。",
        "肢体残疾二级，使用轮椅。",
        "空巢老人，老伴去年去世。",
        "家庭暴力受害者，已申请人身安全保护令。",
        "刑满释放人员，正在找工作。",
        "留守儿童，由奶奶照顾。",
        "患有抑郁症，按时服药。",
    ]
)
CHANNELS = _weighted((("web", 50), ("hotline", 25), ("walk_in", 20), ("letter", 5)))
CATEGORIES = _weighted(
    (("livelihood", 40), ("health", 20), ("dispute", 18), ("education", 12), ("other", 10))
)
CONTACT = _weighted((("phone", 55), ("sms", 15), ("visit", 15), ("online_only", 15)))
AGENCIES = Bank(
    ["区法律援助中心", "区妇联", "精神卫生中心", "区残联", "街道劳动保障所", "区救助站"]
)
GROUP_TYPES = tuple(banks.GROUP_THEMES)
GROUP_DOMAINS = {
    "mediation": "community_correction",
    "culture_sports": "community_service",
    "hardship_relief": "social_aid",
    "environment": "community_service",
    "health_counselling": "community_health",
    "therapeutic": "community_health",
    "support": "social_aid",
    "education": "community_education",
    "recreation": "community_service",
    "mutual_aid": "social_aid",
}
ATTENDANCE = _weighted((("present", 80), ("absent", 12), ("excused", 8)))
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass
class Site:
    """A unit where casework happens (a station or a welfare home) and its staff."""

    id: int
    code: str
    name: str
    kind: str
    city: str
    county: str
    region: str
    weight: float
    head_id: int = 0
    workers: list[tuple[int, str]] = field(default_factory=list)
    tutor_id: int = 0


@dataclass
class Person:
    id: int
    male: bool
    first_day: int  # the ordinal of the day the person was registered


def _minute(rng: random.Random) -> int:
    """A working-day minute in UTC: 08:30–17:30 in Beijing."""
    return rng.randint(30, 570)


class Generator:
    def __init__(
        self,
        writer: BulkWriter,
        scale: Scale,
        *,
        seed: int,
        as_of: date,
        password_hash: str,
        tag_ids: dict[str, int],
        checkpoint: Callable[[], None] | None = None,
    ) -> None:
        self.w = writer
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311  (reproducible test data, not secrets)
        self.clock = Clock(writer.dialect)
        self.today = as_of.toordinal()
        self.password_hash = password_hash
        self.tag_ids = tag_ids
        self.checkpoint = checkpoint or (lambda: None)
        self.sites: list[Site] = []
        self._codes: set[str] = set()
        self.long_cases: list[int] = []
        self._records_factor = (scale.service_records / scale.cases) / _BASE_RECORDS_PER_CASE

    # --- the whole run ------------------------------------------------------------------

    def run(self) -> None:
        self._declare()
        self._tree()
        total_weight = sum(site.weight for site in self.sites)
        for site in self.sites:
            share = site.weight / total_weight
            self._site(site, share)
            self.checkpoint()
        self.w.flush()

    def _declare(self) -> None:
        stamp = ("created_at", "updated_at")
        record = ("id", "author_id", *stamp, "case_id")
        tables: dict[str, tuple[str, ...]] = {
            "units": ("id", "code", "name", "kind", "parent_id", "path", "is_active", *stamp),
            "users": (
                "id",
                "username",
                "display_name",
                "password_hash",
                "role",
                "unit_id",
                "is_active",
                "session_version",
                *stamp,
            ),
            "tutor_units": ("user_id", "unit_id"),
            "station_profiles": (
                "unit_id",
                "opening_hours",
                "hotline",
                "address",
                "services",
                "acknowledge_within_days",
                "answer_within_days",
                "updated_by_id",
                *stamp,
            ),
            "service_users": (
                "id",
                "unit_id",
                "name",
                "gender",
                "birth_date",
                "id_number",
                "phone",
                "address",
                "notes",
                "consent_given_on",
                "consent_basis",
                "consent_recorded_by_id",
                "created_by_id",
                "is_archived",
                *stamp,
            ),
            "service_user_tags": ("service_user_id", "tag_id"),
            "household_members": (
                "id",
                "service_user_id",
                "name",
                "relationship_to_user",
                "birth_year",
                "lives_together",
                *stamp,
            ),
            "case_number_counters": ("unit_id", "year", "last_sequence"),
            "cases": (
                "id",
                "number",
                "unit_id",
                "year",
                "sequence",
                "service_user_id",
                "domain",
                "source",
                "risk_level",
                "status",
                "summary",
                "worker_id",
                "tutor_id",
                "opened_on",
                "closed_on",
                "plan_review_due",
                "follow_up_due",
                "last_service_on",
                *stamp,
            ),
            "case_problems": ("case_id", "category"),
            "case_transitions": (
                "id",
                "case_id",
                "action",
                "from_status",
                "to_status",
                "actor_id",
                "at",
                "reason",
            ),
            "intake_records": (
                *record,
                "presenting_problem",
                "arrival",
                "first_judgement",
                "agreement_signed",
                "agreement_signed_on",
            ),
            "assessments": (
                *record,
                "needs",
                "strengths",
                "risks",
                "summary",
                *(f"{area.value}_level" for area in AssessmentArea),
                *(f"{area.value}_note" for area in AssessmentArea),
            ),
            "service_plans": (
                *record,
                "version",
                "status",
                "overall_goal",
                "review_due",
                "submitted_at",
                "decided_at",
                "decided_by_id",
            ),
            "plan_goals": (
                "id",
                "plan_id",
                "position",
                "description",
                "indicator",
                "actions",
                "responsible",
                "due_on",
            ),
            "service_records": (
                *record,
                "served_on",
                "form",
                "duration_minutes",
                "content",
                "response",
                "next_step",
            ),
            "referrals": (
                *record,
                "referred_on",
                "to_agency",
                "reason",
                "outcome",
                "outcome_note",
                "outcome_on",
            ),
            "evaluations": (*record, "is_superseded", "client_view", "satisfaction", "summary"),
            "goal_results": ("id", "evaluation_id", "goal_id", "attainment", "note"),
            "closure_reports": (
                *record,
                "is_superseded",
                "closure_type",
                "summary",
                "follow_up_plan",
                "follow_up_due",
            ),
            "follow_ups": (*record, "followed_on", "form", "content", "next_due"),
            "help_requests": (
                "id",
                "tracking_code",
                "unit_id",
                "channel",
                "category",
                "description",
                "name",
                "phone",
                "contact_preference",
                "consent_at",
                "status",
                "submitted_at",
                "acknowledged_at",
                "answered_at",
                "assigned_to_id",
                "logged_by_id",
                "case_id",
                "referral_agency",
                *stamp,
            ),
            "help_request_events": (
                "id",
                "request_id",
                "kind",
                "actor_id",
                "at",
                "body",
                "is_public",
            ),
            "groups": (
                "id",
                "unit_id",
                "name",
                "group_type",
                "domain",
                "facilitator_id",
                "tutor_id",
                "status",
                "stage",
                "purpose",
                "goals",
                "target_members",
                "rationale",
                "session_plan",
                "planned_sessions",
                "recruitment_from",
                "recruitment_until",
                "measure_name",
                "measure_max",
                "plan_decided_at",
                "plan_decided_by_id",
                "summary",
                "outcomes",
                "started_on",
                "closed_on",
                *stamp,
            ),
            "group_transitions": (
                "id",
                "group_id",
                "action",
                "from_status",
                "to_status",
                "stage",
                "actor_id",
                "at",
                "reason",
            ),
            "group_members": (
                "id",
                "group_id",
                "service_user_id",
                "joined_on",
                "pre_score",
                "post_score",
                *stamp,
            ),
            "group_sessions": (
                "id",
                "group_id",
                "number",
                "starts_at",
                "duration_minutes",
                "place",
                "topic",
                "planned_content",
                "process",
                "observations",
                "goal_progress",
                "recorded_by_id",
                "recorded_at",
                "tutor_comment",
                *stamp,
            ),
            "attendance": ("id", "session_id", "member_id", "status"),
            "audit_entries": (
                "id",
                "at",
                "actor_id",
                "action",
                "object_type",
                "object_id",
                "unit_id",
                "details",
            ),
        }
        for name, columns in tables.items():
            self.w.declare(name, columns)

    # --- organisation tree and staff ----------------------------------------------------

    def _unit(
        self, code: str, name: str, kind: str, parent: tuple[int, str] | None
    ) -> tuple[int, str]:
        """Add a unit; returns (id, path)."""
        unit_id = self.w.next_id("units")
        path = f"{parent[1] if parent else '/'}{unit_id}/"
        stamp = self.clock.at(self.today - SPAN_DAYS - 30, 60)
        self.w.add(
            "units",
            (unit_id, code, name, kind, parent[0] if parent else None, path, True, stamp, stamp),
        )
        return unit_id, path

    def _user(self, username: str, name: str, role: str, unit_id: int) -> int:
        user_id = self.w.next_id("users")
        stamp = self.clock.at(self.today - SPAN_DAYS - 20, 60)
        self.w.add(
            "users",
            (user_id, username, name, self.password_hash, role, unit_id, True, 1, stamp, stamp),
        )
        return user_id

    def _staff_name(self) -> str:
        male = self.rng.random() < 0.3  # most social workers are women
        return identity.person_name(self.rng, male, 1985)

    def _tree(self) -> None:
        rng = self.rng
        scale = self.scale
        root_code = marker_code(scale.name, self.seed)
        root: tuple[int, str] | None = None
        if scale.cities:
            root = self._unit(root_code, "吉林省民政厅", "province_bureau", None)
            self._user("gen-admin", "系统管理员", "sysadmin", root[0])
            self._user("bureau-root", self._staff_name(), "bureau_viewer", root[0])
            cities = [(f"G{i + 1:02d}", banks.JILIN[i]) for i in range(scale.cities)]
        else:
            cities = [("G01", banks.JILIN[0])]
        for city_code, (city, bureau_name, counties) in cities:
            if root is None:
                # One city: its bureau is the root and carries the marker.
                city_unit = self._unit(root_code, bureau_name, "city_bureau", None)
                self._user("gen-admin", "系统管理员", "sysadmin", city_unit[0])
                self._user("bureau-root", self._staff_name(), "bureau_viewer", city_unit[0])
            else:
                city_unit = self._unit(city_code, bureau_name, "city_bureau", root)
                self._user(
                    f"bureau-{city_code.lower()}", self._staff_name(), "bureau_viewer", city_unit[0]
                )
            streets = list(banks.STREETS)
            communities = list(banks.COMMUNITIES)
            for d_index, (region, county_name) in enumerate(counties[: scale.counties_per_city]):
                county_code = f"{city_code}{d_index + 1:02d}"
                county = self._unit(county_code, f"{county_name}民政局", "county_bureau", city_unit)
                rng.shuffle(streets)
                for j_index in range(scale.centres_per_county):
                    street = streets[j_index % len(streets)]
                    centre_code = f"{county_code}-{j_index + 1:02d}"
                    centre = self._unit(
                        centre_code,
                        f"{county_name}{street}街道社会工作服务中心",
                        "centre",
                        county,
                    )
                    tutor_id = self._user(
                        f"tutor-{centre_code.lower()}", self._staff_name(), "tutor", centre[0]
                    )
                    rng.shuffle(communities)
                    for s_index in range(scale.stations_per_centre):
                        community = communities[s_index % len(communities)]
                        code = f"{centre_code}-{s_index + 1:02d}"
                        name = f"{community}社区社会工作服务站"
                        station = self._unit(code, name, "station", centre)
                        site = Site(
                            id=station[0],
                            code=code,
                            name=name,
                            kind="station",
                            city=city,
                            county=county_name,
                            region=region,
                            weight=rng.uniform(0.5, 1.5),
                            tutor_id=tutor_id,
                        )
                        self._staff(site)
                        self.w.add("tutor_units", (tutor_id, station[0]))
                        self.sites.append(site)
            if scale.institutions:
                code = f"{city_code}-FLY"
                home = self._unit(code, f"{city}市社会福利院", "institution", city_unit)
                site = Site(
                    id=home[0],
                    code=code,
                    name=f"{city}市社会福利院",
                    kind="institution",
                    city=city,
                    county=counties[0][1],
                    region=counties[0][0],
                    weight=rng.uniform(1.0, 2.0),
                )
                self._staff(site)
                site.tutor_id = self._user(
                    f"tutor-{code.lower()}", self._staff_name(), "tutor", home[0]
                )
                self.w.add("tutor_units", (site.tutor_id, home[0]))
                self.sites.append(site)

    def _staff(self, site: Site) -> None:
        lower = site.code.lower()
        site.head_id = self._user(f"head-{lower}", self._staff_name(), "station_head", site.id)
        workers = 3 + int(site.weight * 2)
        for k in range(1, workers + 1):
            name = self._staff_name()
            site.workers.append(
                (self._user(f"worker-{lower}-{k}", name, "social_worker", site.id), name)
            )
        stamp = self.clock.at(self.today - SPAN_DAYS, 60)
        self.w.add(
            "station_profiles",
            (
                site.id,
                "周一至周五 8:30-11:30，13:30-17:00",
                identity.landline(self.rng),
                f"{site.city}市{site.county}{banks.ROADS.pick(self.rng)}"
                f"{self.rng.randint(1, 999)}号",
                "个案辅导、小组活动、社区活动、困难群众帮扶、心理疏导、政策咨询",
                1,
                5,
                site.head_id,
                stamp,
                stamp,
            ),
        )

    # --- one site: its people, cases, requests and groups --------------------------------

    def _quota(self, total: int, share: float) -> int:
        expected = total * share
        whole = int(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)

    def _site(self, site: Site, share: float) -> None:
        rng = self.rng
        today = self.today
        n_users = max(2, self._quota(self.scale.service_users, share))
        n_cases = max(2, self._quota(self.scale.cases, share))
        # (opened day, person index, worker index, long case?)
        specs: list[tuple[int, int, int, bool]] = [
            (today - rng.randint(420, 520), 0, 0, True)  # one long case per site: ≥ 50 records
        ]
        for _ in range(n_cases - 1):
            age = int((rng.random() ** 1.5) * SPAN_DAYS)
            specs.append(
                (today - age, rng.randrange(n_users), rng.randrange(len(site.workers)), False)
            )
        specs.sort()
        first_day: dict[int, int] = {}
        for opened, person, _worker, _long in specs:
            if person not in first_day:
                first_day[person] = opened
        people = [self._person(site, first_day.get(index)) for index in range(n_users)]
        web_cases: list[tuple[int, int]] = []
        sequences: dict[int, int] = {}
        for opened, person, worker, long_case in specs:
            year = date.fromordinal(opened).year
            sequences[year] = sequences.get(year, 0) + 1
            case_id, source = self._case(
                site, people[person], site.workers[worker], opened, year, sequences[year], long_case
            )
            if source == "web":
                web_cases.append((case_id, opened))
        for year, last in sorted(sequences.items()):
            self.w.add("case_number_counters", (site.id, year, last))
        self._help_requests(site, self._quota(self.scale.help_requests, share), web_cases)
        self._groups(site, people)

    def _person(self, site: Site, first_case: int | None) -> Person:
        rng = self.rng
        clock = self.clock
        person_id = self.w.next_id("service_users")
        male = rng.random() < 0.45
        band = rng.random()
        age = (
            rng.randint(60, 92)
            if band < 0.38
            else rng.randint(25, 59)
            if band < 0.8
            else rng.randint(6, 24)
        )
        registered = (first_case or self.today - rng.randint(0, SPAN_DAYS)) - rng.randint(0, 20)
        born = date.fromordinal(self.today - age * 365 - rng.randint(0, 364))
        region = site.region if rng.random() < 0.8 else rng.choice(_OTHER_REGIONS)
        name = identity.person_name(rng, male, born.year)
        worker_id = site.workers[rng.randrange(len(site.workers))][0]
        has_id = rng.random() < 0.93
        consent = rng.random() < 0.9
        stamp = clock.at(registered, _minute(rng))
        address = (
            f"{site.city}市{site.county}{banks.ROADS.pick(rng)}{rng.randint(1, 1999)}号"
            f"{banks.COMPOUNDS.pick(rng)}{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元"
            f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
        )
        self.w.add(
            "service_users",
            (
                person_id,
                site.id,
                name,
                "male" if male else "female",
                born.isoformat(),
                identity.id_number(rng, region, born, male) if has_id else None,
                identity.phone_number(rng) if rng.random() < 0.85 else None,
                address,
                NOTES.pick(rng) if rng.random() < 0.35 else None,
                clock.day(registered) if consent else None,
                ("written" if rng.random() < 0.8 else "oral_recorded") if consent else None,
                worker_id if consent else None,
                worker_id,
                False,
                stamp,
                stamp,
            ),
        )
        tags: set[str] = set()
        for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
            tags.add(TAGS.pick(rng))
        for tag in sorted(tags):
            tag_id = self.tag_ids.get(tag)
            if tag_id is not None:
                self.w.add("service_user_tags", (person_id, tag_id))
        if rng.random() < 0.5:
            relation = banks.RELATIONSHIPS.pick(rng)
            member_male = relation in ("儿子", "父亲", "孙子", "女婿")
            year = born.year + rng.randint(-5, 35)
            self.w.add(
                "household_members",
                (
                    self.w.next_id("household_members"),
                    person_id,
                    identity.person_name(rng, member_male, year),
                    relation,
                    year,
                    rng.random() < 0.6,
                    stamp,
                    stamp,
                ),
            )
        self._audit(
            registered, worker_id, "service_user.create", "service_users", person_id, site.id, None
        )
        return Person(id=person_id, male=male, first_day=registered)

    def _audit(
        self,
        day: int,
        actor_id: int | None,
        action: str,
        object_type: str,
        object_id: int,
        unit_id: int,
        details: dict[str, str] | None,
    ) -> None:
        self.w.add(
            "audit_entries",
            (
                self.w.next_id("audit_entries"),
                self.clock.at(day, _minute(self.rng)),
                actor_id,
                action,
                object_type,
                object_id,
                unit_id,
                json.dumps(details or {}),
            ),
        )

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
            summary = banks.SUMMARIES["institutional"].pick(rng)
        else:
            domain = COMMUNITY_DOMAINS.pick(rng)
            problems = PROBLEMS[domain]
            summary = banks.SUMMARIES[domain].pick(rng)
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
                    banks.PRESENTING.pick(rng),
                    banks.ARRIVALS.pick(rng),
                    banks.JUDGEMENTS.pick(rng),
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
                    banks.NEEDS.pick(rng),
                    banks.STRENGTHS.pick(rng),
                    banks.RISKS.pick(rng),
                    banks.PRESENTING.pick(rng),
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
                    banks.GOALS.pick(rng),
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
                        banks.GOALS.pick(rng),
                        banks.INDICATORS.pick(rng),
                        banks.ACTIONS.pick(rng).rstrip("，"),
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
                    banks.CLIENT_VIEWS.pick(rng),
                    rng.choice((3, 4, 4, 5, 5, 5)),
                    banks.CLOSURE_SUMMARIES.pick(rng),
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
                    banks.CLOSURE_SUMMARIES.pick(rng),
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
                        banks.FOLLOW_UPS.pick(rng),
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
        content = banks.OPENINGS[form].pick(rng) + banks.SITUATIONS.pick(rng)
        if rng.random() < 0.35:
            content += banks.SITUATIONS.pick(rng)
        content += banks.ACTIONS.pick(rng)
        if rng.random() < 0.5:
            content += banks.ACTIONS.pick(rng)
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
                banks.RESPONSES.pick(rng),
                banks.NEXT_STEPS.pick(rng),
            ),
        )

    def _area_note(self, area: AssessmentArea) -> str:
        """Family and support are described; the other areas carry their rating only."""
        if area is AssessmentArea.FAMILY:
            return banks.FAMILY.pick(self.rng)
        if area is AssessmentArea.SOCIAL_SUPPORT:
            return banks.SUPPORT.pick(self.rng)
        return ""

    # --- help requests ------------------------------------------------------------------

    def _tracking_code(self) -> str:
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(12))
            if code not in self._codes:
                self._codes.add(code)
                return code

    def _help_requests(self, site: Site, count: int, web_cases: list[tuple[int, int]]) -> None:
        rng = self.rng
        converted = web_cases[: min(len(web_cases), int(count * 0.15))]
        for index in range(count):
            if index < len(converted):
                case_id, opened = converted[index]
                submitted = opened - rng.randint(0, 3)
                self._help_request(site, submitted, "web", "converted", case_id)
                continue
            age = int((rng.random() ** 1.3) * HELP_SPAN_DAYS)
            channel = CHANNELS.pick(rng)
            if age < 3:
                status = rng.choice(("new", "new", "acknowledged"))
            elif age < 14:
                status = rng.choice(("acknowledged", "in_progress", "answered", "answered"))
            else:
                roll = rng.random()
                status = (
                    "answered"
                    if roll < 0.7
                    else "referred"
                    if roll < 0.85
                    else "declined"
                    if roll < 0.93
                    else "in_progress"
                )
            self._help_request(site, self.today - age, channel, status, None)

    def _help_request(
        self, site: Site, submitted: int, channel: str, status: str, case_id: int | None
    ) -> None:
        rng = self.rng
        clock = self.clock
        request_id = self.w.next_id("help_requests")
        category = CATEGORIES.pick(rng)
        worker_id = site.workers[rng.randrange(len(site.workers))][0]
        web = channel == "web"
        name = None
        if not web or rng.random() < 0.6:
            name = banks.SURNAMES.pick(rng) + banks.FORMS_OF_ADDRESS.pick(rng)
        minute = _minute(rng)
        submitted_at = clock.at(submitted, minute)
        events: list[tuple[str, int | None, int, str, bool]] = [
            ("submitted" if web else "logged", None if web else worker_id, submitted, "", True)
        ]
        acknowledged = answered = None
        if status != "new":
            acknowledged = min(self.today, submitted + rng.randint(0, 1))
            events.append(("acknowledged", site.head_id, acknowledged, "", True))
        assigned = status in ("in_progress", "answered", "converted", "referred")
        if assigned and acknowledged is not None:
            events.append(("assigned", site.head_id, acknowledged, "", False))
            events.append(("started", worker_id, acknowledged, "", False))
        if status in ("answered", "referred", "declined", "converted") and acknowledged is not None:
            answered = min(self.today, acknowledged + rng.randint(0, 4))
            body = {
                "answered": banks.REPLIES.pick(rng),
                "referred": "已转介至" + AGENCIES.pick(rng) + "，对方将与您联系。",
                "declined": "您反映的事项不属于社工站服务范围，建议向街道办事处咨询。",
                "converted": "社工已为您建立个案，将为您提供持续服务。",
            }[status]
            kind = "reply" if status == "answered" else status
            events.append((kind, worker_id, answered, body, True))
        self.w.add(
            "help_requests",
            (
                request_id,
                self._tracking_code(),
                site.id,
                channel,
                category,
                banks.HELP_DESCRIPTIONS[category].pick(rng),
                name,
                identity.phone_number(rng) if rng.random() < 0.75 else None,
                CONTACT.pick(rng) if web else "phone",
                submitted_at if web or rng.random() < 0.7 else None,
                status,
                submitted_at,
                clock.at(acknowledged, minute + 30) if acknowledged is not None else None,
                clock.at(answered, minute + 60) if answered is not None else None,
                worker_id if assigned else None,
                None if web else worker_id,
                case_id,
                AGENCIES.pick(rng) if status == "referred" else None,
                submitted_at,
                clock.at(answered or acknowledged or submitted, minute + 60),
            ),
        )
        for offset, (kind, actor, day, body, public) in enumerate(events):
            self.w.add(
                "help_request_events",
                (
                    self.w.next_id("help_request_events"),
                    request_id,
                    kind,
                    actor,
                    clock.at(day, minute + offset * 10),
                    body,
                    public,
                ),
            )
        if web:
            self._audit(
                submitted,
                None,
                "help_request.submit",
                "help_requests",
                request_id,
                site.id,
                {"channel": "web"},
            )

    # --- groups -------------------------------------------------------------------------

    def _groups(self, site: Site, people: list[Person]) -> None:
        rng = self.rng
        clock = self.clock
        count = int(self.scale.groups_per_unit * rng.uniform(0.5, 1.5) + 0.5)
        for _ in range(count):
            group_id = self.w.next_id("groups")
            group_type = GROUP_TYPES[rng.randrange(len(GROUP_TYPES))]
            theme, type_label = banks.GROUP_THEMES[group_type]
            facilitator = site.workers[rng.randrange(len(site.workers))][0]
            planned = rng.randint(6, 8)
            start = self.today - rng.randint(-20, 700)
            created = start - rng.randint(20, 40)
            end = start + (planned - 1) * 7
            if start > self.today:
                status = rng.choice(("planning", "plan_pending_approval"))
            elif end > self.today:
                status = "running"
            elif end > self.today - 14:
                status = rng.choice(("running", "closure_pending_approval"))
            else:
                status = "closed"
            held = 0 if status in ("planning", "plan_pending_approval") else planned
            if status == "running":
                held = min(planned, (self.today - start) // 7 + 1)
            stage = {
                "planning": "preparation",
                "plan_pending_approval": "preparation",
                "closure_pending_approval": "ending",
                "closed": "ending",
            }.get(status) or (
                "formation" if held <= 2 else "transition" if held <= 4 else "maturity"
            )
            approved = start - rng.randint(3, 10) if held or status == "running" else None
            closed = end + rng.randint(3, 10) if status == "closed" else None
            if closed is not None and closed > self.today:
                closed = self.today
            stamp = clock.at(created, _minute(rng))
            self.w.add(
                "groups",
                (
                    group_id,
                    site.id,
                    f"{site.name.removesuffix('社会工作服务站')}{theme}{type_label}",
                    group_type,
                    GROUP_DOMAINS[group_type],
                    facilitator,
                    site.tutor_id,
                    status,
                    stage,
                    f"通过{theme}活动，增强组员的社会支持。",
                    "1. 组员相互认识并建立信任；2. 组员掌握至少一种应对方法；3. 组员之间形成互助。",
                    f"{site.name.removesuffix('社会工作服务站')}社区有相关需要的居民8至12人。",
                    "",
                    "",
                    planned,
                    clock.day(created),
                    clock.day(start - 1),
                    "社会支持量表",
                    10,
                    clock.at(approved, 120) if approved else None,
                    site.tutor_id if approved else None,
                    "小组按计划完成，组员反馈良好。" if status == "closed" else "",
                    "组员社会支持得分普遍提高。" if status == "closed" else "",
                    clock.day(start) if approved else None,
                    clock.day(closed) if closed else None,
                    stamp,
                    stamp,
                ),
            )
            transitions: list[tuple[str, str | None, str, str, int, int]] = [
                ("create", None, "planning", "preparation", facilitator, created)
            ]
            if status != "planning":
                transitions.append(
                    (
                        "submit_plan",
                        "planning",
                        "plan_pending_approval",
                        "preparation",
                        facilitator,
                        created + 1,
                    )
                )
            if approved:
                transitions.append(
                    (
                        "approve_plan",
                        "plan_pending_approval",
                        "running",
                        "preparation",
                        site.tutor_id,
                        approved,
                    )
                )
            if status in ("closure_pending_approval", "closed"):
                transitions.append(
                    (
                        "request_closure",
                        "running",
                        "closure_pending_approval",
                        "ending",
                        facilitator,
                        end + 1,
                    )
                )
            if closed:
                transitions.append(
                    (
                        "approve_closure",
                        "closure_pending_approval",
                        "closed",
                        "ending",
                        site.tutor_id,
                        closed,
                    )
                )
            for action, from_status, to_status, at_stage, actor, day in transitions:
                self.w.add(
                    "group_transitions",
                    (
                        self.w.next_id("group_transitions"),
                        group_id,
                        action,
                        from_status,
                        to_status,
                        at_stage,
                        actor,
                        clock.at(min(day, self.today), _minute(rng)),
                        None,
                    ),
                )
            size = min(len(people), rng.randint(6, 12))
            members: list[int] = []
            for person in rng.sample(people, size):
                member_id = self.w.next_id("group_members")
                members.append(member_id)
                pre = rng.randint(2, 6)
                self.w.add(
                    "group_members",
                    (
                        member_id,
                        group_id,
                        person.id,
                        clock.day(min(self.today, created + rng.randint(1, 15))),
                        pre if held else None,
                        min(10, pre + rng.randint(0, 4)) if status == "closed" else None,
                        stamp,
                        stamp,
                    ),
                )
            for number in range(1, planned + 1):
                session_id = self.w.next_id("group_sessions")
                day = start + (number - 1) * 7
                recorded = number <= held and day <= self.today
                session_stamp = clock.at(min(day, self.today), 60)
                self.w.add(
                    "group_sessions",
                    (
                        session_id,
                        group_id,
                        number,
                        clock.at(day, 360),
                        90,
                        f"{site.name.removesuffix('社会工作服务站')}社区活动室",
                        banks.SESSION_TOPICS.pick(rng),
                        "热身游戏、主题分享、总结与布置任务。",
                        banks.SESSION_PROCESSES.pick(rng) if recorded else "",
                        "组员参与积极，气氛融洽。" if recorded else "",
                        "基本达成本节目标。" if recorded else "",
                        facilitator if recorded else None,
                        clock.at(day, 480) if recorded else None,
                        "",
                        session_stamp,
                        session_stamp,
                    ),
                )
                if recorded:
                    for member_id in members:
                        self.w.add(
                            "attendance",
                            (
                                self.w.next_id("attendance"),
                                session_id,
                                member_id,
                                ATTENDANCE.pick(rng),
                            ),
                        )
