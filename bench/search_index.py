"""Measure the search index on generated data: ``python -m bench.search_index URL``.

Fills an EMPTY database (migrated here) with stations, service users, cases and service
records of synthetic Chinese text through bulk inserts, rebuilds the index, then times
each kind of query for one station's worker against a LIKE scan. Not used by the app.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select, true

from casework.accounts.models import Role, User
from casework.cases.enums import CaseSource, CaseStatus, RiskLevel, ServiceDomain, ServiceForm
from casework.cases.models import Case, ServiceRecord
from casework.cases.permissions import cases_visible_to
from casework.core.models import utcnow
from casework.extensions import db
from casework.orgs.models import Unit, UnitKind
from casework.people.models import Gender, ServiceUser
from casework.search.index import Section, rebuild
from casework.search.queries import search_people, search_section
from casework.search.tokens import ParsedQuery, parse_query

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰志强红梅海燕"
PHRASES = (
    "独居老人",
    "低保",
    "家暴",
    "子女在外地",
    "情绪低落",
    "摔倒后生活自理困难",
    "申请临时救助",
    "社区网格员陪同来访",
    "链接居家养老服务",
    "邻里纠纷",
    "就业困难",
    "心理疏导",
    "残疾人康复",
    "助餐服务",
    "电话回访",
    "家访了解情况",
    "服务对象表示满意",
    "两周后再次家访",
    "医疗费用负担重",
    "孩子沉迷网络",
    "社区矫正人员",
    "夫妻关系紧张",
    "与街道办事处沟通",
    "协助办理低保复核",
)
FILLER = "的了在和是有我他她们这个中大为上到说时要就出会可也你对生能而子那得于着下自之年过"


def _text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(4, 9)):
        parts.append(rng.choice(PHRASES))
        parts.append("".join(rng.choice(FILLER) for _ in range(rng.randint(2, 8))))
        parts.append(rng.choice("，。"))
    return "".join(parts)


def fill(stations: int, people: int, cases: int, records: int, seed: int = 7) -> None:
    rng = random.Random(seed)  # noqa: S311  (synthetic data, reproducible)
    bureau = Unit(code="M-B", name="测量民政局", kind=UnitKind.CITY_BUREAU, path="/")
    db.session.add(bureau)
    db.session.flush()
    units, workers = [], []
    for number in range(stations):
        unit = Unit(
            code=f"M-S{number:04d}", name=f"测量站{number}", kind=UnitKind.STATION, parent=bureau
        )
        db.session.add(unit)
        db.session.flush()
        unit.path = f"/{bureau.id}/{unit.id}/"
        worker = User(
            username=f"measure{number}",
            display_name=f"社工{number}",
            password_hash="!",  # noqa: S106  (no password: the account cannot log in)
            role=Role.SOCIAL_WORKER,
            unit=unit,
        )
        db.session.add(worker)
        units.append(unit)
        workers.append(worker)
    db.session.flush()
    now = utcnow()
    connection = db.session.connection()
    person_rows = [
        {
            "unit_id": units[n % stations].id,
            "name": rng.choice(SURNAMES)
            + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
            "gender": Gender.FEMALE,
            "id_number": f"220102{rng.randint(19400101, 20101228)}{rng.randint(1000, 9999)}",
            "phone": f"139{rng.randint(0, 99999999):08d}",
            "is_archived": False,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(people)
    ]
    connection.execute(insert(ServiceUser), person_rows)
    first_person = int(db.session.scalar(select(func.min(ServiceUser.id))) or 0)
    case_rows = []
    for n in range(cases):
        person_index = rng.randrange(people)
        unit = units[person_index % stations]
        case_rows.append(
            {
                "number": f"{unit.code}-2026-{n:06d}",
                "unit_id": unit.id,
                "year": 2026,
                "sequence": n,
                "service_user_id": first_person + person_index,
                "domain": ServiceDomain.SOCIAL_AID,
                "source": CaseSource.WALK_IN,
                "risk_level": RiskLevel.LOW,
                "status": CaseStatus.INTERVENTION,
                "summary": _text(rng)[:60],
                "worker_id": workers[person_index % stations].id,
                "opened_on": date(2026, 1, 1),
                "created_at": now,
                "updated_at": now,
            }
        )
    connection.execute(insert(Case), case_rows)
    first_case = int(db.session.scalar(select(func.min(Case.id))) or 0)
    batch = []
    for n in range(records):
        case_index = rng.randrange(cases)
        batch.append(
            {
                "case_id": first_case + case_index,
                "author_id": workers[0].id,
                "served_on": date(2026, 1, 1) + timedelta(days=n * 300 // records),
                "form": ServiceForm.HOME_VISIT,
                "duration_minutes": 30,
                "content": _text(rng),
                "response": "",
                "next_step": "",
                "created_at": now,
                "updated_at": now,
            }
        )
        if len(batch) == 10000:
            connection.execute(insert(ServiceRecord), batch)
            batch = []
    if batch:
        connection.execute(insert(ServiceRecord), batch)
    db.session.commit()


def _time(run: Callable[[], Any], repeat: int = 15) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--stations", type=int, default=100)
    parser.add_argument("--people", type=int, default=30000)
    parser.add_argument("--cases", type=int, default=50000)
    parser.add_argument("--records", type=int, default=150000)
    arguments = parser.parse_args()

    from flask_migrate import upgrade

    from casework import create_app

    app = create_app({"DATABASE_URL": arguments.url, "SECRET_KEY": "measure"})
    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count()).select_from(Unit)):
            raise SystemExit("the database is not empty")
        started = time.perf_counter()
        fill(arguments.stations, arguments.people, arguments.cases, arguments.records)
        print(f"filled in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        with db.engine.begin() as connection:
            documents = rebuild(connection)
        elapsed = time.perf_counter() - started
        print(f"rebuild: {documents} documents in {elapsed:.1f} s = {documents / elapsed:.0f}/s")
        worker = db.session.scalars(select(User).where(User.username == "measure0")).one()
        _report(worker)


def _report(worker: User) -> None:
    some = db.session.scalars(
        select(ServiceUser).where(ServiceUser.unit_id == worker.unit_id)
    ).first()
    if some is None:
        raise SystemExit("no service user in the first station")
    queries = {
        "2-char name": some.name[:2],
        "pinyin initials": "zw",
        "pinyin full": "zhangwei",
        "2-char phrase": "独居",
        "3-char phrase": "低保复",
        "ID fragment": (some.id_number or "12345678")[-6:],
    }
    for label, text in queries.items():
        query = parse_query(text)

        def people(query: ParsedQuery = query) -> object:
            return search_people(worker, query)

        def records(query: ParsedQuery = query) -> object:
            return search_section(worker, query, Section.RECORD, after=None, per_page=20)

        p50, p95 = _time(people)
        r50, r95 = _time(records)
        print(
            f"{label:16} people p50 {p50:6.1f} ms p95 {p95:6.1f} | "
            f"records page p50 {r50:6.1f} ms p95 {r95:6.1f}"
        )
    visible = cases_visible_to(worker).with_only_columns(Case.id)
    for label, scope in (("own unit", ServiceRecord.case_id.in_(visible)), ("all", true())):

        def first_page(scope: Any = scope) -> object:
            statement = select(ServiceRecord.id).where(scope, ServiceRecord.content.like("%独居%"))
            return db.session.scalars(statement.order_by(ServiceRecord.id.desc()).limit(20)).all()

        def full_scan(scope: Any = scope) -> object:
            statement = select(ServiceRecord.id).where(
                scope, ServiceRecord.content.like("%低保复%")
            )
            return db.session.scalars(statement).all()

        like, scan = _time(first_page, repeat=5)[0], _time(full_scan, repeat=5)[0]
        print(f"LIKE {label:8} first page p50 {like:6.1f} ms | full scan p50 {scan:6.1f} ms")


if __name__ == "__main__":
    main()
