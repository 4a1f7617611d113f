"""Demo data: a Changchun setting with one account per role, and their casework.

Loaded by ``flask casework seed-demo`` in demo mode only; the shared password
is public, so demo data never belongs in a production database.
"""

from __future__ import annotations

from casework.accounts import services as accounts
from casework.accounts.models import Role, User
from casework.demo_cases import seed_casework
from casework.demo_groups import seed_groups
from casework.demo_requests import seed_requests
from casework.demo_supervision import seed_supervision
from casework.demo_workforce import seed_workforce
from casework.orgs.models import Unit, UnitKind
from casework.orgs.services import create_unit

DEMO_PASSWORD = "casework-demo"
DEMO_USERNAMES = ("admin", "bureau", "tutor", "head1", "worker1", "worker2", "worker3")


def _units() -> dict[str, Unit]:
    city = create_unit(
        actor_id=None,
        code="CC",
        name="长春市民政局",
        kind=UnitKind.CITY_BUREAU,
        parent=None,
    )
    chongqing = create_unit(
        actor_id=None,
        code="CC-CQ",
        name="朝阳区重庆街道社会工作服务中心",
        kind=UnitKind.CENTRE,
        parent=city,
    )
    ziqiang = create_unit(
        actor_id=None,
        code="CC-ZQ",
        name="南关区自强街道社会工作服务中心",
        kind=UnitKind.CENTRE,
        parent=city,
    )
    station1 = create_unit(
        actor_id=None,
        code="CC-CQ-HX",
        name="湖西社区社会工作服务站",
        kind=UnitKind.STATION,
        parent=chongqing,
    )
    station2 = create_unit(
        actor_id=None,
        code="CC-CQ-XJ",
        name="西解放社区社会工作服务站",
        kind=UnitKind.STATION,
        parent=chongqing,
    )
    station3 = create_unit(
        actor_id=None,
        code="CC-ZQ-ZQ",
        name="自强社区社会工作服务站",
        kind=UnitKind.STATION,
        parent=ziqiang,
    )
    welfare_home = create_unit(
        actor_id=None,
        code="CC-FLY",
        name="长春市社会福利院",
        kind=UnitKind.INSTITUTION,
        parent=city,
    )
    return {
        "city": city,
        "centre1": chongqing,
        "station1": station1,
        "station2": station2,
        "station3": station3,
        "welfare_home": welfare_home,
    }


def seed() -> None:
    """Create the demo tree, accounts and casework; the caller commits."""
    units = _units()
    people: tuple[tuple[str, str, Role, Unit, list[Unit]], ...] = (
        ("admin", "系统管理员", Role.SYSADMIN, units["city"], []),
        ("bureau", "刘建国", Role.BUREAU_VIEWER, units["city"], []),
        ("tutor", "陈静", Role.TUTOR, units["centre1"], [units["station1"], units["station2"]]),
        ("head1", "李红梅", Role.STATION_HEAD, units["station1"], []),
        ("worker1", "王芳", Role.SOCIAL_WORKER, units["station1"], []),
        ("worker2", "张伟", Role.SOCIAL_WORKER, units["station1"], []),
        ("worker3", "赵丽", Role.SOCIAL_WORKER, units["station2"], []),
    )
    users: dict[str, User] = {}
    for username, name, role, unit, supervised in people:
        users[username] = accounts.create_user(
            actor=None,
            username=username,
            display_name=name,
            password=DEMO_PASSWORD,
            role=role,
            unit=unit,
            supervised_units=supervised,
        )
    seed_casework(units, users)
    seed_requests(units, users)
    seed_groups(units, users)
    seed_workforce(units, users)
    seed_supervision(units, users)
