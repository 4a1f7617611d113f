"""The generator itself: the organisation tree, staff, people, casework, requests, groups.

Everything is drawn from one ``random.Random(seed)`` in a fixed order and every date is
counted from ``as_of``, so the same seed and day give the same rows. Cases move through the
lifecycle of ``casework.cases.lifecycle``: each case's status implies its transitions and
the records written on the way (intake, assessment, plan, service records, evaluation,
closure report, follow-ups), with dates that follow one another and never pass ``as_of``.
"""

from __future__ import annotations

from datetime import date

from casework.core.crypto import blind_index
from casework.generate import identity, names, places
from casework.generate.banks import Bank
from casework.generate.base import SPAN_DAYS, Person, Site, _minute, _weighted
from casework.generate.cases import CaseworkParts
from casework.generate.community import CommunityParts
from casework.generate.marker import marker_code
from casework.generate.tables import TABLES

# Jilin's code for residents born elsewhere in the province and beyond (GB/T 2260 prefixes).
_OTHER_REGIONS = ("220100", "220200", "230100", "210100", "150100", "370100")

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


class Generator(CaseworkParts, CommunityParts):
    # --- the whole run ------------------------------------------------------------------

    def run(self) -> None:
        for name, columns in TABLES.items():
            self.w.declare(name, columns)
        self._tree()
        total_weight = sum(site.weight for site in self.sites)
        for site in self.sites:
            share = site.weight / total_weight
            self._site(site, share)
            self.checkpoint()
        self.w.flush()

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
            cities = [(f"G{i + 1:02d}", places.JILIN[i]) for i in range(scale.cities)]
        else:
            cities = [("G01", places.JILIN[0])]
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
            streets = list(places.STREETS)
            communities = list(places.COMMUNITIES)
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
                f"{site.city}市{site.county}{places.ROADS.pick(self.rng)}"
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
            f"{site.city}市{site.county}{places.ROADS.pick(rng)}{rng.randint(1, 1999)}号"
            f"{places.COMPOUNDS.pick(rng)}{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元"
            f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
        )
        id_number = self.unique_id_number(rng, region, born, male) if has_id else None
        phone = identity.phone_number(rng) if rng.random() < 0.85 else None
        self.w.add(
            "service_users",
            (
                person_id,
                site.id,
                name,
                "male" if male else "female",
                born.isoformat(),
                self.sealed(id_number, "id_number"),
                self.sealed(phone, "phone"),
                self.sealed(address, "address"),
                blind_index(id_number, "id_number", self.key),
                blind_index(phone, "phone", self.key),
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
            relation = names.RELATIONSHIPS.pick(rng)
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
