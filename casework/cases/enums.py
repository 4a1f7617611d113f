"""The vocabularies of casework (GLOSSARY.md labels): domains, problems, sources, risk, the
case's stages, service forms, closure types, assessment areas and ratings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from casework.core.enums import LabelledEnum


class ServiceDomain(LabelledEnum):
    SOCIAL_AID = "social_aid", _l("社会救助")
    COMMUNITY_HEALTH = "community_health", _l("社区卫生")
    COMMUNITY_CORRECTION = "community_correction", _l("社区矫治")
    COMMUNITY_EDUCATION = "community_education", _l("社区教育")
    COMMUNITY_SERVICE = "community_service", _l("社区服务")
    # Institutional practice (民政事业单位).
    DAILY_LIFE = "daily_life", _l("生活服务")
    BEHAVIOUR = "behaviour", _l("行为矫治")
    COUNSELLING = "counselling", _l("心理辅导")
    REHABILITATION = "rehabilitation", _l("康复服务")
    MEDIATION = "mediation", _l("矛盾纠纷调解")
    RIGHTS = "rights", _l("权益维护")
    HYGIENE = "hygiene", _l("环境卫生")
    RECREATION = "recreation", _l("文体活动")


class ProblemCategory(LabelledEnum):
    LIVELIHOOD = "livelihood", _l("生活困难")
    EMOTIONAL = "emotional", _l("心理情绪")
    FAMILY = "family", _l("家庭关系")
    DOMESTIC_VIOLENCE = "domestic_violence", _l("家庭暴力")
    HEALTH_CARE = "health_care", _l("健康与照护")
    DISABILITY = "disability", _l("残障康复")
    EMPLOYMENT = "employment", _l("就业")
    EDUCATION = "education", _l("教育与学业")
    BEHAVIOUR = "behaviour", _l("行为问题")
    INTERNET_ADDICTION = "internet_addiction", _l("网络成瘾")
    NEIGHBOUR_DISPUTE = "neighbour_dispute", _l("邻里纠纷")
    REINTEGRATION = "reintegration", _l("社区矫正与安置帮教")
    RIGHTS = "rights", _l("权益维护")
    OTHER = "other", _l("其他")


class CaseSource(LabelledEnum):
    WALK_IN = "walk_in", _l("主动求助")
    HOTLINE = "hotline", _l("热线")
    WEB = "web", _l("网上求助")
    REFERRAL = "referral", _l("转介")
    OUTREACH = "outreach", _l("外展")
    OTHER = "other", _l("其他")


class RiskLevel(LabelledEnum):
    LOW = "low", _l("低")
    MEDIUM = "medium", _l("中")
    HIGH = "high", _l("高")


class CaseStatus(LabelledEnum):
    INTAKE = "intake", _l("接案")
    DECLINED = "declined", _l("不予接案")
    ASSESSMENT = "assessment", _l("预估")
    PLANNING = "planning", _l("服务计划")
    PLAN_PENDING_APPROVAL = "plan_pending_approval", _l("计划待审核")
    INTERVENTION = "intervention", _l("介入服务")
    EVALUATION = "evaluation", _l("评估")
    CLOSURE_PENDING_APPROVAL = "closure_pending_approval", _l("结案待审核")
    CLOSED = "closed", _l("已结案")
    FOLLOW_UP = "follow_up", _l("回访")
    REOPENED = "reopened", _l("重新开案")


class ServiceForm(LabelledEnum):
    INTERVIEW = "interview", _l("面谈")
    HOME_VISIT = "home_visit", _l("家访")
    PHONE = "phone", _l("电话")
    ESCORT = "escort", _l("陪同")
    REFERRAL = "referral", _l("转介")
    OTHER = "other", _l("其他")


class ClosureType(LabelledEnum):
    GOALS_MET = "goals_met", _l("目标达成")
    WITHDREW = "withdrew", _l("服务对象主动退出")
    REFERRED = "referred", _l("目标无法达成并转介")
    CIRCUMSTANCES_CHANGED = "circumstances_changed", _l("情况变化")


class PlanStatus(LabelledEnum):
    DRAFT = "draft", _l("草稿")
    SUBMITTED = "submitted", _l("待审核")
    APPROVED = "approved", _l("已批准")
    RETURNED = "returned", _l("已退回")
    SUPERSEDED = "superseded", _l("已修订")


class AssessmentArea(LabelledEnum):
    """The standard areas of a 预估表; each is rated and described."""

    PHYSICAL = "physical", _l("生理健康")
    PSYCHOLOGICAL = "psychological", _l("心理与情绪")
    DAILY_LIVING = "daily_living", _l("日常生活能力")
    FAMILY = "family", _l("家庭关系")
    SOCIAL_SUPPORT = "social_support", _l("社会支持")
    ECONOMIC = "economic", _l("经济状况")
    HOUSING = "housing", _l("居住环境")
    LEGAL = "legal", _l("法律事务与权益")


class NeedLevel(LabelledEnum):
    """How pressing the needs in an assessment area are."""

    NONE = "none", _l("无明显需要")
    MILD = "mild", _l("轻度")
    MODERATE = "moderate", _l("中度")
    SEVERE = "severe", _l("严重")


class Attainment(LabelledEnum):
    NOT_MET = "not_met", _l("未达成")
    PARTLY_MET = "partly_met", _l("部分达成")
    MOSTLY_MET = "mostly_met", _l("基本达成")
    FULLY_MET = "fully_met", _l("完全达成")


class ReferralOutcome(LabelledEnum):
    PENDING = "pending", _l("等待回复")
    ACCEPTED = "accepted", _l("已接收")
    DECLINED = "declined", _l("未接收")
    COMPLETED = "completed", _l("服务完成")


class TransferStatus(LabelledEnum):
    PENDING = "pending", _l("待接收")
    ACCEPTED = "accepted", _l("已接收")
    REJECTED = "rejected", _l("已退回")
    WITHDRAWN = "withdrawn", _l("已撤回")
