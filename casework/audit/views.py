"""Reading the audit log: administrators see everything, station heads their unit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from casework.accounts.models import Role, User
from casework.activities.models import CommunityActivity
from casework.activities.permissions import activities_visible_to
from casework.cases import lifecycle as case_lifecycle
from casework.cases.models import Case
from casework.cases.permissions import can_read_audit_log, cases_visible_to
from casework.core.audit import AuditEntry
from casework.core.disclosure import AuditDisclosure
from casework.core.i18n import short_date, with_note
from casework.core.inputs import db_int
from casework.core.pagination import keyset_paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.groups import lifecycle as group_lifecycle
from casework.groups.models import Group
from casework.groups.permissions import groups_visible_to
from casework.helpdesk.models import HelpRequest
from casework.helpdesk.permissions import requests_visible_to
from casework.orgs.models import Unit
from casework.people.models import ServiceUser
from casework.people.permissions import people_visible_to
from casework.supervision.models import SupervisionSession
from casework.supervision.permissions import supervision_visible_to
from casework.volunteers.models import Volunteer
from casework.volunteers.permissions import volunteers_visible_to
from casework.workforce.models import WorkerProfile
from casework.workforce.permissions import profiles_visible_to

bp = Blueprint("audit", __name__, url_prefix="/audit")

ACTION_LABELS = {
    "personal_data.view": _l("查看个人信息"),
    "user.login": _l("登录"),
    "user.login_failed": _l("登录失败"),
    "user.create": _l("创建账号"),
    "user.enable": _l("启用账号"),
    "user.disable": _l("停用账号"),
    "user.password_change": _l("修改密码"),
    "user.password_reset": _l("重置密码"),
    "user.password_link": _l("生成设置密码链接"),
    "user.password_set": _l("通过链接设置密码"),
    "user.confirmation_requested": _l("账号待站长确认"),
    "user.confirm": _l("确认账号"),
    "user.locked": _l("账号因登录失败被锁定"),
    "user.unlock": _l("解锁账号"),
    "user.sessions_end": _l("结束账号的全部登录"),
    "user.logout": _l("退出登录"),
    "user.mfa_enabled": _l("启用两步验证"),
    "user.mfa_disabled": _l("关闭两步验证"),
    "user.mfa_failed": _l("两步验证码错误"),
    "user.mfa_recovery_used": _l("使用恢复码登录"),
    "user.mfa_codes_regenerated": _l("重新生成恢复码"),
    "user.mfa_reset": _l("重置两步验证"),
    "unit.create": _l("创建单位"),
    "tag.create": _l("添加标签"),
    "tag.enable": _l("启用标签"),
    "tag.disable": _l("停用标签"),
    "service_user.create": _l("登记服务对象"),
    "service_user.update": _l("修改服务对象信息"),
    "service_user.view": _l("查看服务对象"),
    "service_user.household_add": _l("添加家庭成员"),
    "service_user.household_remove": _l("删除家庭成员"),
    "service_user.legal_hold": _l("保留服务对象信息"),
    "service_user.legal_hold_lifted": _l("解除保留服务对象信息"),
    "service_user.anonymised": _l("匿名化处理服务对象信息"),
    "service_user.merge": _l("合并重复档案"),
    "household.create": _l("建立户档"),
    "household.update": _l("修改户档"),
    "household.member_add": _l("加入户档"),
    "household.member_remove": _l("移出户档"),
    "api_token.create": _l("生成 API 令牌"),
    "connected_system.create": _l("接入派单系统"),
    "work_order.receive": _l("接收 12345 工单"),
    "api_token.revoke": _l("撤销 API 令牌"),
    "file_request.create": _l("请求查阅或调档"),
    "file_request.grant": _l("同意档案请求"),
    "file_request.decline": _l("拒绝档案请求"),
    "file_request.withdraw": _l("撤回档案请求"),
    "file_request.revoke": _l("收回查阅权限"),
    "service_user.merge_undone": _l("撤销合并重复档案"),
    "help_request.anonymised": _l("匿名化处理求助信息"),
    "rights_request.record": _l("登记个人信息权利请求"),
    "retention.policy_update": _l("修改保存期限"),
    "wording.rule_added": _l("添加用词提示词语"),
    "wording.rule_updated": _l("修改用词提示词语"),
    "wording.defaults_loaded": _l("导入默认用词提示词表"),
    "rights_request.done": _l("办结个人信息权利请求"),
    "rights_request.refused": _l("不予办理个人信息权利请求"),
    "rights_request.export": _l("导出本人信息副本"),
    "case.create": _l("开案"),
    "case.update": _l("修改个案信息"),
    "case.assign": _l("分派个案"),
    "case.view": _l("查看个案"),
    "case.export_pdf": _l("导出个案档案"),
    "case.transition": _l("个案流程操作"),
    "case.intake_saved": _l("填写接案登记表"),
    "case.assessment_saved": _l("填写预估表"),
    "case.plan_saved": _l("填写服务计划书"),
    "case.service_record_added": _l("添加服务记录"),
    "case.referral_added": _l("添加转介"),
    "case.referral_outcome": _l("记录转介结果"),
    "case.referral_answered": _l("答复转入的转介"),
    "case.transfer_proposed": _l("申请转移个案"),
    "case.transfer_accepted": _l("接收转移的个案"),
    "case.transfer_rejected": _l("退回个案转移申请"),
    "case.transfer_withdrawn": _l("撤回个案转移申请"),
    "case.evaluation_saved": _l("填写评估报告"),
    "case.closure_saved": _l("填写结案报告"),
    "case.follow_up_added": _l("添加回访记录"),
    "case.comment_added": _l("添加督导意见"),
    "case.break_glass": _l("紧急查看个案"),
    "help_request.submit": _l("居民提交求助"),
    "help_request.log": _l("登记求助"),
    "help_request.view": _l("查看求助"),
    "help_request.acknowledge": _l("受理求助"),
    "help_request.assign": _l("分派求助"),
    "help_request.start": _l("开始处理求助"),
    "help_request.reply": _l("答复求助"),
    "help_request.note": _l("添加求助备注"),
    "help_request.refer": _l("转介求助至其他单位"),
    "help_request.refer_out": _l("转介求助至外部机构"),
    "help_request.decline": _l("不予受理求助"),
    "help_request.close": _l("办结求助"),
    "help_request.convert": _l("求助转为个案"),
    "station_profile.update": _l("修改公示栏"),
    "group.create": _l("创建小组"),
    "group.view": _l("查看小组"),
    "group.plan_saved": _l("填写小组计划书"),
    "group.transition": _l("小组流程操作"),
    "group.stage": _l("小组进入下一阶段"),
    "group.member_added": _l("添加组员"),
    "group.member_left": _l("组员退出"),
    "group.scores_saved": _l("填写前后测分数"),
    "group.session_scheduled": _l("安排小组节次"),
    "group.session_updated": _l("修改小组节次"),
    "group.attendance_taken": _l("小组点名"),
    "group.session_recorded": _l("填写每节记录"),
    "group.session_comment": _l("添加小组督导意见"),
    "group.summary_saved": _l("填写小组总结报告"),
    "group.export_pdf": _l("导出小组报告"),
    "activity.create": _l("创建社区活动"),
    "activity.update": _l("修改社区活动"),
    "activity.view": _l("查看社区活动"),
    "activity.participants": _l("登记活动参与者"),
    "volunteer.create": _l("登记志愿者"),
    "volunteer.update": _l("修改志愿者信息"),
    "volunteer.view": _l("查看志愿者"),
    "volunteer.enable": _l("启用志愿者"),
    "volunteer.disable": _l("停用志愿者"),
    "volunteer.hours_logged": _l("记录志愿服务时长"),
    "calendar.feed_created": _l("创建日历订阅地址"),
    "calendar.feed_revoked": _l("停用日历订阅地址"),
    "display_token.created": _l("创建数据大屏地址"),
    "display_token.revoked": _l("撤销数据大屏地址"),
    "supervision.create": _l("添加督导记录"),
    "supervision.update": _l("修改督导记录"),
    "supervision.view": _l("查看督导记录"),
    "report.monthly_pdf": _l("导出月报"),
    "evidence.request": _l("申请评估台账"),
    "evidence.download": _l("下载评估台账"),
    "export.cases": _l("导出个案列表"),
    "export.people": _l("导出服务对象列表"),
    "export.requests": _l("导出求助列表"),
    "export.groups": _l("导出小组列表"),
    "export.activities": _l("导出社区活动列表"),
    "export.volunteers": _l("导出志愿者列表"),
    "export.audit": _l("导出审计日志"),
    "export.approval_requested": _l("申请导出完整号码"),
    "export.approved": _l("批准导出完整号码"),
    "export.rejected": _l("不批准导出完整号码"),
    "export.withdrawn": _l("撤回导出申请"),
    "export.case-statistics": _l("导出统计"),
    "attachment.upload": _l("上传附件"),
    "attachment.download": _l("下载附件"),
    "attachment.archive": _l("删除附件"),
    "search.run": _l("全局搜索"),
    "worker_profile.create": _l("创建人员档案"),
    "worker_profile.update": _l("修改人员档案"),
    "worker_profile.view": _l("查看人员档案"),
    "worker_certificate.create": _l("添加职业水平证书"),
    "worker_certificate.register": _l("登记证书"),
    "worker_certificate.delete": _l("删除职业水平证书"),
    "employment_record.create": _l("添加工作经历"),
    "exam_record.create": _l("添加考试记录"),
    "award_record.create": _l("添加奖励与考核"),
    "continuing_education.create": _l("添加继续教育学时"),
    "continuing_education.delete": _l("删除继续教育学时"),
    "workforce_post.create": _l("添加社会工作岗位"),
    "workforce_post.update": _l("修改社会工作岗位"),
    "workforce_post.delete": _l("删除社会工作岗位"),
    "workforce_target.set": _l("设定持证社工目标"),
    "training_plan.create": _l("创建培训计划"),
    "training_plan.update": _l("修改培训计划"),
    "training_course.create": _l("创建培训课程"),
    "training_course.update": _l("修改培训课程"),
    "training_session.create": _l("添加培训场次"),
    "training_attendance.mark": _l("记录培训出勤"),
    "export.workforce_statistics": _l("导出人才队伍统计"),
    "export.worker_summary": _l("导出工作小结"),
    "assessment.save": _l("保存年度考核草稿"),
    "assessment.complete": _l("完成年度考核"),
    "assessment.sign": _l("确认年度考核"),
    "assessment.export_pdf": _l("打印年度考核"),
    "import.upload": _l("上传导入文件"),
    "import.preview": _l("预览导入"),
    "import.confirm": _l("确认导入"),
    "import.failed": _l("导入失败"),
    "import.cancel": _l("取消导入"),
    "pilot_unit.designate": _l("确定试点单位"),
    "pilot_unit.update": _l("修改试点单位"),
    "pilot_unit.withdraw": _l("撤销试点"),
    "pilot_stage.add": _l("添加试点阶段"),
    "pilot_stage.update": _l("修改试点阶段"),
    "pilot_stage.delete": _l("删除试点阶段"),
    "export.pilot_overview": _l("导出试点工作"),
    "agency.create": _l("登记民办社会工作服务机构"),
    "agency.update": _l("修改民办社会工作服务机构"),
    "project.create": _l("新建服务项目"),
    "project.update": _l("修改服务项目"),
    "project.targets": _l("修改项目指标"),
    "project.fund_add": _l("登记到位资金"),
    "project.fund_remove": _l("删除到位资金"),
    "project.milestone": _l("记录项目评估节点"),
    "project.document_add": _l("上传项目文件"),
    "project.document_archive": _l("移除项目文件"),
    "project.document_download": _l("下载项目文件"),
    "evaluation.indicators": _l("修改评估指标"),
    "evaluation.create": _l("记录机构评估"),
    "evaluation.pdf": _l("下载评估报告"),
    "export.projects": _l("导出服务项目"),
}

OBJECT_LABELS = {
    "cases": _l("个案"),
    "service_users": _l("服务对象"),
    "users": _l("账号"),
    "units": _l("单位"),
    "attachments": _l("附件"),
    "help_requests": _l("求助"),
    "groups": _l("小组"),
    "community_activities": _l("社区活动"),
    "volunteers": _l("志愿者"),
    "supervision_sessions": _l("督导记录"),
    "vulnerability_tags": _l("标签"),
    "worker_profiles": _l("人员档案"),
    "worker_certificates": _l("职业水平证书"),
    "employment_records": _l("工作经历"),
    "exam_records": _l("考试记录"),
    "award_records": _l("奖励与考核"),
    "continuing_education": _l("继续教育学时"),
    "workforce_posts": _l("社会工作岗位"),
    "workforce_targets": _l("持证社工目标"),
    "training_plans": _l("培训计划"),
    "training_courses": _l("培训课程"),
    "training_sessions": _l("培训场次"),
    "training_attendance": _l("培训出勤"),
    "annual_assessments": _l("年度考核"),
    "import_runs": _l("批量导入"),
    "file_requests": _l("档案请求"),
    "api_tokens": _l("API 令牌"),
    "connected_systems": _l("派单系统"),
    "wording_rules": _l("用词提示词语"),
    "display_tokens": _l("数据大屏"),
    "evidence_packs": _l("评估台账"),
    "pilot_units": _l("试点单位"),
    "pilot_stages": _l("试点阶段"),
    "agencies": _l("民办社会工作服务机构"),
    "projects": _l("服务项目"),
    "project_funds": _l("到位资金"),
    "project_deliverables": _l("项目指标"),
    "project_milestones": _l("项目评估节点"),
    "project_documents": _l("项目文件"),
    "evaluation_indicators": _l("评估指标"),
    "project_evaluations": _l("机构评估"),
    "project_evaluation_scores": _l("评估得分"),
}


@dataclass(frozen=True)
class Subject:
    """What an audit entry is about, as this reader may see it."""

    label: str
    url: str | None = None


@dataclass(frozen=True)
class _Kind:
    """How to name one kind of record: its visibility query, its name, its page."""

    model: Any
    scope: Callable[[User], Select[Any]] | None
    name: Callable[[Any], str]
    endpoint: str | None = None
    argument: str = ""


def _kinds() -> dict[str, _Kind]:
    return {
        "cases": _Kind(Case, cases_visible_to, lambda c: c.number, "cases.detail", "case_id"),
        "service_users": _Kind(
            ServiceUser, people_visible_to, lambda p: p.name, "people.detail", "person_id"
        ),
        "help_requests": _Kind(
            HelpRequest,
            requests_visible_to,
            lambda r: with_note(r.category.label, short_date(r.submitted_at)),
            "helpdesk.detail",
            "request_id",
        ),
        "groups": _Kind(Group, groups_visible_to, lambda g: g.name, "groups.detail", "group_id"),
        "community_activities": _Kind(
            CommunityActivity,
            activities_visible_to,
            lambda a: a.title,
            "activities.detail",
            "activity_id",
        ),
        "volunteers": _Kind(
            Volunteer, volunteers_visible_to, lambda v: v.name, "volunteers.detail", "volunteer_id"
        ),
        "supervision_sessions": _Kind(
            SupervisionSession,
            supervision_visible_to,
            lambda s: f"{short_date(s.held_on)} {s.form.label}",
            "supervision.detail",
            "record_id",
        ),
        "worker_profiles": _Kind(
            WorkerProfile, profiles_visible_to, lambda p: p.name, "workforce.profile", "profile_id"
        ),
        # Staff accounts and units are named to everyone who reads the log.
        "users": _Kind(User, None, lambda u: u.display_name),
        "units": _Kind(Unit, None, lambda u: u.name),
    }


def audit_subjects(entries: Sequence[AuditEntry], reader: User) -> dict[tuple[str, int], Subject]:
    """Each entry's record by its number or name, never by an internal id.

    A record the reader may not open is named by its kind only: the log does not pass on a
    name or case number its reader could not see on the record's own page.
    """
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_type and entry.object_id is not None:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    subjects: dict[tuple[str, int], Subject] = {}
    kinds = _kinds()
    for object_type, ids in wanted.items():
        kind_label = str(OBJECT_LABELS.get(object_type, _l("记录")))
        kind = kinds.get(object_type)
        found: dict[int, Any] = {}
        if kind is not None:
            query = kind.scope(reader) if kind.scope else select(kind.model)
            found = {row.id: row for row in db.session.scalars(query.where(kind.model.id.in_(ids)))}
        for object_id in ids:
            row = found.get(object_id)
            if row is None or kind is None:
                subjects[(object_type, object_id)] = Subject(kind_label)
                continue
            arguments: dict[str, Any] = {kind.argument: object_id}
            url = url_for(kind.endpoint, **arguments) if kind.endpoint else None
            subjects[(object_type, object_id)] = Subject(f"{kind_label} {kind.name(row)}", url)
    return subjects


def step_label(entry: AuditEntry) -> str | None:
    """The lifecycle step of a case or group transition, by its label."""
    step = (entry.details or {}).get("step")
    if not step:
        return None
    steps = case_lifecycle.STEPS if entry.action.startswith("case.") else group_lifecycle.STEPS
    known = steps.get(step)
    return str(known.label) if known else str(step)


@dataclass(frozen=True)
class AuditFilters:
    """The audit page's filters, which its export applies alike."""

    actor_id: int | None
    object_type: str
    object_id: int | None

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> AuditFilters:
        object_type = args.get("object_type") or ""
        return cls(
            actor_id=args.get("actor", type=db_int),
            object_type=object_type if object_type in OBJECT_LABELS else "",
            object_id=args.get("object_id", type=db_int),
        )

    def apply(self, query: Select[AuditEntry]) -> Select[AuditEntry]:
        if self.actor_id:
            query = query.where(AuditEntry.actor_id == self.actor_id)
        if self.object_type:
            query = query.where(about_object(self.object_type, self.object_id))
        return query


def about_object(object_type: str, object_id: int | None) -> ColumnElement[bool]:
    """Entries about a kind of record (or one record), including every request that showed it."""
    shown = select(AuditDisclosure.entry_id).where(AuditDisclosure.object_type == object_type)
    if object_id:
        shown = shown.where(AuditDisclosure.object_id == object_id)
        own = and_(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
    else:
        own = AuditEntry.object_type == object_type
    return or_(own, AuditEntry.id.in_(shown))


def audit_entries_visible_to(user: User) -> Select[AuditEntry]:
    """All entries for the administrator; a station head's unit's records and staff."""
    query = select(AuditEntry)
    if user.role is Role.SYSADMIN:
        return query
    if user.role is Role.STATION_HEAD:
        staff = select(User.id).where(User.unit_id == user.unit_id)
        return query.where(or_(AuditEntry.unit_id == user.unit_id, AuditEntry.actor_id.in_(staff)))
    return query.where(AuditEntry.id.is_(None))


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(can_read_audit_log(current_user))
    filters = AuditFilters.from_args(request.args)
    query = filters.apply(audit_entries_visible_to(current_user))
    page = keyset_paginate(
        query.options(selectinload(AuditEntry.actor)),
        keys=((AuditEntry.id, True),),
        id_column=AuditEntry.id,
        args=request.args,
        per_page=50,
    )
    staff_query = select(User).order_by(User.username)
    if current_user.role is Role.STATION_HEAD:
        staff_query = staff_query.where(User.unit_id == current_user.unit_id)
    return render_template(
        "audit/index.html",
        page=page,
        staff=db.session.scalars(staff_query).all(),
        actor_id=filters.actor_id,
        object_type=filters.object_type,
        object_id=filters.object_id,
        action_labels=ACTION_LABELS,
        object_labels=OBJECT_LABELS,
        subjects=audit_subjects(page.items, current_user),
        step_label=step_label,
    )
