"""factory_boy factories that go through the services, so invariants hold."""

from __future__ import annotations

from typing import Any

import factory

from casework.accounts import services as accounts
from casework.accounts.models import Role, User
from casework.extensions import db
from casework.orgs.models import Unit, UnitKind
from casework.orgs.services import create_unit

PASSWORD = "correct-horse-battery"
# Hashing is slow on purpose; hash the shared test password once.
_PASSWORD_HASH = accounts.hash_password(PASSWORD)


class UnitFactory(factory.Factory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.CITY_BUREAU
    parent = None

    @classmethod
    def _create(cls, model_class: type[Unit], **kwargs: Any) -> Unit:
        unit = create_unit(actor_id=None, **kwargs)
        db.session.commit()
        return unit


class BureauFactory(UnitFactory):
    kind = UnitKind.CITY_BUREAU
    name = factory.Sequence(lambda n: f"测试市民政局{n}")


class CentreFactory(UnitFactory):
    kind = UnitKind.CENTRE
    name = factory.Sequence(lambda n: f"测试街道社会工作服务中心{n}")
    parent = factory.SubFactory(BureauFactory)


class StationFactory(UnitFactory):
    kind = UnitKind.STATION
    name = factory.Sequence(lambda n: f"测试社区社会工作服务站{n}")
    parent = factory.SubFactory(CentreFactory)


class UserFactory(factory.Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.SOCIAL_WORKER
    unit = factory.SubFactory(StationFactory)
    is_active = True

    @classmethod
    def _create(cls, model_class: type[User], **kwargs: Any) -> User:
        supervised = kwargs.pop("supervised_units", [])
        user = model_class(password_hash=_PASSWORD_HASH, **kwargs)
        user.supervised_units = list(supervised)
        db.session.add(user)
        db.session.commit()
        return user


class WorkerFactory(UserFactory):
    role = Role.SOCIAL_WORKER


class StationHeadFactory(UserFactory):
    role = Role.STATION_HEAD


class TutorFactory(UserFactory):
    role = Role.TUTOR


class BureauViewerFactory(UserFactory):
    role = Role.BUREAU_VIEWER
    unit = factory.SubFactory(BureauFactory)


class AdminFactory(UserFactory):
    role = Role.SYSADMIN
    unit = factory.SubFactory(BureauFactory)
