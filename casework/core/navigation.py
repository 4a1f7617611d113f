"""The main menu, by role: one list that the layout renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from casework.accounts.models import Role, User
from casework.accounts.permissions import can_manage_users, casework_unit_ids
from casework.cases.permissions import can_break_glass, can_open_case, can_read_audit_log
from casework.groups.permissions import can_use_calendar
from casework.orgs.permissions import can_manage_units
from casework.people.permissions import can_manage_tags


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: Any
    is_visible: Callable[[User], bool]


def _works_with_cases(user: User) -> bool:
    return bool(casework_unit_ids(user))


MENU = (
    MenuItem("home.index", _l("首页"), lambda user: True),
    MenuItem("cases.mine", _l("我的个案"), can_open_case),
    MenuItem("cases.index", _l("个案"), _works_with_cases),
    MenuItem("people.index", _l("服务对象"), _works_with_cases),
    MenuItem("requests.index", _l("求助"), _works_with_cases),
    MenuItem("groups.index", _l("小组"), _works_with_cases),
    MenuItem("activities.index", _l("社区活动"), _works_with_cases),
    MenuItem("volunteers.index", _l("志愿者"), _works_with_cases),
    MenuItem("calendar.index", _l("日历"), can_use_calendar),
    MenuItem("audit.index", _l("审计日志"), can_read_audit_log),
    MenuItem("accounts.users", _l("账号管理"), can_manage_users),
    MenuItem("orgs.index", _l("组织机构"), can_manage_units),
    MenuItem("people.tags", _l("特殊群体标签"), can_manage_tags),
    MenuItem("cases.break_glass", _l("紧急查看个案"), can_break_glass),
)

__all__ = ["MENU", "MenuItem", "Role", "menu_for"]


def menu_for(user: User) -> list[MenuItem]:
    return [item for item in MENU if item.is_visible(user)]
