"""The main menu, by role: one list that the layout renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from casework.accounts.models import User
from casework.accounts.permissions import can_manage_users
from casework.orgs.permissions import can_manage_units


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: Any
    is_visible: Any  # Callable[[User], bool]


MENU = (
    MenuItem("home.index", _l("首页"), lambda user: True),
    MenuItem("accounts.users", _l("账号管理"), can_manage_users),
    MenuItem("orgs.index", _l("组织机构"), can_manage_units),
)


def menu_for(user: User) -> list[MenuItem]:
    return [item for item in MENU if item.is_visible(user)]
