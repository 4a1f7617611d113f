"""Help requests from residents and groups with their sessions and attendance."""

from __future__ import annotations

from casework.core.crypto import blind_index
from casework.generate import identity, names, texts
from casework.generate.base import AGENCIES, GeneratorBase, Person, Site, _minute, _weighted

HELP_SPAN_DAYS = 3 * 365
CHANNELS = _weighted((("web", 50), ("hotline", 25), ("walk_in", 20), ("letter", 5)))
CATEGORIES = _weighted(
    (("livelihood", 40), ("health", 20), ("dispute", 18), ("education", 12), ("other", 10))
)
CONTACT = _weighted((("phone", 55), ("sms", 15), ("visit", 15), ("online_only", 15)))
GROUP_TYPES = tuple(texts.GROUP_THEMES)
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


class CommunityParts(GeneratorBase):
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
            name = names.SURNAMES.pick(rng) + names.FORMS_OF_ADDRESS.pick(rng)
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
                "answered": texts.REPLIES.pick(rng),
                "referred": "已转介至" + AGENCIES.pick(rng) + "，对方将与您联系。",
                "declined": "您反映的事项不属于社工站服务范围，建议向街道办事处咨询。",
                "converted": "社工已为您建立个案，将为您提供持续服务。",
            }[status]
            kind = "reply" if status == "answered" else status
            events.append((kind, worker_id, answered, body, True))
        # Drawn in the order the row lists them, so a seed gives the same data as ever.
        code = self._tracking_code()
        description = texts.HELP_DESCRIPTIONS[category].pick(rng)
        phone = identity.phone_number(rng) if rng.random() < 0.75 else None
        self.w.add(
            "help_requests",
            (
                request_id,
                code,
                site.id,
                channel,
                category,
                description,
                name,
                self.sealed(phone, "phone"),
                blind_index(phone, "phone", self.key),
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
            theme, type_label = texts.GROUP_THEMES[group_type]
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
                        texts.SESSION_TOPICS.pick(rng),
                        "热身游戏、主题分享、总结与布置任务。",
                        texts.SESSION_PROCESSES.pick(rng) if recorded else "",
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
