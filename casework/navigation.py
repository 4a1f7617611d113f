"""The main menu, by role: one list that the layout renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user

from casework.accounts.models import Role, User
from casework.accounts.permissions import can_manage_users, casework_unit_ids
from casework.calendar.permissions import can_use_calendar
from casework.cases.permissions import (
    can_break_glass,
    can_manage_wording,
    can_open_case,
    can_read_audit_log,
)
from casework.cases.referrals import can_receive_referrals
from casework.cases.transfers import can_list_transfers
from casework.dashboards.permissions import (
    can_manage_displays,
    can_use_bureau_dashboard,
    can_use_station_dashboard,
    can_use_tutor_dashboard,
)
from casework.evidence.permissions import can_request_evidence_pack
from casework.hotline.views import can_view_connections
from casework.imports.permissions import can_import
from casework.merges.views import can_merge_people
from casework.notifications.services import unread_count
from casework.orgs.permissions import can_manage_units
from casework.orgs.reporting import can_view_statistics
from casework.people.file_requests import can_list_file_requests
from casework.people.households import can_list_households
from casework.people.permissions import can_manage_tags
from casework.pilot.permissions import can_view_own_pilot, can_view_pilot
from casework.projects.permissions import shows_projects_menu
from casework.retention.views import can_set_retention
from casework.rights.permissions import can_handle_rights
from casework.supervision.permissions import can_read_supervision
from casework.worker_reports.permissions import has_own_summary
from casework.workforce.permissions import (
    can_list_profiles,
    can_set_any_target,
    can_use_workforce,
    has_own_profile_link,
)


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: Any
    is_visible: Callable[[User], bool]
    section: Any = None  # None: on the bar itself; otherwise the dropdown it belongs to


def _works_with_cases(user: User) -> bool:
    return bool(casework_unit_ids(user))


# Menu entries name lists, so English uses plurals there ("Cases"), while a single record
# elsewhere keeps the singular ("Case"): the "list" context tells the two apart.
def _menu(text: str) -> Any:
    return lazy_pgettext("list", text)


CASEWORK = _l("个案工作")
GROUPS = _l("小组与社区")
OVERSIGHT = _l("督导与统计")
ADMIN = _l("系统管理")
WORKFORCE = _l("人才队伍")

MENU = (
    MenuItem("home.index", _l("首页"), lambda user: True),
    MenuItem("dashboards.tutor", _l("督导工作台"), can_use_tutor_dashboard),
    MenuItem("dashboards.station", _l("站务工作台"), can_use_station_dashboard),
    MenuItem("dashboards.bureau_dashboard", _l("数据看板"), can_use_bureau_dashboard),
    MenuItem("cases.mine", _l("我的个案"), can_open_case, CASEWORK),
    MenuItem("cases.index", _menu("个案"), _works_with_cases, CASEWORK),
    MenuItem("people.index", _menu("服务对象"), _works_with_cases, CASEWORK),
    MenuItem("people.households_index", _menu("户档"), can_list_households, CASEWORK),
    MenuItem("people.file_request_list", _menu("档案请求"), can_list_file_requests, CASEWORK),
    MenuItem("cases.transfer_list", _menu("个案转移"), can_list_transfers, CASEWORK),
    MenuItem("cases.inbound_referrals", _menu("转入的转介"), can_receive_referrals, CASEWORK),
    MenuItem("helpdesk.index", _menu("求助"), _works_with_cases, CASEWORK),
    MenuItem("rights.index", _menu("个人信息权利请求"), can_handle_rights, CASEWORK),
    MenuItem("groups.index", _menu("小组"), _works_with_cases, GROUPS),
    MenuItem("activities.index", _menu("社区活动"), _works_with_cases, GROUPS),
    MenuItem("volunteers.index", _menu("志愿者"), _works_with_cases, GROUPS),
    MenuItem("calendar.index", _l("日历"), can_use_calendar, GROUPS),
    MenuItem("supervision.index", _menu("督导记录"), can_read_supervision, OVERSIGHT),
    MenuItem("reports.index", _l("统计报表"), can_view_statistics, OVERSIGHT),
    MenuItem("workforce.statistics", _l("人才队伍统计"), can_view_statistics, OVERSIGHT),
    MenuItem("dashboards.display_tokens", _l("数据大屏"), can_manage_displays, OVERSIGHT),
    MenuItem("worker_reports.my_summary", _l("我的工作小结"), has_own_summary, WORKFORCE),
    MenuItem("evidence.index", _l("评估台账"), can_request_evidence_pack, OVERSIGHT),
    MenuItem("pilot.index", _l("试点工作"), can_view_pilot, OVERSIGHT),
    MenuItem("pilot.mine", _l("本单位试点"), can_view_own_pilot, OVERSIGHT),
    MenuItem("projects.index", _menu("服务项目"), shows_projects_menu, OVERSIGHT),
    MenuItem("workforce.my_profile", _l("我的档案"), has_own_profile_link, WORKFORCE),
    MenuItem("workforce.profiles", _menu("人员档案"), can_list_profiles, WORKFORCE),
    MenuItem("workforce.posts", _menu("社会工作岗位"), can_use_workforce, WORKFORCE),
    MenuItem("workforce.training", _menu("培训"), can_use_workforce, WORKFORCE),
    MenuItem("workforce.targets", _l("持证社工目标"), can_set_any_target, WORKFORCE),
    MenuItem("audit.index", _l("审计日志"), can_read_audit_log, ADMIN),
    MenuItem("accounts.users", _l("账号管理"), can_manage_users, ADMIN),
    MenuItem("imports.index", _l("批量导入"), can_import, ADMIN),
    MenuItem("orgs.index", _l("组织机构"), can_manage_units, ADMIN),
    MenuItem("people.tags", _l("特殊群体标签"), can_manage_tags, ADMIN),
    MenuItem("merges.index", _l("重复档案"), can_merge_people, ADMIN),
    MenuItem("hotline.index", _menu("派单系统"), can_view_connections, ADMIN),
    MenuItem("retention.policy", _l("保存期限"), can_set_retention, ADMIN),
    MenuItem("cases_wording.index", _l("用词提示词表"), can_manage_wording, ADMIN),
    MenuItem("cases.break_glass", _l("紧急查看个案"), can_break_glass, ADMIN),
)

__all__ = ["MENU", "MenuItem", "Role", "menu_for"]


def menu_for(user: User) -> list[MenuItem]:
    return [item for item in MENU if item.is_visible(user)]


@dataclass(frozen=True)
class MenuEntry:
    """One thing on the bar: a link, or a dropdown of links (when ``items`` is not empty)."""

    label: Any
    endpoint: str | None
    items: tuple[MenuItem, ...] = ()


def menu_bar(items: list[MenuItem]) -> list[MenuEntry]:
    """Group the visible items into the bar's links and dropdowns, in menu order."""
    entries: list[MenuEntry] = []
    for item in items:
        if item.section is None:
            entries.append(MenuEntry(item.label, item.endpoint))
            continue
        index = next((i for i, e in enumerate(entries) if e.label is item.section), None)
        if index is None:
            entries.append(MenuEntry(item.section, None, (item,)))
        else:
            entry = entries[index]
            entries[index] = MenuEntry(entry.label, None, (*entry.items, item))
    return entries


def register_menu(app: Flask) -> None:
    """Every page's menu: the items the signed-in user may use."""

    @app.context_processor
    def menu_context() -> dict[str, Any]:
        if not current_user.is_authenticated:
            return {"menu": [], "menu_bar": menu_bar([]), "unread_notifications": 0}
        menu = menu_for(current_user)
        return {
            "menu": menu,
            "menu_bar": menu_bar(menu),
            "unread_notifications": unread_count(current_user),
        }
